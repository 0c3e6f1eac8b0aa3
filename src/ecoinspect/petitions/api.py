"""The petitions JSON API under /api/v1/petitions/ — the same selectors, filters and scoping as the pages."""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router

from ecoinspect.common.filters import bound_filters
from ecoinspect.core.api import ErrorOut, error_responses

from . import api_schemas as s
from . import selectors
from .filters import PetitionFilter
from .models import Petition

router = Router(tags=["petitions"])

MAX_LIMIT = 500


@router.get("/cases", response={200: s.PetitionPageOut, 400: ErrorOut}, summary="信访件列表（与页面相同的筛选参数，分页）")
def petition_list(
    request,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=10**9),
    q: str | None = None,
    status: list[str] | None = Query(None),  # noqa: B008  (repeatable)
    batch: int | None = None,
    round: int | None = None,
    problem_type: str | None = None,
    town: int | None = None,
    unit: int | None = None,
    sort: str | None = None,
):
    qs = selectors.petition_list(user=request.user, filters=bound_filters(request, PetitionFilter))
    items = list(qs.prefetch_related("assignments__unit")[offset : offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.get("/cases/{petition_id}", response={200: s.PetitionOut, **error_responses(404)}, summary="一件信访件")
def petition_detail(request, petition_id: int):
    try:
        return selectors.petition_get(user=request.user, pk=petition_id)
    except Petition.DoesNotExist as exc:
        raise Http404 from exc
