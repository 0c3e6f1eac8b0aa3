"""Reading single cells: dates in every form people type them, choices, yes/no, text (units: tests/orgs/test_cells.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoinspect.common import import_cells as cells
from ecoinspect.common.choices import ProblemType
from ecoinspect.ledger.choices import ProblemSource


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2045, 12, 31)))
def test_a_date_reads_back_from_every_form(day):
    serial = (day - cells.EXCEL_EPOCH).days
    forms = [
        day,
        dt.datetime.combine(day, dt.time(9, 30)),
        float(serial),
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}年{day.month}月{day.day}号",
        f"{day:%Y%m%d}",
        f"{day.year}－{day.month:02d}－{day.day:02d}",  # full-width hyphens
        f" {day.isoformat()} 00:00:00 ",
        f"{day.year}年{day.month}月{day.day}日前",
    ]
    for value in forms:
        assert cells.parse_date(value) == day, value


def test_excel_serial_dates():
    assert cells.parse_date(46082.0) == dt.date(2026, 3, 1)
    assert cells.parse_date(46082.75) == dt.date(2026, 3, 1)  # a date with a time of day
    assert cells.parse_date(20260301) == dt.date(2026, 3, 1)  # typed as a number


def test_month_and_year_ends_for_deadlines():
    assert cells.parse_date("2026年2月底", month_end=True) == dt.date(2026, 2, 28)
    assert cells.parse_date("2028年2月底前", month_end=True) == dt.date(2028, 2, 29)
    assert cells.parse_date("2026年底", month_end=True) == dt.date(2026, 12, 31)
    with pytest.raises(cells.CellProblem):
        cells.parse_date("2026年2月底")


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026年13月1日", "十二月", "2026", 5.0, True, "1899-12-31", "3026-01-01"]
)
def test_not_dates(value):
    with pytest.raises(cells.CellProblem) as info:
        cells.parse_date(value)
    assert ("不是有效日期" in info.value.reason or "超出允许范围" in info.value.reason) and " / " not in info.value.reason


def test_choices_by_chinese_label_english_label_or_value():
    parse = cells.choice(ProblemSource)
    cache: dict = {}
    assert parse("自查自纠", cache) == "self_inspection"
    assert parse("self_inspection", cache) == "self_inspection"
    with pytest.raises(cells.CellProblem) as info:
        parse("网上举报", cache)
    assert "自查自纠" in info.value.reason


def test_several_choices_in_one_cell():
    parse = cells.multi_choice(ProblemType)
    assert parse("水、大气,噪声；水", {}) == ["water", "air", "noise"]


@pytest.mark.parametrize(
    "value,expected", [("是", True), ("否", False), ("Y", True), ("n", False), (1.0, True), (True, True)]
)
def test_yes_no(value, expected):
    assert cells.boolean()(value, {}) is expected


def test_text_length_limit():
    with pytest.raises(cells.CellProblem):
        cells.text(5)("一二三四五六", {})
    assert cells.text()(1234567890.0, {}) == "1234567890"  # a phone number typed as a number


# --- values as published (official tables) ----------------------------------------------------------


@pytest.mark.parametrize(
    "value, end, expected, precision",
    [
        ("2023-12", True, dt.date(2023, 12, 31), "month"),
        ("2023年12月", False, dt.date(2023, 12, 1), "month"),
        ("２０２３年１２月底", True, dt.date(2023, 12, 31), "month"),  # full-width digits
        ("2021", True, dt.date(2021, 12, 31), "year"),
        ("2021年", False, dt.date(2021, 1, 1), "year"),
        (2021, True, dt.date(2021, 12, 31), "year"),  # a year typed as a number, not a serial date
        ("4月11日(年份未核实)", True, dt.date(2024, 4, 11), "day_no_year"),
        ("2024年4月11日（已延期）", True, dt.date(2024, 4, 11), "day"),
        (dt.date(2024, 5, 6), True, dt.date(2024, 5, 6), "day"),
    ],
)
def test_a_partial_date_keeps_its_precision_and_says_how_it_was_read(value, end, expected, precision):
    result = cells.parse_partial_date(value, end=end, default_year=2024)
    assert (result.value.value, result.value.precision) == (expected, precision)
    assert result.value.raw == cells.display(value)
    if precision in ("month", "year") and not str(value).endswith("底"):
        assert result.notes  # the reason is given
    if precision == "day_no_year":
        assert "年份未核实" in result.notes[0]


@pytest.mark.parametrize("value", ["明年", "2023-13", "十二月", "4月32日"])
def test_what_cannot_be_understood_is_refused(value):
    with pytest.raises(cells.CellProblem):
        cells.parse_partial_date(value, default_year=2024)


@pytest.mark.parametrize(
    "value, expected, noted",
    [
        ("大气污染", ["air"], False),
        ("噪声污染", ["noise"], False),
        ("噪音", ["noise"], True),
        ("扬尘污染、油烟", ["air"], True),
        ("生态破坏", ["ecology"], True),
        ("畜禽养殖污染", ["agriculture"], True),
        ("水、大气", ["water", "air"], False),
    ],
)
def test_published_type_labels_map_to_the_normalised_types_with_the_reason(value, expected, noted):
    result = cells.published_types(ProblemType)(value, {})
    assert result.value == expected
    assert bool(result.notes) is noted


def test_an_unknown_published_type_is_refused_naming_the_allowed_ones():
    with pytest.raises(cells.CellProblem, match="大气"):
        cells.published_types(ProblemType)("火星污染", {})


def test_a_published_number_is_made_half_width_without_spaces():
    assert cells.code(40)("Ｄ３ＧＤ　２０２３ ０００１", {}) == "D3GD20230001"
