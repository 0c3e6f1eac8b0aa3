"""Reading one Excel cell into a Python value, or saying in both languages why it cannot be read.

A parser gets a non-blank cell value as python-calamine returns it (``str``, ``float``, ``bool``,
``date``, ``datetime``) and a per-run ``cache`` dict (lookup tables are built once per import, never kept
between imports). It returns the clean value or raises :class:`CellProblem` with the reason in the person's language.
Blank cells never reach a parser: the pipeline applies the column's ``required`` flag and default.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

#: Excel's day zero for serial dates (the 1900 system, with its leap-year bug already folded in).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel's last date, 9999-12-31 (a larger number is no date)
MAX_EXCEL_SERIAL = 2958465
#: Separators between several values in one cell: 、 , ， ; ； / ／ and line breaks.
LIST_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")


class CellProblem(Exception):
    """Why a cell cannot be read; ``reason`` is in the person's language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC: digits, letters, brackets and the ideographic space), trimmed,
    inner whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value) -> str:
    """The cell as a person would read it in Excel (for error messages and the preview)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


Parser = Callable[[object, dict], object]


def text(max_length: int | None = None) -> Parser:
    def parse(value, cache):
        result = display(value)
        if max_length is not None and len(result) > max_length:
            raise CellProblem(
                _("内容超过 %(n)s 个字（现有 %(len)s 个字）。")
                % {"n": max_length, "len": len(result)}
            )
        return result

    return parse


def code(max_length: int | None = None) -> Parser:
    """A number as published (受理编号 Ｄ３ＧＤ２０２３ ０００１): full-width letters and digits made half-width,
    spaces removed."""
    check = text(max_length)

    def parse(value, cache):
        return check(normalise(display(value)).replace(" ", ""), cache)

    return parse


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_END = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末)$")
_YEAR_END = re.compile(r"^(\d{4})年(?:底|末)$")


def _bad_date(shown: str) -> CellProblem:
    return CellProblem(
        _(
            "“%(v)s”不是有效日期（可写 2026-03-01、2026/3/1、2026年3月1日 或 Excel 日期）。"
            ""
        )
        % {"v": shown}
    )


def _checked(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError as exc:
        raise _bad_date(shown) from exc
    from .calendar import entered_date_problem

    problem = entered_date_problem(result)  # the same range as the pages and the API
    if problem:
        raise CellProblem(problem)
    return result


def parse_date(value, *, month_end: bool = False) -> dt.date:
    """A date from an Excel date cell, an Excel serial number, or text in the common Chinese forms.

    ``month_end`` also accepts 2026年6月底 (the last day of June) and 2026年底 (31 December), as deadlines
    are often written; a trailing 前 ("by") is ignored.
    """
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day, display(value))
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, display(value))
    if isinstance(value, bool):
        raise _bad_date(display(value))
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise _bad_date(display(value))
        serial = int(value)
        if 19000101 <= serial <= 21001231 and value == serial:  # 20260301 typed as a number
            return _checked(serial // 10000, serial // 100 % 100, serial % 100, display(value))
        if not 1 <= serial <= MAX_EXCEL_SERIAL:
            raise _bad_date(display(value))
        result = EXCEL_EPOCH + dt.timedelta(days=serial)
        return _checked(result.year, result.month, result.day, display(value))
    shown = display(value)
    cleaned = normalise(shown).replace(" ", "")
    cleaned = cleaned.removesuffix("前").removesuffix("之前")
    for pattern in (_ISO, _CHINESE, _COMPACT):
        match = pattern.match(cleaned) or pattern.match(normalise(shown).removesuffix("前"))
        if match:
            return _checked(int(match[1]), int(match[2]), int(match[3]), shown)
    if month_end:
        match = _MONTH_END.match(cleaned)
        if match:
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                return _checked(year, month, pycalendar.monthrange(year, month)[1], shown)
        match = _YEAR_END.match(cleaned)
        if match:
            return _checked(int(match[1]), 12, 31, shown)
    raise _bad_date(shown)


def date(*, month_end: bool = False) -> Parser:
    return lambda value, cache: parse_date(value, month_end=month_end)


def _labels(choiceset) -> dict[str, str]:
    """Every way a person may write a choice (value, Chinese label, English label) → its value."""
    mapping: dict[str, str] = {}
    for choice in choiceset:
        mapping[choice.value.lower()] = choice.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                mapping.setdefault(normalise(str(choice.label)).lower(), choice.value)
    return mapping


def _chinese_labels(choiceset) -> list[str]:
    with translation.override("zh-hans"):
        return [str(c.label) for c in choiceset]


def choice_labels(choiceset) -> list[str]:
    """The Chinese labels of a choice set, in order (the template's dropdown)."""
    return _chinese_labels(choiceset)


def _unknown_choice(shown: str, choiceset) -> CellProblem:
    allowed = "、".join(_chinese_labels(choiceset))
    return CellProblem(
        _(
            "“%(v)s”不是可选的值（可选：%(allowed)s）。"
        )
        % {"v": shown, "allowed": allowed}
    )


def choice(choiceset, aliases: dict[str, str] | None = None) -> Parser:
    """One value of ``choiceset``, written as its Chinese label (or English label, or stored value)."""
    key = f"choice:{choiceset.__module__}.{choiceset.__name__}"

    def parse(value, cache):
        mapping = cache.get(key)
        if mapping is None:
            mapping = cache[key] = {
                **_labels(choiceset),
                **{normalise(k).lower(): v for k, v in (aliases or {}).items()},
            }
        shown = display(value)
        found = mapping.get(normalise(shown).lower())
        if found is None:
            raise _unknown_choice(shown, choiceset)
        return found

    return parse


def multi_choice(choiceset, aliases: dict[str, str] | None = None) -> Parser:
    """Several values of ``choiceset`` in one cell, separated by 、 , ； or /."""
    single = choice(choiceset, aliases)

    def parse(value, cache):
        values = []
        for part in LIST_SEPARATORS.split(display(value)):
            if part.strip():
                found = single(part.strip(), cache)
                if found not in values:
                    values.append(found)
        return values

    return parse


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "对", "有", "重点", "复杂"}
_FALSE = {"否", "n", "no", "false", "0", "×", "x", "✗", "错", "无", "不是"}


def boolean() -> Parser:
    def parse(value, cache):
        if isinstance(value, bool):
            return value
        shown = display(value)
        key = normalise(shown).lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellProblem(
            _("“%(v)s”应填“是”或“否”。") % {"v": shown}
        )

    return parse


# --- values as published (official tables): kept raw, normalised with the reason ---------------------


class Noted:
    """A parsed value with a note saying how a published cell was read (shown in the preview, never an
    error): ``Noted(ProblemType.AIR, "“扬尘污染”按“大气”计")``. The pipeline unwraps it."""

    __slots__ = ("value", "notes")

    def __init__(self, value, *notes: str):
        self.value = value
        self.notes = tuple(n for n in notes if n)

    def __eq__(self, other):
        return isinstance(other, Noted) and (self.value, self.notes) == (other.value, other.notes)

    def __repr__(self) -> str:
        return f"Noted({self.value!r}, {self.notes!r})"


def unwrap(result) -> tuple[object, tuple[str, ...]]:
    """(value, notes) of a parser's result, noted or not."""
    if isinstance(result, Noted):
        return result.value, result.notes
    return result, ()


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as it was published: ``precision`` is "day", "month", "year" or "day_no_year"
    (a month and day whose year the table does not give). ``value`` is the day stored for it."""

    value: dt.date
    precision: str
    raw: str


_YEAR_MONTH = re.compile(r"^(\d{4})(?:[-/.年])(\d{1,2})月?(?:份|底|末)?$")
_YEAR_ONLY = re.compile(r"^(\d{4})年?(?:底|末)?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]?$")
_BRACKETED = re.compile(r"[（(][^()（）]*[)）]")


def parse_partial_date(value, *, end: bool = True, default_year: int | None = None) -> Noted:
    """A full date as :func:`parse_date` reads it, or a published partial one, keeping its precision:
    "2023-12" / "2023年12月" → that month (its last day when ``end``, else its first), "2021" / "2021年" →
    that year (31 December or 1 January), "4月11日" → that day in ``default_year`` (the table's year, else
    this year), flagged as a year not verified. Bracketed remarks ("(年份未核实)") are dropped. Returns a
    :class:`Noted` :class:`PartialDate` (the note says how it was read); raises CellProblem only for what
    cannot be understood."""
    shown = display(value)
    try:
        day = parse_date(value, month_end=end)
    except CellProblem:
        pass
    else:
        precise = not isinstance(value, str) or not re.search(r"[底末]", shown)
        return Noted(PartialDate(day, "day" if precise else "month", shown))
    cleaned = _BRACKETED.sub("", normalise(shown)).replace(" ", "").removesuffix("前").removesuffix("之")
    if cleaned != normalise(shown).replace(" ", ""):
        try:
            day = parse_date(cleaned, month_end=end)
            return Noted(PartialDate(day, "day", shown), _("括号内的说明已略去，按 %(d)s 计。") % {"d": day})
        except CellProblem:
            pass
    match = _YEAR_MONTH.match(cleaned)
    if match and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
        day_of_month = pycalendar.monthrange(year, month)[1] if end else 1
        day = _checked(year, month, day_of_month, shown)
        note = _("只写到月份，按该月最后一天（%(d)s）计。") if end else _("只写到月份，按该月第一天（%(d)s）计。")
        return Noted(PartialDate(day, "month", shown), note % {"d": day})
    match = _YEAR_ONLY.match(cleaned)
    if match:
        day = _checked(int(match[1]), 12, 31, shown) if end else _checked(int(match[1]), 1, 1, shown)
        note = _("只写到年份，按该年最后一天（%(d)s）计。") if end else _("只写到年份，按该年第一天（%(d)s）计。")
        return Noted(PartialDate(day, "year", shown), note % {"d": day})
    match = _MONTH_DAY.match(cleaned)
    if match:
        year = default_year or dt.date.today().year
        day = _checked(year, int(match[1]), int(match[2]), shown)
        return Noted(
            PartialDate(day, "day_no_year", shown),
            _("未写年份，暂按 %(y)s 年计（%(d)s），年份未核实，请核对。") % {"y": year, "d": day},
        )
    raise _bad_date(shown)


def partial_date(*, end: bool = True) -> Parser:
    """:func:`parse_partial_date` as a column parser; the table's year is ``cache["default_year"]``."""
    return lambda value, cache: parse_partial_date(value, end=end, default_year=cache.get("default_year"))


#: Published type labels (the inspectors' and the province's tables) → the normalised type, with why.
PUBLISHED_TYPES: dict[str, tuple[str, object]] = {
    "扬尘": ("air", _lazy("扬尘属大气污染")),
    "扬尘污染": ("air", _lazy("扬尘属大气污染")),
    "油烟": ("air", _lazy("餐饮油烟属大气污染")),
    "油烟污染": ("air", _lazy("餐饮油烟属大气污染")),
    "餐饮油烟": ("air", _lazy("餐饮油烟属大气污染")),
    "废气": ("air", _lazy("废气属大气污染")),
    "臭气": ("air", _lazy("恶臭异味属大气污染")),
    "恶臭": ("air", _lazy("恶臭异味属大气污染")),
    "异味": ("air", _lazy("恶臭异味属大气污染")),
    "噪音": ("noise", _lazy("噪音即噪声")),
    "噪音污染": ("noise", _lazy("噪音即噪声")),
    "生态破坏": ("ecology", _lazy("生态破坏归入生态")),
    "生态环境破坏": ("ecology", _lazy("生态破坏归入生态")),
    "畜禽养殖": ("agriculture", _lazy("畜禽养殖污染属农业农村污染")),
    "畜禽养殖污染": ("agriculture", _lazy("畜禽养殖污染属农业农村污染")),
    "农业污染": ("agriculture", _lazy("农业污染属农业农村")),
    "农村污染": ("agriculture", _lazy("农村污染属农业农村")),
    "固体废物": ("solid_waste", _lazy("固体废物即固废")),
    "固体废物污染": ("solid_waste", _lazy("固体废物即固废")),
    "固废污染": ("solid_waste", _lazy("固体废物即固废")),
    "垃圾": ("solid_waste", _lazy("垃圾属固废")),
    "废水": ("water", _lazy("废水属水污染")),
    "污水": ("water", _lazy("污水属水污染")),
}
_POLLUTION_SUFFIX = "污染"


def published_types(choiceset) -> Parser:
    """问题类型 / 污染类型 as published: the choice set's labels, and the published labels (大气污染, 噪音,
    扬尘污染 …, :data:`PUBLISHED_TYPES`, or a label followed by 污染) mapped to the normalised types, each
    mapping noted with its reason. Unknown labels are refused, naming the allowed ones."""
    single = choice(choiceset)

    def one(part: str, cache) -> tuple[str, str]:
        key = normalise(part).replace(" ", "")
        try:
            return single(key, cache), ""
        except CellProblem:
            pass
        if key in PUBLISHED_TYPES:
            value, why = PUBLISHED_TYPES[key]
            if value in choiceset:
                return value, _("“%(v)s”按“%(t)s”计（%(why)s）。") % {
                    "v": part, "t": choiceset.label(value), "why": why
                }
        if key.endswith(_POLLUTION_SUFFIX) and len(key) > len(_POLLUTION_SUFFIX):
            try:
                value = single(key.removesuffix(_POLLUTION_SUFFIX), cache)
            except CellProblem:
                pass
            else:
                return value, ""
        raise _unknown_choice(part, choiceset)

    def parse(value, cache):
        values, notes = [], []
        for part in LIST_SEPARATORS.split(display(value)):
            if part.strip():
                found, note = one(part.strip(), cache)
                if found not in values:
                    values.append(found)
                if note:
                    notes.append(note)
        return Noted(values, *notes)

    return parse
