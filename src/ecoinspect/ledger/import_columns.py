"""The ledger import's columns and readings (ecoinspect.ledger.importers): the template's columns with
their cell parsers, the official layouts it also takes (the inspectors' disclosure tables, the province's
progress table) and how each layout's values become a problem's."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common import import_cells as cells
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.imports import (
    Column,
    Layout,
)
from ecoinspect.core.official_layouts import text_column
from ecoinspect.core.permissions import user_scope
from ecoinspect.orgs import cells as unit_cells
from ecoinspect.orgs.choices import TOWN_KINDS

from .choices import DeadlineKind, HandlingMode, ProblemSource, Severity
from .models import Problem
from .services.problems import EDITABLE_FIELDS

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
#: 牵头单位：… in a published table's remarks (the province's progress table names the lead unit there)
LEAD_IN_REMARKS = re.compile(r"牵头单位[:：]\s*([^\s；;，,]+)")
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


