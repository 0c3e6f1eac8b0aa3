"""The official tables an app takes as published (DESIGN.md §6), as import :class:`~.imports.Layout`\\ s
that every app shares: the inspectors' disclosure table of the complaints they transferred (round 3, and
round 2 with the provinces' variants), and what the title rows above such a table say (the round).

The columns are keyed the same in every layout (``source_ref`` 受理编号, ``complaint`` 交办问题基本情况,
``region`` 行政区域 …), so an app reads one row the same way whichever layout it came in. What a row
means is the app's: the ledger registers a problem from it, the petitions app a case.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common import import_cells as cells
from ecoinspect.common.choices import ProblemType
from ecoinspect.orgs import cells as unit_cells

from .imports import Column, Layout


def text_column(key, header, aliases=(), **kw) -> Column:
    return Column(key, header, cells.text(), aliases=aliases, **kw)


#: Columns some provinces add to the disclosure table.
PROVINCIAL_EXTRAS = (
    Column("lead_unit", _lazy("责任单位"), unit_cells.unit(), aliases=("牵头单位", "责任部门")),
    Column("responsible_person", _lazy("责任人"), cells.text()),
    text_column("intake", _lazy("受理方式"), ("来件方式",)),
    text_column("remarks", _lazy("备注")),
)


def transfer_columns() -> list[Column]:
    """The first five columns: what the inspection team hands over (序号 … 问题类型)."""
    return [
        text_column("seq", _lazy("序号")),
        Column("source_ref", _lazy("受理编号"), cells.code(), required=True),
        text_column("complaint", _lazy("交办问题基本情况"), required=True),
        Column("region", _lazy("行政区域"), unit_cells.region()),
    ]


def disclosure_columns(types_header, accountability_header, *, round3: bool) -> tuple[Column, ...]:
    """The disclosure table's columns: round 3 (问题类型, 办结目标, 是否办结, 责任人被处理情况) or round 2
    (污染类型, 问责情况), with the provinces' extra columns."""
    columns = [
        *transfer_columns(),
        Column("problem_types", types_header, cells.published_types(ProblemType)),
        text_column("investigation", _lazy("调查核实情况")),
        text_column("verdict", _lazy("是否属实")),
        text_column("handling", _lazy("处理和整改情况")),
        text_column("accountability", accountability_header),
    ]
    if round3:
        columns += [text_column("closure_target", _lazy("办结目标")), text_column("closure_status", _lazy("是否办结"))]
    return (*columns, *PROVINCIAL_EXTRAS)


DISCLOSURE = Layout(
    "disclosure",
    _lazy("群众信访举报件办理情况公开表（第三轮）"),
    disclosure_columns(_lazy("问题类型"), _lazy("责任人被处理情况"), round3=True),
    key="source_ref",
    minimum=4,
)
DISCLOSURE_ROUND2 = Layout(
    "disclosure_round2",
    _lazy("群众信访举报件办理情况公开表（第二轮及各省格式）"),
    disclosure_columns(_lazy("污染类型"), _lazy("问责情况"), round3=False),
    key="source_ref",
    minimum=4,
)

_ROUND = re.compile(r"(第[一二三四五六七八九十\d]+轮)\s*(中央|省级?|广东省)?\s*(生态环境保护督察)?")
_BATCH = re.compile(r"第\s*([一二三四五六七八九十百\d]+)\s*批")
INSPECTION = "生态环境保护督察"
CHINESE_NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (up to 99): how rounds and batches are named."""
    if n < 10:
        return CHINESE_NUMERALS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十" + (CHINESE_NUMERALS[units] if units else "")


def number_of(word: str) -> int | None:
    """三 → 3, 十二 → 12, 二十 → 20, "5" → 5 (the inverse of :func:`chinese_number`); None otherwise."""
    word = cells.normalise(word)
    if word.isdigit():
        return int(word)
    if not word or any(ch not in CHINESE_NUMERALS + "十" for ch in word):
        return None
    if "十" not in word:
        return CHINESE_NUMERALS.index(word) if len(word) == 1 else None
    tens, _sep, units = word.partition("十")
    return (CHINESE_NUMERALS.index(tens) if tens else 1) * 10 + (CHINESE_NUMERALS.index(units) if units else 0)


def round_of(titles: str) -> str:
    """The inspection round named by a table's title rows (第三轮中央生态环境保护督察…第5批… → 第三轮中央生态
    环境保护督察), "" when none is named."""
    match = _ROUND.search(cells.normalise(titles).replace(" ", ""))
    if not match:
        return ""
    first, who, what = match[1], match[2] or "", match[3] or ""
    return f"{first}{who}{what or INSPECTION}"  # stored data: always the published Chinese, never translated


def batch_of(titles: str) -> int | None:
    """The batch number named by a table's title rows (…第5批交办… → 5), None when none is named."""
    match = _BATCH.search(cells.normalise(titles).replace(" ", ""))
    return number_of(match[1]) if match else None
