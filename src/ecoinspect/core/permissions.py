"""The one place that decides who sees and does what (DESIGN.md §4.3).

Every unit-scoped model uses :class:`RestrictedQuerySet` and declares ``unit_scope``: for each verb (or
``"*"`` for all), the relation paths from the model to :class:`~ecoinspect.orgs.models.Unit` that put a
record in a unit's hands; ``"self"`` means the record *is* a unit. Views, the API and exports start from
``Model.objects.restrict(user, verb)``; object checks use :func:`has_perm`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from ecoinspect.orgs.access import active_memberships, user_scope
from ecoinspect.orgs.roles import registered_apps, split_perm

__all__ = [
    "Reach",
    "RestrictedQuerySet",
    "ScopeBackend",
    "active_memberships",  # domain apps ask the kit, not orgs, who holds what
    "has_perm",
    "remembering_object_checks",
    "restrict",
    "scope_q",
    "sees_all",
    "user_scope",
]


@dataclass(frozen=True)
class Reach:
    """How a queryset has already been narrowed: to the records these units reach through these paths
    (e.g. a unit's own list: ``Reach(("lead_unit", "cooperating_units"), {unit})``)."""

    paths: tuple[str, ...]
    unit_ids: frozenset[int]


def qualified(perm: str, model: type[models.Model]) -> str:
    """A bare verb (``"view"``) asked of a model's records is that model's app's verb (``"ledger.view"``)."""
    return perm if "." in perm else f"{model._meta.app_label}.{perm}"


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


def sees_all(user, perm: str, model: type[models.Model], *, within: Reach | None = None) -> bool:
    """Would :func:`restrict` leave a queryset of ``model`` (narrowed as ``within`` says) as it is — does
    ``user`` see every one of those records? Then counts kept for all of them (``core.tallies``) are the
    user's counts too."""
    perm = qualified(perm, model)
    scope = user_scope(user, perm)
    if scope.everything:
        return True
    if scope.nothing:
        return False
    return _within_scope(within, scope, model, split_perm(perm)[1])


def _within_scope(within: Reach | None, scope, model: type[models.Model], verb: str) -> bool:
    return (
        within is not None
        and bool(within.unit_ids)
        and within.unit_ids <= scope.unit_ids
        and set(within.paths) <= set(_scope_paths(model, verb))
    )


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
    perm = qualified(perm, queryset.model)
    scope = user_scope(user, perm, expected=expected)
    if scope.everything:
        return queryset
    if scope.nothing:
        return queryset.none()
    verb = split_perm(perm)[1]
    if _within_scope(within, scope, queryset.model, verb):
        return queryset
    return queryset.filter(scope_q(queryset.model, verb, scope.unit_ids))


def has_perm(user, perm: str, obj: models.Model | None = None) -> bool:
    """May ``user`` do ``perm`` — anywhere (``obj`` None) or on this record?

    ``perm`` is ``"app.verb"``; with a record, a bare verb means the verb of the record's app.
    """
    if obj is not None:
        perm = qualified(perm, type(obj))
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
    remembered = _OBJECT_CHECKS.get()
    key = (scope.unit_ids, perm, model._meta.label_lower, obj.pk)
    if remembered is not None and key in remembered:
        return remembered[key]
    answer = model._base_manager.filter(pk=obj.pk).filter(scope_q(model, split_perm(perm)[1], scope.unit_ids)).exists()
    if remembered is not None:
        remembered[key] = answer
    return answer


#: Object-permission answers of the request being served, while it only reads (None: ask every time).
_OBJECT_CHECKS: ContextVar[dict | None] = ContextVar("ecoinspect_object_checks", default=None)


@contextmanager
def remembering_object_checks():
    """Within the block, :func:`has_perm` answers each (scope, permission, record) once. Only for work that
    moves no record between units — a reading request (core.middleware.ReadingRequestMiddleware)."""
    token = _OBJECT_CHECKS.set({})
    try:
        yield
    finally:
        _OBJECT_CHECKS.reset(token)


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, perm: str = "view") -> models.QuerySet:
        return restrict(self, user, perm)


class ScopeBackend:
    """Django's authentication backend for permissions: ``user.has_perm("audit.audit")`` and
    ``user.has_perm("orgs.manage", unit)`` answer through :func:`has_perm`, so the foundation's own pages
    ask Django rather than import this module. It authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        app = perm.rpartition(".")[0]
        if not app:
            raise ValueError(f"permission {perm!r} names no app: write 'app.verb'")
        if app not in {a.app for a in registered_apps()}:
            return False  # Django's own model permissions ("auth.view_user") are not ours to grant
        if obj is not None and not hasattr(type(obj), "unit_scope"):
            obj = None  # a record with no units of its own (a person, a token) is judged app-wide
        return has_perm(user_obj, perm, obj)
