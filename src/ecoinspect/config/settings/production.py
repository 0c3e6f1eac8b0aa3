"""Production settings: refuse to start rather than run insecurely."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSECURE_DEV_SECRET_KEY, SECRET_KEY, cache_from_env, env_bool, env_list, tasks_from_env

DEBUG = False

if not SECRET_KEY or SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "生产环境必须设置 ECOINSPECT_SECRET_KEY（至少 50 个随机字符）。"
        " / Production needs ECOINSPECT_SECRET_KEY (at least 50 random characters)."
    )
# The development defaults do not count, and a value naming no host (" , ") would start a server that
# answers every request with 400.
if not env_list("ECOINSPECT_ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "生产环境必须设置 ECOINSPECT_ALLOWED_HOSTS（逗号分隔的主机名）。"
        " / Production needs ECOINSPECT_ALLOWED_HOSTS (comma-separated host names)."
    )

# Imports, large exports and the digest run in `ecoinspect db_worker` (docs/worker.md), never in a request
# that gunicorn's timeout could cut short.
TASKS = tasks_from_env("database")

SECURE_SSL_REDIRECT = env_bool("ECOINSPECT_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(__import__("os").environ.get("ECOINSPECT_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Several app processes (and servers) must share the public look-up's rate limits.
CACHES = cache_from_env(default="database")
