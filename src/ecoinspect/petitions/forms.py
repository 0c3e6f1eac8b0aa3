"""Forms of the pages where the cases are worked. They only collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.text_bounds import BoundedForm, Bounds
from ecoinspect.common.widgets import EnteredDateField, date_input
from ecoinspect.core.forms import OnceForm, UnitChoiceField, UnitMultipleChoiceField
from ecoinspect.orgs.choices import TOWN_KINDS
from ecoinspect.orgs.models import Unit

from . import models as m
from .api_schemas import MERGE_NOTE, REASON
from .choices import ClosureStatus, Verdict, VisitMethod
from .services.cases import ASSIGNABLE_KINDS


def assignable_units():
    return Unit.objects.filter(is_active=True, kind__in=ASSIGNABLE_KINDS).order_by("sort_order", "code")


def town_units():
    return Unit.objects.filter(is_active=True, kind__in=TOWN_KINDS).order_by("sort_order", "code")



def _text(rows: int = 3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


def plain_amount(amount):
    """A stored amount as typed: 12.5, not 12.5000; 0, not 0.0000."""
    text = f"{amount:f}" if amount is not None else "0"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _choices(choiceset, empty=None):
    return [("", empty or "—"), *choiceset.choices()]


class VersionForm(BoundedForm):
    """The case's version when the form was opened (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- 交办 -------------------------------------------------------------------------------------------------


class AssignForm(VersionForm):
    bounds = Bounds(m.Assignment)

    lead = UnitChoiceField(assignable_units(), label=_("牵头单位"), required=False)
    cooperating = UnitMultipleChoiceField(
        assignable_units(),
        label=_("配合单位"),
        required=False,
        help_text=_("一件多派：可选多个单位，各自承办，时限相同；输入名称搜索"),
    )
    internal_due = EnteredDateField(label=_("区内反馈时限"), required=False, widget=date_input())
    external_due = EnteredDateField(label=_("督察组反馈时限"), required=False, widget=date_input())
    note = forms.CharField(label=_("交办要求"), required=False)

    def __init__(self, *args, defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        if defaults:
            internal, external = defaults
            self.fields["internal_due"].help_text = _("留空则按本轮时限：%(d)s") % {"d": internal.isoformat()}
            self.fields["external_due"].help_text = _("留空则按本轮时限：%(d)s") % {"d": external.isoformat()}

    def clean(self):
        data = super().clean()
        if not data.get("lead") and not data.get("cooperating"):
            raise forms.ValidationError(_("请至少选择一个承办单位。"))
        return data


# --- 办理情况 ---------------------------------------------------------------------------------------------


class ClaimForm(BoundedForm):
    bounds = Bounds(m.Claim)

    text = forms.CharField(label=_("反映问题"), widget=_text(2), required=False)
    finding = forms.CharField(label=_("核查情况"), widget=_text(2), required=False)
    verdict = forms.ChoiceField(label=_("是否属实"), choices=_choices(Verdict), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and (data.get("finding") or data.get("verdict")):
            self.add_error("text", _("请写明该条反映的问题，或清空这一行。"))
        return data


ClaimFormSet = forms.formset_factory(ClaimForm, extra=1, max_num=30, validate_max=True)

COUNT_LABELS = {
    "rectify_orders": _("责令整改（家）"),
    "penalty_cases": _("立案处罚（家）"),
    "criminal_cases": _("立案侦查（件）"),
    "admin_detentions": _("行政拘留（人）"),
    "criminal_detentions": _("刑事拘留（人）"),
    "interviews": _("约谈（人）"),
    "accountable_people": _("问责（人）"),
}


def _count(label):
    return forms.IntegerField(label=label, min_value=0, max_value=100000, initial=0, required=False)


class HandlingForm(OnceForm, VersionForm):
    """The unit's verification and handling; ``claims`` is the formset of the complaint's claims (sent twice
    by a double click, it is saved once: the one-time key of :class:`~ecoinspect.core.forms.OnceForm`)."""

    bounds = Bounds(m.Petition)

    investigation = forms.CharField(label=_("调查核实情况"), widget=_text(5), required=False)
    verdict = forms.ChoiceField(
        label=_("是否属实"),
        choices=_choices(Verdict, _("按各反映问题的结论得出")),
        required=False,
        help_text=_("留空时：各条都属实为“属实”，都不属实为“不属实”，其余为“部分属实”"),
    )
    closure_target = forms.CharField(label=_("办结目标"), widget=_text(2), required=False)
    handling = forms.CharField(label=_("处理和整改情况"), widget=_text(5), required=False)
    rectify_orders = _count(COUNT_LABELS["rectify_orders"])
    penalty_cases = _count(COUNT_LABELS["penalty_cases"])
    fine_amount = forms.DecimalField(
        label=_("罚款（万元）"), min_value=0, max_value=10000000, max_digits=12, decimal_places=4, initial=0, required=False
    )
    criminal_cases = _count(COUNT_LABELS["criminal_cases"])
    admin_detentions = _count(COUNT_LABELS["admin_detentions"])
    criminal_detentions = _count(COUNT_LABELS["criminal_detentions"])
    interviews = _count(COUNT_LABELS["interviews"])
    accountable_people = _count(COUNT_LABELS["accountable_people"])
    closure_status = forms.ChoiceField(label=_("是否办结"), choices=_choices(ClosureStatus), required=False)
    accountability = forms.CharField(label=_("责任人被处理情况"), widget=_text(2), required=False)

    FIGURES = (
        "rectify_orders", "penalty_cases", "fine_amount", "criminal_cases",
        "admin_detentions", "criminal_detentions", "interviews", "accountable_people",
    )

    def __init__(self, data=None, *, claims_initial=None, **kwargs):
        super().__init__(data, **kwargs)
        self.claims = ClaimFormSet(data, initial=claims_initial, prefix="claims")

    def is_valid(self) -> bool:
        own = super().is_valid()
        return self.claims.is_valid() and own

    def figure_fields(self):
        return [self[name] for name in self.FIGURES]

    def values(self) -> dict:
        """What the service takes: the case's fields, and the claims that have text."""
        data = dict(self.cleaned_data)
        data.pop("version")
        for name in self.FIGURES:
            if data[name] is None:
                data[name] = 0
        data["claims"] = [
            {"text": c["text"], "finding": c.get("finding", ""), "verdict": c.get("verdict", "")}
            for c in self.claims.cleaned_data
            if c and (c.get("text") or "").strip()
        ]
        return data

    @classmethod
    def initial_for(cls, petition) -> dict:
        own = [name for name in cls.base_fields if name not in ("version", "submission_key")]
        initial = {name: getattr(petition, name) for name in own}
        initial["version"] = petition.version
        initial["fine_amount"] = plain_amount(petition.fine_amount)
        return initial


# --- the office's review --------------------------------------------------------------------------------


class ReasonForm(VersionForm):
    bounds = Bounds(reason=REASON)

    reason = forms.CharField(label=_("理由"), widget=_text(3))


class MergeForm(VersionForm):
    bounds = Bounds(original=(m.Petition, "acceptance_no"), reason=MERGE_NOTE)

    original = forms.CharField(
        label=_("原件受理编号"),
        help_text=_("本件与哪一件是同一诉求：填写原件的受理编号（本轮或往轮）"),
    )
    reason = forms.CharField(label=_("说明"), widget=_text(2), required=False)


class VisitForm(OnceForm):
    bounds = Bounds(m.ReturnVisit)

    visited_on = EnteredDateField(label=_("回访日期"), widget=date_input(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("回访方式"), choices=VisitMethod.choices(), initial=VisitMethod.PHONE)
    satisfied = forms.TypedChoiceField(
        label=_("群众是否满意"),
        choices=[("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_("不满意的，已公开的信访件将转回继续办理"),
    )
    note = forms.CharField(label=_("回访情况"), widget=_text(3), required=False)


class MarkForm(BoundedForm):
    is_key = forms.NullBooleanField(required=False)
    is_supervised = forms.NullBooleanField(required=False)


# --- the batch page and the list's selection ------------------------------------------------------------


class SuggestionCorrectForm(BoundedForm):
    """The corrected value of one suggestion: a unit (town or department), 不在本区, types, or an original."""

    bounds = Bounds(original=(m.Petition, "acceptance_no"))

    unit = forms.ModelChoiceField(queryset=assignable_units(), required=False)
    outside = forms.BooleanField(required=False)
    problem_types = forms.MultipleChoiceField(choices=ProblemType.choices(), required=False)
    sub_tags = forms.CharField(max_length=200, required=False)
    original = forms.CharField(required=False)

    def value(self, kind: str) -> dict:
        data = self.cleaned_data
        if kind in ("town", "department"):
            if kind == "town" and data.get("outside"):
                return {"outside": True}
            return {"unit": data["unit"].pk} if data.get("unit") else {}
        if kind == "types":
            tags = [t for t in (data.get("sub_tags") or "").replace("，", "、").replace(",", "、").split("、") if t.strip()]
            return {"problem_types": data.get("problem_types") or [], "sub_tags": [t.strip() for t in tags]}
        return {"acceptance_no": data.get("original", "").strip()} if data.get("original") else {}


class SelectionForm(BoundedForm):
    ASSIGN_SUGGESTED = "assign_suggested"
    ASSIGN_UNITS = "assign_units"
    MARK_KEY = "mark_key"
    UNMARK_KEY = "unmark_key"
    MARK_SUPERVISED = "mark_supervised"
    UNMARK_SUPERVISED = "unmark_supervised"
    EXPORT = "export"
    ACTIONS = (ASSIGN_SUGGESTED, ASSIGN_UNITS, MARK_KEY, UNMARK_KEY, MARK_SUPERVISED, UNMARK_SUPERVISED, EXPORT)
    bounds = Bounds(note=(m.Assignment, "note"))

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    petitions = forms.TypedMultipleChoiceField(coerce=int, choices=(), error_messages={"required": _("请先勾选信访件。")})
    lead = forms.ModelChoiceField(queryset=assignable_units(), required=False)
    cooperating = forms.ModelMultipleChoiceField(queryset=assignable_units(), required=False)
    note = forms.CharField(required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        ids = data.getlist("petitions") if data is not None and hasattr(data, "getlist") else []
        self.fields["petitions"].choices = [(i, i) for i in ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN_UNITS and not data.get("lead") and not data.get("cooperating"):
            self.add_error("lead", _("请选择承办单位。"))
        return data
