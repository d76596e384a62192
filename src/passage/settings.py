"""Passage settings: one module, configured only by environment variables.

Defaults are the production-safe ones. Anything malformed stops start-up with a one-line
``ImproperlyConfigured`` message (the ``passage`` command prints it without a traceback). Values
are never echoed back in those messages, because a DATABASE_URL or key path may be sensitive.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool = False) -> bool:
    raw = _env(name)
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off.")


def _env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = _env(name)
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}.")
    return value


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = _env(name)
    if raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _key_path(env_name: str, default: Path) -> Path:
    """Where a key or secret lives: ``<env_name>`` if set (and then it must be readable now)."""
    raw = _env(env_name)
    if raw == "":
        return default
    path = Path(raw)
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{env_name} names a file that cannot be read ({exc.strerror or 'unreadable'})."
        ) from None
    return path


# --- Deployment role and data directory ----------------------------------------------------------

PASSAGE_ROLE = _env("PASSAGE_ROLE", "all")
if PASSAGE_ROLE not in {"all", "intake", "console"}:
    raise ImproperlyConfigured("PASSAGE_ROLE must be one of: all, intake, console.")

DATA_DIR = Path(_env("PASSAGE_DATA_DIR", "var")).resolve()
KEYS_DIR = DATA_DIR / "keys"
BLOB_DIR = DATA_DIR / "blobs"

# Key material. The intake role holds no key that opens anything (DESIGN invariant 2).
PASSAGE_KEYS = {
    "master": _key_path("PASSAGE_MASTER_KEY_FILE", KEYS_DIR / "master.key"),
    "blind_index": _key_path("PASSAGE_BLIND_INDEX_KEY_FILE", KEYS_DIR / "blind-index.key"),
    "codename_pepper": _key_path("PASSAGE_CODENAME_PEPPER_FILE", KEYS_DIR / "codename-pepper.key"),
    "intake_dir": KEYS_DIR / "intake",
}
SECRET_KEY_PATH = _key_path("PASSAGE_SECRET_KEY_FILE", KEYS_DIR / "django-secret.key")
try:
    SECRET_KEY = SECRET_KEY_PATH.read_text().strip()
except FileNotFoundError:
    # Only `passage keys init` (run by `make run`) may start without it; it creates the file.
    # Django refuses to sign anything with an empty key, so nothing runs half-configured.
    SECRET_KEY = ""
except OSError:
    raise ImproperlyConfigured("The Django secret key file cannot be read.") from None

DEBUG = _env_bool("PASSAGE_DEBUG", False)

# --- HTTP ----------------------------------------------------------------------------------------

PASSAGE_HOST = _env("PASSAGE_HOST", "127.0.0.1")
PASSAGE_PORT = _env_int("PASSAGE_PORT", 8000, minimum=1, maximum=65535)
ALLOWED_HOSTS = _env_list("PASSAGE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = _env_list("PASSAGE_CSRF_TRUSTED_ORIGINS", [])
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/deploy.md).
PASSAGE_TLS = _env_bool("PASSAGE_TLS", False)
if PASSAGE_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = PASSAGE_TLS
CSRF_COOKIE_SECURE = PASSAGE_TLS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_NAME = "passage_session"
CSRF_COOKIE_NAME = "passage_csrf"
# A browser-session cookie: nothing of ours outlives the browser on a requester's device.
CSRF_COOKIE_AGE = None
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = _env_int("PASSAGE_SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=300)
# Signed out after this long without a request (the staff console warns a minute ahead).
PASSAGE_SESSION_IDLE_SECONDS = _env_int("PASSAGE_SESSION_IDLE_SECONDS", 15 * 60, minimum=120)
SECURE_CONTENT_TYPE_NOSNIFF = True
# No Referer at all. Browsers then send `Origin: null` on form posts: see core/csrf.py.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads stay in memory, never in a temporary file on disk before they are sealed; a file over
# the limit, or past the count, is not kept and the form is told why (core/uploads.py).
FILE_UPLOAD_HANDLERS = ["passage.core.uploads.MemoryOnlyUploadHandler"]
PASSAGE_UPLOAD_FILE_BYTES = _env_int("PASSAGE_UPLOAD_FILE_BYTES", 10 * 1024 * 1024, minimum=1024)
PASSAGE_UPLOAD_MAX_FILES = _env_int("PASSAGE_UPLOAD_MAX_FILES", 5, minimum=1, maximum=100)
FILE_UPLOAD_MAX_MEMORY_SIZE = PASSAGE_UPLOAD_FILE_BYTES
# Text fields only (files are not counted): 1 MB, far more than any form's text.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Content-Security-Policy (django-csp 4) ------------------------------------------------------

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

# --- Applications --------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "passage.crypto",
    "passage.audit",
    "passage.core",
    "passage.accounts",
    "passage.alerts",
    "passage.cases",
    "passage.intake",
    "passage.casework",
    "passage.casefiles",
    "passage.drafts",
    "passage.casefields",
    "passage.workload",
    "passage.interpreting",
    "passage.pathways",
    "passage.safehouses",
    "passage.routes",
    "passage.documents",
    "passage.funds",
    "passage.dossiers",
    "passage.safety",
    "passage.lockdown",
    "passage.retention",
    "passage.settlement",
    "passage.evidence",
    "passage.reports",
    "passage.exports",
    "passage.imports",
]

MIDDLEWARE = [
    "passage.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "passage.core.middleware.SecurityHeadersMiddleware",
    "passage.core.surge.PublicSurgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # On /staff/ pages, the console language the staff member chose (kept in the session).
    "passage.accounts.language.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "passage.core.csrf.PassageCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Keeps a form posted after the timeout as a draft, before the session rules end it.
    "passage.drafts.middleware.DraftMiddleware",
    "passage.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if PASSAGE_ROLE == "intake":
    # The public pages use no Django session, user or message: without these, a stray staff
    # cookie cannot make the intake tier read tables its database role may not read.
    _STAFF_ONLY = {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "passage.drafts.middleware.DraftMiddleware",
        "passage.accounts.middleware.StaffSessionMiddleware",
        "passage.accounts.language.StaffLanguageMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    }
    MIDDLEWARE = [name for name in MIDDLEWARE if name not in _STAFF_ONLY]

ROOT_URLCONF = "passage.urls"
WSGI_APPLICATION = "passage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "passage.core.context_processors.site",
                "passage.alerts.context_processors.alert_count",
                "passage.lockdown.context_processors.lockdown_banner",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------------


def _database_from_url(url: str) -> dict[str, object]:
    import dj_database_url

    message = (
        "DATABASE_URL is not a valid database URL "
        "(expected postgres://USER@HOST:PORT/NAME or sqlite:///PATH)."
    )
    try:
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
            raise ValueError
        if parts.scheme != "sqlite" and (not parts.hostname or parts.path.strip("/") == ""):
            raise ValueError
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError:
        raise ImproperlyConfigured(message) from None
    return config


_database_url = _env("DATABASE_URL")
if _database_url:
    _default_db = _database_from_url(_database_url)
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "passage.sqlite3"),
    }
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while one writer holds the lock; IMMEDIATE takes the write lock
    # at BEGIN, so two writers queue instead of failing half-way ("database is locked").
    _default_db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # secure_delete: freed pages are overwritten, so a shredded tombstone's old ciphertext
        # does not linger in the file (retention also vacuums after shredding).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
            "PRAGMA secure_delete=ON;"
        ),
    }
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs (Django's tasks API through the django-tasks backport) ----------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Accounts ------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "staff:sign-in"
LOGIN_REDIRECT_URL = "staff:home"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files (all ours, served by our app: nothing from another origin) ---------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    # Content-hashed names after `collectstatic` (so /static/ can be cached for a year); plain
    # names before it has run (development, tests).
    "staticfiles": {"BACKEND": "passage.core.staticfiles.PassageStaticFilesStorage"},
}

# --- Passage ------------------------------------------------------------------------------------

PASSAGE_PUBLIC_TITLE = _env("PASSAGE_PUBLIC_TITLE", "Help request")
# "Leave quickly" on every public page goes here: a neutral site. Only a link target; nothing of it
# is loaded by our pages.
PASSAGE_QUICK_EXIT_URL = _env("PASSAGE_QUICK_EXIT_URL", "https://www.wikipedia.org/")
try:
    _quick_exit = urlsplit(PASSAGE_QUICK_EXIT_URL)
    _quick_exit.port  # noqa: B018 -- raises ValueError on a malformed port
except ValueError:
    _quick_exit = urlsplit("")
if _quick_exit.scheme not in {"https", "http"} or not _quick_exit.hostname:
    raise ImproperlyConfigured("PASSAGE_QUICK_EXIT_URL must be an https:// (or http://) address.")
PASSAGE_WORKERS = _env_int("PASSAGE_WORKERS", 2, minimum=1, maximum=64)

# --- Public tier: memory-only store, limits, mailbox (intake/, core/memstore.py) ---------------

# Mailbox sessions (with the codename-derived private key), rate-limit counters and per-address
# windows live only here, never in the database or on disk: a Redis run with `save ""` and no
# AOF (docs/deploy.md). Unreachable, the public pages that need it answer a calm 503.
PASSAGE_REDIS_URL = _env("PASSAGE_REDIS_URL", "redis://127.0.0.1:6379/0")
if urlsplit(PASSAGE_REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured("PASSAGE_REDIS_URL must be a redis://, rediss:// or unix:// URL.")
# Every key of ours starts with this, so one Redis can serve several installations (and tests).
PASSAGE_REDIS_PREFIX = _env("PASSAGE_REDIS_PREFIX", "passage")
# A short, neutral welcome line under the public title (empty: none).
PASSAGE_PUBLIC_WELCOME = _env("PASSAGE_PUBLIC_WELCOME", "")
# Wrong codenames per minute, across the installation, before sign-in pauses for everyone.
PASSAGE_MAILBOX_FAILURES_PER_MINUTE = _env_int(
    "PASSAGE_MAILBOX_FAILURES_PER_MINUTE", 120, minimum=1, maximum=100_000
)

# --- Public tier: surges (core/surge.py, docs/deploy.md "Surges") --------------------------------

# Public requests one process works on at once; more get a calm 503 at once. Below `passage
# serve`'s 4 threads, so one is always left for the staff console and /healthz.
PASSAGE_PUBLIC_MAX_INFLIGHT = _env_int("PASSAGE_PUBLIC_MAX_INFLIGHT", 3, minimum=1)
# Public form posts (requests, mailbox sign-ins, messages) across all processes; 0 = no limit.
PASSAGE_PUBLIC_POSTS_PER_SECOND = _env_int("PASSAGE_PUBLIC_POSTS_PER_SECOND", 100)
PASSAGE_PUBLIC_POSTS_PER_MINUTE = _env_int("PASSAGE_PUBLIC_POSTS_PER_MINUTE", 0)
# Where the visitor's address comes from: "none" (onion service, unknown proxy: every request
# looks alike), "remote-addr", or "x-forwarded-for" (the last hop, added by our own proxy).
PASSAGE_CLIENT_ADDRESS = _env("PASSAGE_CLIENT_ADDRESS", "none").lower()
if PASSAGE_CLIENT_ADDRESS not in {"none", "remote-addr", "x-forwarded-for"}:
    raise ImproperlyConfigured(
        "PASSAGE_CLIENT_ADDRESS must be one of: none, remote-addr, x-forwarded-for."
    )
# Only counted when the address is known, and only as a keyed hash that expires within minutes.
PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE = _env_int("PASSAGE_PUBLIC_POSTS_PER_ADDRESS_MINUTE", 20)
PASSAGE_PUBLIC_RETRY_AFTER_SECONDS = _env_int(
    "PASSAGE_PUBLIC_RETRY_AFTER_SECONDS", 120, minimum=1, maximum=3600
)

# --- Break-glass and unusual-reading alarms (accounts/services/{break_glass,reads}.py) ----------

PASSAGE_BREAK_GLASS_SECONDS = _env_int("PASSAGE_BREAK_GLASS_SECONDS", 3600, minimum=60)
# Within one hour: distinct break-glass cases read, and distinct other desks they belong to.
PASSAGE_READ_ALERT_FOREIGN_CASES = _env_int("PASSAGE_READ_ALERT_FOREIGN_CASES", 3, minimum=1)
PASSAGE_READ_ALERT_OTHER_DESKS = _env_int("PASSAGE_READ_ALERT_OTHER_DESKS", 2, minimum=1)
# Odd hours are judged only with at least this many days of activity in the last 30.
PASSAGE_READ_ALERT_MIN_HISTORY_DAYS = _env_int("PASSAGE_READ_ALERT_MIN_HISTORY_DAYS", 7, minimum=1)
# Volume: this hour's reads > max(FACTOR x usual reads per working hour, FLOOR).
PASSAGE_READ_ALERT_VOLUME_FACTOR = _env_int("PASSAGE_READ_ALERT_VOLUME_FACTOR", 4, minimum=1)
PASSAGE_READ_ALERT_VOLUME_FLOOR = _env_int("PASSAGE_READ_ALERT_VOLUME_FLOOR", 200, minimum=1)

# --- Cases (cases/services/approvals.py, core/management/commands/scheduler.py) -----------------

# Emergency help before verification: at most this much, in this currency, per request.
PASSAGE_EMERGENCY_CAP = _env_int("PASSAGE_EMERGENCY_CAP", 300, minimum=1, maximum=100_000)
PASSAGE_EMERGENCY_CURRENCY = _env("PASSAGE_EMERGENCY_CURRENCY", "EUR").upper()
if len(PASSAGE_EMERGENCY_CURRENCY) != 3 or not PASSAGE_EMERGENCY_CURRENCY.isalpha():
    raise ImproperlyConfigured("PASSAGE_EMERGENCY_CURRENCY must be a three-letter code (EUR).")
# Budget lines above this many minor units (of the fund's currency) need two approvers; a fund
# may set its own threshold (passage.funds).
PASSAGE_FOUR_EYES_MINOR = _env_int("PASSAGE_FOUR_EYES_MINOR", 100_000, minimum=0, maximum=10**12)
# How often the scheduler queues the periodic jobs (deadlines, alerts, priority refresh).
PASSAGE_SCHEDULER_SECONDS = _env_int("PASSAGE_SCHEDULER_SECONDS", 300, minimum=10, maximum=86400)
# The periodic jobs, by dotted path; each is idempotent and safe to run twice. They work on
# case data, which the intake tier may not read: there they are none.
PASSAGE_PERIODIC_JOBS = (
    []
    if PASSAGE_ROLE == "intake"
    else [
        "passage.cases.tasks.emergency_reviews",
        "passage.cases.tasks.priority_refresh",
        "passage.intake.tasks.replies_expire",
        "passage.drafts.tasks.drafts_expire",
        "passage.documents.tasks.expiry_reminders",
        "passage.funds.tasks.stipend_reminders",
        "passage.exports.tasks.exports_expire",
        "passage.imports.tasks.imports_abandoned",
        "passage.settlement.tasks.follow_up_alerts",
        "passage.retention.tasks.retention_run",
        "passage.safety.tasks.checkins_open",
        "passage.safety.tasks.checkins_escalate",
        "passage.alerts.tasks.push_sweep",
    ]
)

# --- Pushes of critical alerts outside the app (passage.alerts, docs/alerts.md) ------------------

# The webhook POST and the SMTP connection give up after this many seconds.
PASSAGE_PUSH_TIMEOUT_SECONDS = _env_int("PASSAGE_PUSH_TIMEOUT_SECONDS", 5, minimum=1, maximum=60)
# E-mail pushes go through this SMTP server; unset, nothing leaves the machine (the dummy
# backend) and every e-mail push is recorded as failed ("not configured") for admins to see.
EMAIL_HOST = _env("PASSAGE_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = _env_int("PASSAGE_EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = _env("PASSAGE_EMAIL_USER")
    _email_password_file = _env("PASSAGE_EMAIL_PASSWORD_FILE")
    EMAIL_HOST_PASSWORD = (
        _key_path("PASSAGE_EMAIL_PASSWORD_FILE", Path()).read_text().strip()
        if _email_password_file
        else ""
    )
    EMAIL_USE_SSL = _env_bool("PASSAGE_EMAIL_SSL", False)
    EMAIL_USE_TLS = _env_bool("PASSAGE_EMAIL_STARTTLS", not EMAIL_USE_SSL)
    if EMAIL_USE_SSL and EMAIL_USE_TLS:
        raise ImproperlyConfigured(
            "PASSAGE_EMAIL_SSL and PASSAGE_EMAIL_STARTTLS exclude each other."
        )
    EMAIL_TIMEOUT = PASSAGE_PUSH_TIMEOUT_SECONDS
    DEFAULT_FROM_EMAIL = _env("PASSAGE_EMAIL_FROM")
    if "@" not in DEFAULT_FROM_EMAIL or any(c in DEFAULT_FROM_EMAIL for c in "\r\n<> "):
        raise ImproperlyConfigured(
            "PASSAGE_EMAIL_FROM must be a plain address (alerts@example.org) when "
            "PASSAGE_EMAIL_HOST is set."
        )
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    DEFAULT_FROM_EMAIL = "noreply@localhost"

# --- Safety: check-ins, lost contact, duress (passage.safety, docs/safety.md) --------------------

# A missed check-in alerts the caseworker this long after it was due, the desk lead after twice
# as long, and moves the case to "lost contact" this long after it was due.
PASSAGE_CHECKIN_GRACE_HOURS = _env_int("PASSAGE_CHECKIN_GRACE_HOURS", 6, minimum=1, maximum=168)
PASSAGE_LOST_CONTACT_HOURS = _env_int("PASSAGE_LOST_CONTACT_HOURS", 72, minimum=2, maximum=2160)
# What opens the mailbox check-ins on the console side (the intake app sits below safety and
# knows it only by this path); queued on commit of every check-in when PASSAGE_ROLE is "all".
PASSAGE_CHECKIN_OPENER = "passage.safety.tasks.checkins_open"

# The shred ledger's file copy (ids only), kept beside the database so a restore of an older
# backup replays shreds made since (docs/backups.md); and what else a shred must empty.
PASSAGE_SHRED_LEDGER = Path(_env("PASSAGE_SHRED_LEDGER", str(DATA_DIR / "shred-ledger.jsonl")))
PASSAGE_SHRED_HOOKS = [
    "passage.retention.hooks.empty_sealed",
    "passage.evidence.hooks.shred_bundles_of_case",
]
# Intake key pairs are replaced this often (days); retention destroys old private halves.
PASSAGE_INTAKE_KEY_DAYS = _env_int("PASSAGE_INTAKE_KEY_DAYS", 30, minimum=1, maximum=366)

# --- Logging: ids and outcomes only, never personal data, never the client address --------------

LOG_LEVEL = _env("PASSAGE_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ImproperlyConfigured("PASSAGE_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "passage.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger puts the path (and on errors the whole request) in the log.
        "django.request": {"handlers": ["console"], "level": "CRITICAL", "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []
CSRF_FAILURE_VIEW = "passage.core.views.csrf_failure"
