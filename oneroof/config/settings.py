"""Settings from the environment, with safe local defaults (12-factor).

SQLite (WAL) is the embedded default; DATABASE_URL switches to PostgreSQL.
Production (ONEROOF_ENV=production) refuses to start with a default secret key or DEBUG on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ONEROOF_VAR_DIR", BASE_DIR / "var"))
# A deployment's own codelists (expanded from its SNOMED CT definitions by `manage.py codelists
# expand`), each replacing the bundled list of the same name. Unset: the bundled lists only.
ONEROOF_CODELISTS_DIR = os.environ.get("ONEROOF_CODELISTS_DIR") or None

ENVIRONMENT = os.environ.get("ONEROOF_ENV", "local")
_DEFAULT_SECRET = "insecure-local-only-secret-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEFAULT_SECRET)
DEBUG = os.environ.get("DEBUG", "0") == "1"
# Server-Timing headers (how long the application took), for staff only: on with DEBUG, or
# with ONEROOF_SERVER_TIMING=1 for the benchmarks; never in production, where timings could
# tell an outsider what a search found.
SERVER_TIMING = DEBUG or os.environ.get("ONEROOF_SERVER_TIMING", "0") == "1"

if ENVIRONMENT == "production" and (SECRET_KEY == _DEFAULT_SECRET or DEBUG or SERVER_TIMING):
    raise ImproperlyConfigured("Production needs its own SECRET_KEY, DEBUG off, no Server-Timing.")

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "oneroof.core",
    "oneroof.audit",
    "oneroof.codelists",
    "oneroof.people",
    "oneroof.workforce",
    "oneroof.care",
    "oneroof.referrals",
    "oneroof.access",
    "oneroof.population",
    "oneroof.measures",
    "oneroof.portal",
    "oneroof.fhir",
    "oneroof.demo",
]

MIDDLEWARE = [
    "oneroof.core.timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oneroof.core.middleware.IdleSessionMiddleware",
    "oneroof.core.middleware.BodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oneroof.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "oneroof.config.urls"
WSGI_APPLICATION = "oneroof.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "oneroof.config.jinja2_env.environment",
            "context_processors": ["oneroof.core.context.navigation"],
        },
    },
]

_sqlite_path = VAR_DIR / "oneroof.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its folder
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Bodies past these get 413 (core.middleware.BodyLimitMiddleware): forms and the API at
# Django's 2.5 MB, file uploads (the service directory import) at 20 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_SIZE = int(os.environ.get("UPLOAD_MAX_SIZE", str(20 * 1024 * 1024)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The lockout backend comes first: a name locked after repeated wrong attempts is refused before
# any password is checked (oneroof/audit/lockout.py).
AUTHENTICATION_BACKENDS = [
    "oneroof.audit.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGN_IN_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
SIGN_IN_FAILURE_WINDOW_MINUTES = 60
SIGN_IN_LOCKOUT_MINUTES = 1  # doubled at each lockout of the same name...
SIGN_IN_LOCKOUT_MAX_MINUTES = 60  # ...up to an hour
LOGIN_URL = "core:sign_in"
LOGIN_REDIRECT_URL = "core:home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working shift at most...
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # ...ended when the browser closes...
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))  # ...or idle
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# What a page may ask the browser for: nothing of the camera, microphone, location or payment
# (sent by SecurityHeadersMiddleware on every response).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
if ENVIRONMENT == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    # HTTPS only, remembered by the browser for a year, subdomains too.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
    if SECURE_HSTS_SECONDS < 365 * 24 * 60 * 60:
        raise ImproperlyConfigured("Production needs HSTS for a year (SECURE_HSTS_SECONDS).")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
WHITENOISE_USE_FINDERS = True  # serve straight from the finders when collectstatic has not run

_CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if ENVIRONMENT == "production"
    else _CONSOLE_EMAIL,
)
if ENVIRONMENT == "production" and EMAIL_BACKEND == _CONSOLE_EMAIL:
    # The console backend writes every message, recipients and all, into the server's log.
    raise ImproperlyConfigured("Production must not use the console email backend.")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OneRoof <no-reply@oneroof.invalid>")

# Break-glass access lasts one shift, then the professional must give a reason again.
BREAK_GLASS_HOURS = int(os.environ.get("BREAK_GLASS_HOURS", "8"))

# Staff find-a-person searches: audited, and at most this many per user in the window.
STAFF_SEARCH_LIMIT = int(os.environ.get("STAFF_SEARCH_LIMIT", "60"))
STAFF_SEARCH_WINDOW_MINUTES = 10
# Public forms' rate limits (audit/ratelimit.py): uses allowed, each within this many minutes
# of the last; then refused for a first lock of so many minutes, doubling up to the longest.
# Per address generous (a mobile network shares one address among many people).
SELF_REFERRAL_LIMIT_PER_ADDRESS = (30, 60, 10, 24 * 60)
SELF_REFERRAL_LIMIT_PER_NHS_NUMBER = (5, 24 * 60, 60, 24 * 60)
# Wrong sign-ins from one address, whatever the names (one password tried against many).
SIGN_IN_FAILURE_LIMIT_PER_ADDRESS = (100, 10, 5, 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Request logging never includes query strings: a search for a name or NHS number must not
    # land in the logs.
    "loggers": {"django.server": {"handlers": [], "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "oneroof.core.views.csrf_failure"
