"""The ledger's Excel import: one row per problem, matched on 问题编号 (idempotent).

Usable without HTTP::

    importer = LedgerImporter(actor=user)
    preview = importer.validate("台账.xlsx")      # rows to create / update / unchanged, every error
    job = import_job_create(actor=user, kind=LedgerImporter.kind, uploaded=File(open(...)))
    import_job_validate(job); import_job_commit(actor=user, job=job)

Rules (docs/ledger-import-export.md): new numbers are registered through ``problem_bulk_register`` (the
checks of ``problem_register``); known numbers are compared field by field and changed through
``problem_bulk_update`` (the checks of ``problem_update``; inspection office only); blank cells never
clear a stored value; the lead unit, the deadline and the registration date of a registered problem are
changed on its page (改派, 调整时限), not by import. Unit staff may import only problems their own unit leads: checked on every row, by the
service, and once more after writing — a row outside the scope rolls the whole import back.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.services import action_log_append
from ecoinspect.common import import_cells as cells
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.text_bounds import Bounds, length_problem, over_long, shortened
from ecoinspect.core.imports import (
    CellError,
    Column,
    Importer,
    ImportScopeError,
    Layout,
    Row,
    register_importer,
)
from ecoinspect.core.official_layouts import DISCLOSURE, DISCLOSURE_ROUND2, round_of, text_column
from ecoinspect.core.permissions import restrict, user_scope
from ecoinspect.orgs import cells as unit_cells
from ecoinspect.orgs.choices import TOWN_KINDS
from ecoinspect.orgs.models import Unit

from .choices import DeadlineKind, HandlingMode, ProblemSource, Severity
from .models import Measure, Problem
from .services import problem_assign
from .services.bulk import chunks, problem_bulk_register, problem_bulk_update
from .services.problems import (
    EDITABLE_FIELDS,
    validate_schedule,
    validate_source_for,
    validate_types,
    validate_units,
)
from .services.rules import problem_check_editable

#: a measures cell holds one measure a line (or separated by ；), optionally numbered 1. / 1、 / （1） / ①
_MEASURE_BREAK = re.compile(r"[\r\n；;]+")
_MEASURE_NUMBER = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）.、．](?!\d)|[①-⑳])\s*")
MAX_MEASURES = 30


def parse_measures(value, cache) -> list[str]:
    """整改措施: the measures of a new problem, one a line; their numbering is dropped (the page numbers them)."""
    parts = (_MEASURE_NUMBER.sub("", part).strip() for part in _MEASURE_BREAK.split(cells.display(value)))
    measures = [part for part in parts if part]
    if len(measures) > MAX_MEASURES:
        raise cells.CellProblem(
            _("整改措施超过 %(n)s 条（现有 %(m)s 条），请合并后再导入。")
            % {"n": MAX_MEASURES, "m": len(measures)}
        )
    return measures


_DEADLINE_WORDS = {
    "立行立改": DeadlineKind.IMMEDIATE,
    "立即整改": DeadlineKind.IMMEDIATE,
    "长期坚持": DeadlineKind.LONG_TERM,
    "长期": DeadlineKind.LONG_TERM,
    "持续推进": DeadlineKind.LONG_TERM,
    "立行立改长期坚持": DeadlineKind.LONG_TERM,
}


def parse_deadline(value, cache) -> tuple[str, object]:
    """整改时限: a date (also 2026年6月底), 立行立改 or 长期坚持 → (deadline kind, date or None); a partial
    date as :func:`~ecoinspect.common.import_cells.parse_partial_date` reads it (noted)."""
    if isinstance(value, str):
        word = cells.normalise(value).replace(" ", "")
        for sep in "、,，;；":
            word = word.replace(sep, "")
        if word in _DEADLINE_WORDS:
            return _DEADLINE_WORDS[word], None
    try:
        return DeadlineKind.DATE, cells.parse_date(value, month_end=True)
    except cells.CellProblem:
        pass
    try:  # a partial date (2026-06, 2026年, 6月30日) keeps its precision, with the reason noted
        result = cells.parse_partial_date(value, end=True, default_year=cache.get("default_year"))
        return cells.Noted((DeadlineKind.DATE, result.value.value), *result.notes)
    except cells.CellProblem as exc:
        raise cells.CellProblem(
            _(
                "“%(v)s”不是有效的整改时限：请填写日期（如 2026-06-30、2026/6/30、2026年6月30日、2026年6月底），或“立行立改”“长期坚持”。"
                ""
            )
            % {"v": cells.display(value)}
        ) from exc


def _units(kinds=None):
    return lambda: unit_cells.unit_names(kinds)


def _labels(choiceset):
    return lambda: cells.choice_labels(choiceset)


YES_NO = lambda: [_("是"), _("否")]  # noqa: E731

COLUMNS = (
    Column(
        "number",
        _lazy("问题编号"),
        cells.text(),
        required=True,
        aliases=("编号", "台账编号", "任务编号"),
        help=_lazy("每个问题唯一；再次导入时按编号识别同一问题（不会重复新增）。"),
        example="BY-ZC-2026-001",
        width=18,
    ),
    Column(
        "title",
        _lazy("整改任务"),
        cells.text(),
        required=True,
        aliases=("问题名称", "整改问题", "问题标题"),
        help=_lazy("一句话说明要整改什么，200 字以内。"),
        example="石井河某段沿岸排水口污水直排",
        width=36,
    ),
    Column(
        "description",
        _lazy("问题描述"),
        cells.text(),
        aliases=("问题情况", "问题基本情况", "交办问题基本情况", "存在问题"),
        example="巡查发现排水口晴天有污水排出，水体发黑发臭。",
        width=40,
    ),
    Column(
        "source",
        _lazy("问题来源"),
        cells.choice(ProblemSource, {"信访件": ProblemSource.PETITION, "督察反馈": ProblemSource.FEEDBACK}),
        required=True,
        choices=_labels(ProblemSource),
        example="自查自纠",
        width=14,
    ),
    Column(
        "source_ref", _lazy("来源编号"), cells.text(), aliases=("受理编号",), example="D3GD202605010001"
    ),
    Column(
        "problem_types",
        _lazy("问题类型"),
        cells.multi_choice(ProblemType),
        aliases=("污染类型",),
        choices=_labels(ProblemType),
        multiple=True,
        help=_lazy("可填多个，用顿号分隔，如“水、大气”。"),
        example="水",
        width=12,
    ),
    Column(
        "severity",
        _lazy("严重程度"),
        cells.choice(Severity),
        choices=_labels(Severity),
        example="一般",
        width=10,
    ),
    Column("is_key", _lazy("重点问题"), cells.boolean(), choices=YES_NO, example="否", width=10),
    Column("is_complex", _lazy("复杂问题"), cells.boolean(), choices=YES_NO, example="否", width=10),
    Column(
        "handling_mode",
        _lazy("分类施策"),
        cells.choice(HandlingMode),
        choices=_labels(HandlingMode),
        example="限期整改",
        width=14,
    ),
    Column(
        "address",
        _lazy("问题地点"),
        cells.text(),
        aliases=("地址", "具体位置"),
        example="石井街道某村",
        width=24,
    ),
    Column(
        "town",
        _lazy("所在镇街"),
        unit_cells.town(),
        aliases=("行政区域", "属地镇街"),
        choices=_units(TOWN_KINDS),
        help=_lazy("留空时按问题地点自动识别。"),
        example="石井街道",
        width=14,
    ),
    Column(
        "lead_unit",
        _lazy("牵头单位"),
        unit_cells.unit(),
        required=True,
        aliases=("责任单位", "牵头责任单位", "整改责任单位"),
        choices=_units(),
        help=_lazy("填写单位全称或简称；单位经办人只能导入本单位牵头的问题。"),
        example="区水务局",
        width=18,
    ),
    Column(
        "cooperating_units",
        _lazy("配合单位"),
        unit_cells.units(),
        aliases=("配合责任单位",),
        choices=_units(),
        multiple=True,
        help=_lazy("可填多个，用顿号分隔。"),
        example="石井街道、生态环境分局",
        width=22,
    ),
    Column("supervising_unit", _lazy("督导单位"), unit_cells.unit(), choices=_units(), width=16),
    Column(
        "acceptance_unit",
        _lazy("验收销号单位"),
        unit_cells.unit(),
        aliases=("验收单位",),
        choices=_units(),
        example="生态环境分局",
        width=16,
    ),
    Column("responsible_leader", _lazy("责任领导"), cells.text(), width=10),
    Column("responsible_person", _lazy("责任人"), cells.text(), width=10),
    Column("contact_phone", _lazy("联系电话"), cells.text(), width=14),
    Column("target", _lazy("整改目标"), cells.text(), example="排水口晴天无污水排出", width=30),
    Column(
        "measures",
        _lazy("整改措施"),
        parse_measures,
        aliases=("主要整改措施",),
        help=_lazy(
            "每行一条（或用“；”分隔），导入时登记为新问题的整改措施：责任单位为牵头单位，完成时限为整改时限。"
            "已登记问题的措施请在问题页面维护，此列不会修改。"
        ),
        example="1. 排查沿河排水口\n2. 封堵晴天排污口，污水接入市政管网",
        width=40,
    ),
    Column(
        "deadline",
        _lazy("整改时限"),
        parse_deadline,
        required=True,
        aliases=("完成时限", "整改期限"),
        help=_lazy("填写日期（2026-06-30、2026年6月30日、2026年6月底），或“立行立改”“长期坚持”。"),
        example="2026-06-30",
        width=14,
        date=True,
    ),
    Column(
        "registered_on",
        _lazy("登记日期"),
        cells.date(),
        help=_lazy("留空为导入当天。"),
        example="2026-03-01",
        width=12,
        date=True,
    ),
)

#: Stored fields compared with a registered problem, and changed through ``problem_bulk_update``: the
#: fields the office may edit after registration, and the cooperating units.
UPDATABLE = (*EDITABLE_FIELDS, "cooperating_units")
#: Service error fields → the column they concern.
FIELD_COLUMNS = {
    "deadline_kind": "deadline",
    "new_deadline": "deadline",
    "override_reason": "lead_unit",
}


def lead_in_scope(actor, unit, office: bool) -> bool:
    """May ``actor`` import a problem led by ``unit``? The office: any; unit staff: their own units."""
    if office:
        return True
    scope = user_scope(actor, "ledger.work")
    return unit is not None and (scope.everything or unit.pk in scope.unit_ids)


# --- the official layouts (DESIGN.md §6), imported as published ------------------------------------------


def parse_published_deadline(value, cache) -> cells.Noted:
    """整改时限 as the province publishes it: 立行立改 / 长期坚持, a date, or a partial one (2023-12 → the
    month's last day, 2021 → 31 December, 4月11日 → that day in the table's year, flagged unverified)."""
    if isinstance(value, str):
        word = re.sub(r"[、,，;；\s]", "", cells.normalise(value))
        if word in _DEADLINE_WORDS:
            return cells.Noted((_DEADLINE_WORDS[word], None))
    result = cells.parse_partial_date(value, end=True, default_year=cache.get("default_year"))
    return cells.Noted((DeadlineKind.DATE, result.value.value), *result.notes)


PROGRESS = Layout(
    "progress",
    _lazy("整改进展情况表（广东省格式）"),
    (
        text_column("seq", _lazy("序号")),
        Column("title", _lazy("整改任务"), cells.text(), required=True, aliases=("整改问题",)),
        Column("deadline", _lazy("整改时限"), parse_published_deadline, aliases=("完成时限",)),
        Column("measures", _lazy("整改措施"), parse_measures, aliases=("主要整改措施",)),
        text_column("progress_text", _lazy("目前进展情况及存在问题"), ("目前进展情况", "进展情况")),
        text_column("progress_label", _lazy("完成进度"), ("完成情况",)),
        text_column("remarks", _lazy("备注")),
    ),
    key="title",
    minimum=4,
)

#: ledger field → the layout column it comes from (errors name the file's header of that column)
LAYOUT_FIELDS = {
    name: {"number": "source_ref", "title": "complaint", "description": "complaint", "town": "region", "address": "region"}
    for name in ("disclosure", "disclosure_round2")
}
LAYOUT_FIELDS["progress"] = {"number": "title", "description": "progress_text"}

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_NUMBER_IN_REMARKS = re.compile(r"(?<![来源])编号[:：]\s*([^\s；;，,]+)")
_LEAD_IN_REMARKS = re.compile(r"牵头单位[:：]\s*([^\s；;，,]+)")
TITLE_LENGTH = 80


def title_from(text: str) -> str:
    """A problem's title from a complaint: its first sentence, at most :data:`TITLE_LENGTH` characters."""
    text = " ".join(str(text).split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip() or text
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"


def generated_number(source_round: str, title: str) -> str:
    """A progress-table task's number when the table gives none: stable for the same round and task."""
    import hashlib

    digest = hashlib.sha256(f"{source_round}|{title}".encode()).hexdigest()[:10].upper()
    return f"ZG-{digest}"


def free_number(number: str, taken: set) -> str:
    """``number`` made unique for a problem imported as new beside one of another round: 1544-2, 1544-3 …"""
    for suffix in range(2, 1000):
        candidate = f"{number[:34]}-{suffix}"
        if candidate not in taken and not Problem.objects.filter(number=candidate).exists():
            taken.add(candidate)
            return candidate
    raise ServiceError(_("无法为编号“%(n)s”生成新编号。") % {"n": number})


def _labelled(values: dict, written: dict, keys) -> list[str]:
    return [f"【{written[k]}】{values[k]}" for k in keys if values.get(k) and k in written]


def disclosure_values(v: dict, written: dict, source_round: str) -> dict:
    """A disclosure-table row as a ledger problem: a petition (信访) numbered by its 受理编号 within its
    round; title and description from 交办问题基本情况, town from 行政区域, types from 问题类型; every other
    published column is kept, labelled with its header, in the description."""
    region = v.get("region")
    complaint = v.get("complaint") or ""
    parts = [complaint, *_labelled(v, written, DISCLOSURE_EXTRAS)]
    if region is not None:
        parts.append(f"【{written['region']}】{region.raw}")
    return {
        "number": v.get("source_ref"),
        "source_ref": v.get("source_ref"),
        "source": ProblemSource.PETITION,
        "source_round": source_round,
        "title": title_from(complaint),
        "description": "\n".join(p for p in parts if p),
        "problem_types": v.get("problem_types") or None,
        "town": region.town if region is not None else None,
        "address": region.locality if region is not None else None,
        "lead_unit": v.get("lead_unit"),
        "responsible_person": v.get("responsible_person"),
        "deadline": None,
    }


DISCLOSURE_EXTRAS = (
    "investigation",
    "verdict",
    "closure_target",
    "handling",
    "closure_status",
    "accountability",
    "intake",
    "remarks",
)


def progress_values(v: dict, written: dict, source_round: str) -> dict:
    """A progress-table row as a ledger problem (历次督察反馈): 整改任务 the title, 整改时限 the deadline,
    整改措施 the measures of a new problem; 目前进展情况及存在问题, 完成进度 and 备注 kept, labelled, in the
    description (完成进度 itself moves only by the units' reports). A number written in 备注 (编号：…, as
    the ledger's own export writes it) names the problem; otherwise the task's title does."""
    number = _NUMBER_IN_REMARKS.search(v.get("remarks") or "")
    return {
        "number": number[1] if number else None,
        "title": v.get("title"),
        "source": ProblemSource.FEEDBACK,
        "source_round": source_round,
        "description": "\n".join(_labelled(v, written, ("progress_text", "progress_label", "remarks"))),
        "measures": v.get("measures") or None,
        "deadline": v.get("deadline"),
    }


SHAPES = {"disclosure": disclosure_values, "disclosure_round2": disclosure_values, "progress": progress_values}


@register_importer
class LedgerImporter(Importer):
    kind = "ledger.problem"
    overseer_perm = "ledger.assign"
    title = _lazy("整改问题台账导入模板")
    summary_label = _lazy("整改任务")
    sheet_name = "整改问题"
    key = "number"
    columns = COLUMNS
    layouts = (DISCLOSURE, DISCLOSURE_ROUND2, PROGRESS)
    #: every text is held to the field it is stored in (a measure to a measure's content)
    bounds = Bounds(Problem, measures=(Measure, "content"))
    instructions = (
        _lazy("1. 在“整改问题”工作表中每行填写一个问题，红色表头为必填列；请勿修改表头文字。"),
        _lazy("2. 问题编号在全区唯一。再次导入同一文件不会重复新增：编号相同、内容相同的行视为无变化。"),
        _lazy("3. 已登记问题的内容有变化时，由区督察迎检办导入即修改；空白单元格不会清除系统中已有的内容。"),
        _lazy("4. 牵头单位、整改时限、登记日期不通过导入修改，请在问题页面办理改派或调整时限。"),
        _lazy("5. 单位经办人只能导入本单位牵头的问题；只要有一行超出范围，整个文件都不会导入。"),
        _lazy(
            "6. 上传后先校验并预览，确认无误后再导入；导入在一个事务中完成，要么全部成功，要么全部不生效。"
        ),
    )

    # --- official layouts: the round, then each row in the ledger's terms ----------------------------
    def prepare(self, preview) -> None:
        titles = " ".join(preview.titles)
        self.round = round_of(titles)
        year = re.search(r"(20\d{2})\s*年", titles)
        if year:
            self.cache["default_year"] = int(year[1])

    def column(self, key: str) -> str:
        """The header, as the file writes it, of the column a ledger field came from."""
        source = LAYOUT_FIELDS.get(self.layout.name, {}).get(key, key)
        if source in self.written:
            return self.written[source]
        if self.layout.name == "template":
            headers = self.cache.get("headers")
            if headers is None:
                headers = self.cache["headers"] = {c.key: str(c.header) for c in self.columns}
            return headers.get(key) or headers["number"]
        return self.written.get(self.layout.key) or key

    def _shape(self, row: Row) -> None:
        """An official table's row in the ledger's terms (:func:`disclosure_values`, :func:`progress_values`)."""
        shape = SHAPES.get(self.layout.name)
        if shape is None:
            return
        published = row.values
        row.values = shape(published, self.written, getattr(self, "round", ""))
        if self.layout.name != "progress":
            return
        header = self.written.get("deadline")
        if header and any(n.column == header for n in row.notes):
            # a partial deadline: the published text stays on the record beside the date it was read as
            row.values["description"] = "\n".join(
                filter(None, [row.values["description"], f"【{header}】{row.raw.get(header, '')}"])
            )
        lead = _LEAD_IN_REMARKS.search(published.get("remarks") or "")
        if lead:
            try:
                row.values["lead_unit"] = unit_cells.unit()(lead[1], self.cache)
            except cells.CellProblem as problem:
                row.notes.append(CellError(row.number, self.written["remarks"], lead[1], problem.reason))
        if row.values.get("measures") and row.values.get("lead_unit") is None:
            # a measure needs its owner: without a lead unit the measures stay text in the description
            header = self.written["measures"]
            listed = "\n".join(f"{n}. {m}" for n, m in enumerate(row.values.pop("measures"), start=1))
            row.values["description"] = "\n".join(filter(None, [row.values["description"], f"【{header}】{listed}"]))
            row.notes.append(
                CellError(row.number, header, row.raw.get(header, ""), _("未写牵头单位，整改措施记入问题描述，交办时再分解。"))
            )

    def summary_of(self, row: Row) -> str:
        return str(row.values.get("title") or "")[:60]

    # --- compare with the database ---------------------------------------------------------------
    def _candidates(self, rows: list[Row]) -> tuple[dict, dict, dict]:
        """Registered problems a row may be: by number, by (source, round, source number), by title."""
        numbers = [r.values["number"] for r in rows if r.values.get("number")]
        refs = [r.values["source_ref"] for r in rows if r.values.get("source_ref") and self.layout.name != "template"]
        titles = [r.values["title"] for r in rows if r.values.get("title") and self.layout.name == "progress"]
        by_number: dict[str, Problem] = {}
        by_identity: dict[tuple, Problem] = {}
        by_title: dict[str, list[Problem]] = {}
        for part in chunks(numbers):
            for problem in Problem.objects.filter(number__in=part):
                by_number[problem.number] = problem
        for part in chunks(refs):
            for problem in Problem.objects.filter(source_ref__in=part).order_by("pk"):
                by_identity.setdefault((problem.source, problem.source_round, problem.source_ref), problem)
        for part in chunks(titles):
            for problem in Problem.objects.filter(title__in=part).order_by("pk"):
                by_title.setdefault(problem.title, []).append(problem)
        return by_number, by_identity, by_title

    def _identify(self, row: Row, by_number, by_identity, by_title, taken: set) -> Problem | None:
        """The registered problem this row is (None: a new one), or a conflict for the person to decide:
        a number is an identity only within its round and source (DESIGN.md §4.5)."""
        v = row.values
        current = other = None
        if self.layout.name == "template":
            found = by_number.get(v.get("number"))
            if found is not None and v.get("source") and found.source != v["source"]:
                other = found
            else:
                current = found
        elif self.layout.name == "progress" and not v.get("number"):
            same = by_title.get(v.get("title"), [])
            if len(same) > 1:
                row.error(
                    self.column("title"),
                    _("系统中有 %(n)s 个同名问题（%(nums)s），请在备注中写明“编号：…”以指明是哪一个。")
                    % {"n": len(same), "nums": "、".join(p.number for p in same)},
                )
                return None
            current = same[0] if same else None
            if current is None:
                v["number"] = generated_number(v.get("source_round", ""), v["title"])
                other = by_number.get(v["number"])
        else:
            current = by_identity.get((v.get("source"), v.get("source_round", ""), v.get("source_ref")))
            if current is None and self.layout.name == "progress":
                current = by_number.get(v.get("number"))
            if current is None:
                other = by_number.get(v.get("number"))
            if current is None and other is None and v.get("source_round"):
                # the same 受理编号 registered without its round: maybe this petition, maybe another round's
                other = by_identity.get((v.get("source"), "", v.get("source_ref")))
        if other is None:
            return current
        row.existing = other
        row.conflict = _("编号“%(n)s”已被%(round)s“%(source)s”的问题“%(t)s”使用") % {
            "n": other.number,
            "round": f"“{other.source_round}”" if other.source_round else _("未注明轮次的"),
            "source": other.get_source_display(),
            "t": other.title[:40],
        }
        row.decision = self.decision(row)
        if row.decision == "update":
            return other
        if row.decision == "new":
            v["number"] = free_number(v["number"], taken)
            return None
        row.action = "skip" if row.decision == "skip" else "conflict"
        return other

    def check_rows(self, rows: list[Row]) -> None:
        actor = self.actor
        office = user_scope(actor, "ledger.assign").everything
        visible_scope = user_scope(actor, "ledger.view")
        today = timezone.localdate()
        for row in rows:
            if not row.errors:
                self._shape(row)
            if self.layout.name == "template" or not row.errors:
                for key, bound, length in over_long(self.bounds, row.values):
                    value = row.values[key]
                    shown = shortened(value if isinstance(value, str) else max(value, key=len))
                    row.error(self.column(key), length_problem(bound, length, named=False), shown)
        by_number, by_identity, by_title = self._candidates(rows)
        every = {p.pk: p for p in [*by_number.values(), *by_identity.values()] + [p for ps in by_title.values() for p in ps]}
        cooperating: dict[int, set[int]] = self.cache.setdefault("cooperating", {})
        through = Problem.cooperating_units.through
        units = {u.pk: u for u in Unit.objects.all()}  # ~40 rows, shared by every problem below
        for problem in every.values():
            for name in ("lead_unit", "town", "supervising_unit", "acceptance_unit"):
                unit_id = getattr(problem, f"{name}_id")
                if unit_id is not None:
                    setattr(problem, name, units[unit_id])
        for part in chunks(list(every)):
            for problem_id, unit_id in through.objects.filter(problem_id__in=part).values_list(
                "problem_id", "unit_id"
            ):
                cooperating.setdefault(problem_id, set()).add(unit_id)
        visible_ids = set()
        if not visible_scope.everything and every:
            for part in chunks(list(every)):
                visible_ids |= set(
                    restrict(Problem.objects.filter(pk__in=part), actor, "ledger.view").values_list(
                        "pk", flat=True
                    )
                )
        taken = set(by_number) | {r.values["number"] for r in rows if r.values.get("number")}
        for index, row in enumerate(rows, start=1):
            if not row.errors:
                current = self._identify(row, by_number, by_identity, by_title, taken)
                if row.conflict and not visible_scope.everything and row.existing.pk not in visible_ids:
                    # a problem one cannot see is neither shown nor offered: the number is taken
                    row.conflict = row.decision = row.action = ""
                    row.error(
                        self.column("number"),
                        _("该编号已被其他单位的问题使用，请换一个编号。"),
                    )
                    continue
                if row.action in ("conflict", "skip"):
                    continue
                if not row.errors:
                    self._check_row(row, current, office, visible_scope.everything, visible_ids, today)
            if self.progress and index % 500 == 0:
                self.progress((len(rows) + index) // 2, len(rows))

    def _service_errors(self, row: Row, exc: ServiceError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"number": exc.messages}
        for field, messages in errors.items():
            key = FIELD_COLUMNS.get(field, field)
            if key not in {c.key for c in self.columns}:
                key = "number"
            for message in messages:
                row.error(self.column(key), message)

    def _check_row(self, row: Row, current, office, sees_all, visible_ids, today) -> None:
        v = row.values
        deadline_kind, deadline = v.get("deadline") or (None, None)
        if current is None and self.layout.name != "template" and deadline is not None and deadline < today:
            # an official table registered after its deadline: registered on the deadline, not later
            v["registered_on"] = deadline
            row.notes.append(
                CellError(row.number, self.column("deadline"), str(deadline), _("整改时限早于今天，登记日期按整改时限计。"))
            )
        registered_on = v.get("registered_on") or today
        if v.get("registered_on") and v["registered_on"] > today and self.layout.name == "template":
            row.error(
                self.column("registered_on"),
                _("登记日期不能晚于今天。"),
            )
        if current is None:
            if deadline_kind is not None:
                try:
                    validate_schedule(
                        registered_on=registered_on, deadline_kind=deadline_kind, deadline=deadline
                    )
                except ServiceError as exc:
                    self._service_errors(row, exc)
            try:
                validate_types(v.get("problem_types") or [])
                validate_units(
                    town=v.get("town"),
                    lead_unit=v.get("lead_unit"),
                    acceptance_unit=v.get("acceptance_unit"),
                    supervising_unit=v.get("supervising_unit"),
                    cooperating_units=v.get("cooperating_units") or [],
                )
            except ServiceError as exc:
                self._service_errors(row, exc)
            if v.get("source"):
                try:
                    validate_source_for(self.actor, v["source"], office=office)
                except ServiceError as exc:
                    self._service_errors(row, exc)
            if v.get("lead_unit") is not None and not lead_in_scope(self.actor, v["lead_unit"], office):
                row.error(
                    self.column("lead_unit"),
                    _(
                        "超出您的导入范围：单位经办人只能导入本单位牵头的问题。"
                    ),
                )
            row.action = "create"
            return
        row.existing, row.version = current, current.version
        if not sees_all and current.pk not in visible_ids:
            row.error(
                self.column("number"),
                _(
                    "该编号已被其他单位的问题使用，请换一个编号。"
                ),
            )
            return
        self._compare(row, current, deadline_kind, deadline)
        if row.errors:
            return
        if not row.changes:
            row.action = "unchanged"
            return
        if not office:
            row.error(
                self.column("number"),
                _(
                    "该问题已登记，内容有变化（%(f)s）。已登记问题只能由区督察迎检办修改。"
                )
                % {"f": "、".join(row.changes)},
            )
        else:
            try:
                problem_check_editable(current)
                validate_types(v.get("problem_types") or [])
                validate_units(
                    town=v.get("town") or current.town,
                    lead_unit=current.lead_unit,
                    acceptance_unit=v.get("acceptance_unit") or current.acceptance_unit,
                    supervising_unit=v.get("supervising_unit") or current.supervising_unit,
                    cooperating_units=v.get("cooperating_units") or [],
                )
            except ServiceError as exc:
                self._service_errors(row, exc)
            row.action = "update"

    def _compare(self, row: Row, current: Problem, deadline_kind, deadline) -> None:
        v = row.values
        # An official table is taken as published: what differs from a registered problem's lead unit or
        # deadline (changed on its page) is noted, never blocking the batch.
        blocking = row.error if self.layout.name == "template" else self._note_only(row)
        if v.get("lead_unit") is not None and v["lead_unit"].pk != current.lead_unit_id:
            blocking(
                self.column("lead_unit"),
                _(
                    "与系统中的牵头单位（%(u)s）不同。更换牵头单位请在问题页面办理“改派”。"
                )
                % {"u": current.lead_unit or "—"},
            )
        if deadline_kind is not None and (
            deadline_kind != current.deadline_kind
            or (deadline_kind == DeadlineKind.DATE and deadline != current.deadline)
        ):
            shown = current.deadline or current.get_deadline_kind_display()
            blocking(
                self.column("deadline"),
                _(
                    "与系统中的整改时限（%(d)s）不同。调整时限请在问题页面办理。"
                )
                % {"d": shown},
            )
        if (
            self.layout.name == "template"
            and v.get("registered_on") is not None
            and v["registered_on"] != current.registered_on
        ):
            blocking(
                self.column("registered_on"),
                _("与系统中的登记日期（%(d)s）不同。")
                % {"d": current.registered_on},
            )
        for name in UPDATABLE:
            value = v.get(name)
            if value is None or value == "" or value == []:
                continue  # blank never clears a stored value
            if name == "cooperating_units":
                same = {u.pk for u in value} == self.cache["cooperating"].get(current.pk, set())
            elif name == "problem_types":
                same = set(value) == set(current.problem_types)
            elif name in ("town", "supervising_unit", "acceptance_unit"):
                same = value.pk == getattr(current, f"{name}_id")
            else:
                same = value == getattr(current, name)
            if not same:
                self.cache.setdefault("changed", {}).setdefault(row.number, []).append(name)
                if self.column(name) not in row.changes:
                    row.changes.append(self.column(name))

    def _note_only(self, row: Row):
        def note(column: str, reason: str) -> None:
            row.notes.append(CellError(row.number, column, row.raw.get(column, ""), reason))

        return note

    # --- writing ---------------------------------------------------------------------------------
    def _changes(self, row: Row) -> dict:
        return {name: row.values[name] for name in self.cache.get("changed", {}).get(row.number, [])}

    def write(self, preview, job) -> dict:
        origin_file = job.original_name if job is not None else _("导入文件")
        creates = [r for r in preview.rows if r.action == "create"]
        updates = [r for r in preview.rows if r.action == "update"]
        specs = []
        for row in creates:
            v = dict(row.values)
            v["deadline_kind"], v["deadline"] = v.pop("deadline", None) or (DeadlineKind.DATE, None)
            v["origin"] = _("%(f)s 第 %(r)s 行") % {"f": origin_file, "r": row.number}
            specs.append(v)
        created = problem_bulk_register(actor=self.actor, rows=specs, job=job) if specs else []
        updated = problem_bulk_update(
            actor=self.actor, updates=[(r.existing, r.version, self._changes(r)) for r in updates], job=job
        )
        assigned = 0
        if self.options.get("assign") and user_scope(self.actor, "ledger.assign").everything:
            for problem in created:
                if (
                    problem.lead_unit_id
                    and problem.acceptance_unit_id
                    and (problem.deadline or problem.deadline_kind == DeadlineKind.LONG_TERM)
                ):
                    problem_assign(actor=self.actor, problem=problem)
                    assigned += 1
        rows_by_number = {r.values["number"]: r.number for r in creates + updates}
        skipped = sum(1 for r in preview.rows if r.action == "skip")
        summary = {
            "created": [p.number for p in created],
            "updated": [p.number for p in updated],
            "unchanged": sum(1 for r in preview.rows if r.action == "unchanged"),
            "assigned": assigned,
            "skipped": skipped,
            "rows": rows_by_number,
            "_ids": [p.pk for p in created] + [p.pk for p in updated],
        }
        action_log_append(
            action="ledger.import.committed",
            actor=self.actor,
            obj=job,
            payload={
                "kind": self.kind,
                "file": origin_file,
                "sha256": job.sha256 if job is not None else "",
                "rows": len(preview.rows),
                "created": len(created),
                "updated": len(updated),
                "unchanged": summary["unchanged"],
                "assigned": assigned,
                "skipped": skipped,
                "layout": self.layout.name,
            },
        )
        return summary

    def recheck(self, summary: dict) -> None:
        """After writing: every written problem must be led by one of the actor's units (unless the
        actor is the inspection office). Any row outside rolls the whole import back, naming the rows."""
        ids = summary.pop("_ids", [])
        if user_scope(self.actor, "ledger.assign").everything or not ids:
            return
        scope = user_scope(self.actor, "ledger.work")
        allowed: set[int] = set()
        for part in chunks(ids):
            qs = restrict(Problem.objects.filter(pk__in=part), self.actor, "ledger.work")
            if not scope.everything:
                qs = qs.filter(lead_unit_id__in=scope.unit_ids)
            allowed |= set(qs.values_list("pk", flat=True))
        outside = list(
            Problem.objects.filter(pk__in=[i for i in ids if i not in allowed]).values_list(
                "number", flat=True
            )
        )
        if outside:
            rows = summary.get("rows", {})
            named = "、".join(
                _("第 %(r)s 行（%(n)s）") % {"r": rows.get(n, "?"), "n": n}
                for n in sorted(outside, key=lambda n: rows.get(n, 0))
            )
            raise ImportScopeError(
                _(
                    "以下行超出您的导入范围（单位经办人只能导入本单位牵头的问题），整个导入已撤销：%(rows)s"
                    ""
                )
                % {"rows": named},
                code="scope",
            )
