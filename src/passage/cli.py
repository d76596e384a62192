"""The ``passage`` command: Django's management entry point with Passage's settings.

Configuration mistakes end in one clear line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
import sys

# Commands spelt with a hyphen on the command line (module names cannot hold one).
ALIASES = {"backup-key": "backup_key"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(argv if argv is not None else ["passage", *sys.argv[1:]])
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        print(f"passage: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
