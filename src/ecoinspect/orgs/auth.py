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


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
