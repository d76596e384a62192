"""Test settings: a private data directory with fresh keys, then Passage's own settings.

Only environment variables are set here; everything else comes from passage.settings, so the
suite tests the configuration that production runs.
"""

import os
import tempfile
from pathlib import Path

from passage.crypto.keyfiles import init_key_files

if "PASSAGE_TEST_DATA_DIR" not in os.environ:
    os.environ["PASSAGE_TEST_DATA_DIR"] = tempfile.mkdtemp(prefix="passage-test-")
_data = Path(os.environ["PASSAGE_TEST_DATA_DIR"])
os.environ["PASSAGE_DATA_DIR"] = str(_data)
for _name in (
    "PASSAGE_MASTER_KEY_FILE",
    "PASSAGE_BLIND_INDEX_KEY_FILE",
    "PASSAGE_CODENAME_PEPPER_FILE",
    "PASSAGE_SECRET_KEY_FILE",
    "PASSAGE_ROLE",
    "PASSAGE_TLS",
):
    os.environ.pop(_name, None)
# Each test process has its own keys in the shared Redis (tests/conftest.py empties them).
os.environ["PASSAGE_REDIS_PREFIX"] = "passage-test-" + os.urandom(6).hex()
init_key_files(
    master=_data / "keys" / "master.key",
    blind_index=_data / "keys" / "blind-index.key",
    codename_pepper=_data / "keys" / "codename-pepper.key",
    intake_dir=_data / "keys" / "intake",
    django_secret=_data / "keys" / "django-secret.key",
)

from passage.settings import *  # noqa: E402, F403
from passage.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# Tests may hash many passwords; Argon2id stays (it is what we ship) at its cheapest parameters.
PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
