"""Reading one Excel cell into a Python value, or saying in both languages why it cannot be read.

A parser gets a non-blank cell value as python-calamine returns it (``str``, ``float``, ``bool``,
``date``, ``datetime``) and a per-run ``cache`` dict (lookup tables are built once per import, never kept
between imports). It returns the clean value or raises :class:`CellProblem` with a bilingual reason.
Blank cells never reach a parser: the pipeline applies the column's ``required`` flag and default.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

#: Excel's day zero for serial dates (the 1900 system, with its leap-year bug already folded in).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Dates outside this range are almost certainly a number typed into a date column.
PLAUSIBLE_YEARS = (1990, 2100)
#: Separators between several values in one cell: 、 , ， ; ； / ／ and line breaks.
LIST_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")


class CellProblem(Exception):
    """Why a cell cannot be read; ``reason`` is bilingual ("中文 / English")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), trimmed, inner whitespace collapsed."""
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
                _("内容超过 %(n)s 个字（现有 %(len)s 个字）。 / Longer than %(n)s characters (%(len)s).")
                % {"n": max_length, "len": len(result)}
            )
        return result

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
            " / '%(v)s' is not a valid date (write 2026-03-01, 2026/3/1, 2026年3月1日 or an Excel date)."
        )
        % {"v": shown}
    )


def _checked(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError as exc:
        raise _bad_date(shown) from exc
    if not PLAUSIBLE_YEARS[0] <= result.year <= PLAUSIBLE_YEARS[1]:
        raise CellProblem(
            _("日期 %(d)s 不在 %(lo)s—%(hi)s 年之间，请检查。 / The date %(d)s is outside %(lo)s–%(hi)s.")
            % {"d": result.isoformat(), "lo": PLAUSIBLE_YEARS[0], "hi": PLAUSIBLE_YEARS[1]}
        )
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
        serial = int(value)
        if 19000101 <= serial <= 21001231 and value == serial:  # 20260301 typed as a number
            return _checked(serial // 10000, serial // 100 % 100, serial % 100, display(value))
        if serial < 1:
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
            "“%(v)s”不是可选的值（可选：%(allowed)s）。 / '%(v)s' is not one of the allowed values: %(allowed)s."
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
            _("“%(v)s”应填“是”或“否”。 / '%(v)s' should be 是 (yes) or 否 (no).") % {"v": shown}
        )

    return parse
