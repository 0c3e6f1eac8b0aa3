"""Forms of the ledger's pages. They only collect input; the services decide (DESIGN.md §4.2)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterSet
from ecoinspect.common.i18n import district_language
from ecoinspect.common.text_bounds import BoundedForm, Bounds
from ecoinspect.common.widgets import EnteredDateField, date_input
from ecoinspect.core import forms as core_forms
from ecoinspect.core.forms import (
    GroupedUnits,  # noqa: F401  (the ledger's pages use it)
    OnceForm,
)
from ecoinspect.orgs.choices import TOWN_KINDS, UnitKind
from ecoinspect.orgs.models import Unit

from . import models as m
from .choices import (
    REPORTABLE_PROGRESS,
    AcceptanceMethod,
    DeadlineKind,
    EvidenceKind,
    HandlingMode,
    NoticeStatus,
    ProblemSource,
    ProgressStatus,
    Severity,
)
from .models import Problem, ProgressReport
from .services import PUBLICITY_PERIODS

#: Units that take part in rectification work: the office, departments, subdistricts and towns.
WORKING_KINDS = (UnitKind.OFFICE, UnitKind.DEPARTMENT, UnitKind.SUBDISTRICT, UnitKind.TOWN)


def working_units():
    return Unit.objects.filter(is_active=True, kind__in=WORKING_KINDS).order_by("sort_order", "code")


def town_units():
    return Unit.objects.filter(is_active=True, kind__in=TOWN_KINDS).order_by("sort_order", "code")


class UnitChoiceField(core_forms.UnitChoiceField):
    """A unit select grouped by kind, of the units taking part in rectification unless told otherwise."""

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else working_units(), **kwargs)


class UnitMultipleChoiceField(core_forms.UnitMultipleChoiceField):
    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else working_units(), **kwargs)



def _radio():
    return forms.RadioSelect(attrs={"class": "form-check-input"})


def _text(rows: int = 3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class VersionMixin(BoundedForm):
    """The problem's version when the form was opened (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# ---- registering and editing --------------------------------------------------------------------------


class ProblemFieldsForm(BoundedForm):
    bounds = Bounds(Problem, override_reason=m.OVERRIDE_REASON)

    title = forms.CharField(label=_("整改任务"))
    description = forms.CharField(label=_("问题描述"), required=False, widget=_text(4))
    source = forms.ChoiceField(label=_("问题来源"), choices=ProblemSource.choices())
    source_ref = forms.CharField(
        label=_("来源编号"), required=False, help_text=_("如信访件受理编号、反馈意见条目")
    )
    problem_types = forms.MultipleChoiceField(
        label=_("问题类型"),
        choices=ProblemType.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices(), initial=Severity.GENERAL)
    is_key = forms.BooleanField(
        label=_("重点问题"), required=False, help_text=_("重点问题须经批准的专项整改方案方可开始整改")
    )
    is_complex = forms.BooleanField(
        label=_("复杂问题"), required=False, help_text=_("复杂问题申请验收前须录入联合执法情况")
    )
    handling_mode = forms.ChoiceField(
        label=_("分类施策"), choices=HandlingMode.choices(), initial=HandlingMode.DEADLINE
    )
    address = forms.CharField(label=_("问题地点"), required=False)
    town = UnitChoiceField(town_units(), label=_("所在镇街"), required=False)
    supervising_unit = UnitChoiceField(label=_("督导单位"), required=False)
    acceptance_unit = UnitChoiceField(label=_("验收销号单位"), required=False)
    cooperating_units = UnitMultipleChoiceField(
        label=_("配合单位"), required=False, help_text=_("输入名称搜索，可选多个")
    )
    responsible_leader = forms.CharField(label=_("责任领导"), required=False)
    responsible_person = forms.CharField(label=_("责任人"), required=False)
    contact_phone = forms.CharField(label=_("联系电话"), required=False)
    target = forms.CharField(label=_("整改目标"), required=False, widget=_text(3))


class ProblemRegisterForm(OnceForm, ProblemFieldsForm):
    lead_unit = UnitChoiceField(
        label=_("牵头单位"), required=False, help_text=_("留空则按“三管三必须”由系统推荐")
    )
    override_reason = forms.CharField(
        label=_("不采用推荐的理由"),
        required=False,
        help_text=_("所选牵头单位与系统推荐不一致时必填，记入分派依据"),
    )
    deadline_kind = forms.ChoiceField(
        label=_("整改时限类型"),
        choices=DeadlineKind.choices(),
        initial=DeadlineKind.DATE,
        widget=_radio(),
    )
    deadline = EnteredDateField(
        label=_("整改时限"), required=False, widget=date_input(), help_text=_("立行立改留空时按 5 个工作日计")
    )

    #: Order of the sections on the page.
    sections = (
        (_("问题情况"), ("title", "source", "source_ref", "description", "address", "problem_types")),
        (_("分类施策"), ("severity", "handling_mode", "is_key", "is_complex")),
        (
            _("责任分工"),
            (
                "lead_unit",
                "town",
                "override_reason",
                "cooperating_units",
                "supervising_unit",
                "acceptance_unit",
                "responsible_leader",
                "responsible_person",
                "contact_phone",
            ),
        ),
        (_("整改要求"), ("target", "deadline_kind", "deadline")),
    )


class ProblemEditForm(VersionMixin, ProblemFieldsForm):
    sections = (
        (_("问题情况"), ("title", "source", "source_ref", "description", "address", "problem_types")),
        (_("分类施策"), ("severity", "handling_mode", "is_key", "is_complex")),
        (
            _("责任分工"),
            (
                "town",
                "cooperating_units",
                "supervising_unit",
                "acceptance_unit",
                "responsible_leader",
                "responsible_person",
                "contact_phone",
            ),
        ),
        (_("整改要求"), ("target",)),
    )

    @classmethod
    def initial_for(cls, problem: Problem) -> dict:
        initial = {name: getattr(problem, name) for name in cls.base_fields if name != "version"}
        for name in ("town", "supervising_unit", "acceptance_unit"):
            initial[name] = getattr(problem, f"{name}_id")
        initial["cooperating_units"] = [u.pk for u in problem.cooperating_units.all()]
        initial["version"] = problem.version
        return initial


class RoutingProposalForm(BoundedForm):
    """What the 推荐 button sends: the text the proposal is made from."""

    bounds = Bounds(Problem)

    title = forms.CharField(required=False)
    description = forms.CharField(required=False)
    address = forms.CharField(required=False)
    problem_types = forms.MultipleChoiceField(choices=ProblemType.choices(), required=False)


class RerouteForm(VersionMixin):
    lead_unit = UnitChoiceField(label=_("新的牵头单位"))
    cooperating_units = UnitMultipleChoiceField(
        label=_("配合单位"), required=False, help_text=_("输入名称搜索，可选多个")
    )
    reason = forms.CharField(label=_("改派理由"), widget=_text(3))


class ExtendDeadlineForm(VersionMixin):
    new_deadline = EnteredDateField(label=_("新的整改时限"), widget=date_input())
    reason = forms.CharField(label=_("调整理由"), widget=_text(3))


class DistrictDecisionForm(BoundedForm):
    bounds = Bounds(Problem, reason="district_decision_reason")

    keep = forms.TypedChoiceField(
        label=_("属地确认"),
        choices=[("1", _("确认由本区办理")), ("0", _("确认不属本区"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("属地确认理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class PauseForm(BoundedForm):
    bounds = Bounds(Problem, reason="pause_reason")

    reason = forms.CharField(label=_("暂停计时理由"), help_text=_("如等待司法裁决、汛期停工等"))


# ---- the unit's work ----------------------------------------------------------------------------------


class MeasureForm(OnceForm):
    bounds = Bounds(m.Measure)

    content = forms.CharField(label=_("整改措施"), widget=_text(3))
    owner_unit = UnitChoiceField(label=_("责任单位"))
    owner_person = forms.CharField(label=_("责任人"), required=False)
    deadline = EnteredDateField(label=_("完成时限"), required=False, widget=date_input())


class MeasureCompleteForm(BoundedForm):
    done_on = EnteredDateField(label=_("完成日期"), widget=date_input(), initial=timezone.localdate)


class ProgressReportForm(OnceForm):
    bounds = Bounds(ProgressReport)

    reported_on = EnteredDateField(
        label=_("报送日期"),
        widget=date_input(),
        initial=timezone.localdate,
        required=False,
        help_text=_("留空为今天"),
    )
    progress_status = forms.ChoiceField(
        label=_("完成进度"),
        choices=[(v, ProgressStatus.label(v)) for v in REPORTABLE_PROGRESS],
        widget=_radio(),
    )
    text = forms.CharField(label=_("目前进展情况及存在问题"), widget=_text(5))
    file = forms.FileField(
        label=_("佐证材料（可选）"),
        required=False,
        help_text=_("现场照片、监测报告、处罚决定书、会议纪要等，可稍后继续上传"),
    )
    kind = forms.ChoiceField(
        label=_("材料类型"), choices=EvidenceKind.choices(), initial=EvidenceKind.PHOTO, required=False
    )


class EvidenceForm(OnceForm):
    bounds = Bounds(m.Evidence)

    file = forms.FileField(label=_("文件"))
    kind = forms.ChoiceField(label=_("材料类型"), choices=EvidenceKind.choices(), initial=EvidenceKind.PHOTO)
    description = forms.CharField(label=_("说明"), required=False)
    report = forms.ModelChoiceField(
        label=_("对应的进展报送"), queryset=ProgressReport.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, problem: Problem, reports: list[ProgressReport] | None = None, **kwargs):
        """``reports``: the problem's reports the page has already read — the select offers the current
        cycle's from them instead of asking again (the queryset still checks what is sent)."""
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        field.queryset = ProgressReport.objects.filter(problem=problem, cycle=problem.cycle).order_by(
            "-reported_on", "-pk"
        )
        field.label_from_instance = _report_label
        if reports is not None:
            current = sorted(
                (r for r in reports if r.cycle == problem.cycle), key=lambda r: (r.reported_on, r.pk), reverse=True
            )
            field.choices = [("", field.empty_label), *((r.pk, _report_label(r)) for r in current)]


def _report_label(report: ProgressReport) -> str:
    return f"{report.reported_on} {report.text[:30]}"


class MilestoneForm(BoundedForm):
    bounds = Bounds(content=m.MILESTONE_CONTENT)

    date = EnteredDateField(label=_("日期"), widget=date_input())
    content = forms.CharField(label=_("节点内容"))


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=1, min_num=1, validate_min=True)


class SpecialPlanForm(OnceForm):
    bounds = Bounds(m.SpecialPlan)

    goals = forms.CharField(label=_("整治目标"), widget=_text(3))
    measures = forms.CharField(label=_("主要措施"), widget=_text(5))


class PlanDecisionForm(BoundedForm):
    bounds = Bounds(m.SpecialPlan, note="decision_note")

    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("批准")), ("reject", _("退回修改"))],
        widget=_radio(),
    )
    note = forms.CharField(label=_("审批意见"), required=False)


class JointActionForm(OnceForm):
    bounds = Bounds(m.JointAction)

    acted_on = EnteredDateField(label=_("执法日期"), widget=date_input(), initial=timezone.localdate)
    units = UnitMultipleChoiceField(label=_("参加部门"), help_text=_("至少两个部门；输入名称搜索，可选多个"))
    findings = forms.CharField(label=_("发现问题"), widget=_text(3))
    actions = forms.CharField(label=_("处理措施"), widget=_text(3))


# ---- acceptance, publicity, closing --------------------------------------------------------------------


class AcceptForm(BoundedForm):
    bounds = Bounds(m.Acceptance)

    accepted_on = EnteredDateField(label=_("验收日期"), widget=date_input(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("验收方式"), choices=AcceptanceMethod.choices(), widget=_radio())
    opinion = forms.CharField(label=_("验收意见"), widget=_text(4))


class RejectForm(BoundedForm):
    bounds = Bounds(m.Acceptance, reason="opinion")

    accepted_on = EnteredDateField(label=_("验收日期"), widget=date_input(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("验收方式"), choices=AcceptanceMethod.choices(), widget=_radio())
    reason = forms.CharField(label=_("退回理由"), widget=_text(4), help_text=_("写明未达到整改目标之处"))


def district_website() -> str:
    """The usual publicity channel, the district government's website (stored, so in the district's language)."""
    with district_language():
        return gettext("%(district)s人民政府网站") % {"district": settings.ECOINSPECT_DISTRICT_NAME}


class PublicityForm(BoundedForm):
    bounds = Bounds(m.Publicity)

    starts_on = EnteredDateField(label=_("公示开始日期"), widget=date_input(), initial=timezone.localdate)
    period = forms.ChoiceField(
        label=_("公示期"),
        choices=list(PUBLICITY_PERIODS.items()),
        initial="10_workdays",
        widget=_radio(),
    )
    channel = forms.CharField(label=_("公示渠道"), initial=district_website)
    objection_phone = forms.CharField(label=_("异议受理电话"))
    published_at = forms.DateTimeField(
        label=_("实际发布时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        help_text=_("公示已在此前实际发布的，填写发布时间和位置，公示开始日期方可早于今天（不早于验收日期）"),
    )
    published_where = forms.CharField(
        label=_("实际发布位置或链接"),
        required=False,
        help_text=_("如区政府网站栏目及网址、公告栏所在地点"),
    )


class ObjectionForm(BoundedForm):
    bounds = Bounds(m.Publicity, note="objection_note")

    upheld = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("异议成立，退回整改")), ("0", _("异议不成立，继续公示"))],
        coerce=lambda v: v == "1",
        widget=_radio(),
    )
    note = forms.CharField(label=_("异议情况及核查意见"), widget=_text(4))


class ReopenForm(BoundedForm):
    reason = forms.CharField(label=_("反弹情况"), widget=_text(3), help_text=_("写明问题反弹的事实与来源"))
    new_deadline = EnteredDateField(
        label=_("新的整改时限"), required=False, widget=date_input(), help_text=_("长期坚持类问题可留空")
    )


# ---- supervision notices --------------------------------------------------------------------------------


class NoticeForm(OnceForm):
    bounds = Bounds(m.SupervisionNotice)

    unit = UnitChoiceField(label=_("督办对象"))
    problems = forms.ModelMultipleChoiceField(
        label=_("督办问题"), queryset=Problem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    requirements = forms.CharField(label=_("督办要求"), widget=_text(4))
    reply_due = EnteredDateField(label=_("回复期限"), widget=date_input())

    def __init__(self, *args, problems=None, **kwargs):
        super().__init__(*args, **kwargs)
        if problems is not None:
            self.fields["problems"].queryset = problems
        self.fields["reply_due"].initial = timezone.localdate() + dt.timedelta(days=7)


class NoticeReplyForm(BoundedForm):
    bounds = Bounds(m.SupervisionNotice)

    reply = forms.CharField(label=_("回复内容"), widget=_text(5), help_text=_("写明整改推进情况与下一步安排"))


class NoticeReturnForm(BoundedForm):
    reason = forms.CharField(label=_("退回理由"), widget=_text(3))


class NoticeFilter(FilterSet):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *NoticeStatus.choices()], required=False
    )
    unit = forms.ModelChoiceField(label=_("督办对象"), queryset=working_units(), required=False)
    lookups = {"status": "status", "unit": "unit"}
    search_fields = ("number", "requirements", "reply")
    sort_fields = {"number": "number", "issued": "issued_at", "due": "reply_due", "status": "status"}
    default_sort = ("-issued_at",)


class _Ids(forms.TypedMultipleChoiceField):
    """Record ids ticked on a list: any number; which of them the person may touch is the selector's say."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class ProblemSelectionForm(BoundedForm):
    """The list's actions bar: what to do with the ticked problems (交办, 调整时限 with a reason, 导出)."""

    ASSIGN, EXTEND, EXPORT = "assign", "extend", "export"

    problems = _Ids(label=_("选中的问题"), coerce=int)
    action = forms.ChoiceField(
        label=_("操作"),
        choices=[(ASSIGN, _("交办")), (EXTEND, _("调整时限")), (EXPORT, _("导出所选"))],
    )
    new_deadline = EnteredDateField(label=_("新整改时限"), required=False, widget=date_input())
    reason = forms.CharField(label=_("调整理由"), max_length=300, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["problems"].error_messages["required"] = gettext("请先勾选问题。")

    def clean(self):
        data = super().clean()
        if data.get("action") == self.EXTEND:
            if not data.get("new_deadline"):
                self.add_error("new_deadline", gettext("调整时限须填写新整改时限。"))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", gettext("调整时限须填写理由。"))
        return data
