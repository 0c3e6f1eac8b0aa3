"""督办单: the inspection office supervises a unit's overdue or lagging problems; the unit replies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.selectors import action_log_for
from ecoinspect.common.export import download
from ecoinspect.common.tables import Column
from ecoinspect.common.views import FilteredListView, ServiceFormView
from ecoinspect.core.moves import move_view
from ecoinspect.orgs.models import Unit

from .. import exporters, selectors, services
from ..choices import OPEN_STATES, NoticeStatus
from ..filters import ProblemFilter
from ..forms import NoticeFilter, NoticeForm, NoticeReplyForm, NoticeReturnForm, working_units
from ..models import SupervisionNotice
from ..workflow import NOTICE_WORKFLOW
from .base import require_perm


class NoticeListView(FilteredListView):
    title = _lazy("督办单")
    intro = _lazy("对逾期或进度滞后的问题向责任单位下发督办单；单位回复后由区督察迎检办办结或退回。")
    filterset_class = NoticeFilter
    export_name = "督办单"
    create_url = reverse_lazy("ledger:notice_create")
    list_perm = "ledger.view"
    create_perm = "ledger.assign"
    columns = (
        Column("number", _lazy("督办单编号"), sort="number", link=True, css="text-nowrap"),
        Column("unit", _lazy("督办对象")),
        Column("problem_count", _lazy("督办问题数")),
        Column("requirements", _lazy("督办要求"), accessor=lambda n: n.requirements[:60]),
        Column("reply_due", _lazy("回复期限"), sort="due"),
        Column("status", _lazy("状态"), choiceset=NoticeStatus, sort="status"),
        Column("issued_at", _lazy("督办时间"), sort="issued"),
        Column("replied_at", _lazy("回复时间")),
    )

    def selector(self, *, user, filters):
        return selectors.notice_list(user=user, filters=filters)


def candidate_problems(user, unit):
    """The unit's open problems (it leads or co-handles them), overdue and warned ones first."""
    filters = ProblemFilter(
        {"unit": str(unit.pk), "status": list(OPEN_STATES), "sort": "deadline"}, user=user
    )
    return selectors.problem_list(user=user, filters=filters)


def _unit_from(value):
    try:
        return working_units().get(pk=int(value))
    except (TypeError, ValueError, Unit.DoesNotExist):
        return None


class NoticeCreateView(ServiceFormView):
    template_name = "ledger/notice_form.html"
    form_class = NoticeForm
    perm = "ledger.assign"
    title = _lazy("下发督办单")
    submit_label = _lazy("下发")
    cancel_url = reverse_lazy("ledger:notice_list")

    def check_permission(self, obj) -> None:
        require_perm(self.request, "ledger.assign")

    def get_form(self, data=None):
        initial = {}
        if data is None:
            initial = {"unit": self.request.GET.get("unit"), "problems": self.request.GET.getlist("problems")}
        form = self.form_class(
            data, initial=initial, problems=selectors.problem_queryset(user=self.request.user)
        )
        form.fields["unit"].widget.attrs.update(
            {
                "hx-get": reverse("ledger:notice_problems"),
                "hx-target": "#notice-problems",
                "hx-trigger": "change",
            }
        )
        return form

    def render_form(self, form, status=200):
        unit = _unit_from(form.data.get("unit") if form.is_bound else form.initial.get("unit"))
        selected = form.data.getlist("problems") if form.is_bound else form.initial.get("problems") or []
        context = {
            "form": form,
            "title": self.title,
            "submit_label": self.submit_label,
            "cancel_url": self.cancel_url,
            "unit": unit,
            "candidates": candidate_problems(self.request.user, unit) if unit else None,
            "selected": {str(s) for s in selected},
        }
        return render(self.request, self.template_name, context, status=status)

    def perform(self, form):
        data = form.cleaned_data
        return services.notice_issue(
            actor=self.request.user,
            unit=data["unit"],
            problems=list(data["problems"]),
            requirements=data["requirements"],
            reply_due=data["reply_due"],
            submission_key=data["submission_key"],
        )

    def success_message(self, result) -> str:
        return _("已向 %(u)s 下发督办单 %(n)s。") % {"u": result.unit, "n": result.number}


@login_required
def notice_problems(request):
    """HTMX: the chosen unit's open problems as checkboxes for the notice form."""
    require_perm(request, "ledger.assign")
    unit = _unit_from(request.GET.get("unit"))
    return render(
        request,
        "ledger/_notice_problems.html",
        {
            "unit": unit,
            "candidates": candidate_problems(request.user, unit) if unit else None,
            "selected": set(request.GET.getlist("problems")),
        },
    )


def notice_or_404(request, pk: int) -> SupervisionNotice:
    try:
        return selectors.notice_get(user=request.user, pk=pk)
    except SupervisionNotice.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def notice_detail(request, pk: int):
    notice = notice_or_404(request, pk)
    actions = {t.action for t in NOTICE_WORKFLOW.available(notice, request.user)}
    buttons = NOTICE_WORKFLOW.buttons(notice, request.user)
    problems = (
        selectors.problem_queryset(user=request.user)
        .filter(notices=notice)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    context = {
        "notice": notice,
        "title": str(notice),
        "problems": problems,
        "timeline": list(action_log_for(obj=notice)[:100]),
        "reply_form": NoticeReplyForm() if "reply" in actions else None,
        "buttons": buttons,
    }
    return render(request, "ledger/notice_detail.html", context)


@login_required
def notice_docx(request, pk: int):
    """The notice as a Word document (督办单), for sending and filing: the problems one may see on it."""
    notice = notice_or_404(request, pk)
    problems = (
        selectors.problem_queryset(user=request.user)
        .filter(notices=notice)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    content = exporters.supervision_notice_docx(notice, problems)
    return download(content, f"督办单-{notice.number}.docx", "docx")


class NoticeFormView(ServiceFormView):
    template_name = "ledger/notice_action_form.html"

    def get_object(self):
        return notice_or_404(self.request, self.kwargs["pk"])

    def check_permission(self, obj) -> None:
        require_perm(self.request, self.perm, obj)

    def render_form(self, form, status=200):
        context = {
            "form": form,
            "title": self.title,
            "notice": self.object,
            "submit_label": self.submit_label,
            "cancel_url": self.object.get_absolute_url(),
        }
        return render(self.request, self.template_name, context, status=status)


class NoticeReplyView(NoticeFormView):
    form_class = NoticeReplyForm
    perm = "ledger.work"
    title = _lazy("回复督办单")
    submit_label = _lazy("提交回复")

    def perform(self, form):
        return services.notice_reply(
            actor=self.request.user, notice=self.object, reply=form.cleaned_data["reply"]
        )

    def success_message(self, result) -> str:
        return _("已回复督办单。")


class NoticeReturnView(NoticeFormView):
    form_class = NoticeReturnForm
    perm = "ledger.assign"
    title = _lazy("退回督办回复")
    submit_label = _lazy("退回")

    def perform(self, form):
        return services.notice_return(
            actor=self.request.user, notice=self.object, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return _("已退回，责任单位须重新回复。")


#: A notice's moves by button (督办办结): the generic move view, at /notices/<pk>/close/.
notice_move = move_view(NOTICE_WORKFLOW, notice_or_404)
