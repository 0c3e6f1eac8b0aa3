"""Authentication: the model backend with log-in throttling, and bearer tokens for the API."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class ThrottledModelBackend(ModelBackend):
    """Refuses further attempts for a user name (or address) after repeated failures.

    The form shows the throttling message itself (see ``orgs.forms.LoginForm``); this check makes every
    other path to ``authenticate()`` (the admin, the API) obey the same limit.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .selectors import login_is_throttled

        if username and login_is_throttled(username=username, ip_address=client_ip(request)):
            raise PermissionDenied("throttled")
        return super().authenticate(request, username=username, password=password, **kwargs)

    # What a person may do comes from their roles (core.permissions.ScopeBackend), never from Django's model
    # permissions: answering here would cost two queries per request and grant nothing.
    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False


def client_ip(request) -> str | None:
    """The client's address. Behind ``ECOINSPECT_TRUSTED_PROXIES`` reverse proxies (nginx in front of
    gunicorn), it is taken from ``X-Forwarded-For``, counting that many hops from the right — never from a
    value the client alone controls; without proxies (the default) it is the socket's address."""
    if request is None:
        return None
    from django.conf import settings

    proxies = getattr(settings, "ECOINSPECT_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
