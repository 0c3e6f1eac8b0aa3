"""Disclosure of a batch's results by the publisher: correcting a masked text, publishing the batch."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.labels import register as register_labels
from ecoinspect.audit.services import action_log_append, action_log_append_many
from ecoinspect.common.calendar import check_entered_dates
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import bump_version, require
from ecoinspect.core.workflow import check, transition

from .. import disclosure as pub
from ..choices import Origin, PetitionStatus
from ..models import Disclosure, Petition, TransferBatch

register_labels(
    {
        "petitions.petition.public_text_saved": _lazy("核对公开文本"),
        "petitions.petition.disclosed_as_repeat": _lazy("作为重复件公开"),
        "petitions.batch.disclosed": _lazy("公开批次办理情况"),
    }
)

#: The longest text a cell of the disclosure table may hold.
MAX_TEXT = 20000


@transaction.atomic
def petition_public_text_save(
    *, actor, petition: Petition, column: str, text: str, expected_version: int | None = None
) -> Petition:
    """The publisher's corrected public text of one column (交办问题基本情况, 调查核实情况…), used instead of
    the automatic masking for as long as the case's own text stays the same. An empty text goes back to the
    automatic masking. A case already published gets the correction on the public page too, in each
    disclosure that published this same text."""
    require(actor, "petitions.publish", petition)
    if column not in pub.MASKED_KEYS:
        raise ServiceError({"column": _("该列不能修改公开文本。")})
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ServiceError({"text": _("公开文本不能超过 %(n)s 个字。") % {"n": MAX_TEXT}})
    if petition.status == PetitionStatus.MERGED and column not in ("complaint_text", "region_text"):
        raise ServiceError({"column": _("重复件只公开问题描述和行政区域，办理情况见原件。")})
    source = pub._source(petition, column)
    source_hash = pub.fingerprint(source)
    bump_version(petition, expected_version)
    texts = dict(petition.public_texts or {})
    if text:
        texts[column] = {"text": text, "source": source_hash}
    else:
        texts.pop(column, None)
    with acting_as(actor):
        petition.public_texts = texts
        petition.save()
        published = text or pub.public_row(petition).cells[column].text
        amended = _amend_published(petition, column, source_hash, published)
        action_log_append(
            action="petitions.petition.public_text_saved",
            actor=actor,
            obj=petition,
            payload={"column": column, "text": text, "automatic": not text, "disclosures": amended},
        )
    return petition


def _amend_published(petition: Petition, column: str, source_hash: str, text: str) -> list[int]:
    """Put the corrected text in the published rows made from the same source text (a personal detail
    found after publication is taken off the public page). Returns the disclosures changed."""
    changed = []
    for disclosure in Disclosure.objects.filter(petitions=petition).select_for_update():
        rows = [dict(r) for r in disclosure.rows]
        touched = False
        for row in rows:
            same = row.get("petition") == petition.pk and row.get("sources", {}).get(column) == source_hash
            if same and row["values"].get(column) != text:
                row["values"] = {**row["values"], column: text}
                touched = True
        if touched:
            disclosure.rows = rows
            disclosure.save()
            changed.append(disclosure.pk)
    return changed


def _issued_on(batch: TransferBatch, issued_on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ServiceError({"issued_on": _("公开日期不能晚于今天。")})
    if issued_on < batch.received_on:
        raise ServiceError({"issued_on": _("公开日期不能早于交办日期 %(d)s。") % {"d": batch.received_on}})
    check_entered_dates(issued_on=issued_on)
    return issued_on


@transaction.atomic
def batch_disclose(*, actor, batch: TransferBatch, issued_on: dt.date | None = None) -> Disclosure:
    """公开: publish the batch's approved cases (and its repeats not yet published) as its next disclosure
    (第N次公开). Each approved case moves to 已公开 through the workflow; the published rows are kept."""
    require(actor, "petitions.publish")
    if batch.origin == Origin.HISTORY:
        raise ServiceError(
            {"__all__": _("该批次是导入的往轮公开表，已由原发布机关公开；可直接导出脱敏后的公开表。")}
        )
    issued_on = _issued_on(batch, issued_on)
    petitions = list(pub.due_for_disclosure(batch).select_for_update(of=("self",)))
    if not petitions:
        raise ServiceError({"__all__": _("本批次没有审核通过待公开的信访件。")})
    approved = [p for p in petitions if p.status == PetitionStatus.APPROVED]
    repeats = [p for p in petitions if p.status == PetitionStatus.MERGED]
    for petition in approved:
        check(petition, action="disclose", actor=actor)
    previous = pub.last_published_closures(petitions)
    rows = [pub.public_row(p, previous_closure=previous.get(p.pk, "")) for p in petitions]
    number = (batch.disclosures.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    with acting_as(actor):
        disclosure = Disclosure.objects.create(
            batch=batch,
            number=number,
            issued_on=issued_on,
            issued_by=actor,
            rows=[row.snapshot(seq) for seq, row in enumerate(rows, start=1)],
        )
        disclosure.petitions.set(petitions)
        payload = {"disclosure": disclosure.pk, "number": number, "issued_on": issued_on}
        for petition in approved:
            bump_version(petition)
            petition.disclosure_count += 1
            transition(petition, action="disclose", actor=actor, payload=payload)
        if repeats:
            Petition.objects.filter(pk__in=[p.pk for p in repeats]).update(
                disclosure_count=F("disclosure_count") + 1, version=F("version") + 1
            )
            action_log_append_many(
                action="petitions.petition.disclosed_as_repeat",
                actor=actor,
                items=[(p, {**payload, "original": p.duplicate_of.acceptance_no}) for p in repeats],
            )
        batch.disclosed_at = timezone.now()
        batch.save()
        action_log_append(
            action="petitions.batch.disclosed",
            actor=actor,
            obj=batch,
            payload={**payload, "cases": len(approved), "repeats": len(repeats)},
        )
    return disclosure

