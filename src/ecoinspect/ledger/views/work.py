"""The units' work on a problem: measures, progress reports with evidence, special plans, joint enforcement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import AlreadySubmitted, NotPermitted
from ecoinspect.common.views import form_add_service_errors, service_refused
from ecoinspect.core.permissions import restrict
from ecoinspect.core.uploads import UploadLimitMixin
from ecoinspect.core.workflow import WorkflowError

from .. import services
from ..choices import EvidenceKind
from ..forms import (
    EvidenceForm,
    JointActionForm,
    MeasureCompleteForm,
    MeasureForm,
    MilestoneFormSet,
    PlanDecisionForm,
    ProgressReportForm,
    SpecialPlanForm,
)
from ..models import Measure, SpecialPlan
from .base import ProblemFormView, require_perm


class MeasureAddView(ProblemFormView):
    form_class = MeasureForm
    title = _lazy("新增整改措施")
    intro = _lazy("每项措施有自己的责任单位、责任人和完成时限。")

    def get_form(self, data=None):
        return self.form_class(data, initial={"owner_unit": self.object.lead_unit_id})

    def perform(self, form):
        return services.measure_add(actor=self.request.user, problem=self.object, **form.cleaned_data)

    def success_url(self, result) -> str:
        return self.object.get_absolute_url() + "#measures"

    def success_message(self, result) -> str:
        return _("已新增整改措施。")


@login_required
@require_POST
def measure_complete(request, pk: int):
    try:
        measure = restrict(Measure.objects.select_related("problem"), request.user, "view").get(pk=pk)
    except Measure.DoesNotExist as exc:
        raise Http404 from exc
    require_perm(request, "ledger.work", measure.problem)
    form = MeasureCompleteForm(request.POST)
    back = measure.problem.get_absolute_url() + "#measures"
    if not form.is_valid():
        messages.error(request, _("请填写有效的完成日期。"))
        return redirect(back)
    try:
        services.measure_complete(actor=request.user, measure=measure, done_on=form.cleaned_data["done_on"])
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        service_refused(request, exc)
        return redirect(back)
    messages.success(request, _("措施已标记完成。"))
    return redirect(back)


class ReportAddView(UploadLimitMixin, ProblemFormView):
    """进展报送: dated text and completion status, optionally with one evidence file."""

    form_class = ProgressReportForm
    title = _lazy("报送整改进展")
    intro = _lazy("报送的完成进度即为问题的当前完成进度。佐证材料按内容校验，记录 SHA-256。")

    def perform(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            report = services.progress_report_add(
                actor=self.request.user,
                problem=self.object,
                text=data["text"],
                progress_status=data["progress_status"],
                reported_on=data["reported_on"],
                submission_key=data["submission_key"],
            )
            if data["file"] is not None:
                services.evidence_add(
                    actor=self.request.user,
                    problem=self.object,
                    uploaded=data["file"],
                    kind=data["kind"] or EvidenceKind.PHOTO,
                    report=report,
                )
        return report

    def success_url(self, result) -> str:
        return self.object.get_absolute_url() + "#cycles"

    def success_message(self, result) -> str:
        return _("已报送整改进展。")


class EvidenceAddView(UploadLimitMixin, ProblemFormView):
    form_class = EvidenceForm
    title = _lazy("上传佐证材料")
    intro = _lazy(
        "可上传现场照片（JPG/PNG/WebP/GIF）、PDF、Word（.docx）、Excel（.xlsx）、MP4 视频；文件内容须与文件名相符。"
    )
    submit_label = _lazy("上传")

    def get_form_kwargs(self) -> dict:
        return {"problem": self.object}

    def perform(self, form):
        data = form.cleaned_data
        return services.evidence_add(
            actor=self.request.user,
            problem=self.object,
            uploaded=data["file"],
            kind=data["kind"],
            description=data["description"],
            report=data["report"],
            submission_key=data["submission_key"],
        )

    def success_url(self, result) -> str:
        return self.object.get_absolute_url() + "#cycles"

    def success_message(self, result) -> str:
        return _("已上传 %(name)s（SHA-256 %(h)s…）。") % {
            "name": result.original_name,
            "h": result.sha256[:12],
        }


class PlanSubmitView(ProblemFormView):
    """专项整改方案: goals, measures and milestone rows (add as many as needed)."""

    form_class = SpecialPlanForm
    template_name = "ledger/plan_form.html"
    title = _lazy("提交专项整改方案")
    intro = _lazy("重点问题须经区督察迎检办批准专项整改方案后方可开始整改。")
    submit_label = _lazy("提交方案")

    def get_formset(self, data=None):
        return MilestoneFormSet(data, prefix="milestones")

    def extra_context(self) -> dict:
        return {"formset": getattr(self, "formset", None) or self.get_formset()}

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        self.formset = self.get_formset(request.POST)
        if not (form.is_valid() & self.formset.is_valid()):
            return self.render_form(form, status=400)
        milestones = [
            {"date": f.cleaned_data["date"].isoformat(), "content": f.cleaned_data["content"]}
            for f in self.formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.special_plan_submit(
                actor=request.user,
                problem=self.object,
                goals=form.cleaned_data["goals"],
                measures=form.cleaned_data["measures"],
                milestones=milestones,
                submission_key=form.cleaned_data["submission_key"],
            )
        except AlreadySubmitted as exc:
            messages.info(request, exc.messages[0])
            return HttpResponseRedirect(self.object.get_absolute_url() + "#plans")
        except NotPermitted as exc:
            service_refused(request, exc)
            return self.render_form(form, status=403)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.render_form(form, status=400)
        messages.success(request, _("专项整改方案已提交，待区督察迎检办审批。"))
        return HttpResponseRedirect(self.object.get_absolute_url() + "#plans")


@login_required
@require_POST
def plan_decide(request, pk: int):
    """The inspection office approves a special plan or returns it with a note."""
    try:
        plan = restrict(SpecialPlan.objects.select_related("problem"), request.user, "view").get(pk=pk)
    except SpecialPlan.DoesNotExist as exc:
        raise Http404 from exc
    require_perm(request, "ledger.assign", plan.problem)
    back = plan.problem.get_absolute_url() + "#plans"
    form = PlanDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或退回修改。"))
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.special_plan_decide(
            actor=request.user, plan=plan, approve=approve, note=form.cleaned_data["note"]
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except (ValidationError, WorkflowError) as exc:
        service_refused(request, exc)
        return redirect(back)
    messages.success(
        request, _("方案已批准。") if approve else _("方案已退回修改。")
    )
    return redirect(back)


class JointActionAddView(ProblemFormView):
    form_class = JointActionForm
    title = _lazy("录入联合执法")
    intro = _lazy("复杂问题由多部门联合执法：写明参加部门、日期、发现的问题和处理措施。")

    def get_form(self, data=None):
        lead = self.object.lead_unit_id
        return self.form_class(data, initial={"units": [lead] if lead else []})

    def perform(self, form):
        return services.joint_action_record(actor=self.request.user, problem=self.object, **form.cleaned_data)

    def success_url(self, result) -> str:
        return self.object.get_absolute_url() + "#joint-actions"

    def success_message(self, result) -> str:
        return _("已录入联合执法情况。")
