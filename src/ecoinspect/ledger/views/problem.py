"""One problem: registering it (with the routing proposal), its page, editing, re-routing, the clock, and
the workflow moves that need no more input than a click."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import ConcurrentEdit, NotPermitted, ServiceError
from ecoinspect.common.views import ServiceFormView
from ecoinspect.core.moves import move_view, refused
from ecoinspect.core.permissions import active_memberships, has_perm

from .. import selectors, services
from ..choices import PlanStatus, ProblemSource
from ..forms import (
    DistrictDecisionForm,
    EvidenceForm,
    ExtendDeadlineForm,
    MeasureForm,
    PauseForm,
    PlanDecisionForm,
    ProblemEditForm,
    ProblemRegisterForm,
    ProgressReportForm,
    RerouteForm,
    RoutingProposalForm,
)
from ..models import Problem
from ..workflow import PROBLEM_WORKFLOW
from .base import ProblemFormView, problem_or_404, refuse, require_perm

# ---- registering ---------------------------------------------------------------------------------------


def _may_register(user) -> bool:
    return has_perm(user, "ledger.assign") or has_perm(user, "ledger.work")


class ProblemCreateView(ServiceFormView):
    """登记: the coordinator (or a unit, for its own 自查自纠 problems) registers a problem."""

    template_name = "ledger/problem_form.html"
    form_class = ProblemRegisterForm
    title = _lazy("登记整改问题")
    submit_label = _lazy("登记")

    def check_permission(self, obj) -> None:
        if not _may_register(self.request.user):
            raise refuse("ledger.assign")

    def get_form(self, data=None):
        initial = {}
        office = has_perm(self.request.user, "ledger.assign")
        if not office:
            memberships = active_memberships(self.request.user)
            if memberships:
                initial["lead_unit"] = memberships[0].unit_id
            initial["source"] = ProblemSource.SELF_INSPECTION
        form = self.form_class(data, initial=initial)
        if not office:
            # a unit registers only what it found itself (自查自纠); the service refuses anything else too
            source = form.fields["source"]
            source.choices = [(ProblemSource.SELF_INSPECTION, ProblemSource.label(ProblemSource.SELF_INSPECTION))]
            source.help_text = _("本单位只能登记自查自纠问题，其他来源的问题由区督察迎检办登记。")
        return form

    def render_form(self, form, status=200):
        context = {
            "form": form,
            "title": self.title,
            "submit_label": self.submit_label,
            "cancel_url": reverse("ledger:problem_list"),
            "proposal_url": reverse("ledger:routing_proposal"),
        }
        return render(self.request, self.template_name, context, status=status)

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["cooperating_units"] = list(data["cooperating_units"])
        return services.problem_register(actor=self.request.user, **data)

    def success_message(self, result) -> str:
        if has_perm(self.request.user, "ledger.assign"):
            return _("已登记 %(n)s。请核对分派依据后交办。") % {"n": result.number}
        return _("%(n)s 已登记，等待区督察迎检办交办。") % {"n": result.number}


@login_required
def routing_proposal(request):
    """The 推荐 button (HTMX): the lead department from the 三管三必须 matrix and the town from the address,
    with the reasons; the lead-unit and town selects are filled in place."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not _may_register(request.user):
        raise refuse("ledger.assign")
    data = request.POST if request.method == "POST" else request.GET
    form = RoutingProposalForm(data)
    form.is_valid()
    text = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    proposal = services.routing_propose(
        title=text.get("title", ""),
        description=text.get("description", ""),
        address=text.get("address", ""),
        problem_types=text.get("problem_types", []),
    )
    filled = data.copy()
    if proposal.lead_unit is not None:
        filled["lead_unit"] = str(proposal.lead_unit.pk)
    if proposal.town is not None:
        filled["town"] = str(proposal.town.pk)
    register = ProblemRegisterForm(filled)
    oob = {"class": "form-select", "hx-swap-oob": "true"}
    return render(
        request,
        "ledger/_routing_proposal.html",
        {
            "proposal": proposal,
            "lead_select": register["lead_unit"].as_widget(attrs=oob) if proposal.lead_unit else None,
            "town_select": register["town"].as_widget(attrs=oob) if proposal.town else None,
            "asked": any(text.get(k) for k in ("title", "description", "address", "problem_types")),
        },
    )


# ---- the problem's page --------------------------------------------------------------------------------

def _cycles(problem: Problem, detail: dict) -> list[dict]:
    """Reports, evidence, acceptances and publicity grouped by rectification cycle, newest cycle first."""
    return [
        {
            "number": n,
            "current": n == problem.cycle,
            "reports": [r for r in detail["reports"] if r.cycle == n],
            "evidence": [e for e in detail["evidence"] if e.cycle == n],
            "acceptances": [a for a in detail["acceptances"] if a.cycle == n],
            "publicities": [p for p in detail["publicities"] if p.cycle == n],
        }
        for n in range(problem.cycle, 0, -1)
    ]


@login_required
def problem_detail(request, pk: int):
    try:
        detail = selectors.problem_detail(user=request.user, pk=pk)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc
    problem = detail["problem"]
    user = request.user
    options = services.problem_options(user, problem)
    context = {
        **detail,
        **options,
        "title": str(problem),
        "cycles": _cycles(problem, detail),
        "buttons": PROBLEM_WORKFLOW.buttons(problem, user),
        "needs_plan": problem.is_key and not any(p.status == PlanStatus.APPROVED for p in detail["plans"]),
        "needs_joint_action": problem.is_complex and not detail["joint_actions"],
        "routing_history": [r for r in problem.routing_reason.split("；") if r.strip()],
        "today": timezone.localdate(),
        "can_decide_district": problem.outside_district and has_perm(user, "ledger.assign", problem),
    }
    if options["can_work"]:
        context.update(
            {
                # distinct ids: the three forms share field names (file, kind) on one page
                "measure_form": MeasureForm(
                    initial={"owner_unit": problem.lead_unit_id}, auto_id="measure_%s"
                ),
                "report_form": ProgressReportForm(auto_id="report_%s"),
                "evidence_form": EvidenceForm(problem=problem, reports=detail["reports"], auto_id="evidence_%s"),
            }
        )
    if options["can_assign"]:
        context["decision_form"] = PlanDecisionForm()
    return render(request, "ledger/problem_detail.html", context)


# ---- editing, re-routing and the clock (the inspection office) ------------------------------------------


def _comparable(value):
    if value in (None, "", [], ()):
        return None
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return sorted(v.pk if hasattr(v, "pk") else v for v in value) or None
    return value


def _shown(field, value) -> str:
    """A value as the form field would name it (choice labels, unit names)."""
    if hasattr(value, "all"):
        value = list(value.all())
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    labels = (
        dict(field.choices) if isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset") else {}
    )
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return "、".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


class ProblemEditView(ProblemFormView):
    """编辑: descriptive fields, with the version the form was opened on (optimistic concurrency)."""

    template_name = "ledger/problem_form.html"
    form_class = ProblemEditForm
    perm = "ledger.assign"
    title = _lazy("编辑整改问题")

    def check_permission(self, obj) -> None:
        super().check_permission(obj)
        try:
            services.problem_check_editable(obj)
        except ServiceError as exc:
            raise PermissionDenied(exc.messages[0]) from exc

    def get_form(self, data=None):
        return self.form_class(data, initial=ProblemEditForm.initial_for(self.object))

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["cooperating_units"] = list(data["cooperating_units"])
        try:
            return services.problem_update(
                actor=self.request.user, problem=self.object, expected_version=version, **data
            )
        except ConcurrentEdit:
            self.conflict = self._conflict(form)
            raise

    def _conflict(self, form) -> list[dict]:
        """What the other person saved, next to what this person typed, field by field."""
        current = selectors.problem_get(user=self.request.user, pk=self.object.pk)
        saved = ProblemEditForm.initial_for(current)
        differences = []
        for name, field in form.fields.items():
            if name == "version":
                continue
            mine = form.cleaned_data.get(name)
            if _comparable(mine) != _comparable(saved.get(name)):
                differences.append(
                    {
                        "label": field.label,
                        "saved": _shown(field, getattr(current, name)),
                        "mine": _shown(field, mine),
                    }
                )
        # Saving again applies this person's input over the newer version, knowingly.
        form.data = form.data.copy()
        form.data["version"] = str(current.version)
        return differences

    def extra_context(self) -> dict:
        return {"conflict": getattr(self, "conflict", None)}

    def success_message(self, result) -> str:
        return _("已保存修改。")


class ProblemRerouteView(ProblemFormView):
    """改派: another lead unit with a reason; the earlier routing stays in the record and the timeline."""

    form_class = RerouteForm
    perm = "ledger.assign"
    title = _lazy("改派牵头单位")
    intro = _lazy("改派须写明理由；原分派依据保留在记录和办理时间线中。")
    submit_label = _lazy("改派")

    def get_form(self, data=None):
        problem = self.object
        initial = {
            "lead_unit": problem.lead_unit_id,
            "cooperating_units": [u.pk for u in problem.cooperating_units.all()],
            "version": problem.version,
        }
        return self.form_class(data, initial=initial)

    def extra_context(self) -> dict:
        return {"history": [r for r in self.object.routing_reason.split("；") if r.strip()]}

    def perform(self, form):
        data = form.cleaned_data
        return services.problem_reroute(
            actor=self.request.user,
            problem=self.object,
            lead_unit=data["lead_unit"],
            reason=data["reason"],
            cooperating_units=list(data["cooperating_units"]),
            expected_version=data["version"],
        )

    def success_message(self, result) -> str:
        return _("已改派至 %(u)s。") % {"u": result.lead_unit}


class ProblemExtendView(ProblemFormView):
    form_class = ExtendDeadlineForm
    perm = "ledger.assign"
    title = _lazy("调整整改时限")
    intro = _lazy("预警节点（蓝签、黄牌）按交办日至新时限的工作日重新计算。")

    def get_form(self, data=None):
        return self.form_class(data, initial={"version": self.object.version})

    def perform(self, form):
        data = form.cleaned_data
        return services.problem_extend_deadline(
            actor=self.request.user,
            problem=self.object,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    def success_message(self, result) -> str:
        return _("整改时限已调整为 %(d)s。") % {"d": result.deadline}


class ProblemPauseView(ProblemFormView):
    form_class = PauseForm
    perm = "ledger.assign"
    title = _lazy("暂停计时")
    intro = _lazy("暂停期间不预警；恢复计时后，整改时限顺延暂停的工作日数。")
    submit_label = _lazy("暂停计时")

    def perform(self, form):
        return services.problem_pause(
            actor=self.request.user, problem=self.object, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return _("已暂停计时。")


class ProblemDistrictView(ProblemFormView):
    """属地确认: the inspection office's decision on a problem flagged as outside the district."""

    form_class = DistrictDecisionForm
    perm = "ledger.assign"
    title = _lazy("属地确认")

    @property
    def intro(self) -> str:
        return _(
            "系统判断该问题地点疑似不在%(district)s。确认前不能销号或发布销号公示；请确认并填写理由。"
        ) % {"district": settings.ECOINSPECT_DISTRICT_NAME}

    submit_label = _lazy("保存属地确认")

    def perform(self, form):
        return services.problem_decide_district(
            actor=self.request.user,
            problem=self.object,
            keep=form.cleaned_data["keep"],
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result) -> str:
        return _("已记录属地确认。")


@login_required
@require_POST
def problem_resume(request, pk: int):
    problem = problem_or_404(request, pk)
    require_perm(request, "ledger.assign", problem)
    try:
        problem = services.problem_resume(actor=request.user, problem=problem)
    except (ValidationError, NotPermitted) as exc:
        return refused(request, problem, exc)
    messages.success(
        request, _("已恢复计时，整改时限顺延至 %(d)s。") % {"d": problem.deadline or "—"}
    )
    return redirect(problem.get_absolute_url())


#: A workflow move by button (交办, 开始整改, 申请验收, 开始验收, 销号): the generic move view. Out of order or
#: incomplete → the workflow's message on the page (and the refusal in the timeline); a role that may not →
#: the 403 page with the reason.
problem_move = move_view(PROBLEM_WORKFLOW, problem_or_404)
