from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from ecoinspect.common.api import Pagination

from .selectors import notification_list
from .services import notification_mark_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    event: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("", response=list[NotificationOut], summary="本人的通知")
@paginate(Pagination)
def notifications(request, unread: bool = False):
    qs = notification_list(user=request.user)
    return qs.unread() if unread else qs


class ReadIn(Schema):
    ids: list[int] | None = None


class ReadOut(Schema):
    marked: int


@router.post("/read", response=ReadOut, summary="标记为已读（不传 ids 则全部）")
def mark_read(request, body: ReadIn):
    return {"marked": notification_mark_read(user=request.user, notification_ids=body.ids)}
