"""Settings shared by every environment.

Everything that differs between a laptop and the district's server comes from the environment:
``DATABASE_URL`` (SQLite under ``var/`` when unset), ``ECOINSPECT_SECRET_KEY``, ``ECOINSPECT_ALLOWED_HOSTS``,
``ECOINSPECT_DEBUG``, ``ECOINSPECT_VAR_DIR`` and ``ECOINSPECT_MEDIA_ROOT``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("ECOINSPECT_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ECOINSPECT_DEBUG", False)
# A development key: production settings refuse to start with it (see production.py).
INSECURE_DEV_SECRET_KEY = "django-insecure-ecoinspect-development-only"
SECRET_KEY = os.environ.get("ECOINSPECT_SECRET_KEY", INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ECOINSPECT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("ECOINSPECT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "ninja",  # serves the API docs' Swagger UI from its own static files: the intranet has no CDN
    "ecoinspect.common",
    "ecoinspect.core",
    "ecoinspect.orgs",
    "ecoinspect.audit",
    "ecoinspect.notifications",
    "ecoinspect.ledger",
    "ecoinspect.petitions",
    "ecoinspect.dashboard",
    "ecoinspect.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ecoinspect.orgs.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecoinspect.orgs.middleware.MembershipRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ecoinspect.audit.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "ecoinspect.config.urls"
WSGI_APPLICATION = "ecoinspect.config.wsgi.application"
ASGI_APPLICATION = "ecoinspect.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecoinspect.orgs.context_processors.current_membership",
                "ecoinspect.core.context_processors.navigation",
            ],
        },
    }
]

# Forms draw Django's stock input, select and textarea widgets in Python (same markup, a fraction of the
# CPU); every other widget template, and any an app overrides, through the templates.
FORM_RENDERER = "ecoinspect.common.forms_renderer.FastRenderer"


def database_from_env(default_sqlite: Path) -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock up front, so two writers queue instead of one
        # failing half-way with "database is locked"; the hash chain of the ActionLog relies on it.
        config.setdefault("OPTIONS", {}).update(
            {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
        )
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "ecoinspect.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = ["ecoinspect.orgs.auth.ThrottledModelBackend", "ecoinspect.core.permissions.ScopeBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling: after this many failures for one user name (or one address) within the window,
# further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_WINDOW", "900"))
# Failures from one address (any user names) before that address is refused; 0 switches the rule off.
LOGIN_FAILURE_IP_LIMIT = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_IP_LIMIT", str(4 * LOGIN_FAILURE_LIMIT)))
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted (0: none).
# Behind nginx set 1, or every user would share the proxy's address for throttling and the audit log.
ECOINSPECT_TRUSTED_PROXIES = int(os.environ.get("ECOINSPECT_TRUSTED_PROXIES", "0"))
# The public 信访件 status look-up (no log-in): at most this many look-ups per address within the window.
PETITIONS_PUBLIC_LOOKUP_LIMIT = int(os.environ.get("ECOINSPECT_PUBLIC_LOOKUP_LIMIT", "20"))
PETITIONS_PUBLIC_LOOKUP_WINDOW_SECONDS = int(os.environ.get("ECOINSPECT_PUBLIC_LOOKUP_WINDOW", "600"))

SESSION_COOKIE_AGE = int(os.environ.get("ECOINSPECT_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False  # idle expiry is renewed by orgs.middleware.IdleSessionMiddleware
ECOINSPECT_SESSION_REFRESH_SECONDS = int(os.environ.get("ECOINSPECT_SESSION_REFRESH_SECONDS", "300"))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag; keep Django's default
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ECOINSPECT_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving from the finders
# The vendored Bootstrap, HTMX, ECharts and Leaflet and the site's own CSS/JS live in the package, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ECOINSPECT_MEDIA_ROOT", VAR_DIR / "media"))
# Evidence and import uploads larger than this are refused before they are read.
ECOINSPECT_MAX_UPLOAD_BYTES = int(os.environ.get("ECOINSPECT_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ecoinspect"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "ecoinspect.common.logging.RequestContext"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # an unhandled error: which request (the id on the error page), who, where — then the traceback
        "request": {
            "format": "%(asctime)s %(levelname)s %(name)s request=%(request_id)s user=%(user)s path=%(path)s %(message)s"
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "request", "filters": ["request"]},
    },
    "loggers": {
        "ecoinspect": {"handlers": ["console"], "level": os.environ.get("ECOINSPECT_LOG_LEVEL", "INFO")},
        # Django logs every unhandled error of a request here (with the traceback), in production too
        "django.request": {"handlers": ["requests"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Shown in the page header; the district this installation serves.
ECOINSPECT_SITE_TITLE = _("生态环境保护督察迎检系统")
ECOINSPECT_DISTRICT_NAME = os.environ.get("ECOINSPECT_DISTRICT_NAME", "白云区")

# How many transferred petition cases the demo inspection month brings (``ecoinspect demo load``).
ECOINSPECT_DEMO_PETITIONS = int(os.environ.get("ECOINSPECT_DEMO_PETITIONS", "1500"))
