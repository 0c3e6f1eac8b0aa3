"""Taking a batch as it arrives (DESIGN.md §4.5, §6): the inspection team's transfer table, or a disclosure
table of this or an earlier round, imported as published.

* Layouts: the bare transfer table the team hands over (序号, 受理编号, 交办问题基本情况, 行政区域, 问题类型 — no
  results yet; also 受理方式, 交办日期, 备注), the round-3 disclosure table and round 2 with the provinces'
  variants (:mod:`ecoinspect.core.official_layouts`), the header found under a merged title; .xlsx, .xls /
  WPS .et, CSV in UTF-8 or GBK; a cell merged down several rows counts for each.
* **A batch is never refused for a value the district cannot change**: every cell is kept as written
  (``Petition.raw`` by header), what can be read is parsed, and what cannot be understood goes into
  ``Petition.flags`` for the coordinator. Only a file with no recognisable header or without the 受理编号 or
  complaint column is refused — or a row with a complaint and no 受理编号 (it could not be found again).
* Identity is the 受理编号 within its round (``acceptance_key``): importing the same batch again changes
  nothing; a changed row shows what changed (field by field, before → after) and is updated with an
  ActionLog entry. The same number twice in one file: the same text counts once, different text keeps
  the first row and flags it with the second, which is not imported.
* A table that already carries handling results is an earlier round's record (Origin.HISTORY, 已公开,
  results kept) — history for screening and repeat finding.
* Every new case gets its suggestions (:class:`~.suggest.Suggester`), stored with their reasons.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.services import action_log_append
from ecoinspect.common import import_cells as cells
from ecoinspect.common.calendar import entered_date_problem
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.text_bounds import Bounds, length_problem, over_long, shortened
from ecoinspect.core.imports import Column, Importer, Preview, Row, register_importer
from ecoinspect.core.official_layouts import DISCLOSURE, DISCLOSURE_ROUND2, batch_of, round_of, text_column
from ecoinspect.orgs import cells as unit_cells

from . import numbers
from .cells import parse_channel, parse_closure, parse_seq, parse_verdict
from .choices import Origin, PetitionStatus
from .models import Petition, TransferBatch
from .services.intake import RESULTS, RoundSpec, petition_reimport, round_for_batch, round_spec
from .services.suggestions import accepted_fields, suggestions_store

#: A batch is a day's cases (a few hundred); a whole round's published history a few thousand.
MAX_BYTES = int(getattr(settings, "ECOINSPECT_PETITION_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
FORMATS = ("xlsx", "xls", "csv")

COLUMNS = (
    text_column("seq", _lazy("序号")),
    Column(
        "source_ref",
        _lazy("受理编号"),
        cells.code(),
        required=True,
        aliases=("acceptance_no", "信访件编号", "编号"),
        help=_lazy("按督察组原表填写，如 D3GD202311200002；同一轮次内唯一。"),
        example="D3GD202311200002",
        width=20,
    ),
    text_column(
        "complaint",
        _lazy("交办问题基本情况"),
        ("complaint_text", "反映问题", "信访内容", "举报内容"),
        required=True,
        example="白云区太和镇某村有工厂夜间排放刺鼻废气。",
        width=50,
    ),
    Column("region", _lazy("行政区域"), unit_cells.region(), aliases=("region_text", "所属区域"), example="广州市白云区", width=18),
    Column(
        "problem_types",
        _lazy("问题类型"),
        cells.published_types(ProblemType),
        aliases=("污染类型", "problem_type"),
        example="大气",
        width=12,
    ),
    text_column("intake", _lazy("受理方式"), ("来件方式",), example="来电", width=10),
    Column("received", _lazy("交办日期"), cells.partial_date(end=False), aliases=("受理日期", "交办时间", "受理时间"), width=12, date=True),
    text_column("remarks", _lazy("备注")),
)

#: Column key → the Petition field its text goes to as written.
TEXT_FIELDS = {
    "complaint": "complaint_text",
    "investigation": "investigation",
    "closure_target": "closure_target",
    "handling": "handling",
    "accountability": "accountability",
    "responsible_person": "responsible_person_text",
    "remarks": "remark",
}
FIELD_LABELS = {
    "seq": _lazy("序号"),
    "complaint_text": _lazy("交办问题基本情况"),
    "region_text": _lazy("行政区域"),
    "type_text": _lazy("问题类型"),
    "channel": _lazy("受理方式"),
    "responsible_unit_text": _lazy("责任单位"),
    "responsible_person_text": _lazy("责任人"),
    "remark": _lazy("备注"),
    "investigation": _lazy("调查核实情况"),
    "verdict": _lazy("是否属实"),
    "closure_target": _lazy("办结目标"),
    "handling": _lazy("处理和整改情况"),
    "closure_status": _lazy("是否办结"),
    "accountability": _lazy("责任人被处理情况"),
}
#: Columns whose parse problems are not flags: the text is kept as such (责任单位 is a published name).
UNFLAGGED = ("lead_unit",)
#: Petition field → the column its text comes from (for the fields not in TEXT_FIELDS).
FIELD_COLUMNS = {
    **{name: key for key, name in TEXT_FIELDS.items()},
    "acceptance_no": "source_ref",
    "acceptance_key": "source_ref",
    "region_text": "region",
    "type_text": "problem_types",
    "responsible_unit_text": "lead_unit",
}
#: The case's identity: too long to be stored, it cannot be cut (the row is refused, naming the cell).
IDENTITY = ("acceptance_no", "acceptance_key")
_DATE_IN_TITLE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def title_date(titles: str) -> dt.date | None:
    """The day a table's title names (…2023年11月20日…), when it is a date one may enter."""
    found = _DATE_IN_TITLE.search(cells.normalise(titles))
    if not found:
        return None
    try:
        day = dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return None if entered_date_problem(day) else day


@register_importer
class PetitionImporter(Importer):
    kind = "petitions.batch"
    overseer_perm = "petitions.assign"
    title = _lazy("交办信访件导入模板")
    summary_label = _lazy("交办问题基本情况")
    sheet_name = "交办信访件"
    key = "source_ref"
    columns = COLUMNS
    layouts = (DISCLOSURE, DISCLOSURE_ROUND2)
    formats = FORMATS
    max_bytes = MAX_BYTES
    fill_merged = True
    #: Taken as published: invisible control characters are removed (noted), an over-long cell is kept whole
    #: in the raw row and cut to its field with a flag — only a 受理编号 too long to store refuses its row.
    bounds = Bounds(Petition)
    control_characters = "strip"
    instructions = (
        _lazy("1. 督察组交办的表格可直接上传（.xlsx、.xls、WPS .et 或 CSV），表头上方的标题行会自动跳过。"),
        _lazy("2. 单元格按原样保存；无法识别的内容（如区外地名、未知的问题类型）标记为“待人工确认”，不影响导入。"),
        _lazy("3. 同一轮次内按受理编号识别同一件：再次导入同一批次不会重复新增，内容有变化的逐项显示修改前后。"),
        _lazy("4. 已有办理结果的公开表（历次督察）按历史记录导入，用于过筛和查找重复件。"),
        _lazy("5. 导入在一个事务中完成，要么全部成功，要么全部不生效。"),
    )

    # --- options: the round, the batch, the day -------------------------------------------------------
    def _options(self) -> None:
        if "spec" in self.cache:
            return
        options = self.options
        self.cache["spec"] = round_spec(options.get("round")) if options.get("round") else None
        self.cache["batch_no"] = int(options.get("batch") or 0)
        received = options.get("received_on")
        self.cache["received_on"] = dt.date.fromisoformat(received) if received else None

    @property
    def spec(self) -> RoundSpec | None:
        self._options()
        return self.cache["spec"]

    def prepare(self, preview: Preview) -> None:
        titles = " ".join(preview.titles)
        year = re.search(r"(20\d{2})\s*年", titles)
        if year:
            self.cache["default_year"] = int(year[1])
        self.cache["titles"] = titles

    def received_on(self) -> dt.date:
        self._options()
        return self.cache["received_on"] or title_date(self.cache.get("titles", "")) or timezone.localdate()

    # --- reading ------------------------------------------------------------------------------------
    def header(self, key: str) -> str:
        return self.written.get(key) or str(next((c.header for c in self.layout.columns if c.key == key), key))

    def validate(self, source) -> Preview:
        self._options()
        preview, _cases = self.read_cases(source)
        self._twins(preview.rows)
        self.check_rows(preview.rows)
        self._suggest(preview.rows)
        for row in preview.rows:
            row.raw["__summary__"] = self.summary_of(row)
        self._title_notes(preview)
        return preview

    def _lenient(self, row: Row) -> None:
        """Parse problems become flags; a row without 受理编号 and complaint (a group title, a repeated
        header) is skipped; only a row with one of the two missing stays an error."""
        number_h, complaint_h = self.header("source_ref"), self.header("complaint")
        number, complaint = row.raw.get(number_h, ""), row.raw.get(complaint_h, "")
        row.extra["flags"] = []
        if (not number and not complaint) or cells.normalise(number) == cells.normalise(number_h):
            row.errors, row.action = [], "skip"
            row.extra["skipped"] = _("没有受理编号和问题内容（标题、分组或重复的表头行），已跳过。") if not number else _("重复的表头行，已跳过。")
            return
        kept = []
        for error in row.errors:
            if error.column in (number_h, complaint_h) and not error.value:
                error.reason = _("该行有问题内容但没有受理编号，无法识别，请补上受理编号。") if error.column == number_h else _("该行有受理编号但没有交办问题基本情况，请补上。")
                kept.append(error)
            elif not any(error.column == self.written.get(k) for k in UNFLAGGED):
                row.extra["flags"].append({"column": error.column, "raw": error.value, "reason": error.reason})
        row.errors = kept

    def _shape(self, row: Row) -> None:
        """The row as a case's fields (self.cache["fields"][row]) and the flags of what was not understood."""
        v, raw = row.values, {h: val for h, val in row.raw.items() if not h.startswith("__")}
        flags = row.extra["flags"]
        number = raw.get(self.header("source_ref"), "").strip()
        fields = {
            "acceptance_no": number,
            "acceptance_key": numbers.normalise(number),
            "raw": raw,
            "region_text": raw.get(self.written.get("region", ""), ""),
            "type_text": raw.get(self.written.get("problem_types", ""), ""),
            "responsible_unit_text": raw.get(self.written.get("lead_unit", ""), ""),
            "published_types": v.get("problem_types") or [],
            "region": v.get("region"),
        }
        for key, name in TEXT_FIELDS.items():
            if key in self.written:
                fields[name] = (v.get(key) or "").strip()
        for key, name, parse in (
            ("seq", "seq", parse_seq),
            ("verdict", "verdict", parse_verdict),
            ("closure_status", "closure_status", parse_closure),
            ("intake", "channel", parse_channel),
        ):
            if key in self.written:
                value, why = parse(raw.get(self.written[key], ""))
                fields[name] = value
                if why:
                    flags.append({"column": self.written[key], "raw": raw.get(self.written[key], ""), "reason": why})
        if not numbers.parse(number).understood:
            row.notes.append(
                self._note(row, "source_ref", _("受理编号不是“D/X+轮次+省份+日期+序号”格式，按原样保存，本轮内按规范化后的编号识别。"))
            )
        received = v.get("received")
        fields["received_on"] = received.value if received is not None else None
        if self._bounded(row, fields):
            self.cache["fields"][row.number] = fields

    def _bounded(self, row: Row, fields: dict) -> bool:
        """Hold each text to its field: a field too long is cut and flagged (the raw row keeps the cell
        whole); a 受理编号 too long to store is the row's error (False: the row is not a case)."""
        for name, bound, length in over_long(self.bounds, fields, fold=False):
            header = self.header(FIELD_COLUMNS.get(name, "source_ref"))
            reason = length_problem(bound, length, named=False)
            if name in IDENTITY:
                row.error(header, _("受理编号过长，无法保存：%(why)s") % {"why": reason}, shortened(fields[name]))
                return False
            fields[name] = fields[name][: bound.max_length]
            row.extra["flags"].append(
                {
                    "column": header,
                    "raw": shortened(row.raw.get(header, ""), 200),
                    "reason": _("%(why)s系统中只保存前 %(max)s 个字，原文完整保留在原表内容中，请人工核对。")
                    % {"why": reason, "max": bound.max_length},
                }
            )
        return True

    def _note(self, row: Row, key: str, reason: str):
        from ecoinspect.core.imports import CellError

        header = self.header(key)
        return CellError(row.number, header, row.raw.get(header, ""), reason)

    def _twins(self, rows: list[Row]) -> None:
        """The same 受理编号 twice in one file: the same text is one case (the second row skipped); different
        text keeps the first row, flagged with the second's text, and the second is not imported."""
        first: dict[str, Row] = {}
        fields = self.cache["fields"]
        for row in rows:
            if row.number not in fields:
                continue
            key = fields[row.number]["acceptance_key"]
            if key not in first:
                first[key] = row
                continue
            other = first[key]
            same = _squash(fields[row.number].get("complaint_text")) == _squash(fields[other.number].get("complaint_text"))
            header = self.header("source_ref")
            if same:
                row.extra["skipped"] = _("与第 %(r)s 行受理编号、内容相同，按同一件计，已跳过。") % {"r": other.number}
            else:
                row.extra["skipped"] = _("与第 %(r)s 行受理编号相同但内容不同：本行未导入，已在第 %(r)s 行的信访件上标记待人工确认。") % {"r": other.number}
                other.extra["flags"].append(
                    {
                        "column": header,
                        "raw": fields[row.number]["acceptance_no"],
                        "reason": _("第 %(r)s 行受理编号相同但内容不同，未导入，请核对：%(t)s")
                        % {"r": row.number, "t": fields[row.number].get("complaint_text", "")[:300]},
                    }
                )
            row.action = "skip"
            del fields[row.number]

    @property
    def history(self) -> bool:
        """Does the table carry handling results (an earlier round's publication)?"""
        if "history" not in self.cache:
            self.cache["history"] = any(
                any(f.get(name) for name in RESULTS) for f in self.cache.get("fields", {}).values()
            )
        return self.cache["history"]

    # --- compare with the database ------------------------------------------------------------------
    def check_rows(self, rows: list[Row]) -> None:
        fields = self.cache["fields"]
        spec = self.spec
        existing: dict[str, Petition] = {}
        if spec is not None and spec.existing is not None:
            keys = [f["acceptance_key"] for f in fields.values()]
            for start in range(0, len(keys), 500):
                for petition in Petition.objects.filter(round=spec.existing, acceptance_key__in=keys[start : start + 500]).select_related("batch"):
                    existing[petition.acceptance_key] = petition
        for row in rows:
            if row.number not in fields or row.errors:
                continue
            f = fields[row.number]
            current = existing.get(f["acceptance_key"])
            if current is None:
                row.action = "create"
                continue
            row.existing, row.version = current, current.version
            diff = self._diff(row, f, current)
            row.extra["diff"] = [
                {"field": str(FIELD_LABELS[name]), "before": _display(before), "after": _display(after)}
                for name, (before, after) in diff.items()
            ]
            self.cache.setdefault("changes", {})[row.number] = {name: after for name, (_b, after) in diff.items()}
            row.changes = [str(FIELD_LABELS[name]) for name in diff]
            row.action = "update" if diff else "unchanged"
            if self.cache["batch_no"] and current.batch and current.batch.number != self.cache["batch_no"]:
                row.notes.append(self._note(row, "source_ref", _("该件已在%(b)s中，批次不变。") % {"b": current.batch}))

    def _diff(self, row: Row, f: dict, current: Petition) -> dict:
        from .services.intake import REIMPORTED

        names = list(REIMPORTED) + (list(RESULTS) if current.origin == Origin.HISTORY else [])
        diff = {}
        for name in names:
            new = f.get(name)
            if new in (None, "", []):
                continue  # blank never clears a stored value
            old = getattr(current, name)
            if (_squash(new) if isinstance(new, str) else new) != (_squash(old) if isinstance(old, str) else old):
                diff[name] = (old, new)
        if current.origin != Origin.HISTORY and any(f.get(name) and f.get(name) != getattr(current, name) for name in RESULTS):
            row.notes.append(self._note(row, "source_ref", _("表格中的办理结果与系统不同：办理结果以系统中单位的反馈为准，未按表格修改。")))
        return diff

    # --- suggestions ----------------------------------------------------------------------------------
    def case_text(self, row: Row):
        from .suggest import CaseText

        f = self.cache["fields"][row.number]
        return CaseText(
            acceptance_no=f["acceptance_no"],
            complaint_text=f.get("complaint_text", ""),
            region_text=f["region_text"],
            type_text=f["type_text"],
        )

    def read_cases(self, source) -> tuple[Preview, list]:
        """The file's cases as the engine reads them, writing and comparing nothing (``petitions suggest``):
        (the preview, [(row, CaseText)]) — rows without a 受理编号 or complaint are left out (they are
        the preview's errors)."""
        preview = self.read(source)
        self.cache["fields"] = {}
        for row in preview.rows:
            self._lenient(row)
            if not row.errors and row.action != "skip":
                self._shape(row)
        return preview, [(row, self.case_text(row)) for row in preview.rows if row.number in self.cache["fields"]]

    def _suggest(self, rows: list[Row]) -> None:
        from .suggest import Suggester

        fields = self.cache["fields"]
        taken = [r for r in rows if r.number in fields and not r.errors]
        if not taken:
            return
        cases = [self.case_text(r) for r in taken]
        spec = self.spec
        # the batch's own round: a case imported again is itself, not its own repeat
        suggester = Suggester(compare_stored=True, current_round=spec.existing if spec is not None else None)
        found = suggester.suggest(cases)
        self.cache["suggestions"] = {}
        for row, suggestion in zip(taken, found, strict=True):
            self.cache["suggestions"][row.number] = suggestion
            row.extra.update(_suggestion_extra(suggestion, fields[row.number]))
            if spec is not None and spec.existing is not None and row.existing is not None:
                row.extra["repeats"] = [d for d in row.extra["repeats"] if d.get("petition") != row.existing.pk]

    def summary_of(self, row: Row) -> str:
        f = self.cache.get("fields", {}).get(row.number)
        if f is None:
            return str(row.extra.get("skipped", ""))
        return f.get("complaint_text", "")[:80]

    def _title_notes(self, preview: Preview) -> None:
        """Say when the title rows name another round or batch than the one chosen (never blocking)."""
        titles = self.cache.get("titles", "")
        named, batch = round_of(titles), batch_of(titles)
        spec = self.spec
        notes = []
        if named and spec is not None and named != spec.name:
            notes.append(_("表格标题写的是“%(t)s”，导入到“%(r)s”。") % {"t": named, "r": spec.name})
        if batch and self.cache["batch_no"] and batch != self.cache["batch_no"]:
            notes.append(_("表格标题写的是第 %(t)s 批，导入为第 %(b)s 批。") % {"t": batch, "b": self.cache["batch_no"]})
        if self.history:
            notes.append(_("表格已有办理结果，按历史公开记录导入（已公开），用于过筛和查找重复件。"))
        preview.titles = [*preview.titles, *notes]

    # --- writing --------------------------------------------------------------------------------------
    def write(self, preview: Preview, job) -> dict:
        spec = self.spec
        if spec is None or not self.cache["batch_no"]:
            raise ServiceError(_("请选择督察轮次并填写批次。"))
        creates = [r for r in preview.rows if r.action == "create"]
        updates = [r for r in preview.rows if r.action == "update"]
        received = self.received_on()
        round_ = round_for_batch(actor=self.actor, spec=spec, stationed_on=received) if creates or spec.existing else None
        batch = self._batch(round_, job, bool(creates))
        file_name = job.original_name if job is not None else self.options.get("file_name", "")
        created = self._create(creates, round_, batch, received)
        updated = []
        for row in updates:
            f = self.cache["fields"][row.number]
            updated.append(
                petition_reimport(
                    actor=self.actor,
                    petition=row.existing,
                    changes=self.cache["changes"][row.number],
                    flags=row.extra["flags"],
                    raw=f["raw"],
                    expected_version=row.version,
                    batch_file=file_name,
                )
            )
        summary = {
            "created": [p.acceptance_no for p in created],
            "updated": [p.acceptance_no for p in updated],
            "unchanged": sum(1 for r in preview.rows if r.action == "unchanged"),
            "rows_skipped": sum(1 for r in preview.rows if r.action == "skip"),
            "flagged": sum(1 for r in preview.rows if r.extra.get("flags") and r.action in ("create", "update")),
            "round": round_.name if round_ else spec.name,
            "round_created": bool(round_ and spec.is_new),
            "batch": batch.pk if batch else None,
            "history": self.history,
        }
        action_log_append(
            action="petitions.import.committed",
            actor=self.actor,
            obj=batch or job,
            payload={
                "kind": self.kind,
                "file": file_name,
                "sha256": job.sha256 if job is not None else self.options.get("sha256", ""),
                "layout": self.layout.name,
                "rows": len(preview.rows),
                **{k: (len(v) if isinstance(v, list) else v) for k, v in summary.items()},
            },
        )
        return summary

    def _batch(self, round_, job, needed: bool) -> TransferBatch | None:
        from .services import batch_create

        if round_ is None:
            return None
        batch = TransferBatch.objects.filter(round=round_, number=self.cache["batch_no"]).first()
        if batch is None and needed:
            batch = batch_create(
                actor=self.actor,
                round=round_,
                number=self.cache["batch_no"],
                received_on=self.received_on(),
                origin=Origin.HISTORY if self.history else Origin.TRANSFER,
                layout=self.layout.name,
                file_name=(job.original_name if job is not None else self.options.get("file_name", ""))[:200],
                file_sha256=job.sha256 if job is not None else self.options.get("sha256", ""),
            )
        return batch

    def _create(self, rows: list[Row], round_, batch, received: dt.date) -> list[Petition]:
        from .services import petition_register

        created: list[tuple[Row, Petition]] = []
        origin = Origin.HISTORY if self.history else Origin.TRANSFER
        for row in rows:
            f = self.cache["fields"][row.number]
            suggestion = self.cache["suggestions"][row.number]
            published = {name: f[name] for name in (*RESULTS, "responsible_unit_text", "responsible_person_text", "remark", "channel") if f.get(name)}
            if self.history:
                published.update(status=PetitionStatus.DISCLOSED, disclosure_count=1)
            defaults = accepted_fields(suggestion, f["published_types"])
            petition = petition_register(
                actor=self.actor,
                round=round_,
                batch=batch,
                seq=f.get("seq"),
                acceptance_no=f["acceptance_no"],
                complaint_text=f.get("complaint_text", ""),
                received_on=f["received_on"] or received,
                region_text=f["region_text"],
                type_text=f["type_text"],
                origin=origin,
                flags=row.extra["flags"],
                raw=f["raw"],
                **defaults,
                **published,
            )
            created.append((row, petition))
        by_number = {p.acceptance_no: p.pk for _r, p in created}
        for row, petition in created:
            suggestions_store(
                actor=self.actor, petition=petition, suggestion=self.cache["suggestions"][row.number], repeats=by_number
            )
        return [p for _r, p in created]


def _squash(text) -> str:
    return re.sub(r"\s+", "", cells.normalise(str(text or "")))


def _display(value) -> str:
    if value is None:
        return ""
    for choiceset in _CHOICESETS:
        if isinstance(value, str) and value in choiceset:
            return choiceset.text(value)
    return str(value)


def _suggestion_extra(suggestion, f: dict) -> dict:
    """What the preview shows of a case's suggestions (JSON)."""
    return {
        "town": {
            "name": str(suggestion.town) if suggestion.town else "",
            "status": suggestion.town_status,
            "candidates": [str(u) for u in suggestion.town_candidates],
            "reasons": [str(r) for r in suggestion.town_reasons],
        },
        "department": {
            "name": str(suggestion.department) if suggestion.department else "",
            "reasons": [str(r) for r in suggestion.department_reasons],
        },
        "types": {
            "labels": [ProblemType.text(t) for t in (suggestion.problem_types or f["published_types"])],
            "sub_tags": list(suggestion.sub_tags),
            "reasons": [str(r) for r in suggestion.type_reasons],
        },
        "repeats": [
            {"acceptance_no": d.acceptance_no, "score": round(float(d.score), 3), "round": d.round, "petition": d.petition_id}
            for d in suggestion.duplicates
        ],
        "parsed": [
            [str(FIELD_LABELS[name]), _display(f.get(name))]
            for name in ("seq", "verdict", "closure_status", "channel")
            if f.get(name) not in (None, "")
        ],
    }


def _choicesets():
    from .choices import Channel, ClosureStatus, Verdict

    return (Verdict, ClosureStatus, Channel)


_CHOICESETS = _choicesets()
