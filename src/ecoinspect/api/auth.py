"""API authentication: the browser session (with CSRF) or a bearer token from the profile page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.translation import gettext as _
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


def signed_in_only(view):
    """The API's schema (``openapi.json``) and its documentation page (``docs``) for people of the system
    only: a signed-in session or a valid bearer token. Anyone else gets the log-in page (the docs) or a
    401 in words (the schema) — the list of every endpoint and field is not for the open network."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if ActiveSessionAuth().authenticate(request, None) is None and TokenAuth()(request) is None:
            match = getattr(request, "resolver_match", None)
            if match is not None and match.url_name == "openapi-view":
                return redirect_to_login(request.get_full_path())
            detail = _(
                "接口说明仅向本系统用户提供：请先登录，或在请求头 Authorization 中提供 API 令牌（Bearer）。"
            )
            return JsonResponse({"detail": detail, "code": "unauthorized", "errors": None}, status=401)
        return view(request, *args, **kwargs)

    return guarded
