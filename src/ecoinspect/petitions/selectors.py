"""Reads of the petitions app, each starting from ``restrict()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.core.permissions import restrict

from .choices import EXTERNAL_CLOCK_STATES, WORKING_STATES, AssignmentRole, SuggestionDecision, SuggestionKind
from .filters import pending_suggestions
from .models import Assignment, InspectionRound, Petition, Suggestion, TransferBatch


def _first_due(field: str):
    return Subquery(
        Assignment.objects.filter(petition=OuterRef("pk")).order_by(field).values(field)[:1]
    )


def with_clocks(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    """Each case with its nearest internal and external due dates (``due``, ``due_external``) and whether
    it waits for a person (``attention``: a suggestion not yet decided). Sub-selects, so no row is doubled
    and the list can sort by them."""
    return qs.annotate(
        due=_first_due("internal_due"), due_external=_first_due("external_due"), attention=pending_suggestions()
    )


def petition_list(*, user, filters=None) -> QuerySet[Petition]:
    qs = with_clocks(restrict(Petition.objects.all(), user, "petitions.view").select_related("round", "batch", "town"))
    return filters.filter_queryset(qs) if filters is not None else qs


def petition_get(*, user, pk: int) -> Petition:
    return get_object_or_404(
        restrict(Petition.objects.all(), user, "petitions.view").select_related(
            "round", "batch__round", "town", "duplicate_of", "problem"  # the batch's name says its round
        ),
        pk=pk,
    )


def batch_list(*, user, filters=None) -> QuerySet[TransferBatch]:
    qs = restrict(TransferBatch.objects.all(), user, "petitions.view").select_related("round")
    return filters.filter_queryset(qs) if filters is not None else qs


def batch_get(*, user, pk: int) -> TransferBatch:
    return get_object_or_404(
        restrict(TransferBatch.objects.all(), user, "petitions.view").select_related("round"), pk=pk
    )


def round_current() -> InspectionRound | None:
    return InspectionRound.objects.filter(is_current=True).first() or InspectionRound.objects.first()


def assignments_of(petition: Petition) -> QuerySet[Assignment]:
    return petition.assignments.select_related("unit", "assigned_by")


# --- clocks -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One due date as a person reads it: the date, how many days are left (negative: late) and the
    colour — red when past, yellow on the day or the day before, none otherwise or once the unit reported."""

    date: dt.date | None
    days_left: int | None
    colour: str  # "danger", "warning" or ""
    running: bool

    @property
    def overdue(self) -> bool:
        return self.running and self.days_left is not None and self.days_left < 0

    @property
    def label(self) -> str:
        if not self.running or self.days_left is None:
            return ""
        if self.days_left < 0:
            return _("逾期 %(n)s 天") % {"n": -self.days_left}
        if self.days_left == 0:
            return _("今日到期")
        return _("剩 %(n)s 天") % {"n": self.days_left}


def clock(date: dt.date | None, *, running: bool, today: dt.date | None = None) -> Clock:
    today = today or timezone.localdate()
    if date is None:
        return Clock(None, None, "", running)
    left = (date - today).days
    colour = ("danger" if left < 0 else "warning" if left <= 1 else "") if running else ""
    return Clock(date, left, colour, running)


def assignment_rows(petition: Petition) -> list[dict]:
    """The case's assignments with both clocks: the internal one runs while the unit still owes its report,
    the external one until the office has approved the answer owed to the inspection team."""
    running = petition.status in WORKING_STATES
    external = petition.status in EXTERNAL_CLOCK_STATES
    today = timezone.localdate()
    return [
        {
            "assignment": a,
            "internal": clock(a.internal_due, running=running, today=today),
            "external": clock(a.external_due, running=external, today=today),
        }
        for a in sorted(assignments_of(petition), key=lambda a: (a.role != AssignmentRole.LEAD, a.pk))
    ]


# --- suggestions ------------------------------------------------------------------------------------------


KIND_ORDER = (SuggestionKind.TOWN, SuggestionKind.DEPARTMENT, SuggestionKind.TYPES, SuggestionKind.DUPLICATE)


def suggestions_of(petition: Petition) -> QuerySet[Suggestion]:
    return petition.suggestions.select_related("decided_by")


def suggestion_counts(qs: QuerySet[Suggestion]) -> list[dict]:
    """Per kind: how many suggestions were accepted, corrected, dismissed or are still pending, and the
    share of decided ones accepted as they were — how good the suggestions are."""
    counts = {(k, d): n for k, d, n in qs.values_list("kind", "decision").annotate(n=Count("pk")).values_list("kind", "decision", "n")}
    rows = []
    for kind in KIND_ORDER:
        row = {d: counts.get((kind, d), 0) for d in SuggestionDecision.values()}
        decided = row[SuggestionDecision.ACCEPTED] + row[SuggestionDecision.CORRECTED] + row[SuggestionDecision.DISMISSED]
        rows.append(
            {
                "kind": kind,
                "label": SuggestionKind.label(kind),
                "accepted": row[SuggestionDecision.ACCEPTED],
                "corrected": row[SuggestionDecision.CORRECTED],
                "dismissed": row[SuggestionDecision.DISMISSED],
                "pending": row[SuggestionDecision.PENDING],
                "total": decided + row[SuggestionDecision.PENDING],
                "accuracy": round(100 * row[SuggestionDecision.ACCEPTED] / decided) if decided else None,
            }
        )
    return rows


def batch_rows(*, user, batch: TransferBatch, pk: int | None = None) -> list[Petition]:
    """The batch's cases one may see (or the one case ``pk`` of it), in the order of the table, each with
    its suggestions (by kind, best first), assignments and units — a fixed number of queries however large
    the batch."""
    suggestions = Suggestion.objects.select_related("decided_by").order_by("kind", "-score", "pk")
    qs = (
        with_clocks(restrict(Petition.objects.filter(batch=batch, **({"pk": pk} if pk else {})), user, "petitions.view"))
        .select_related("town", "duplicate_of")
        .prefetch_related(
            Prefetch("suggestions", queryset=suggestions),
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
        )
        .order_by("seq", "pk")
    )
    return list(qs)


def batch_summary(rows: list[Petition]) -> dict:
    status = {}
    for p in rows:
        status[p.status] = status.get(p.status, 0) + 1
    return {
        "total": len(rows),
        "status": status,
        "flagged": sum(1 for p in rows if p.flags),
        "attention": sum(1 for p in rows if p.attention),
        "key": sum(1 for p in rows if p.is_key),
        "supervised": sum(1 for p in rows if p.is_supervised),
    }


# --- 我的待办 --------------------------------------------------------------------------------------------


def queue_petitions(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    """Waiting cases, most urgent first: those not yet assigned (no clock yet: they go out the same day),
    then by the internal due date and the inspection team's."""
    return (
        qs.annotate(due=Min("assignments__internal_due"), due_external=Min("assignments__external_due"))
        .select_related("town")
        .order_by(F("due").asc(nulls_first=True), F("due_external").asc(nulls_first=True), "pk")
    )


def describe_queued_petition(petition: Petition) -> dict:
    """Both clocks, as 我的待办 shows them: the district's internal due date and the team's."""
    today = timezone.localdate()
    due = getattr(petition, "due", None)
    external = getattr(petition, "due_external", None)
    overdue = petition.status in WORKING_STATES and due is not None and due < today
    late_external = petition.status in EXTERNAL_CLOCK_STATES and external is not None and external < today
    return {
        "due": due,
        "due_label": _("区内时限"),
        "due_external": external,
        "due_external_label": _("督察组时限"),
        "overdue": overdue,
        "overdue_external": late_external,
        "warning": "red" if late_external else ("yellow" if overdue else "none"),
        "warning_label": _("超过督察组时限") if late_external else (_("超过区内时限") if overdue else ""),
        "warning_colour": "danger" if late_external else ("warning" if overdue else "light"),
    }


# --- the cases a ledger problem was opened from (core.related, drawn on the problem's page) -------------


def petitions_of_problem(problem, user):
    """The cases linked to a ledger problem, as far as ``user`` may see them (registered for
    "ledger.problem" with :mod:`ecoinspect.core.related`: the ledger does not import this app)."""
    from ecoinspect.core.related import RelatedItem, RelatedSection

    from .choices import PetitionStatus

    cases = restrict(Petition.objects.filter(problem_id=problem.pk), user, "petitions.view").order_by("received_on", "pk")
    items = [
        RelatedItem(
            label=p.acceptance_no,
            url=p.get_absolute_url(),
            note=" ".join(p.complaint_text.split())[:60],
            badge=PetitionStatus.text(p.status),
            badge_colour=PetitionStatus.colour(p.status),
        )
        for p in cases
    ]
    return RelatedSection(title=_("来源信访件"), items=items, icon="envelope-paper", key="petitions")


# --- figures and hotspots (边督边改 daily figures; repeat hotspots) ----------------------------------------


def figures_queryset(*, user) -> QuerySet[Petition]:
    """The cases whose figures a person sees: the district's people everything, a unit its own cases."""
    return restrict(Petition.objects.all(), user, "petitions.view")


def rounds_with_cases() -> QuerySet[InspectionRound]:
    return InspectionRound.objects.order_by("-stationed_on", "-pk")


def figures_scope(*, user) -> tuple[bool, list]:
    """Whether the person sees the whole district, and otherwise the units whose cases they see."""
    from ecoinspect.orgs.access import active_memberships, user_scope
    from ecoinspect.orgs.roles import ROLE_SPECS, role_holds

    if user_scope(user, "petitions.view").everything:
        return True, []
    units = [
        m.unit
        for m in active_memberships(user)
        if m.role in ROLE_SPECS and role_holds(m.role, "petitions.view")
    ]
    return False, list(dict.fromkeys(units))
