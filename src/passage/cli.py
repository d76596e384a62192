"""The ``passage`` command: Django's management entry point with Passage's settings.

Configuration mistakes end in one clear line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv if argv is not None else ["passage", *sys.argv[1:]])
    except ImproperlyConfigured as exc:
        print(f"passage: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
