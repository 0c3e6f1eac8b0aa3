"""The one place that decides who sees and does what (DESIGN.md §4.3).

Every unit-scoped model uses :class:`RestrictedQuerySet` and declares ``unit_scope``: for each verb (or
``"*"`` for all), the relation paths from the model to :class:`~ecoinspect.orgs.models.Unit` that put a
record in a unit's hands; ``"self"`` means the record *is* a unit. Views, the API and exports start from
``Model.objects.restrict(user, verb)``; object checks use :func:`has_perm`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from ecoinspect.orgs.roles import ROLE_SPECS, verb_of


@dataclass(frozen=True)
class Scope:
    """What a user may touch for one verb: everything, or the records of these units."""

    everything: bool
    unit_ids: frozenset[int]

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.unit_ids


NOTHING = Scope(False, frozenset())
EVERYTHING = Scope(True, frozenset())


def _unit_tree() -> dict[int, list[int]]:
    from ecoinspect.orgs.models import Unit

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
        from ecoinspect.orgs.models import Membership

        cached = list(
            Membership.objects.filter(user_id=user.pk, is_active=True, unit__is_active=True).select_related(
                "unit"
            )
        )
        user._ecoinspect_memberships = cached
    return cached


def user_scope(user, perm: str, *, expected: bool = False) -> Scope:
    """The scope in which ``user`` holds ``perm`` (an ``app.verb`` string or a bare verb).

    ``expected=True`` counts only roles that are *expected* to do it (``RoleSpec.queue_verbs``): the scope
    of a person's 我的待办 rather than of what they may do.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not expected:
        return EVERYTHING
    verb = verb_of(perm)
    cache = user.__dict__.setdefault("_ecoinspect_scopes", {})
    key = (verb, expected)
    if key in cache:
        return cache[key]
    unit_ids: set[int] = set()
    scope = None
    for membership in active_memberships(user):
        spec = ROLE_SPECS.get(membership.role)
        if spec is None or verb not in (spec.queue_verbs if expected else spec.verbs):
            continue
        if spec.district_wide:
            scope = EVERYTHING
            break
        unit_ids.add(membership.unit_id)
    if scope is None:
        scope = Scope(False, _with_descendants(unit_ids, _unit_tree())) if unit_ids else NOTHING
    cache[key] = scope
    return scope


def _scope_paths(model: type[models.Model], verb: str) -> tuple[str, ...]:
    declared = getattr(model, "unit_scope", None)
    if not declared:
        raise TypeError(f"{model.__name__} has no unit_scope; it cannot be restricted by unit")
    paths = declared.get(verb) or declared.get("*")
    if not paths:
        return ()
    return tuple(paths)


def _crosses_many(model: type[models.Model], path: str) -> bool:
    current = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        current = field.related_model
    return False


def scope_q(model: type[models.Model], verb: str, unit_ids: frozenset[int]) -> tuple[Q, bool]:
    """The filter putting a record of ``model`` in the hands of ``unit_ids``; second item: needs de-duplication."""
    q = Q(pk__in=[])
    many = False
    for path in _scope_paths(model, verb):
        if path == "self":
            q |= Q(pk__in=unit_ids)
            continue
        q |= Q(**{f"{path}__in": unit_ids})
        many = many or _crosses_many(model, path)
    return q, many


def restrict(queryset: models.QuerySet, user, perm: str = "view", *, expected: bool = False) -> models.QuerySet:
    """``queryset`` narrowed to what ``user`` may ``perm`` — the only scoping path in the system.
    (``expected``: only through roles expected to do it, see :func:`user_scope`.)"""
    scope = user_scope(user, perm, expected=expected)
    if scope.everything:
        return queryset
    if scope.nothing:
        return queryset.none()
    q, many = scope_q(queryset.model, verb_of(perm), scope.unit_ids)
    if not many:
        return queryset.filter(q)
    inner = queryset.model._base_manager.filter(q).values("pk")
    return queryset.filter(pk__in=inner)


def has_perm(user, perm: str, obj: models.Model | None = None) -> bool:
    """May ``user`` do ``perm`` — anywhere (``obj`` None) or on this record?"""
    scope = user_scope(user, perm)
    if scope.everything:
        return True
    if scope.nothing:
        return False
    if obj is None:
        return True
    if obj.pk is None:
        return False
    model = type(obj)
    q, _many = scope_q(model, verb_of(perm), scope.unit_ids)
    return model._base_manager.filter(pk=obj.pk).filter(q).exists()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, perm: str = "view") -> models.QuerySet:
        return restrict(self, user, perm)
