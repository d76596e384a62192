"""Settings for scratch installations in tests: Passage's own, plus the test-only models."""

from passage.settings import *  # noqa: F403
from passage.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
