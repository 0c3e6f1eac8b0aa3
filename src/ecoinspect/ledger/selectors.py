"""Reads of the rectification ledger. Everything starts from ``restrict()``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoinspect.audit.selectors import action_log_for
from ecoinspect.common.expressions import AnyOf
from ecoinspect.core.permissions import Reach, restrict, sees_all, user_scope
from ecoinspect.orgs.models import Unit

from . import deadlines, stats, tallies
from .choices import OPEN_STATES, DeadlineKind, NoticeStatus, ProblemStatus, WarningLevel
from .models import INVOLVING_PATHS, Evidence, Problem, ProgressReport, SupervisionNotice
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
    if filters is None:
        return restrict(qs, user, "view")
    qs = filters.filter_queryset(qs)
    return restrict(qs, user, "view", within=getattr(filters, "reach", None))


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
        # the notices whose page the person may open (another unit's notice is listed without a link)
        "openable_notices": set(restrict(problem.notices.all(), user, "view").values_list("pk", flat=True)),
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


def cooperating_problem_ids(unit) -> list[int]:
    """The problems ``unit`` co-handles: an index read of the link table."""
    through = Problem.cooperating_units.through
    return list(through.objects.filter(unit=unit).order_by().values_list("problem_id", flat=True))


def involving(unit, *, counted: bool = True) -> Q:
    """Problems the unit leads or co-handles (:data:`~.models.INVOLVING_PATHS`, for a ``Reach``).

    For rows that will be counted, ``lead_unit = u OR pk IN (ids…)`` with the co-handled ids bound as one
    list: both databases combine two index reads (PostgreSQL a BitmapOr, SQLite a multi-index OR) and
    fetch each row once (``pk IN (… UNION ALL …)`` costs a hash and a key lookup per row).

    ``counted=False`` — a page of rows whose total is known already (a unit's own list): the co-handled
    problems as a sub-select instead. PostgreSQL then walks the list's date index backwards and probes a
    hash of the unit's links, reading about 50 ÷ (the unit's share of the problems) rows whatever the size
    of the ledger; the ids are neither fetched into Python nor sent back — at 1,000,000 problems a busy
    unit co-handles 13,000 of them, a 100 KB array literal to parse on every page. (Counting with the
    sub-select would scan every problem.)
    """
    if not counted:
        through = Problem.cooperating_units.through
        return Q(lead_unit=unit) | Q(pk__in=through.objects.filter(unit=unit).values("problem_id"))
    return Q(lead_unit=unit) | Q(AnyOf("pk", cooperating_problem_ids(unit)))


def unit_queue_counts(*, user, unit, today: dt.date | None = None) -> dict:
    """A unit's own list at a glance: what it leads / co-handles, what is open, warned and closed.

    Whoever sees all of the unit's problems (its own people, district-wide roles) gets the maintained
    counts (``tallies.unit_counts``): one small read, whatever the number of problems. Anyone else gets
    :func:`unit_queue_counts_scanned` — the counts of the rows they may see.
    """
    today = today or timezone.localdate()
    if sees_all(user, "view", Problem, within=Reach(INVOLVING_PATHS, frozenset({unit.pk}))):
        return tallies.unit_counts(unit, today=today)
    return unit_queue_counts_scanned(user=user, unit=unit, today=today)


def unit_list_total(*, user, unit, today: dt.date | None = None) -> int | None:
    """How many problems a unit leads or co-handles, from the maintained counts — None when ``user`` does not
    see all of them (their list must then count what it shows)."""
    if not sees_all(user, "view", Problem, within=Reach(INVOLVING_PATHS, frozenset({unit.pk}))):
        return None
    counts = tallies.unit_counts(unit, today=today or timezone.localdate())
    return counts["lead"] + counts["cooperating"]


def unit_queue_counts_scanned(*, user, unit, today: dt.date) -> dict:
    """:func:`unit_queue_counts` from the problems themselves. Two grouped queries, one per half of
    :func:`involving`: what the unit leads is read from the covering warning index alone, what it
    co-handles (and does not lead) from the link table — several times cheaper than grouping the union.
    The warning colour is evaluated once per problem.
    """
    reach = Reach(INVOLVING_PATHS, frozenset({unit.pk}))
    halves = (
        (True, Problem.objects.filter(lead_unit=unit)),
        (False, Problem.objects.filter(AnyOf("pk", cooperating_problem_ids(unit))).exclude(lead_unit=unit)),
    )
    rows = []
    for is_lead, half in halves:
        grouped = (
            restrict(half.annotate(warning=deadlines.warning_expression(today)), user, "view", within=reach)
            .order_by()
            .values("status", "warning")
            .annotate(n=Count("*"))
        )
        rows.extend({**row, "is_lead": is_lead} for row in grouped)
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


def district_picture(*, user, today: dt.date | None = None) -> dict:
    """The dashboard's picture as ``user`` may see it: the whole district from the maintained counts, a
    narrower scope from its problems (``stats.district_picture``)."""
    today = today or timezone.localdate()
    if user_scope(user, "ledger.view").everything:
        return stats.district_picture(None, today=today)
    return stats.district_picture(problem_queryset(user=user, today=today), today=today)


def units_overview(*, user, today: dt.date | None = None) -> tuple[dict[int, dict], dict[int, int]]:
    """For the table of units (各单位整改清单): per lead unit its row of ``stats.by_unit``, and per unit the
    problems it co-handles (and does not lead) — from the maintained counts for whoever sees the whole
    district, from the problems they may see for anyone else."""
    today = today or timezone.localdate()
    if user_scope(user, "ledger.view").everything:
        counts = tallies.district_counts(today=today, since=today, until=today)
        groups = stats.Groups(plain=counts.plain, colours=counts.colours)
        cooperating = tallies.cooperating_totals()
    else:
        qs = problem_queryset(user=user, today=today)
        groups = stats.groups(qs)
        cooperating = dict(
            Problem.cooperating_units.through.objects.filter(problem__in=qs.values("pk"))
            .exclude(problem__lead_unit=F("unit"))
            .values_list("unit")
            .annotate(n=Count("*"))
            .values_list("unit", "n")
        )
    by_lead = {row["unit"].pk: row for row in stats.by_unit(groups) if row["unit"]}
    return by_lead, cooperating


def unit_get(*, user, pk: int) -> Unit:
    """A unit whose ledger the person may read (their own unit or one below it; every unit for a
    district-wide role). Raises Unit.DoesNotExist otherwise."""
    return restrict(Unit.objects.filter(is_active=True), user, "ledger.view").get(pk=pk)


# --- 我的待办 and the district's red and overdue items (registered with core.queues in apps.py) ---------------


def _urgency(today: dt.date) -> Case:
    """0 red or overdue, 1 yellow, 2 blue, 3 the rest: the order in which waiting problems are shown."""
    return Case(
        When(Q(warning=WarningLevel.RED) | Q(deadline__lt=today), then=Value(0)),
        When(warning=WarningLevel.YELLOW, then=Value(1)),
        When(warning=WarningLevel.BLUE, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def queue_problems(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """Problems waiting for someone, most urgent first: red or overdue, yellow, blue, then by deadline."""
    today = timezone.localdate()
    return (
        qs.annotate(warning=deadlines.warning_expression(today))
        .annotate(urgency=_urgency(today))
        .select_related("lead_unit")
        .order_by("urgency", F("deadline").asc(nulls_last=True), "pk")
    )


def overdue_problems(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """The red and overdue problems of ``qs`` (open, past a dated deadline), the longest overdue first —
    the same rows as the list's 已逾期 filter (``?due=overdue``)."""
    return queue_problems(
        qs.filter(status__in=OPEN_STATES, deadline__lt=timezone.localdate()).exclude(
            deadline_kind=DeadlineKind.LONG_TERM
        )
    )


def describe_queued_problem(problem: Problem) -> dict:
    """A waiting problem's deadline and warning colour, as 我的待办 shows them."""
    today = timezone.localdate()
    warning = getattr(problem, "warning", None) or deadlines.warning_for(problem, today)
    overdue = (
        problem.deadline is not None
        and problem.deadline < today
        and problem.deadline_kind != DeadlineKind.LONG_TERM
    )
    return {
        "due": _("长期坚持") if problem.deadline_kind == DeadlineKind.LONG_TERM else problem.deadline,
        "overdue": overdue,
        "warning": warning,
        "warning_label": WarningLevel.label(warning) if warning != WarningLevel.NONE else "",
        "warning_colour": WarningLevel.colour(warning),
    }


def describe_queued_notice(notice: SupervisionNotice) -> dict:
    overdue = notice.status == NoticeStatus.ISSUED and notice.reply_due < timezone.localdate()
    return {
        "due": notice.reply_due,
        "overdue": overdue,
        "warning": WarningLevel.RED if overdue else WarningLevel.NONE,
        "warning_label": _("逾期未回复") if overdue else "",
        "warning_colour": "danger" if overdue else "light",
    }


def unit_ids_openable(*, user) -> set[int]:
    """The units whose list the person may open (what :func:`unit_get` would give them)."""
    return set(
        restrict(Unit.objects.filter(is_active=True), user, "ledger.view").values_list("pk", flat=True)
    )
