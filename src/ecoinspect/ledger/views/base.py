"""What the ledger's pages share: loading a problem through its selector, refusing with a reason, and
forms about one problem (uploads are guarded by :mod:`ecoinspect.core.uploads`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ecoinspect.common.views import ServiceFormView
from ecoinspect.core.permissions import has_perm

from .. import selectors
from ..models import Problem
from ..workflow import PROBLEM_WORKFLOW

#: Why a person may not do a kind of thing on a problem (shown on the 403 page).
REFUSALS = {
    "ledger.assign": lambda: _(
        "只有区督察迎检办可以执行此操作。"
    ),
    "ledger.work": lambda: _(
        "只有该问题的牵头或配合单位可以办理。"
    ),
    "ledger.review": lambda: _(
        "只有该问题的验收销号单位可以验收。"
    ),
    "ledger.publish": lambda: _(
        "只有信息公开发布人可以办理公示和销号。"
    ),
}


def refuse(perm: str) -> PermissionDenied:
    reason = REFUSALS.get(perm)
    return PermissionDenied(reason() if reason else None)


def problem_or_404(request, pk: int) -> Problem:
    try:
        return selectors.problem_get(user=request.user, pk=pk)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc


def require_perm(request, perm: str, obj=None) -> None:
    if not has_perm(request.user, perm, obj):
        raise refuse(perm)


class ProblemFormView(ServiceFormView):
    """A form about one problem: the problem comes from the selector (404 outside one's scope), the
    permission is checked on it (403 with the reason), and the page shows the problem it is about."""

    template_name = "ledger/form.html"
    perm = "ledger.work"
    #: The workflow move this form makes, if any: the page warns when it is not possible in this state.
    workflow_action: str | None = None
    multipart = False
    intro = ""

    def get_object(self):
        return problem_or_404(self.request, self.kwargs["pk"])

    def check_permission(self, obj) -> None:
        require_perm(self.request, self.perm, obj)

    def extra_context(self) -> dict:
        return {}

    def state_note(self) -> str | None:
        if self.workflow_action and PROBLEM_WORKFLOW.lookup(self.object.status, self.workflow_action) is None:
            return _("当前状态“%(state)s”下不能执行“%(action)s”。") % {
                "state": self.object.get_status_display(),
                "action": PROBLEM_WORKFLOW.action_label(self.workflow_action),
            }
        return None

    def render_form(self, form, status=200):
        context = {
            "form": form,
            "title": self.title,
            "object": self.object,
            "problem": self.object,
            "intro": self.intro,
            "multipart": self.multipart,
            "state_note": self.state_note(),
            "upload_error": getattr(self, "upload_error", None),
            "submit_label": self.submit_label,
            "cancel_url": self.cancel_url or self.object.get_absolute_url(),
            **self.extra_context(),
        }
        return render(self.request, self.template_name, context, status=status)

    def success_url(self, result) -> str:
        return self.object.get_absolute_url()
