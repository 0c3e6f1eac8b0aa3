"""The problem list's actions bar (批量操作): 交办, 调整时限 and 导出 for the ticked problems.

Each write goes through the services of one problem (``services.problems_assign`` /
``problems_extend_deadline``: one transaction per row); the page that follows says row by row what was done
and what was refused, and why. The export has exactly the columns of the list's own export."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoinspect.common.export import download, xlsx_bytes
from ecoinspect.common.tables import export_rows

from .. import selectors, services
from ..forms import ProblemSelectionForm
from .base import require_perm
from .lists import PROBLEM_COLUMNS


def _back(request) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith("/"):
        return target
    return reverse("ledger:problem_list")


@require_POST
def problem_selection(request):
    """Do the chosen action to the ticked problems one may see (others are ignored as if not ticked)."""
    require_perm(request, "ledger.assign")
    form = ProblemSelectionForm(request.POST)
    back = _back(request)
    if not form.is_valid():
        return render(
            request,
            "ledger/selection_result.html",
            {"title": _("批量操作"), "form": form, "outcome": None, "back": back},
            status=400,
        )
    data = form.cleaned_data
    ids = list(dict.fromkeys(data["problems"]))
    chosen = {p.pk: p for p in selectors.problem_list(user=request.user).filter(pk__in=ids)}
    problems = [chosen[pk] for pk in ids if pk in chosen]
    if data["action"] == ProblemSelectionForm.EXPORT:
        headers, rows = export_rows(PROBLEM_COLUMNS, problems)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return download(xlsx_bytes(headers, rows, title=_("整改台账")), f"整改台账-所选-{stamp}.xlsx", "xlsx")
    if data["action"] == ProblemSelectionForm.ASSIGN:
        outcome = services.problems_assign(actor=request.user, problems=problems)
    else:
        outcome = services.problems_extend_deadline(
            actor=request.user, problems=problems, new_deadline=data["new_deadline"], reason=data["reason"]
        )
    return render(
        request,
        "ledger/selection_result.html",
        {"title": outcome.action, "form": form, "outcome": outcome, "back": back},
    )

