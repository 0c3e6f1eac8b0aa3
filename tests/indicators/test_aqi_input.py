"""Bad input is an error naming row and column in Chinese and English, or a visible flag — never a silent number."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ecoinspect.indicators.aqi import aqi_daily, aqi_hourly, compute_aqi, standard_for_times
from ecoinspect.indicators.errors import IndicatorInputError

S12, S26 = "HJ633-2012", "HJ633-2026"


def hourly(**changes):
    base = {"time": ["2026-03-10 12:00", "2026-03-10 13:00"], "station": ["3299A", "3299A"],
            "so2": ["3", "4"], "no2": ["8", "9"], "co": ["0.7", "0.6"], "o3": ["66", "70"], "pm10": ["12", "14"],
            "pm2_5": ["8", "9"]}  # fmt: skip
    base.update(changes)
    return pl.DataFrame(base)


def problems_of(excinfo):
    return [(p.row, p.column) for p in excinfo.value.problems]


@pytest.mark.parametrize(
    ("column", "value", "zh", "en"),
    [
        ("pm2_5", "-3", "不能为负值", "cannot be negative"),
        ("no2", "abc", "不是数值", "not a number"),
        ("pm10", "99999", "数值不合理", "implausible value"),
        ("so2", "inf", "不是数值", "not a number"),
    ],
)
def test_bad_cells_name_row_and_column_in_both_languages(column, value, zh, en):
    frame = hourly(**{column: ["5", value]})
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_hourly(frame, standard=S26)
    assert problems_of(excinfo) == [(2, column)]
    message = str(excinfo.value)
    assert "第 2 行" in message and "row 2" in message and column in message and zh in message and en in message


def test_numeric_infinity_is_rejected():
    data = {"so2": [5.0, float("inf")], "no2": [20, 20], "co": [0.5, 0.5], "o3": [50, 50], "pm10": [40, 40],
            "pm2_5": [20, 20]}  # fmt: skip
    with pytest.raises(IndicatorInputError, match="infinity") as excinfo:
        aqi_hourly(data, standard=S12)
    assert problems_of(excinfo) == [(2, "so2")] and "无穷大" in str(excinfo.value)


def test_every_bad_cell_is_reported_not_only_the_first():
    frame = hourly(pm2_5=["-1", "x"], so2=["-2", "3"])
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_hourly(frame, standard=S26)
    assert sorted(problems_of(excinfo)) == [(1, "pm2_5"), (1, "so2"), (2, "pm2_5")]


def test_co_in_micrograms_is_detected_and_explained():
    frame = hourly(co=["900", "1200"])
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_hourly(frame, standard=S26)
    message = str(excinfo.value)
    assert "µg/m³" in message and "co" in message and "1000" in message
    # declared as µg/m³, the same data give the same result as in mg/m³
    as_ug = aqi_hourly(frame, standard=S26, co_unit="ug")
    as_mg = aqi_hourly(hourly(co=["0.9", "1.2"]), standard=S26)
    assert as_ug["iaqi_co"].to_list() == as_mg["iaqi_co"].to_list() == [9, 12]


def test_missing_columns_are_named():
    frame = hourly().drop("o3", "pm2_5")
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_hourly(frame, standard=S26)
    assert problems_of(excinfo) == [(None, "o3"), (None, "pm2_5")]
    assert "缺少必需的列" in str(excinfo.value) and "required column is missing" in str(excinfo.value)


def test_the_2012_daily_aqi_needs_the_o3_1h_column_and_2026_does_not():
    day = {"so2": [5], "no2": [20], "co": [0.5], "pm10": [40], "pm2_5": [20], "o3_8h": [50]}
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_daily(day, standard=S12)
    assert problems_of(excinfo) == [(None, "o3_1h")]
    assert aqi_daily(day, standard=S26)["aqi"][0] == 40


def test_duplicate_station_hours_are_rejected():
    frame = hourly(time=["2026-03-10 12:00", "2026-03-10T12:00"])
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_hourly(frame, standard=S26)
    assert problems_of(excinfo) == [(1, "station, time"), (2, "station, time")]
    assert "重复" in str(excinfo.value) and "duplicate" in str(excinfo.value)


def test_unreadable_times_are_rejected_under_auto():
    with pytest.raises(IndicatorInputError) as excinfo:
        aqi_hourly(hourly(time=["2026-03-10 12:00", "yesterday"]), standard="auto")
    assert problems_of(excinfo) == [(2, "time")]
    with pytest.raises(IndicatorInputError, match="time"):
        aqi_hourly(hourly().drop("time"), standard="auto")


def test_missing_and_not_monitored_markers_and_the_2026_publication_rule():
    frame = hourly(pm10=["NA", "/"], co=["", "0.6"])
    out = aqi_hourly(frame, standard=S26)
    assert out["iaqi_pm10"].to_list() == [None, None] and out["iaqi_co"].to_list() == [None, 6]
    # row 1: PM10 and CO missing, AQI 21 <= 100 -> not publishable; row 2: PM10 not monitored only -> publishable
    assert out["aqi"].to_list() == [21, 22] and out["publishable"].to_list() == [False, True]
    polluted = aqi_hourly(hourly(pm10=["NA", "NA"], pm2_5=["80", "8"]), standard=S26)
    assert polluted["aqi"].to_list() == [119, 22] and polluted["publishable"].to_list() == [True, False]
    # HJ 633-2012 has no such rule
    assert aqi_hourly(frame, standard=S12)["publishable"].to_list() == [True, True]


def test_a_row_without_any_value_has_no_aqi():
    frame = hourly(**{c: ["NA", "5"] for c in ("so2", "no2", "co", "o3", "pm10", "pm2_5")})
    out = aqi_hourly(frame, standard=S26).row(0, named=True)
    assert (out["aqi"], out["level"], out["category"], out["primary_pollutants"], out["publishable"]) == (None,) * 4 + (False,)


def test_numeric_nan_and_null_are_missing():
    data = {"so2": np.array([np.nan, 5.0]), "no2": [None, 20], "co": [0.5, 0.5], "o3": [50, 50], "pm10": [40, 40],
            "pm2_5": [20, 20]}  # fmt: skip
    out = compute_aqi(data, kind="hourly", standard=S26)
    assert out["iaqi_so2"].to_list() == [None, 2] and out["iaqi_no2"].to_list() == [None, 10]  # 5 -> 1.7 -> 2


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("2026-02-28 23:59:59", S12), ("2026-03-01 00:00", S26), ("2026-02-28 24:00", S26),
        ("2026-02-28T15:59:59+00:00", S12), ("2026-02-28T16:00:00+00:00", S26), ("2026-03-01", S26),
        ("2026-02-28", S12), ("2026-03-10T1200", S26), ("2022-01-01T12:00:00", S12),
    ],
)  # fmt: skip
def test_auto_switches_exactly_at_2026_03_01_shanghai(time, expected):
    assert standard_for_times([time])[0] == expected
    out = aqi_hourly(hourly(time=[time, time], station=["A", "B"], pm2_5=["58", "58"]), standard="auto")
    assert out["standard"].to_list() == [expected] * 2
    assert out["aqi"][0] == (96 if expected == S26 else 79)  # 北京 万寿西宫 case of STANDARDS.md §7.3


def test_auto_mixes_versions_row_by_row():
    frame = hourly(time=["2026-02-28 23:00", "2026-03-01 01:00"], pm2_5=["70", "70"])
    out = aqi_hourly(frame, standard="auto")
    assert out["standard"].to_list() == [S12, S26] and out["aqi"].to_list() == [94, 110]
    assert out["exceeding_pollutants"].to_list() == ["", None]
