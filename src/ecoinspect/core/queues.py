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
from django.urls import reverse

from .permissions import restrict, user_scope
from .workflow import workflow_for


@dataclass(frozen=True)
class QueueSource:
    model: type[models.Model]
    label: str
    # Optional narrowing/ordering of the queryset (select_related, urgency order, long-term exclusions).
    refine: Callable[[models.QuerySet], models.QuerySet] | None = None
    #: How one waiting record is shown: ``{"due": date or text, "due_label": …, "overdue": bool, "warning":
    #: value, "warning_label": …, "warning_colour": a Bootstrap colour}``, and for a record with a second
    #: clock (a petition's due date owed to the inspection team) ``"due_external"``, ``"due_external_label"``
    #: and ``"overdue_external"`` (any key may be missing).
    describe: Callable[[models.Model], dict] | None = None
    #: The page listing everything of this kind that waits for the person (URL name and query string).
    list_url: str = ""
    list_query: str = ""
    #: The records of a (scoped) queryset that are red or overdue, for those who watch the whole district
    #: without a queue of their own (leaders, discipline inspection); ordered most urgent first.
    urgent: Callable[[models.QuerySet], models.QuerySet] | None = None
    urgent_query: str = ""


_SOURCES: list[QueueSource] = []


def register(
    model: type[models.Model],
    *,
    label: str,
    refine=None,
    describe=None,
    list_url: str = "",
    list_query: str = "",
    urgent=None,
    urgent_query: str = "",
) -> None:
    if any(s.model is model for s in _SOURCES):
        return
    _SOURCES.append(QueueSource(model, label, refine, describe, list_url, list_query, urgent, urgent_query))


def source_for(model: type[models.Model]) -> QueueSource | None:
    return next((s for s in _SOURCES if s.model is model), None)


def unregister(model: type[models.Model]) -> None:
    _SOURCES[:] = [s for s in _SOURCES if s.model is not model]


def sources() -> list[QueueSource]:
    return list(_SOURCES)


def _expected_perms(source: QueueSource) -> dict[str, set[str]]:
    wf = workflow_for(source.model)
    by_perm: dict[str, set[str]] = {}
    for t in wf.transitions:
        if t.todo:
            by_perm.setdefault(t.perm, set()).update(t.sources)
    return by_perm


def queue_for(user, source: QueueSource, *, refined: bool = True) -> models.QuerySet:
    """Records of one model waiting for ``user``: for each permission in the workflow, the states it acts
    from, intersected with the records in that permission's scope. ``refined=False`` leaves out the
    source's ordering and annotations (for a filter: ``pk__in=queue_for(…, refined=False).values("pk")``)."""
    wf = workflow_for(source.model)
    by_perm = _expected_perms(source)
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
    return source.refine(qs) if source.refine and refined else qs


def _url(name: str, query: str) -> str:
    if not name:
        return ""
    return reverse(name) + (f"?{query}" if query else "")


def _rows(source: QueueSource, items: list) -> list[dict]:
    return [{"record": item, **(source.describe(item) if source.describe else {})} for item in items]


def queue_summary(user) -> list[dict]:
    """One entry per registered model: label, count, the first rows (most urgent first, each with its due
    date and warning colour when the source describes them) and the link to the whole list."""
    summary = []
    for source in _SOURCES:
        qs = queue_for(user, source)
        items = list(qs[:10])
        summary.append(
            {
                "label": source.label,
                "model": source.model,
                "count": qs.count(),
                "items": items,
                "rows": _rows(source, items),
                "url": _url(source.list_url, source.list_query),
            }
        )
    return summary


def watches_district(user, source: QueueSource) -> bool:
    """Does ``user`` see every record of this kind without being waited on for any of its moves (a leader,
    an auditor)? Such a person gets the district's red and overdue items instead of a queue."""
    app = source.model._meta.app_label
    if not user_scope(user, f"{app}.view").everything:
        return False
    return all(user_scope(user, perm, expected=True).nothing for perm in _expected_perms(source))


def urgent_summary(user) -> list[dict]:
    """For those who watch the whole district (:func:`watches_district`): per registered model that can
    tell, the red and overdue records, most urgent first, with the link to the whole list of them."""
    summary = []
    for source in _SOURCES:
        if source.urgent is None or not watches_district(user, source):
            continue
        qs = source.urgent(restrict(source.model._default_manager.all(), user, "view"))
        items = list(qs[:10])
        summary.append(
            {
                "label": source.label,
                "model": source.model,
                "count": qs.count(),
                "items": items,
                "rows": _rows(source, items),
                "url": _url(source.list_url, source.urgent_query),
            }
        )
    return summary
