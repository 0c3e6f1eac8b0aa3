from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ecoinspect.common import calendar
from ecoinspect.common.api import Pagination, error_responses
from ecoinspect.common.filters import bound_filters

from . import selectors
from .access import active_memberships, user_scope
from .filters import SectorDutyFilter, UnitFilter
from .models import Unit
from .roles import ROLE_SPECS, Role, registered_apps

router = Router(tags=["orgs"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    phone: str
    is_active: bool


class MemberOut(Schema):
    user_id: int
    name: str
    role: str
    role_label: str
    is_active: bool


class UnitDetailOut(UnitOut):
    members: list[MemberOut]
    children: list[UnitOut]


class MembershipOut(Schema):
    unit: UnitOut
    role: str
    role_label: str
    district_wide: bool


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    memberships: list[MembershipOut]
    scopes: dict[str, str] = Field(description="verb → 'district' | 'units' | 'none'")


@router.get("/me", response=MeOut, summary="当前用户、身份与权限范围")
def me(request):
    user = request.user
    scopes = {}
    for app in registered_apps():
        for verb in app.verbs:
            scope = user_scope(user, f"{app.app}.{verb}")
            scopes[f"{app.app}.{verb}"] = "district" if scope.everything else ("none" if scope.nothing else "units")
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.display_name,
        "memberships": [
            {
                "unit": m.unit,
                "role": m.role,
                "role_label": Role.text(m.role),
                "district_wide": ROLE_SPECS[m.role].district_wide,
            }
            for m in active_memberships(user)
        ],
        "scopes": scopes,
    }


@router.get("/units", response=list[UnitOut], summary="单位名录（与页面相同的筛选参数）")
@paginate(Pagination)
def unit_list(request, kind: str | None = None, q: str | None = None, sort: str | None = None):
    return selectors.unit_directory(filters=bound_filters(request, UnitFilter))


def _unit_dict(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_label": unit.kind_label,
        "parent_id": unit.parent_id,
        "phone": unit.phone,
        "is_active": unit.is_active,
    }


@router.get("/units/{unit_id}", response={200: UnitDetailOut, **error_responses(404)}, summary="单位详情（凡有角色者可见）")
def unit_detail(request, unit_id: int):
    try:
        unit = selectors.unit_get(user=request.user, pk=unit_id)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    members = [
        {
            "user_id": m.user_id,
            "name": m.user.display_name,
            "role": m.role,
            "role_label": Role.text(m.role),
            "is_active": m.is_active,
        }
        for m in selectors.unit_members(unit=unit)
    ]
    return {**_unit_dict(unit), "members": members, "children": [_unit_dict(c) for c in unit.children.all()]}


class SectorDutyOut(Schema):
    id: int
    sector: str
    problem_type: str
    keywords: str
    department: UnitOut
    basis: str
    is_active: bool


@router.get("/sector-duties", response=list[SectorDutyOut], summary="三管三必须职责清单")
@paginate(Pagination)
def sector_duty_list(
    request, department: int | None = None, problem_type: str | None = None, q: str | None = None
):
    return selectors.sector_duty_list(filters=bound_filters(request, SectorDutyFilter))


class MatchIn(Schema):
    text: str
    address: str = ""
    problem_types: list[str] = []


class MatchOut(Schema):
    department: UnitOut
    sector: str
    score: int
    matched_keywords: list[str]
    reason: str
    tied: bool = Field(False, description="another department has the same top score: a tie, not a proposal")


@router.post(
    "/sector-duties/match", response={200: list[MatchOut], **error_responses(400)}, summary="按三管三必须推荐牵头部门"
)
def sector_duty_match(request, body: MatchIn):
    return [
        {
            "department": m.duty.department,
            "sector": m.duty.sector,
            "score": m.score,
            "matched_keywords": list(m.matched_keywords),
            "reason": m.reason,
            "tied": m.tied,
        }
        for m in selectors.sector_duty_match(
            text=body.text, address=body.address, problem_types=body.problem_types
        )
    ]


class PlaceMatchIn(Schema):
    address: str = ""
    text: str = ""


class PlaceMatchOut(Schema):
    status: str = Field(description="matched | outside | ambiguous | none")
    town: UnitOut | None = None
    candidates: list[UnitOut]
    district: str = Field(description="the neighbouring district, for outside / ambiguous")
    reasons: list[str]


@router.post("/places/match", response=PlaceMatchOut, summary="判断地址和问题描述所在镇街（地名库）")
def place_match(request, body: PlaceMatchIn):
    match = selectors.place_match(address=body.address, text=body.text)
    return {
        "status": match.status,
        "town": match.town,
        "candidates": match.candidates,
        "district": match.district,
        "reasons": match.reasons,
    }


class WorkdaysOut(Schema):
    start: dt.date
    days: int
    due: dt.date
    estimated: bool = Field(
        description="true when a day in the range was assumed Monday–Friday (no official schedule yet)"
    )


@router.get("/workdays/add", response={200: WorkdaysOut, **error_responses(400)}, summary="按工作日推算期限")
def workdays_add(request, start: dt.date, days: int = Query(..., ge=-365, le=365)):
    problem = calendar.entered_date_problem(start)
    if problem:
        raise ValidationError({"start": [problem]})
    cal = calendar.default_calendar()
    due = cal.add_workdays(start, days)
    estimated = cal.estimated_between(start, due)
    return {"start": start, "days": days, "due": due, "estimated": estimated}
