"""Settings for ``bench/intake.py``: production's, with the bench's bare first step added.

Only the URL tree changes (``bench.bare_intake.urls``: the production tree with one more public
URL, ``/<lang>/bench-bare/request/``); apps, middleware, database, templates and limits are
production's, configured by the same environment variables. Serve it with
``DJANGO_SETTINGS_MODULE=bench.intake_settings`` and the repository root on ``PYTHONPATH``.
"""

from passage.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_intake.urls"
