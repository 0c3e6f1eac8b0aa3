"""Inspection rounds and their batches."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.calendar import check_entered_dates
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import require

from ..choices import Origin, RoundKind
from ..models import InspectionRound, TransferBatch


@transaction.atomic
def round_create(
    *,
    actor,
    name: str,
    number: int,
    stationed_on: dt.date,
    kind: str = RoundKind.CENTRAL,
    province: str = "广东",
    ends_on: dt.date | None = None,
    internal_days: int = 5,
    external_days: int = 10,
    is_current: bool = False,
) -> InspectionRound:
    require(actor, "petitions.assign")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写督察轮次名称。")
    elif InspectionRound.objects.filter(name=name).exists():
        errors["name"] = _("督察轮次“%(name)s”已存在。") % {"name": name}
    if kind not in RoundKind:
        errors["kind"] = _("未知的督察类型。")
    if not 1 <= int(number) <= 20:
        errors["number"] = _("轮次应在 1 到 20 之间。")
    check_entered_dates(stationed_on=stationed_on, ends_on=ends_on)
    if ends_on and ends_on < stationed_on:
        errors["ends_on"] = _("结束日期不能早于进驻日期。")
    if not (1 <= internal_days <= 60 and 1 <= external_days <= 60):
        errors["external_days"] = _("办理时限应在 1 到 60 个工作日之间。")
    elif internal_days > external_days:
        errors["internal_days"] = _("区内办理时限不能长于对督察组的反馈时限。")
    if errors:
        raise ServiceError(errors)
    with acting_as(actor):
        if is_current:
            InspectionRound.objects.filter(is_current=True).update(is_current=False)
        rnd = InspectionRound.objects.create(
            name=name,
            kind=kind,
            number=number,
            province=province,
            stationed_on=stationed_on,
            ends_on=ends_on,
            internal_days=internal_days,
            external_days=external_days,
            is_current=is_current,
        )
        action_log_append(action="petitions.round.created", actor=actor, obj=rnd, payload={"name": name})
    return rnd


@transaction.atomic
def batch_create(
    *,
    actor,
    round: InspectionRound,
    number: int,
    received_on: dt.date,
    origin: str = Origin.TRANSFER,
    layout: str = "",
    file_name: str = "",
    file_sha256: str = "",
    note: str = "",
) -> TransferBatch:
    """第N批 of a round; the number is unique within the round."""
    require(actor, "petitions.assign")
    if not 1 <= int(number) <= 1000:
        raise ServiceError({"number": _("批次应在 1 到 1000 之间。")})
    check_entered_dates(received_on=received_on)
    if TransferBatch.objects.filter(round=round, number=number).exists():
        raise ServiceError({"number": _("%(round)s 第%(n)s批已存在。") % {"round": round, "n": number}})
    with acting_as(actor):
        batch = TransferBatch.objects.create(
            round=round,
            number=number,
            received_on=received_on,
            origin=origin,
            layout=layout,
            file_name=file_name,
            file_sha256=file_sha256,
            imported_by=actor,
            imported_at=timezone.now(),
            note=note,
        )
        action_log_append(
            action="petitions.batch.created", actor=actor, obj=batch, payload={"round": round.pk, "number": number}
        )
    return batch
