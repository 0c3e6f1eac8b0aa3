import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.production")
django_application = get_asgi_application()

from ecoinspect.core.middleware import ASGIUploadLimit  # noqa: E402  (needs the settings configured)

# Django's ASGI handler receives the whole body before any middleware: refuse an oversized one first.
application = ASGIUploadLimit(django_application)
