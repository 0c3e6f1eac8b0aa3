from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from ecoinspect.audit.services import action_log_append

from .access import active_memberships

#: Paths a logged-in person without any unit may still reach.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/public/", "/admin/")


class MembershipRequiredMiddleware:
    """A person with no active membership sees one clear page, not an empty system."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_superuser
            and not request.path.startswith(OPEN_PREFIXES)
            and not request.path.startswith("/api/")
            and not active_memberships(user)
        ):
            if not request.session.get("no_membership_logged"):
                action_log_append(
                    action="orgs.access.no_membership", actor=user, obj=user, payload={"path": request.path}
                )
                request.session["no_membership_logged"] = True
            return render(request, "orgs/no_membership.html", {"logout_url": reverse("logout")}, status=403)
        return self.get_response(request)


class IdleSessionMiddleware:
    """Idle sessions expire after ``SESSION_COOKIE_AGE``; activity pushes the expiry forward.

    Instead of rewriting the session row on every request (``SESSION_SAVE_EVERY_REQUEST``: three more
    queries on every page), the expiry is renewed at most once every ``ECOINSPECT_SESSION_REFRESH_SECONDS``
    — so a session still ends at most that long after the idle limit, and ordinary requests write nothing.
    """

    KEY = "_idle_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.get("_auth_user_id"):
            import time

            from django.conf import settings

            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.ECOINSPECT_SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved with a fresh expiry
        return response
