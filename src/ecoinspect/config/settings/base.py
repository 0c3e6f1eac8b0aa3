"""Settings shared by every environment.

Everything that differs between a laptop and the district's server comes from the environment:
``DATABASE_URL`` (SQLite under ``var/`` when unset), ``ECOINSPECT_SECRET_KEY``, ``ECOINSPECT_ALLOWED_HOSTS``,
``ECOINSPECT_DEBUG``, ``ECOINSPECT_VAR_DIR`` and ``ECOINSPECT_MEDIA_ROOT``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
    "django_tasks_db",  # the queue table of the database backend (used when ECOINSPECT_TASKS_BACKEND=database)
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
    # static files are answered here, with their long cache, before anything below marks answers private
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ecoinspect.core.middleware.PrivateCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ecoinspect.orgs.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # refuses an oversized body in process_view, before the CSRF check below reads it
    "ecoinspect.core.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecoinspect.core.middleware.ReadingRequestMiddleware",
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

# Log-in throttling (docs/security.md). Per user name: after this many failures within the window (from any
# address) that name is refused until the window has passed since those failures.
LOGIN_FAILURE_LIMIT = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_WINDOW", "900"))
# Per address: after failures for this many *different* user names within the (shorter) address window, the
# address is refused for that window — someone trying names. A person mistyping their own password counts
# once, so colleagues behind the same NAT keep logging in. 0 switches the rule off.
LOGIN_FAILURE_IP_LIMIT = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_IP_LIMIT", "10"))
LOGIN_FAILURE_IP_WINDOW_SECONDS = int(os.environ.get("ECOINSPECT_LOGIN_FAILURE_IP_WINDOW", "300"))
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

# Content-Security-Policy (django-csp): scripts and styles only from this server's files — no inline script,
# no on…= attribute, no style="…" attribute, no eval, no plug-ins, no framing; forms post here only. An inline
# <script> or <style> must carry nonce="{{ request.csp_nonce }}" (only the plain 500 page's <style> does).
# Images may be data: URIs (Bootstrap draws its form icons so). See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
# The action log's anchors (audit.anchors, docs/backup.md): the chain's head written down outside the
# database by `ecoinspect audit anchor` (nightly) and by every backup. The key, when set, signs each anchor
# (HMAC-SHA256): keep it out of the database and its backups — in the environment or a file readable by the
# service account only.
ECOINSPECT_AUDIT_ANCHOR_DIR = Path(os.environ.get("ECOINSPECT_AUDIT_ANCHOR_DIR", VAR_DIR / "anchors"))
ECOINSPECT_AUDIT_KEY = os.environ.get("ECOINSPECT_AUDIT_KEY", "")
ECOINSPECT_AUDIT_KEY_FILE = os.environ.get("ECOINSPECT_AUDIT_KEY_FILE", "")
# Where `ecoinspect backup` writes its dated directories unless told --to.
ECOINSPECT_BACKUP_DIR = Path(os.environ.get("ECOINSPECT_BACKUP_DIR", VAR_DIR / "backups"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (imports, large exports, the daily digest) goes through django-tasks. "immediate" runs it
# inside the request or command that asks for it (development, tests, the demo: no worker needed);
# "database" queues it in a table that `ecoinspect db_worker` works off (production; docs/worker.md).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_from_env(default: str) -> dict:
    name = os.environ.get("ECOINSPECT_TASKS_BACKEND", default).strip().lower() or default
    if name not in TASK_BACKENDS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"ECOINSPECT_TASKS_BACKEND 只能是 {' 或 '.join(TASK_BACKENDS)}，而不是 {name!r}。"
            f" / ECOINSPECT_TASKS_BACKEND must be {' or '.join(TASK_BACKENDS)}, not {name!r}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_from_env("immediate")
# An export of more rows than this is written by the worker into a file kept for its owner (smaller ones
# are answered at once); the file is deleted after ECOINSPECT_EXPORT_KEEP_HOURS.
ECOINSPECT_EXPORT_BACKGROUND_ROWS = int(os.environ.get("ECOINSPECT_EXPORT_BACKGROUND_ROWS", "5000"))
ECOINSPECT_EXPORT_KEEP_HOURS = int(os.environ.get("ECOINSPECT_EXPORT_KEEP_HOURS", "24"))
# A job still waiting for the worker after this many minutes says so on its page (is the worker running?).
ECOINSPECT_JOB_WAIT_WARNING_MINUTES = int(os.environ.get("ECOINSPECT_JOB_WAIT_WARNING_MINUTES", "5"))



def cache_from_env(default: str = "local") -> dict:
    """The shared cache (rate limits of the public look-up) from ``ECOINSPECT_CACHE``.

    ``local`` keeps it in each process (one server, development, tests); ``database`` puts it in a table
    every app server shares (run ``ecoinspect createcachetable`` once); ``redis://host:6379/0`` uses Redis
    (install the ``redis`` package). With two app servers a process-local cache would let every process
    count its own look-ups, so production defaults to ``database``.
    """
    value = os.environ.get("ECOINSPECT_CACHE", default).strip()
    if value == "local":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ecoinspect"}
    elif value == "database":
        backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ecoinspect_cache"}
    elif value.startswith(("redis://", "rediss://")):
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"ECOINSPECT_CACHE={value!r}: use local, database or a redis:// address."
        )
    return {"default": backend}


CACHES = cache_from_env()

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
