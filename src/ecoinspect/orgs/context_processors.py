from __future__ import annotations

from .access import active_memberships
from .roles import Role


class _MembershipView:
    __slots__ = ("unit", "role", "role_label")

    def __init__(self, membership):
        self.unit = membership.unit
        self.role = membership.role
        self.role_label = Role.label(membership.role)


def current_membership(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_memberships": [_MembershipView(m) for m in active_memberships(user)]}
