"""Reads of the petitions app, each starting from ``restrict()``."""

from __future__ import annotations

from django.db.models import Min, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.core.permissions import restrict

from .models import Assignment, InspectionRound, Petition, TransferBatch


def petition_list(*, user, filters=None) -> QuerySet[Petition]:
    qs = restrict(Petition.objects.all(), user, "petitions.view").select_related("round", "batch", "town")
    return filters.filter_queryset(qs) if filters is not None else qs


def petition_get(*, user, pk: int) -> Petition:
    return get_object_or_404(
        restrict(Petition.objects.all(), user, "petitions.view").select_related(
            "round", "batch", "town", "duplicate_of", "problem"
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


def queue_petitions(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    """Waiting cases, the nearest internal due date first."""
    return (
        qs.annotate(due=Min("assignments__internal_due"), due_external=Min("assignments__external_due"))
        .select_related("town")
        .order_by("due", "pk")
    )


def describe_queued_petition(petition: Petition) -> dict:
    """Both clocks, as 我的待办 shows them: the district's internal due date and the team's."""
    today = timezone.localdate()
    due = getattr(petition, "due", None)
    external = getattr(petition, "due_external", None)
    overdue = due is not None and due < today
    late_external = external is not None and external < today
    return {
        "due": due,
        "due_external": external,
        "overdue": overdue,
        "warning": "red" if late_external else ("yellow" if overdue else "none"),
        "warning_label": _("超过督察组时限") if late_external else (_("超过区内时限") if overdue else ""),
        "warning_colour": "danger" if late_external else ("warning" if overdue else "light"),
    }
