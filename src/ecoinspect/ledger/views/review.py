"""Acceptance (验收), closing publicity (销号公示) with its objections, and reopening (反弹)."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import services
from ..forms import AcceptForm, ObjectionForm, PublicityForm, RejectForm, ReopenForm
from ..services.review import publicity_start_range, rest_day_warning
from .base import ProblemFormView


class AcceptView(ProblemFormView):
    form_class = AcceptForm
    perm = "ledger.review"
    workflow_action = "accept"
    title = _lazy("验收通过")
    intro = _lazy("记录验收日期、方式（现场核查或资料审核）和验收意见。通过后由信息公开发布人发布销号公示。")
    submit_label = _lazy("验收通过")

    def perform(self, form):
        return services.problem_accept(actor=self.request.user, problem=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        return _("验收通过，待发布销号公示。")


class RejectView(ProblemFormView):
    form_class = RejectForm
    perm = "ledger.review"
    workflow_action = "reject"
    title = _lazy("验收退回")
    intro = _lazy("退回后问题回到整改中，牵头单位按退回理由继续整改。")
    submit_label = _lazy("退回整改")

    def perform(self, form):
        return services.problem_reject(actor=self.request.user, problem=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        return _("已退回整改。")


class PublicityStartView(ProblemFormView):
    form_class = PublicityForm
    perm = "ledger.publish"
    workflow_action = "start_publicity"
    title = _lazy("发布销号公示")
    intro = _lazy("公示期为 10 个工作日或 2 周；公示期满且无异议方可销号。")
    submit_label = _lazy("发布公示")

    def get_form(self, data=None):
        form = super().get_form(data)
        earliest, latest, label = publicity_start_range(self.object)
        form.fields["starts_on"].help_text = _("可选 %(lo)s（%(what)s）至 %(hi)s；遇休息日将提示。") % {
            "lo": earliest.isoformat(),
            "what": label,
            "hi": latest.isoformat(),
        }
        return form

    def perform(self, form):
        result = services.publicity_start(actor=self.request.user, problem=self.object, **form.cleaned_data)
        warning = rest_day_warning(form.cleaned_data["starts_on"])
        if warning:
            messages.warning(self.request, warning)
        return result

    def success_message(self, result) -> str:
        publicity = result.publicities.filter(cycle=result.cycle).order_by("-pk").first()
        return _("已发布销号公示，公示期至 %(d)s。") % {"d": publicity.ends_on}


class ObjectionView(ProblemFormView):
    form_class = ObjectionForm
    perm = "ledger.publish"
    workflow_action = "uphold_objection"
    title = _lazy("登记公示异议")
    intro = _lazy("异议成立的，问题退回整改；不成立的，记录核查意见，公示期满后可销号。")

    def perform(self, form):
        return services.publicity_objection(actor=self.request.user, problem=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        if result.status == "rectifying":
            return _("异议成立，问题已退回整改。")
        return _("已记录异议及核查意见。")


class ReopenView(ProblemFormView):
    form_class = ReopenForm
    perm = "ledger.assign"
    workflow_action = "reopen"
    title = _lazy("反弹重启")
    intro = _lazy("重启后开始新一轮整改；此前各轮的进展、佐证材料、验收和公示记录保留并按轮次显示。")
    submit_label = _lazy("反弹重启")

    def perform(self, form):
        return services.problem_reopen(actor=self.request.user, problem=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        return _("已反弹重启，进入第 %(n)s 轮整改。") % {"n": result.cycle}
