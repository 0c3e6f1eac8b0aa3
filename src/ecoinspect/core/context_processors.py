from __future__ import annotations

from django.conf import settings

from .navigation import navigation_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "site_title": settings.ECOINSPECT_SITE_TITLE,
            "district_name": settings.ECOINSPECT_DISTRICT_NAME,
        }
    from ecoinspect.notifications.selectors import unread_count

    return {
        "site_title": settings.ECOINSPECT_SITE_TITLE,
        "district_name": settings.ECOINSPECT_DISTRICT_NAME,
        "nav_items": navigation_for(user, request.path),
        "unread_notifications": unread_count(user=user),
    }
