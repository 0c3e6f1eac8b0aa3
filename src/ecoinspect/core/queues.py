"""我的待办 — the records a person's units must act on now, gathered from every workflow.

An app registers its workflow-driven models with :func:`register`. A record is in someone's queue when its
current state has a declared *to-do* move (``T.todo``) that one of the person's roles is expected to make
(``RoleSpec.queue_verbs``) on that record — scoped by the same ``restrict()`` the pages use. So unit staff
see what their unit must handle, the reviewer what awaits acceptance, the publisher what awaits publicity,
and the coordinator what awaits assignment — not everything the coordinator could touch. Adding a model
with a workflow is enough to make its items appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .permissions import restrict, user_scope
from .workflow import workflow_for


@dataclass(frozen=True)
class QueueSource:
    model: type[models.Model]
    label: str
    # Optional narrowing/ordering of the queryset (select_related, due-date order, long-term exclusions).
    refine: Callable[[models.QuerySet], models.QuerySet] | None = None


_SOURCES: list[QueueSource] = []


def register(model: type[models.Model], *, label: str, refine=None) -> None:
    if any(s.model is model for s in _SOURCES):
        return
    _SOURCES.append(QueueSource(model, label, refine))


def unregister(model: type[models.Model]) -> None:
    _SOURCES[:] = [s for s in _SOURCES if s.model is not model]


def sources() -> list[QueueSource]:
    return list(_SOURCES)


def queue_for(user, source: QueueSource) -> models.QuerySet:
    """Records of one model waiting for ``user``: for each permission in the workflow, the states it acts
    from, intersected with the records in that permission's scope."""
    wf = workflow_for(source.model)
    by_perm: dict[str, set[str]] = {}
    for t in wf.transitions:
        if t.todo:
            by_perm.setdefault(t.perm, set()).update(t.sources)
    base = source.model._default_manager.all()
    condition = None
    for perm, states in by_perm.items():
        scope = user_scope(user, perm, expected=True)
        if scope.nothing:
            continue
        part = Q(**{f"{wf.state_field}__in": sorted(states)})
        if not scope.everything:
            part &= Q(pk__in=restrict(base, user, perm, expected=True).values("pk"))
        condition = part if condition is None else condition | part
    if condition is None:
        return base.none()
    qs = base.filter(condition)
    return source.refine(qs) if source.refine else qs


def queue_summary(user) -> list[dict]:
    """One entry per registered model: label, count and the first rows."""
    summary = []
    for source in _SOURCES:
        qs = queue_for(user, source)
        summary.append(
            {"label": source.label, "model": source.model, "count": qs.count(), "items": list(qs[:10])}
        )
    return summary
