"""A case's public row in the disclosure table (official round-3 order, DESIGN.md §6), masked.

``序号 | 受理编号 | 交办问题基本情况 | 行政区域 | 问题类型 | 调查核实情况 | 是否属实 | 办结目标 | 处理和整改情况 |
是否办结 | 责任人被处理情况``

:func:`public_row` builds the row from a case as it stands: each text column masked by
:mod:`~ecoinspect.petitions.masking` unless the publisher corrected it (``Petition.public_texts``: per column,
the corrected text and a fingerprint of the text it was made from — a correction of an older text is
not used, the cell is masked afresh and shown as "to check again"). A repeat (重复件) gets the row the
inspectors expect: its complaint, and "与X号重复，办理情况见X号" instead of a handling of its own.

A published disclosure keeps its rows (``Disclosure.rows``, :meth:`PublicRow.snapshot`): the public pages
and the files read them (:func:`published_groups`), never the case's current, possibly unapproved, text.
The complainant's identity and contact are never part of a row: no such field is read here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.i18n import district_language

from . import masking
from .choices import ClosureStatus, Origin, PetitionStatus, Verdict
from .models import Disclosure, Petition, TransferBatch


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # lazy text
    width_mm: float
    masked: bool = False  # a free text that may hold personal data
    centred: bool = False


COLUMNS = (
    Column("seq", _lazy("序号"), 10, centred=True),
    Column("acceptance_no", _lazy("受理编号"), 28, centred=True),
    Column("complaint_text", _lazy("交办问题基本情况"), 48, masked=True),
    Column("region_text", _lazy("行政区域"), 18, masked=True, centred=True),
    Column("types", _lazy("问题类型"), 14, centred=True),
    Column("investigation", _lazy("调查核实情况"), 40, masked=True),
    Column("verdict", _lazy("是否属实"), 12, centred=True),
    Column("closure_target", _lazy("办结目标"), 20, masked=True),
    Column("handling", _lazy("处理和整改情况"), 40, masked=True),
    Column("closure_status", _lazy("是否办结"), 12, centred=True),
    Column("accountability", _lazy("责任人被处理情况"), 15, masked=True),
)
KEYS = tuple(c.key for c in COLUMNS)
#: The columns whose text the publisher may correct (each is a Petition field of the same name).
MASKED_KEYS = tuple(c.key for c in COLUMNS if c.masked)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
#: What a repeat's row says in the columns it has no handling of its own.
NOT_APPLICABLE = "/"

KIND_LABELS = {
    masking.NAME: _lazy("姓名"),
    masking.PHONE: _lazy("电话号码"),
    masking.ID_NUMBER: _lazy("身份证号码"),
    masking.PLATE: _lazy("车牌号码"),
    masking.ADDRESS: _lazy("门牌地址"),
    masking.CONTACT: _lazy("联系方式"),
}


def fingerprint(text: str) -> str:
    """Which source text a correction was made from (a short hash, stored with the correction)."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:16]


@dataclass
class Cell:
    key: str
    text: str  # what is published
    source: str = ""  # the case's own text, before masking (masked columns only)
    spans: list[masking.Span] = field(default_factory=list)
    corrected: bool = False  # the publisher's text is used
    stale: bool = False  # a correction exists, but for an older text: masked afresh, to check again

    @property
    def masked(self) -> bool:
        return self.key in MASKED_KEYS

    def segments(self) -> list[tuple[str, masking.Span | None]]:
        if self.corrected or not self.spans:
            return [(self.text, None)] if self.text else []
        return masking.segments(self.source, self.spans)


@dataclass
class PublicRow:
    petition_id: int
    acceptance_no: str
    cells: dict[str, Cell]
    repeat_of: str = ""  # the original's 受理编号, for a repeat
    previous_closure: str = ""  # 是否办结 when this case was last published, if it changed since

    def values(self, seq: int) -> list[str]:
        return [str(seq) if key == "seq" else self.cells[key].text for key in KEYS]

    @property
    def maskings(self) -> int:
        return sum(len(c.spans) for c in self.cells.values() if not c.corrected)

    def snapshot(self, seq: int) -> dict:
        """The row as stored in ``Disclosure.rows`` (what the public sees)."""
        return {
            "petition": self.petition_id,
            "seq": seq,
            "values": dict(zip(KEYS, self.values(seq))),
            "sources": {k: fingerprint(c.source) for k, c in self.cells.items() if c.masked},
            "repeat_of": self.repeat_of,
            "previous_closure": self.previous_closure,
        }


def _types(petition: Petition) -> str:
    if petition.type_text:
        return petition.type_text
    return "、".join(ProblemType.text(t) for t in petition.problem_types)


def _label(petition: Petition, choiceset, name: str, header: str) -> str:
    """The published word: the parsed value's label, else the raw cell of an imported table."""
    value = getattr(petition, name)
    if value:
        return choiceset.text(value)
    return str((petition.raw or {}).get(header, "") or "").strip()


def _masked_cell(petition: Petition, key: str, source: str) -> Cell:
    saved = (petition.public_texts or {}).get(key)
    if isinstance(saved, dict) and "text" in saved:
        if saved.get("source") == fingerprint(source):
            return Cell(key, saved["text"], source=source, corrected=True)
        text, spans = masking.mask(source)
        return Cell(key, text, source=source, spans=spans, stale=True)
    text, spans = masking.mask(source)
    return Cell(key, text, source=source, spans=spans)


def _source(petition: Petition, key: str) -> str:
    text = getattr(petition, key) or ""
    if key == "region_text" and not text.strip() and petition.town_id:
        return petition.town.name  # a case typed in without the published region: its town
    return text


def _repeat_texts(original: str) -> dict[str, str]:
    return {
        "investigation": _("重复件。与%(no)s号重复，办理情况见%(no)s号。") % {"no": original},
        "verdict": NOT_APPLICABLE,
        "closure_target": NOT_APPLICABLE,
        "handling": _("办理情况见%(no)s号。") % {"no": original},
        "closure_status": NOT_APPLICABLE,
        "accountability": NOT_APPLICABLE,
    }


def public_row(petition: Petition, *, previous_closure: str = "") -> PublicRow:
    """The case's row as it would be published now (in the district's language: an official table)."""
    with district_language():
        repeat_of = ""
        fixed: dict[str, str] = {
            "acceptance_no": petition.acceptance_no,
            "types": _types(petition),
            "verdict": _label(petition, Verdict, "verdict", "是否属实"),
            "closure_status": _label(petition, ClosureStatus, "closure_status", "是否办结"),
        }
        if petition.status == PetitionStatus.MERGED and petition.duplicate_of_id:
            repeat_of = petition.duplicate_of.acceptance_no
            fixed.update(_repeat_texts(repeat_of))
        cells = {}
        for key in KEYS[1:]:
            if key in fixed:
                cells[key] = Cell(key, fixed[key])
            else:
                cells[key] = _masked_cell(petition, key, _source(petition, key))
    closure = cells["closure_status"].text
    return PublicRow(
        petition_id=petition.pk,
        acceptance_no=petition.acceptance_no,
        cells=cells,
        repeat_of=repeat_of,
        previous_closure=previous_closure if previous_closure and previous_closure != closure else "",
    )


# --- what a batch's next disclosure holds ---------------------------------------------------------


def due_for_disclosure(batch: TransferBatch) -> QuerySet[Petition]:
    """The cases the batch's next disclosure publishes: those approved for it, and repeats not yet
    published (a repeat is published once, pointing to its original)."""
    from django.db.models import Q

    return (
        Petition.objects.filter(batch=batch)
        .filter(
            Q(status=PetitionStatus.APPROVED)
            | Q(status=PetitionStatus.MERGED, disclosure_count=0, duplicate_of__isnull=False)
        )
        .select_related("duplicate_of", "town")
        .order_by("seq", "pk")
    )


def last_published_closures(petitions: Iterable[Petition]) -> dict[int, str]:
    """是否办结 as each case was last published (for "阶段性办结 → 已办结")."""
    wanted = {p.pk for p in petitions if p.disclosure_count}
    if not wanted:
        return {}
    found: dict[int, str] = {}
    for disclosure in Disclosure.objects.filter(petitions__in=wanted).distinct().order_by("-number", "-pk"):
        for row in disclosure.rows:
            pk = row.get("petition")
            if pk in wanted and pk not in found:
                found[pk] = row.get("values", {}).get("closure_status", "")
    return found


def upcoming_rows(batch: TransferBatch) -> list[PublicRow]:
    petitions = list(due_for_disclosure(batch))
    previous = last_published_closures(petitions)
    return [public_row(p, previous_closure=previous.get(p.pk, "")) for p in petitions]


def history_rows(batch: TransferBatch) -> list[PublicRow]:
    """A table imported with its results (Origin.HISTORY), reproduced with the personal data masked."""
    petitions = Petition.objects.filter(batch=batch).select_related("duplicate_of", "town").order_by("seq", "pk")
    return [public_row(p) for p in petitions]


# --- what has been published --------------------------------------------------------------------


@dataclass
class PublishedGroup:
    """One disclosure of a batch: 第N次公开 on a date, with its rows as published."""

    number: int
    issued_on: dt.date
    rows: list[dict]
    disclosure_id: int | None = None

    def values(self) -> list[list[str]]:
        return [[row["values"].get(key, "") for key in KEYS] for row in self.rows]


def column_css(key: str) -> str:
    """How a page draws a column: short values centred, the long texts given room."""
    if COLUMN_BY_KEY[key].centred:
        return "eco-c"
    return "eco-w-text" if key in ("complaint_text", "investigation", "handling") else ""


def group_views(groups: list[PublishedGroup]) -> list[dict]:
    """Published groups ready for a page: each row's cells in column order with their CSS class."""
    return [
        {
            "number": g.number,
            "issued_on": g.issued_on,
            "rows": [
                {
                    "cells": [(row["values"].get(key, ""), column_css(key), key) for key in KEYS],
                    "previous_closure": row.get("previous_closure", ""),
                    "repeat_of": row.get("repeat_of", ""),
                }
                for row in g.rows
            ],
        }
        for g in groups
    ]


def published_groups(batch: TransferBatch) -> list[PublishedGroup]:
    """Every disclosure of the batch, first to last, with its stored rows; for a batch imported from an
    earlier round's publication (Origin.HISTORY), that publication reproduced (masked) as one group."""
    if batch.origin == Origin.HISTORY:
        rows = history_rows(batch)
        return [PublishedGroup(1, batch.received_on, [r.snapshot(i) for i, r in enumerate(rows, start=1)])]
    return [
        PublishedGroup(d.number, d.issued_on, list(d.rows), d.pk)
        for d in batch.disclosures.order_by("number", "pk")
    ]


def is_public(batch: TransferBatch) -> bool:
    return batch.origin != Origin.HISTORY and batch.disclosures.exists()


# --- the public status of one case ----------------------------------------------------------------

#: The stages the public sees (no internal state is shown): code → (label, colour).
STAGES = {
    "received": (_lazy("已受理"), "secondary"),
    "handling": (_lazy("正在办理"), "primary"),
    "handling_again": (_lazy("继续办理中（已公开阶段性办理结果）"), "primary"),
    "disclosed": (_lazy("已公开办理结果"), "success"),
    "repeat": (_lazy("重复件"), "info"),
    "history": (_lazy("往轮已公开"), "secondary"),
}


@dataclass
class PublicStatus:
    """What anyone may learn about a case from its 受理编号: where it stands and what was published."""

    acceptance_no: str
    round_name: str
    batch_number: int | None
    received_on: dt.date
    stage: str
    repeat_of: str = ""
    results: list[dict] = field(default_factory=list)  # newest first: number, issued_on, values

    @property
    def stage_label(self) -> str:
        return str(STAGES[self.stage][0])

    @property
    def stage_colour(self) -> str:
        return STAGES[self.stage][1]


def _stage(petition: Petition) -> str:
    if petition.origin == Origin.HISTORY:
        return "history"
    if petition.status == PetitionStatus.MERGED:
        return "repeat"
    if petition.status in (PetitionStatus.DISCLOSED, PetitionStatus.CLOSED_OUT):
        return "disclosed"
    if petition.status == PetitionStatus.RECEIVED:
        return "received"
    return "handling_again" if petition.disclosure_count else "handling"


def _published_results(petition: Petition) -> list[dict]:
    results = []
    for disclosure in petition.disclosures.order_by("-number", "-pk"):
        for row in disclosure.rows:
            if row.get("petition") == petition.pk:
                values = {k: v for k, v in row.get("values", {}).items() if k != "seq"}
                results.append({"number": disclosure.number, "issued_on": disclosure.issued_on, "values": values})
    return results


def public_status(number: str, *, limit: int = 5) -> list[PublicStatus]:
    """The cases with this 受理编号 (one per round at most), as the public may see them: the stage, and the
    rows published for it (as published, masked). Nothing else of the case is read out."""
    from .numbers import normalise

    key = normalise(number)
    if not key:
        return []
    found = []
    petitions = (
        Petition.objects.filter(acceptance_key=key)
        .select_related("round", "batch", "duplicate_of", "town")
        .order_by("-round__stationed_on", "-pk")[:limit]
    )
    for petition in petitions:
        stage = _stage(petition)
        if stage == "history":
            row = public_row(petition)
            results = [{"number": 1, "issued_on": None, "values": {k: row.cells[k].text for k in KEYS[1:]}}]
        else:
            results = _published_results(petition)
        found.append(
            PublicStatus(
                acceptance_no=petition.acceptance_no,
                round_name=petition.round.name,
                batch_number=petition.batch.number if petition.batch_id else None,
                received_on=petition.received_on,
                stage=stage,
                repeat_of=petition.duplicate_of.acceptance_no if stage == "repeat" and petition.duplicate_of_id else "",
                results=results,
            )
        )
    return found


def published_batches() -> QuerySet[TransferBatch]:
    """The batches with at least one disclosure (the public index), newest first."""
    from django.db.models import Count, Max

    return (
        TransferBatch.objects.exclude(origin=Origin.HISTORY)
        .filter(disclosures__isnull=False)
        .annotate(disclosure_total=Count("disclosures", distinct=True), last_issued=Max("disclosures__issued_on"))
        .select_related("round")
        .order_by("-round__stationed_on", "-number")
    )


def published_batch(pk: int) -> TransferBatch:
    """A batch the public may see (one that has been disclosed), or Http404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(published_batches(), pk=pk)
