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


@dataclass(frozen=True)
class Reach:
    """How a queryset has already been narrowed: to the records these units reach through these paths
    (e.g. a unit's own list: ``Reach(("lead_unit", "cooperating_units"), {unit})``)."""

    paths: tuple[str, ...]
    unit_ids: frozenset[int]


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
    if scope is None and not unit_ids:
        scope = NOTHING
    if scope is None:
        # the unit tree is read once per user object (i.e. per request), whatever the verbs asked about
        tree = user.__dict__.get("_ecoinspect_unit_tree")
        if tree is None:
            tree = user.__dict__["_ecoinspect_unit_tree"] = _unit_tree()
        scope = Scope(False, _with_descendants(unit_ids, tree))
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


def _linked_rows(field, rest: list[str], unit_ids: frozenset[int]) -> models.QuerySet:
    """For a many-to-many or reverse relation ``field``: the keys of the rows on this side linked to a row
    whose remaining path ``rest`` reaches ``unit_ids`` — read from the link table (or the related table)
    alone, without touching this side's table."""
    if field.many_to_many and not field.auto_created and len(rest) == 0:
        through = field.remote_field.through
        return through._base_manager.filter(**{f"{field.m2m_reverse_field_name()}__in": unit_ids}).order_by().values(
            f"{field.m2m_field_name()}_id"
        )
    if field.one_to_many and rest:
        related = field.related_model
        return related._base_manager.filter(**{"__".join(rest) + "__in": unit_ids}).order_by().values(
            f"{field.field.name}_id"
        )
    model = field.model
    return model._base_manager.filter(**{"__".join([field.name, *rest]) + "__in": unit_ids}).order_by().values("pk")


def _path_rows(model: type[models.Model], path: str, unit_ids: frozenset[int]) -> tuple[models.QuerySet, bool]:
    """The primary keys of ``model`` rows whose ``path`` leads to one of ``unit_ids``, as a sub-select;
    second item: whether the path crosses a many-to-many or reverse relation."""
    manager = model._base_manager
    if path == "self":
        return manager.filter(pk__in=unit_ids).order_by().values("pk"), False
    parts = path.split("__")
    current = model
    for i, part in enumerate(parts):
        field = current._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            inner = _linked_rows(field, parts[i + 1 :], unit_ids)
            prefix = "__".join(parts[:i])
            if not prefix:
                return inner, True
            return manager.filter(**{f"{prefix}__in": inner}).order_by().values("pk"), True
        if not field.is_relation:
            break
        current = field.related_model
    return manager.filter(**{f"{path}__in": unit_ids}).order_by().values("pk"), False


def scope_q(model: type[models.Model], verb: str, unit_ids: frozenset[int]) -> Q:
    """The filter putting a record of ``model`` in the hands of ``unit_ids``.

    With several paths it is ``pk IN (… UNION ALL …)``: each branch is answered from an index on its own
    column (or link table), instead of an ``OR`` across columns and joins that makes the database scan every
    record. Rows are never duplicated.
    """
    paths = _scope_paths(model, verb)
    if not paths:
        return Q(pk__in=[])
    if len(paths) == 1:
        rows, multi = _path_rows(model, paths[0], unit_ids)
        if not multi and paths[0] != "self":
            return Q(**{f"{paths[0]}__in": unit_ids})
        return Q(pk__in=rows)
    branches = [_path_rows(model, path, unit_ids)[0] for path in paths]
    return Q(pk__in=branches[0].union(*branches[1:], all=True))


def restrict(
    queryset: models.QuerySet,
    user,
    perm: str = "view",
    *,
    expected: bool = False,
    within: Reach | None = None,
) -> models.QuerySet:
    """``queryset`` narrowed to what ``user`` may ``perm`` — the only scoping path in the system.
    (``expected``: only through roles expected to do it, see :func:`user_scope`.)

    ``within`` says how the caller has already narrowed ``queryset``. When those paths are scope paths of
    the verb and those units lie inside the user's scope, every row is provably in scope and the scope
    filter is left out — a unit's own list is then one index read instead of two semi-joins. Otherwise the
    scope is applied as usual (a unit outside one's scope still yields nothing).
    """
    scope = user_scope(user, perm, expected=expected)
    if scope.everything:
        return queryset
    if scope.nothing:
        return queryset.none()
    verb = verb_of(perm)
    if (
        within is not None
        and within.unit_ids
        and within.unit_ids <= scope.unit_ids
        and set(within.paths) <= set(_scope_paths(queryset.model, verb))
    ):
        return queryset
    return queryset.filter(scope_q(queryset.model, verb, scope.unit_ids))


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
    return model._base_manager.filter(pk=obj.pk).filter(scope_q(model, verb_of(perm), scope.unit_ids)).exists()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, perm: str = "view") -> models.QuerySet:
        return restrict(self, user, perm)
