"""Reads of the rectification ledger. Everything starts from ``restrict()``."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from ecoinspect.audit.selectors import action_log_for
from ecoinspect.common.permissions import restrict

from . import deadlines
from .choices import OPEN_STATES, ProblemStatus
from .models import Evidence, Problem, ProgressReport, SupervisionNotice
from .workflow import PROBLEM_WORKFLOW


def problem_queryset(*, user, perm: str = "view", today: dt.date | None = None) -> QuerySet[Problem]:
    """Problems the user may ``perm``, with the warning colour computed for ``today``."""
    today = today or timezone.localdate()
    return restrict(Problem.objects.all(), user, perm).annotate(warning=deadlines.warning_expression(today))


def problem_list(*, user, filters=None, today: dt.date | None = None) -> QuerySet[Problem]:
    """The problems ``user`` may see, narrowed by ``filters``.

    The filters are applied before the scope so that a narrow filter (one unit's own list) drives the
    query plan and the wider scope is only probed — same rows, a fraction of the work.
    """
    today = today or timezone.localdate()
    qs = (
        Problem.objects.annotate(warning=deadlines.warning_expression(today))
        .select_related("lead_unit", "town", "acceptance_unit")
        .prefetch_related("cooperating_units")
    )
    if filters is not None:
        qs = filters.filter_queryset(qs)
    return restrict(qs, user, "view")


def problem_get(*, user, pk: int, perm: str = "view") -> Problem:
    """One problem the user may see (raises Problem.DoesNotExist otherwise)."""
    return (
        problem_queryset(user=user, perm=perm)
        .select_related("lead_unit", "town", "acceptance_unit", "supervising_unit", "registered_by")
        .get(pk=pk)
    )


def problem_detail(*, user, pk: int) -> dict:
    """Everything the problem page shows, in a fixed number of queries."""
    problem = problem_get(user=user, pk=pk)
    reports = list(
        ProgressReport.objects.filter(problem=problem)
        .select_related("unit", "reporter")
        .order_by("-cycle", "-reported_on", "-pk")
    )
    evidence = list(problem.evidence.select_related("uploaded_by", "unit").order_by("-cycle", "pk"))
    by_report: dict[int, list[Evidence]] = {}
    for item in evidence:  # one evidence query serves both the list and each report's attachments
        by_report.setdefault(item.report_id, []).append(item)
    for report in reports:
        report.evidence_files = by_report.get(report.pk, [])
    return {
        "problem": problem,
        "cooperating_units": list(problem.cooperating_units.all()),
        "measures": list(problem.measures.select_related("owner_unit")),
        "reports": reports,
        "evidence": evidence,
        "plans": list(problem.plans.select_related("submitted_by", "decided_by")),
        "joint_actions": list(problem.joint_actions.prefetch_related("units").select_related("recorded_by")),
        "acceptances": list(problem.acceptances.select_related("reviewer", "unit")),
        "publicities": list(problem.publicities.select_related("published_by")),
        "notices": list(problem.notices.select_related("unit")),
        "timeline": list(action_log_for(obj=problem)[:200]),
        "actions": PROBLEM_WORKFLOW.available(problem, user),
        "warning": deadlines.warning_for(problem, timezone.localdate()),
    }


def notice_list(*, user, filters=None) -> QuerySet[SupervisionNotice]:
    qs = restrict(SupervisionNotice.objects.select_related("unit", "issued_by"), user, "view").annotate(
        problem_count=Count("problems")
    )
    return filters.filter_queryset(qs) if filters is not None else qs.order_by("-issued_at")


def notice_get(*, user, pk: int) -> SupervisionNotice:
    return restrict(
        SupervisionNotice.objects.select_related("unit", "issued_by", "replied_by"), user, "view"
    ).get(pk=pk)


def evidence_get(*, user, pk: int) -> Evidence:
    """An evidence file, for someone who may see its problem."""
    visible = restrict(Problem.objects.all(), user, "view").values("pk")
    return Evidence.objects.select_related("problem").get(pk=pk, problem_id__in=visible)


def involving(unit) -> Q:
    """Problems the unit leads or co-handles — as ``pk IN (… UNION ALL …)`` so that both halves are read
    from their indexes (an ``OR`` with the link table would make the database scan every problem)."""
    led = Problem.objects.filter(lead_unit=unit).order_by().values("pk")
    cooperated = Problem.cooperating_units.through.objects.filter(unit=unit).order_by().values("problem_id")
    return Q(pk__in=led.union(cooperated, all=True))


def unit_queue_counts(*, user, unit, today: dt.date | None = None) -> dict:
    """A unit's own list at a glance: what it leads / co-handles, what is open, warned and closed.

    One grouped query: the warning colour is evaluated once per problem, not once per count.
    """
    today = today or timezone.localdate()
    mine = Problem.objects.filter(involving(unit)).annotate(warning=deadlines.warning_expression(today))
    rows = (
        restrict(mine, user, "view")
        .annotate(is_lead=Case(When(lead_unit=unit, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .order_by()
        .values("status", "warning", "is_lead")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(("lead", "cooperating", "open", "red", "yellow", "blue", "closed"), 0)
    for row in rows:
        n = row["n"]
        counts["lead" if row["is_lead"] else "cooperating"] += n
        if row["status"] in OPEN_STATES:
            counts["open"] += n
        if row["status"] == ProblemStatus.CLOSED:
            counts["closed"] += n
        if row["warning"] in ("red", "yellow", "blue"):
            counts[row["warning"]] += n
    return counts
