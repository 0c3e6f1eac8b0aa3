"""Who holds what, where: a person's memberships turned into a :class:`Scope` per permission.

This is the question behind every check; ``core.permissions.restrict()`` turns the answer into SQL for a
model's records. Units and memberships are read once per user object (i.e. per request).
"""

from __future__ import annotations

from dataclasses import dataclass

from .roles import ROLE_SPECS, role_holds, split_perm


@dataclass(frozen=True)
class Scope:
    """What a user may touch for one permission: everything, or the records of these units."""

    everything: bool
    unit_ids: frozenset[int]

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.unit_ids


NOTHING = Scope(False, frozenset())
EVERYTHING = Scope(True, frozenset())


def _unit_tree() -> dict[int, list[int]]:
    from .models import Unit

    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(is_active=True).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _with_descendants(unit_ids: set[int], children: dict[int, list[int]]) -> frozenset[int]:
    result = set(unit_ids)
    stack = list(unit_ids)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in result:
                result.add(child)
                stack.append(child)
    return frozenset(result)


def active_memberships(user) -> list:
    """The user's active memberships in active units, loaded once per user object (i.e. per request)."""
    cached = getattr(user, "_ecoinspect_memberships", None)
    if cached is None:
        from .models import Membership

        cached = list(
            Membership.objects.filter(user_id=user.pk, is_active=True, unit__is_active=True).select_related(
                "unit"
            )
        )
        user._ecoinspect_memberships = cached
    return cached


def user_scope(user, perm: str, *, expected: bool = False) -> Scope:
    """The scope in which ``user`` holds ``perm`` (``"app.verb"``).

    ``expected=True`` counts only roles that are *expected* to do it (``Grant.queue``): the scope of a
    person's 我的待办 rather than of what they may do.
    """
    split_perm(perm)  # an unknown app or verb is a programming error, whoever asks
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not expected:
        return EVERYTHING
    # cached on the user object itself (getattr/setattr reach through request.user's lazy proxy, so the
    # proxy and the object Django's has_perm() is given share one cache)
    cache = getattr(user, "_ecoinspect_scopes", None)
    if cache is None:
        cache = {}
        user._ecoinspect_scopes = cache
    key = (perm, expected)
    if key in cache:
        return cache[key]
    unit_ids: set[int] = set()
    scope = None
    for membership in active_memberships(user):
        spec = ROLE_SPECS.get(membership.role)
        if spec is None or not role_holds(membership.role, perm, expected=expected):
            continue
        if spec.district_wide:
            scope = EVERYTHING
            break
        unit_ids.add(membership.unit_id)
    if scope is None and not unit_ids:
        scope = NOTHING
    if scope is None:
        # the unit tree is read once per user object (i.e. per request), whatever the permissions asked about
        tree = getattr(user, "_ecoinspect_unit_tree", None)
        if tree is None:
            tree = user._ecoinspect_unit_tree = _unit_tree()
        scope = Scope(False, _with_descendants(unit_ids, tree))
    cache[key] = scope
    return scope


def holds(user, perm: str) -> bool:
    """Does ``user`` hold ``perm`` anywhere (for at least one unit's records)?"""
    return not user_scope(user, perm).nothing


def district_people(perm: str) -> list:
    """The people whose district-wide roles are *expected* to do ``perm`` (the publishers for
    "ledger.publish", the inspection office's coordinators for "ledger.assign"): whom a workflow tells when
    a record now waits for that verb anywhere in the district."""
    from .models import Membership, User

    split_perm(perm)
    roles = [
        role for role, spec in ROLE_SPECS.items() if spec.district_wide and role_holds(role, perm, expected=True)
    ]
    user_ids = Membership.objects.active().filter(role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
