"""The forms on one case: 交办 (and 增派), the unit's 办理情况 (saved, or saved and reported), the office's
退回补充办理 / 继续办理 with a reason, 合并为重复件, 回访, and 建立整改问题 in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import ConcurrentEdit, Refusal
from ecoinspect.common.views import ServiceFormView
from ecoinspect.core.permissions import has_perm, restrict

from .. import numbers, selectors, services
from ..choices import PetitionStatus
from ..forms import AssignForm, HandlingForm, MergeForm, ReasonForm, VisitForm
from ..models import Petition
from ..services.cases import due_dates
from ..workflow import PETITION_WORKFLOW
from .cases import petition_or_404

#: Why a person may not do a kind of thing on a case (shown on the 403 page).
REFUSALS = {
    "petitions.assign": lambda: _("只有区督察迎检办可以执行此操作。"),
    "petitions.handle": lambda: _("只有承办该信访件的单位可以填写和反馈办理情况。"),
}


def refuse(perm: str) -> PermissionDenied:
    reason = REFUSALS.get(perm)
    return PermissionDenied(reason() if reason else None)


class PetitionFormView(ServiceFormView):
    """A form about one case: the case comes from the selector (404 outside one's scope), the permission
    is checked on it (403 with the reason), the page shows the case it is about."""

    template_name = "petitions/form.html"
    perm = "petitions.assign"
    workflow_action: str | None = None
    intro = ""

    def get_object(self):
        return petition_or_404(self.request, self.kwargs["pk"])

    def check_permission(self, obj) -> None:
        if not has_perm(self.request.user, self.perm, obj):
            raise refuse(self.perm)

    def state_note(self) -> str | None:
        if self.workflow_action and PETITION_WORKFLOW.lookup(self.object.status, self.workflow_action) is None:
            return _("当前状态“%(state)s”下不能执行“%(action)s”。") % {
                "state": self.object.get_status_display(),
                "action": PETITION_WORKFLOW.action_label(self.workflow_action),
            }
        return None

    def extra_context(self) -> dict:
        return {}

    def render_form(self, form, status=200):
        context = {
            "form": form,
            "title": self.title,
            "object": self.object,
            "petition": self.object,
            "assignments": selectors.assignment_rows(self.object),
            "intro": self.intro,
            "state_note": self.state_note(),
            "submit_label": self.submit_label,
            "cancel_url": self.object.get_absolute_url(),
            **self.extra_context(),
        }
        return render(self.request, self.template_name, context, status=status)

    def success_url(self, result) -> str:
        return self.object.get_absolute_url()

    def versioned(self, call):
        """Run ``call()``; when someone saved the case meanwhile, let the form be saved again knowingly
        (its version becomes the current one) and keep everything typed."""
        try:
            return call()
        except ConcurrentEdit:
            self.form.data = self.form.data.copy()
            self.form.data["version"] = str(Petition.objects.get(pk=self.object.pk).version)
            raise

    def get_form(self, data=None):
        self.form = self.make_form(data)
        return self.form

    def make_form(self, data=None):
        return self.form_class(data, initial={"version": self.object.version})


class AssignView(PetitionFormView):
    """交办 (or 增派 to a case already being worked): units and both due dates."""

    form_class = AssignForm
    title = _lazy("交办")
    submit_label = _lazy("交办")

    def make_form(self, data=None):
        return AssignForm(data, initial={"version": self.object.version}, defaults=due_dates(self.object))

    def state_note(self):
        if self.object.status not in (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED, PetitionStatus.VERIFYING):
            return _("当前状态“%(state)s”下不能交办或增派承办单位。") % {"state": self.object.get_status_display()}
        return None

    def extra_context(self) -> dict:
        internal, external = due_dates(self.object)
        rnd = self.object.round
        return {
            "about_clocks": _(
                "本轮时限：交办后 %(i)s 个工作日内向区督察迎检办反馈（%(di)s），%(e)s 个工作日内向督察组反馈（%(de)s）。"
            )
            % {"i": rnd.internal_days, "di": internal, "e": rnd.external_days, "de": external}
        }

    def perform(self, form):
        data = form.cleaned_data
        return self.versioned(
            lambda: services.petition_assign(
                actor=self.request.user,
                petition=self.object,
                lead=data["lead"],
                cooperating=list(data["cooperating"]),
                note=data["note"],
                internal_due=data["internal_due"],
                external_due=data["external_due"],
                expected_version=data["version"],
            )
        )

    def success_message(self, result) -> str:
        units = "、".join(str(a.unit) for a in result.assignments.select_related("unit"))
        return _("已交办：%(units)s。") % {"units": units}


class HandlingView(PetitionFormView):
    """办理情况: per claim the text, finding and verdict; the case's investigation, verdict, closure target,
    handling with the enforcement figures, closure status and accountability. 保存 keeps a draft;
    保存并反馈 also reports it to the office (both or neither)."""

    template_name = "petitions/handling_form.html"
    form_class = HandlingForm
    perm = "petitions.handle"
    title = _lazy("办理情况")
    workflow_action = "report"

    def make_form(self, data=None):
        claims = [{"text": c.text, "finding": c.finding, "verdict": c.verdict} for c in self.object.claims.all()]
        return HandlingForm(data, initial=HandlingForm.initial_for(self.object), claims_initial=claims)

    def state_note(self):
        if self.object.status != PetitionStatus.VERIFYING:
            return _("签收后、反馈前才能填写办理情况（当前状态：%(state)s）。") % {"state": self.object.get_status_display()}
        return None

    def perform(self, form):
        values = form.values()
        version = form.cleaned_data["version"]
        self.reporting = "report" in self.request.POST

        def save():
            with transaction.atomic():
                petition = services.petition_save_handling(
                    actor=self.request.user, petition=self.object, expected_version=version, **values
                )
                if self.reporting:
                    petition = services.petition_report(actor=self.request.user, petition=petition)
                return petition

        return self.versioned(save)

    def success_message(self, result) -> str:
        if self.reporting:
            return _("已反馈办理情况，等待区督察迎检办审核。")
        return _("办理情况已保存（尚未反馈）。")

    def success_url(self, result) -> str:
        if self.reporting:
            return self.object.get_absolute_url()
        return reverse("petitions:petition_handling", args=[self.object.pk])


class ReasonView(PetitionFormView):
    form_class = ReasonForm
    service = None

    def perform(self, form):
        data = form.cleaned_data
        return self.versioned(
            lambda: type(self).service(
                actor=self.request.user, petition=self.object, reason=data["reason"], expected_version=data["version"]
            )
        )


class SendBackView(ReasonView):
    service = staticmethod(services.petition_send_back)
    workflow_action = "send_back"
    title = _lazy("退回补充办理")
    intro = _lazy("写明需要补充核查或办理的内容；信访件退回承办单位，回到“核查中”。")
    submit_label = _lazy("退回")

    def success_message(self, result) -> str:
        return _("已退回承办单位补充办理。")


class ResumeView(ReasonView):
    service = staticmethod(services.petition_resume)
    workflow_action = "resume"
    title = _lazy("继续办理")
    intro = _lazy("阶段性办结或回访不满意的信访件继续办理；办结后再次公开。")
    submit_label = _lazy("继续办理")

    def success_message(self, result) -> str:
        return _("信访件已转回承办单位继续办理。")


class MergeView(PetitionFormView):
    """重复件: the case is the same complaint as an earlier one; it is handled through that one."""

    form_class = MergeForm
    workflow_action = "merge"
    title = _lazy("合并为重复件")
    intro = _lazy("合并后本件不再单独办理，随原件办理和公开；本件页面指向原件。")
    submit_label = _lazy("合并")

    def make_form(self, data=None):
        initial = {"version": self.object.version}
        return MergeForm(data, initial=initial)

    def _original(self, number: str) -> Petition:
        key = numbers.normalise(number)
        visible = restrict(Petition.objects.exclude(pk=self.object.pk), self.request.user, "petitions.view")
        same_round = visible.filter(round=self.object.round, acceptance_key=key).first()
        if same_round:
            return same_round
        found = list(visible.filter(acceptance_key=key).select_related("round")[:5])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError({"original": _("找不到受理编号为“%(n)s”的信访件。") % {"n": number}})
        rounds = "、".join(str(p.round) for p in found)
        raise ValidationError({"original": _("多个轮次都有受理编号“%(n)s”：%(r)s，请在原件页面核对。") % {"n": number, "r": rounds}})

    def perform(self, form):
        data = form.cleaned_data
        original = self._original(data["original"])
        return self.versioned(
            lambda: services.petition_merge(
                actor=self.request.user,
                petition=self.object,
                original=original,
                reason=data["reason"],
                expected_version=data["version"],
            )
        )

    def success_message(self, result) -> str:
        return _("已合并为 %(n)s 的重复件。") % {"n": result.duplicate_of}


class VisitView(PetitionFormView):
    """回访: satisfaction recorded; an unsatisfied visit on a disclosed case sends it back for handling."""

    form_class = VisitForm
    title = _lazy("登记回访")
    intro = _lazy("单位反馈办理情况后可回访。群众不满意的，写明意见；已公开的信访件将转回继续办理。")
    submit_label = _lazy("保存回访")

    def make_form(self, data=None):
        return VisitForm(data)

    def perform(self, form):
        services.return_visit_record(actor=self.request.user, petition=self.object, **form.cleaned_data)
        return Petition.objects.get(pk=self.object.pk)

    def success_message(self, result) -> str:
        if result.status == PetitionStatus.VERIFYING and self.object.status != PetitionStatus.VERIFYING:
            return _("已登记回访：群众不满意，信访件已转回继续办理。")
        return _("已登记回访。")


@login_required
@require_POST
def open_problem(request, pk: int):
    """建立整改问题: a substantiated case opens a ledger problem in one click; both pages link each other."""
    petition = petition_or_404(request, pk)
    if not has_perm(request.user, "petitions.assign", petition):
        raise refuse("petitions.assign")
    try:
        petition = services.petition_open_problem(actor=request.user, petition=petition)
    except (ValidationError, Refusal, PermissionDenied) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        problem = petition.problem
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("已建立整改问题："),
                problem.get_absolute_url(),
                problem.number,
            ),
        )
    return redirect(petition.get_absolute_url())
