"""One filter for the case list page, the API and the export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterSet
from ecoinspect.orgs.models import Unit

from .choices import ClosureStatus, Origin, PetitionStatus, Verdict
from .models import InspectionRound, TransferBatch


def _choices(choiceset, empty):
    return [("", empty), *choiceset.choices()]


class PetitionFilter(FilterSet):
    round = forms.ModelChoiceField(label=_("督察轮次"), queryset=InspectionRound.objects.all(), required=False)
    batch = forms.ModelChoiceField(label=_("批次"), queryset=TransferBatch.objects.all(), required=False)
    status = forms.MultipleChoiceField(label=_("状态"), choices=PetitionStatus.choices(), required=False)
    problem_type = forms.ChoiceField(label=_("问题类型"), choices=_choices(ProblemType, _("全部类型")), required=False)
    verdict = forms.ChoiceField(label=_("是否属实"), choices=_choices(Verdict, _("全部")), required=False)
    closure_status = forms.ChoiceField(label=_("是否办结"), choices=_choices(ClosureStatus, _("全部")), required=False)
    origin = forms.ChoiceField(label=_("来源"), choices=_choices(Origin, _("全部来源")), required=False)
    town = forms.ModelChoiceField(label=_("属地镇街"), queryset=Unit.objects.filter(kind__in=("town", "subdistrict")), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.filter(is_active=True), required=False)
    flagged = forms.BooleanField(label=_("待人工确认"), required=False)
    is_key = forms.BooleanField(label=_("重点件"), required=False)

    lookups = {
        "round": "round",
        "batch": "batch",
        "status": "status__in",
        "verdict": "verdict",
        "closure_status": "closure_status",
        "origin": "origin",
        "town": "town",
        "is_key": "is_key",
    }
    search_fields = ("acceptance_no", "complaint_text", "region_text")
    sort_fields = {"number": "acceptance_key", "received": "received_on", "status": "status", "seq": "seq"}
    default_sort = ("-received_on", "seq", "pk")

    def filter_problem_type(self, qs, value):
        return qs.filter(problem_types__contains=f",{value},")

    def filter_unit(self, qs, value):
        return qs.filter(assignments__unit=value).distinct()

    def filter_flagged(self, qs, value):
        return qs.exclude(flags=[]) if value else qs


class BatchFilter(FilterSet):
    round = forms.ModelChoiceField(label=_("督察轮次"), queryset=InspectionRound.objects.all(), required=False)
    lookups = {"round": "round"}
    sort_fields = {"number": "number", "received": "received_on"}
    default_sort = ("-received_on", "-number")
