"""The ledger's JSON API under /api/v1/ledger/ — the same selectors, services and scoping as the pages.

Every handler finds its record through a selector first (404 outside one's scope), then reads the body,
then calls one service. Refused workflow moves are 409 with the workflow's message (and are logged);
a stale ``version`` is 409 ``conflict``; other refusals use the common shape
``{"detail", "code", "errors"}`` with messages in the person's language.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ecoinspect.common.api import limit_query, offset_query
from ecoinspect.common.errors import ConcurrentEdit
from ecoinspect.common.filters import bound_filters
from ecoinspect.core.api import ErrorOut, error_responses, read_body
from ecoinspect.core.permissions import restrict
from ecoinspect.orgs.models import Unit

from . import api_schemas as s
from . import selectors, services
from .filters import ProblemFilter
from .models import Evidence, Measure, Problem, SpecialPlan, SupervisionNotice

router = Router(tags=["ledger"])



def _problem(request, problem_id: int) -> Problem:
    try:
        return selectors.problem_get(user=request.user, pk=problem_id)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc


def _detail(request, problem_id: int) -> s.ProblemDetail:
    return s.ProblemDetail(selectors.problem_detail(user=request.user, pk=problem_id))


#: What a write on a problem answers: the problem in detail, or why not.
DETAIL = {200: s.ProblemDetailOut, **error_responses(400, 403, 404)}


def _conflict(exc: ConcurrentEdit):
    return Status(409, {"detail": "；".join(exc.messages), "code": "conflict", "errors": None})


# --- problems -----------------------------------------------------------------------------------------


@router.get(
    "/problems",
    response={200: s.ProblemPageOut, 400: ErrorOut},
    summary="整改问题列表（与台账页面相同的筛选参数，分页）",
)
def problem_list(
    request,
    limit: int = limit_query(),
    offset: int = offset_query(),
    q: str | None = None,
    status: list[str] | None = Query(None),  # noqa: B008  (repeatable: ?status=a&status=b)
    source: str | None = None,
    problem_type: str | None = None,
    warning: str | None = None,
    unit: str | None = None,
    involvement: str | None = None,
    due: str | None = None,
    sort: str | None = None,
):
    """Every ProblemFilter field is accepted (``handling_mode``, ``severity``, ``progress_status``,
    ``is_key``, ``is_complex``, ``registered_from``, ``registered_to`` too); an invalid value is a 400.
    Each item carries its ``warning`` colour for today."""
    qs = selectors.problem_list(user=request.user, filters=bound_filters(request, ProblemFilter))
    items = list(qs.select_related("supervising_unit")[offset : offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.post(
    "/problems", response={200: s.ProblemDetailOut, **error_responses(400, 403)}, summary="登记整改问题"
)
def problem_create(request):
    body = read_body(request, s.ProblemIn)
    data = body.model_dump()
    for name in ("town", "lead_unit", "supervising_unit", "acceptance_unit"):
        data[name] = s.unit_by_id(data[name], name)
    data["cooperating_units"] = s.units_by_id(data["cooperating_units"], "cooperating_units")
    problem = services.problem_register(actor=request.user, **data)
    return _detail(request, problem.pk)


@router.get(
    "/problems/{problem_id}",
    response={200: s.ProblemDetailOut, 404: ErrorOut},
    summary="问题详情（措施、进展、佐证、方案、联合执法、验收、公示、时间线）",
)
def problem_detail(request, problem_id: int):
    try:
        return _detail(request, problem_id)
    except Problem.DoesNotExist as exc:
        raise Http404 from exc


@router.patch(
    "/problems/{problem_id}",
    response={**DETAIL, 409: ErrorOut},
    summary="修改问题信息（须带 version；版本过期返回 409）",
)
def problem_update(request, problem_id: int):
    problem = _problem(request, problem_id)
    body = read_body(request, s.ProblemPatch)
    changes = body.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    if not changes:
        return _detail(request, problem.pk)
    if version is None:
        raise ValidationError({"version": [_("修改须带上读取时的 version。")]})
    for name in ("town", "supervising_unit", "acceptance_unit"):
        if name in changes:
            changes[name] = s.unit_by_id(changes[name], name)
    if "cooperating_units" in changes:
        changes["cooperating_units"] = s.units_by_id(changes["cooperating_units"], "cooperating_units")
    try:
        services.problem_update(actor=request.user, problem=problem, expected_version=version, **changes)
    except ConcurrentEdit as exc:
        return _conflict(exc)
    return _detail(request, problem.pk)


def _move(service, schema=s.EmptyIn, convert=None):
    def run(request, problem: Problem):
        body = read_body(request, schema).model_dump()
        if convert:
            body = convert(body)
        return service(actor=request.user, problem=problem, **body)

    return run


def _versioned(service):
    def run(request, problem: Problem):
        version = read_body(request, s.VersionIn).version
        return service(actor=request.user, problem=problem, expected_version=version)

    return run


def _objection(request, problem: Problem):
    body = read_body(request, s.ObjectionIn)
    return services.publicity_objection(
        actor=request.user, problem=problem, note=body.note, upheld=body.upheld
    )


PROBLEM_ACTIONS = {
    "assign": _versioned(services.problem_assign),
    "start": _move(services.problem_start),
    "request_acceptance": _versioned(services.problem_request_acceptance),
    "begin_review": _move(services.problem_begin_review),
    "accept": _move(services.problem_accept, s.AcceptIn),
    "reject": _move(services.problem_reject, s.RejectIn),
    "start_publicity": _move(services.publicity_start, s.PublicityIn),
    "objection": _objection,
    "close": _move(services.problem_close),
    "reopen": _move(services.problem_reopen, s.ReopenIn),
}


@router.post(
    "/problems/{problem_id}/actions/{action}",
    response={**DETAIL, 409: ErrorOut},
    summary="办理流程：assign、start、request_acceptance、begin_review、accept、reject、start_publicity、objection、close、reopen",
)
def problem_action(request, problem_id: int, action: str):
    """Bodies: assign / request_acceptance ``{version?}``; accept ``{accepted_on, method, opinion}``;
    reject ``{accepted_on, method, reason}``; start_publicity ``{starts_on, period, channel,
    objection_phone}`` (period ``10_workdays`` or ``2_weeks``); objection ``{note, upheld}``; reopen
    ``{reason, new_deadline}``; the others none. A move the workflow refuses is 409."""
    problem = _problem(request, problem_id)
    handler = PROBLEM_ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        handler(request, problem)
    except ConcurrentEdit as exc:
        return _conflict(exc)
    return _detail(request, problem.pk)


# --- the units' work -------------------------------------------------------------------------------


@router.post("/problems/{problem_id}/measures", response=DETAIL, summary="新增整改措施")
def measure_create(request, problem_id: int):
    problem = _problem(request, problem_id)
    body = read_body(request, s.MeasureIn)
    services.measure_add(
        actor=request.user,
        problem=problem,
        content=body.content,
        owner_unit=s.unit_by_id(body.owner_unit, "owner_unit"),
        owner_person=body.owner_person,
        deadline=body.deadline,
    )
    return _detail(request, problem.pk)


@router.post("/measures/{measure_id}/complete", response=DETAIL, summary="整改措施完成")
def measure_complete(request, measure_id: int):
    try:
        measure = restrict(Measure.objects.select_related("problem"), request.user, "view").get(pk=measure_id)
    except Measure.DoesNotExist as exc:
        raise Http404 from exc
    body = read_body(request, s.MeasureDoneIn)
    services.measure_complete(actor=request.user, measure=measure, done_on=body.done_on)
    return _detail(request, measure.problem_id)


@router.post("/problems/{problem_id}/reports", response=DETAIL, summary="报送整改进展")
def report_create(request, problem_id: int):
    problem = _problem(request, problem_id)
    body = read_body(request, s.ReportIn)
    services.progress_report_add(actor=request.user, problem=problem, **body.model_dump())
    return _detail(request, problem.pk)


@router.post(
    "/problems/{problem_id}/evidence",
    response={200: s.EvidenceOut, **error_responses(400, 403, 404, 413)},
    summary="上传佐证材料（multipart：file、kind、description、report）",
)
def evidence_upload(request, problem_id: int):
    """The same content checks as the page: type by content, name matching content, size limit (an
    oversized body is refused from its declared length before it is read), SHA-256 recorded."""
    problem = _problem(request, problem_id)
    limit = services.max_upload_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return Status(
            413,
            {
                "detail": _("上传内容超过 %(mb)s MB 上限，未保存任何内容。") % {"mb": limit // 1024 // 1024},
                "code": "too_large",
                "errors": None,
            },
        )
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise ValidationError(
            {"file": [_("请选择文件（multipart 字段 file）。")]}
        )
    body = read_body(request, s.EvidenceIn)
    report = None
    if body.report is not None:
        report = problem.reports.filter(pk=body.report).first()
        if report is None:
            raise ValidationError(
                {"report": ["该进展报送不属于此问题。"]}
            )
    evidence = services.evidence_add(
        actor=request.user,
        problem=problem,
        uploaded=uploaded,
        kind=body.kind,
        description=body.description,
        report=report,
    )
    return evidence


#: Files up to this size are sent in one piece (as the evidence page does); larger ones are streamed.
WHOLE_RESPONSE_BYTES = 8 * 1024 * 1024


@router.get(
    "/evidence/{evidence_id}",
    response={200: None, 404: ErrorOut},
    summary="下载佐证材料（响应头 X-Evidence-SHA256 为上传时记录的哈希）",
    openapi_extra={
        "responses": {
            200: {
                "description": "the file as uploaded",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evidence_download(request, evidence_id: int):
    try:
        evidence = selectors.evidence_get(user=request.user, pk=evidence_id)
        handle = evidence.file.open("rb")
    except (Evidence.DoesNotExist, FileNotFoundError) as exc:
        raise Http404 from exc
    if evidence.size <= WHOLE_RESPONSE_BYTES:
        with handle:
            response = HttpResponse(handle.read(), content_type=evidence.content_type)
    else:
        response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    response["X-Evidence-SHA256"] = evidence.sha256
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/problems/{problem_id}/plans", response=DETAIL, summary="提交专项整改方案")
def plan_submit(request, problem_id: int):
    problem = _problem(request, problem_id)
    body = read_body(request, s.PlanIn)
    services.special_plan_submit(
        actor=request.user,
        problem=problem,
        goals=body.goals,
        measures=body.measures,
        milestones=[m.model_dump() for m in body.milestones],
    )
    return _detail(request, problem.pk)


@router.post("/plans/{plan_id}/decide", response=DETAIL, summary="批准或退回专项整改方案")
def plan_decide(request, plan_id: int):
    try:
        plan = restrict(SpecialPlan.objects.select_related("problem"), request.user, "view").get(pk=plan_id)
    except SpecialPlan.DoesNotExist as exc:
        raise Http404 from exc
    body = read_body(request, s.PlanDecisionIn)
    services.special_plan_decide(actor=request.user, plan=plan, approve=body.approve, note=body.note)
    return _detail(request, plan.problem_id)


@router.post("/problems/{problem_id}/joint-actions", response=DETAIL, summary="录入联合执法")
def joint_action_create(request, problem_id: int):
    problem = _problem(request, problem_id)
    body = read_body(request, s.JointActionIn)
    services.joint_action_record(
        actor=request.user,
        problem=problem,
        acted_on=body.acted_on,
        units=s.units_by_id(body.units, "units"),
        findings=body.findings,
        actions=body.actions,
    )
    return _detail(request, problem.pk)


# --- supervision notices ---------------------------------------------------------------------------


def _notice(request, notice_id: int) -> SupervisionNotice:
    try:
        return selectors.notice_get(user=request.user, pk=notice_id)
    except SupervisionNotice.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/notices", response=s.NoticePageOut, summary="督办单列表（分页）")
def notice_list(request, limit: int = limit_query(), offset: int = offset_query()):
    qs = selectors.notice_list(user=request.user)
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }


@router.post("/notices", response={200: s.NoticeDetailOut, **error_responses(400, 403)}, summary="下发督办单")
def notice_create(request):
    body = read_body(request, s.NoticeIn)
    visible = {p.pk: p for p in selectors.problem_queryset(user=request.user).filter(pk__in=body.problems)}
    missing = [str(pk) for pk in body.problems if pk not in visible]
    if missing:
        raise ValidationError(
            {"problems": [f"未找到问题 id：{', '.join(missing)} / Unknown problem ids: {', '.join(missing)}"]}
        )
    notice = services.notice_issue(
        actor=request.user,
        unit=s.unit_by_id(body.unit, "unit"),
        problems=[visible[pk] for pk in body.problems],
        requirements=body.requirements,
        reply_due=body.reply_due,
    )
    return notice


@router.get("/notices/{notice_id}", response={200: s.NoticeDetailOut, 404: ErrorOut}, summary="督办单详情")
def notice_detail(request, notice_id: int):
    return _notice(request, notice_id)


@router.post(
    "/notices/{notice_id}/actions/{action}",
    response={200: s.NoticeDetailOut, **error_responses(400, 403, 404, 409)},
    summary="督办单办理：reply（回复）、close（办结）、return（退回）",
)
def notice_action(request, notice_id: int, action: str):
    notice = _notice(request, notice_id)
    if action == "reply":
        services.notice_reply(
            actor=request.user, notice=notice, reply=read_body(request, s.NoticeReplyIn).reply
        )
    elif action == "close":
        services.notice_close(actor=request.user, notice=notice)
    elif action == "return":
        services.notice_return(
            actor=request.user, notice=notice, reason=read_body(request, s.ReasonIn).reason
        )
    else:
        raise Http404
    return _notice(request, notice_id)


# --- pictures and counts ---------------------------------------------------------------------------


@router.get(
    "/stats/district",
    response=s.PictureOut,
    summary="整改态势：按状态、来源、类型、预警、牵头单位统计（按权限范围）",
)
def district_picture(request):
    return selectors.district_picture(user=request.user, today=timezone.localdate())


@router.get(
    "/units/{unit_id}/counts",
    response={200: s.UnitCountsOut, 404: ErrorOut},
    summary="单位清单概况：牵头、配合、在办、红黄蓝、已销号",
)
def unit_counts(request, unit_id: int):
    try:
        unit = selectors.unit_get(user=request.user, pk=unit_id)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    return {"unit": unit, **selectors.unit_queue_counts(user=request.user, unit=unit)}
