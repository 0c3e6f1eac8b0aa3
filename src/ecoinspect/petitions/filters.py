"""One filter for the case list page, the API and the export."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterSet
from ecoinspect.common.widgets import date_input
from ecoinspect.orgs.models import Unit

from .choices import (
    EXTERNAL_CLOCK_STATES,
    WORKING_STATES,
    AssignmentRole,
    ClosureStatus,
    Origin,
    PetitionStatus,
    SuggestionDecision,
    Verdict,
)
from .models import Assignment, InspectionRound, Petition, Suggestion, TransferBatch

#: How close a due date is "soon" (calendar days).
DUE_SOON_DAYS = 2


def _choices(choiceset, empty):
    return [("", empty), *choiceset.choices()]


def pending_suggestions():
    """An ``Exists`` that is true for a case with a suggestion nobody has decided yet."""
    return Exists(Suggestion.objects.filter(petition=OuterRef("pk"), decision=SuggestionDecision.PENDING))


class PetitionFilter(FilterSet):
    round = forms.ModelChoiceField(label=_("督察轮次"), queryset=InspectionRound.objects.all(), required=False)
    batch = forms.ModelChoiceField(label=_("批次"), queryset=TransferBatch.objects.select_related("round"), required=False)
    status = forms.MultipleChoiceField(label=_("状态"), choices=PetitionStatus.choices(), required=False)
    problem_type = forms.ChoiceField(label=_("问题类型"), choices=_choices(ProblemType, _("全部类型")), required=False)
    verdict = forms.ChoiceField(label=_("是否属实"), choices=_choices(Verdict, _("全部")), required=False)
    closure_status = forms.ChoiceField(label=_("是否办结"), choices=_choices(ClosureStatus, _("全部")), required=False)
    origin = forms.ChoiceField(label=_("来源"), choices=_choices(Origin, _("全部来源")), required=False)
    town = forms.ModelChoiceField(label=_("属地镇街"), queryset=Unit.objects.filter(kind__in=("town", "subdistrict")), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.filter(is_active=True), required=False)
    role = forms.ChoiceField(
        label=_("承办方式"), choices=_choices(AssignmentRole, _("牵头或配合")), required=False,
        help_text=_("与“承办单位”一起使用"),
    )
    due = forms.ChoiceField(
        label=_("时限"),
        choices=[
            ("", _("全部")),
            ("internal_overdue", _("超过区内时限")),
            ("external_overdue", _("超过督察组时限")),
            ("soon", _("两日内到期")),
        ],
        required=False,
    )
    todo = forms.BooleanField(label=_("待我办理"), required=False)
    flagged = forms.BooleanField(label=_("待人工确认"), required=False, help_text=_("导入时有未能理解的单元格，或有待确认的建议"))
    is_key = forms.NullBooleanField(label=_("重点件"), required=False)
    is_supervised = forms.NullBooleanField(label=_("督办件"), required=False)
    received_from = forms.DateField(label=_("交办日期起"), required=False, widget=date_input())
    received_to = forms.DateField(label=_("交办日期止"), required=False, widget=date_input())

    lookups = {
        "round": "round",
        "batch": "batch",
        "status": "status__in",
        "verdict": "verdict",
        "closure_status": "closure_status",
        "origin": "origin",
        "town": "town",
        "is_key": "is_key",
        "is_supervised": "is_supervised",
        "received_from": "received_on__gte",
        "received_to": "received_on__lte",
    }
    search_fields = ("acceptance_no", "complaint_text", "region_text")
    sort_fields = {
        "number": "acceptance_key",
        "received": "received_on",
        "status": "status",
        "seq": "seq",
        "due": "due",
        "due_external": "due_external",
        "town": "town__sort_order",
    }
    default_sort = ("-received_on", "seq", "pk")

    def filter_problem_type(self, qs, value):
        return qs.filter(problem_types__contains=f",{value},")

    def filter_unit(self, qs, value):
        rows = Assignment.objects.filter(unit=value)
        role = self.cleaned_data.get("role") if hasattr(self, "cleaned_data") else ""
        if role:
            rows = rows.filter(role=role)
        return qs.filter(pk__in=rows.values("petition_id"))

    def filter_role(self, qs, value):
        return qs  # read by filter_unit

    def filter_flagged(self, qs, value):
        return qs.filter(~Q(flags=[]) | pending_suggestions()) if value else qs

    def filter_due(self, qs, value):
        today = timezone.localdate()
        working = Assignment.objects.filter(petition__status__in=WORKING_STATES)
        if value == "internal_overdue":
            rows = working.filter(internal_due__lt=today)
        elif value == "external_overdue":
            rows = Assignment.objects.filter(petition__status__in=EXTERNAL_CLOCK_STATES, external_due__lt=today)
        else:
            rows = working.filter(internal_due__gte=today, internal_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        return qs.filter(pk__in=rows.values("petition_id"))

    def filter_todo(self, qs, value):
        """What waits for this person (我的待办's cases): the queue's own rule, not a copy of it."""
        from ecoinspect.core.queues import queue_for, source_for

        if not value:
            return qs
        source = source_for(Petition)
        if source is None or self.user is None:
            return qs.none()
        return qs.filter(pk__in=queue_for(self.user, source, refined=False).values("pk"))


class BatchFilter(FilterSet):
    round = forms.ModelChoiceField(label=_("督察轮次"), queryset=InspectionRound.objects.all(), required=False)
    lookups = {"round": "round"}
    sort_fields = {"number": "number", "received": "received_on"}
    default_sort = ("-received_on", "-number")
