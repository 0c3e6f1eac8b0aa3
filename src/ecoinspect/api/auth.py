"""API authentication: the browser session (with CSRF) or a bearer token from the profile page."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        from ecoinspect.audit.context import _actor  # the request middleware ran before the token was known
        from ecoinspect.orgs.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            _actor.set(user)
        return user


class ActiveSessionAuth(SessionAuth):
    """Django's session, for the pages' own HTMX and fetch calls (CSRF enforced on writes)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
