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

if ENVIRONMENT == "production" and (SECRET_KEY == _DEFAULT_SECRET or DEBUG):
    raise ImproperlyConfigured("Production needs its own SECRET_KEY and DEBUG off.")

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "core:sign_in"
LOGIN_REDIRECT_URL = "core:home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working shift
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if ENVIRONMENT == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
WHITENOISE_USE_FINDERS = True  # serve straight from the finders when collectstatic has not run

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OneRoof <no-reply@oneroof.invalid>")

# Break-glass access lasts one shift, then the professional must give a reason again.
BREAK_GLASS_HOURS = int(os.environ.get("BREAK_GLASS_HOURS", "8"))

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
