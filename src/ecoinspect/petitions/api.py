"""The petitions JSON API under /api/v1/petitions/ — the same selectors, filters, services and scoping as
the pages.

Every write finds its case through the selector first (404 outside one's scope, whatever the body), then
reads the body (400 naming each field), then calls one service. A move the workflow refuses is 409 with the
workflow's message (and is logged); a stale ``version`` is 409 ``conflict``; a missing permission on a case
one may see is 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Query, Router, Status

from ecoinspect.common.api import limit_query, offset_query
from ecoinspect.common.errors import ConcurrentEdit
from ecoinspect.common.filters import bound_filters
from ecoinspect.core.api import ErrorOut, error_responses, read_body, unit_by_id, units_by_id
from ecoinspect.core.permissions import restrict

from . import api_schemas as s
from . import selectors, services
from .filters import PetitionFilter
from .models import Petition, Suggestion

router = Router(tags=["petitions"])


#: What a write on a case answers: the case in detail, or why not.
DETAIL = {200: s.PetitionDetailOut, **error_responses(400, 403, 404, 409)}


def _petition(request, petition_id: int) -> Petition:
    """The case through its selector: 404 for a case outside one's scope (or none)."""
    return selectors.petition_get(user=request.user, pk=petition_id)


_detail = _petition


def _conflict(exc: ConcurrentEdit):
    return Status(409, {"detail": "；".join(exc.messages), "code": "conflict", "errors": None})


def _write(request, petition_id: int, call):
    """Find the case (404), run ``call(petition)`` (which reads the body and calls the service), answer the
    case in detail — or 409 when someone saved it meanwhile."""
    petition = _petition(request, petition_id)
    try:
        call(petition)
    except ConcurrentEdit as exc:
        return _conflict(exc)
    return _detail(request, petition.pk)


# --- reading ------------------------------------------------------------------------------------------


@router.get("/cases", response={200: s.PetitionPageOut, 400: ErrorOut}, summary="信访件列表（与页面相同的筛选参数，分页）")
def petition_list(
    request,
    limit: int = limit_query(),
    offset: int = offset_query(),
    q: str | None = None,
    status: list[str] | None = Query(None),  # noqa: B008  (repeatable)
    batch: int | None = None,
    round: int | None = None,
    problem_type: str | None = None,
    town: int | None = None,
    unit: int | None = None,
    due: str | None = None,
    todo: bool | None = None,
    flagged: bool | None = None,
    sort: str | None = None,
):
    """Every PetitionFilter field is accepted (``verdict``, ``closure_status``, ``origin``, ``role``,
    ``is_key``, ``is_supervised``, ``received_from``, ``received_to`` too); an invalid value is a 400."""
    qs = selectors.petition_list(user=request.user, filters=bound_filters(request, PetitionFilter))
    items = list(qs.prefetch_related("assignments__unit")[offset : offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.get(
    "/cases/{petition_id}",
    response={200: s.PetitionDetailOut, **error_responses(404)},
    summary="一件信访件（办理情况、逐项核查、导入建议及确认、回访、重复件）",
)
def petition_detail(request, petition_id: int):
    return _petition(request, petition_id)


# --- the case's life ----------------------------------------------------------------------------------


@router.post("/cases/{petition_id}/assign", response=DETAIL, summary="交办（或增派）：牵头、配合单位及两个时限")
def petition_assign(request, petition_id: int):
    def call(petition):
        body = read_body(request, s.AssignIn)
        services.petition_assign(
            actor=request.user,
            petition=petition,
            lead=unit_by_id(body.lead, "lead"),
            cooperating=units_by_id(body.cooperating, "cooperating"),
            note=body.note,
            internal_due=body.internal_due,
            external_due=body.external_due,
            expected_version=body.version,
        )

    return _write(request, petition_id, call)


def _versioned(service):
    def call_for(request):
        def call(petition):
            body = read_body(request, s.VersionIn)
            service(actor=request.user, petition=petition, expected_version=body.version)

        return call

    return call_for


@router.post("/cases/{petition_id}/sign", response=DETAIL, summary="签收")
def petition_sign(request, petition_id: int):
    return _write(request, petition_id, _versioned(services.petition_sign)(request))


@router.put(
    "/cases/{petition_id}/handling",
    response=DETAIL,
    summary="保存办理情况（逐项核查、结论、处理、边督边改数字；report=true 时同时反馈）",
)
def petition_handling(request, petition_id: int):
    def call(petition):
        body = read_body(request, s.HandlingIn)
        values = body.model_dump(exclude_none=True, exclude={"version", "report", "claims"})
        claims = [c.model_dump() for c in body.claims] if body.claims is not None else None
        with transaction.atomic():
            saved = services.petition_save_handling(
                actor=request.user, petition=petition, claims=claims, expected_version=body.version, **values
            )
            if body.report:
                services.petition_report(actor=request.user, petition=saved)

    return _write(request, petition_id, call)


@router.post("/cases/{petition_id}/report", response=DETAIL, summary="反馈办理情况（提交区督察迎检办审核）")
def petition_report(request, petition_id: int):
    return _write(request, petition_id, _versioned(services.petition_report)(request))


def _reasoned(service):
    def call_for(request):
        def call(petition):
            body = read_body(request, s.ReasonIn)
            service(actor=request.user, petition=petition, reason=body.reason, expected_version=body.version)

        return call

    return call_for


@router.post("/cases/{petition_id}/send-back", response=DETAIL, summary="退回补充办理（须写明理由）")
def petition_send_back(request, petition_id: int):
    return _write(request, petition_id, _reasoned(services.petition_send_back)(request))


@router.post("/cases/{petition_id}/approve", response=DETAIL, summary="审核通过")
def petition_approve(request, petition_id: int):
    return _write(request, petition_id, _versioned(services.petition_approve)(request))


@router.post("/cases/{petition_id}/resume", response=DETAIL, summary="继续办理（阶段性办结或回访不满意，须写明理由）")
def petition_resume(request, petition_id: int):
    return _write(request, petition_id, _reasoned(services.petition_resume)(request))


@router.post("/cases/{petition_id}/close-out", response=DETAIL, summary="销号（已办结且已公开的信访件）")
def petition_close_out(request, petition_id: int):
    return _write(request, petition_id, _versioned(services.petition_close_out)(request))


@router.post("/cases/{petition_id}/merge", response=DETAIL, summary="合并为重复件（指向原件）")
def petition_merge(request, petition_id: int):
    def call(petition):
        body = read_body(request, s.MergeIn)
        try:
            original = selectors.petition_get(user=request.user, pk=body.original)
        except Http404 as exc:
            raise ValidationError({"original": ["找不到该原件 / No such original case"]}) from exc
        services.petition_merge(
            actor=request.user, petition=petition, original=original, reason=body.reason, expected_version=body.version
        )

    return _write(request, petition_id, call)


@router.post("/cases/{petition_id}/marks", response=DETAIL, summary="标记或取消重点件、督办")
def petition_mark(request, petition_id: int):
    def call(petition):
        body = read_body(request, s.MarkIn)
        services.petition_mark(
            actor=request.user, petition=petition, is_key=body.is_key, is_supervised=body.is_supervised
        )

    return _write(request, petition_id, call)


@router.post("/cases/{petition_id}/visits", response=DETAIL, summary="登记回访（不满意的已公开件转回继续办理）")
def petition_visit(request, petition_id: int):
    def call(petition):
        body = read_body(request, s.VisitIn)
        services.return_visit_record(actor=request.user, petition=petition, **body.model_dump())

    return _write(request, petition_id, call)


@router.post("/cases/{petition_id}/problem", response=DETAIL, summary="为属实的信访件建立整改问题（整改台账）")
def petition_open_problem(request, petition_id: int):
    def call(petition):
        body = read_body(request, s.OpenProblemIn)
        services.petition_open_problem(actor=request.user, petition=petition, deadline=body.deadline)

    return _write(request, petition_id, call)


# --- the suggestions made at import -------------------------------------------------------------------


def _suggestion(request, suggestion_id: int) -> Suggestion:
    try:
        return restrict(Suggestion.objects.select_related("petition"), request.user, "petitions.view").get(
            pk=suggestion_id
        )
    except Suggestion.DoesNotExist as exc:
        raise Http404 from exc


SUGGESTION_ACTIONS = {"accept", "correct", "dismiss"}


@router.post(
    "/suggestions/{suggestion_id}/{action}",
    response=DETAIL,
    summary="确认导入建议：accept（采纳；重复件即合并）、correct（更正，body {value}）、dismiss（不采纳）",
)
def suggestion_decide(request, suggestion_id: int, action: str):
    suggestion = _suggestion(request, suggestion_id)
    if action not in SUGGESTION_ACTIONS:
        raise Http404
    if action == "correct":
        body = read_body(request, s.CorrectIn)
        services.suggestion_correct(actor=request.user, suggestion=suggestion, value=body.value)
    elif action == "accept":
        services.suggestion_accept(actor=request.user, suggestion=suggestion)
    else:
        services.suggestion_dismiss(actor=request.user, suggestion=suggestion)
    return _detail(request, suggestion.petition_id)
