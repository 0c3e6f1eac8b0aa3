"""The case list, a case's page and its button moves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.selectors import action_log_for
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.tables import Column
from ecoinspect.common.views import FilteredListView
from ecoinspect.core.moves import move_view
from ecoinspect.core.permissions import has_perm

from .. import selectors
from ..choices import ClosureStatus, PetitionStatus, Verdict
from ..filters import BatchFilter, PetitionFilter
from ..models import Petition
from ..workflow import PETITION_WORKFLOW


def _types(petition: Petition) -> str:
    return "、".join(str(ProblemType.label(t)) for t in petition.problem_types) or petition.type_text


PETITION_COLUMNS = (
    Column("acceptance_no", _lazy("受理编号"), sort="number", link=True),
    Column("batch", _lazy("批次")),
    Column("complaint_text", _lazy("交办问题基本情况"), css="eco-col-title"),
    Column("town", _lazy("属地镇街")),
    Column("problem_types", _lazy("问题类型"), accessor=_types),
    Column("received_on", _lazy("交办日期"), sort="received"),
    Column("status", _lazy("状态"), choiceset=PetitionStatus, sort="status"),
    Column("verdict", _lazy("是否属实"), choiceset=Verdict),
    Column("closure_status", _lazy("是否办结"), choiceset=ClosureStatus),
)


class PetitionListView(FilteredListView):
    title = _lazy("交办信访件")
    columns = PETITION_COLUMNS
    filterset_class = PetitionFilter
    export_name = "petitions"
    list_perm = "petitions.view"

    def selector(self, *, user, filters):
        return selectors.petition_list(user=user, filters=filters)


class BatchListView(FilteredListView):
    title = _lazy("交办批次")
    columns = (
        Column("number", _lazy("批次"), accessor=lambda b: str(b), sort="number", link=True),
        Column("received_on", _lazy("交办日期"), sort="received"),
        Column("origin", _lazy("来源"), accessor=lambda b: b.get_origin_display()),
        Column("file_name", _lazy("原文件名")),
    )
    filterset_class = BatchFilter
    export_name = "batches"
    list_perm = "petitions.view"
    template_name = "petitions/batch_list.html"

    def selector(self, *, user, filters):
        return selectors.batch_list(user=user, filters=filters)

    def extra_context(self, request) -> dict:
        return {"can_import": request.user.has_perm("petitions.assign")}


def petition_or_404(request, pk: int) -> Petition:
    return selectors.petition_get(user=request.user, pk=pk)


@login_required
def petition_detail(request, pk: int):
    petition = petition_or_404(request, pk)
    context = {
        "petition": petition,
        "title": str(petition),
        "assignments": selectors.assignments_of(petition),
        "claims": petition.claims.all(),
        "visits": petition.visits.select_related("recorded_by"),
        "buttons": PETITION_WORKFLOW.buttons(petition, request.user),
        "timeline": list(action_log_for(obj=petition)[:100]),
    }
    return render(request, "petitions/petition_detail.html", context)


@login_required
def batch_detail(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    petitions = selectors.petition_list(user=request.user).filter(batch=batch).order_by("seq", "pk")
    return render(
        request,
        "petitions/batch_detail.html",
        {
            "batch": batch,
            "title": str(batch),
            "petitions": petitions,
            "can_publish": has_perm(request.user, "petitions.publish"),
        },
    )


petition_move = move_view(PETITION_WORKFLOW, petition_or_404)
