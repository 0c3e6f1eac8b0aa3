"""AQI test vectors of STANDARDS.md §7.1-§7.2 and the rules of §1 (tables, top rules, levels, flags)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ecoinspect.indicators.aqi import aqi_daily, aqi_hourly, aqi_level, iaqi

from .conftest import TABLE_NAMES, reference_breakpoints, reference_iaqi

S12, S26 = "HJ633-2012", "HJ633-2026"
NA = None  # "no IAQI from this table": HJ 633-2012 Table 1 notes (2)/(3)

# (table, concentration, IAQI under HJ 633-2012, IAQI under HJ 633-2026) — STANDARDS.md §7.1
VECTORS_7_1 = [
    ("pm2_5_24h", "35", 50, 50),
    ("pm2_5_24h", "35.5", 51, 51),
    ("pm2_5_24h", "60", 82, 100),
    # §7.1 prints 83 for 2012; formula (1) gives 50 + 25.1 x 50/40 = 81.375 -> 82 (see test below)
    ("pm2_5_24h", "60.1", 82, 101),
    ("pm2_5_24h", "75", 100, 114),
    # §7.1 prints 115 for 2026; formula (1) gives 100 + 15.4 x 50/55 = 114 exactly -> 114 (a float-ceil slip)
    ("pm2_5_24h", "75.4", 101, 114),
    ("pm2_5_24h", "88", 117, 126),
    ("pm2_5_24h", "4.9", 7, 7),
    ("pm10_24h", "120", 85, 100),
    ("pm10_24h", "150", 100, 112),
    ("so2_24h", "100", 75, 75),
    ("so2_24h", "151", 101, 101),
    ("so2_24h", "1000", 225, 225),
    ("no2_24h", "81", 101, 101),
    ("co_24h", "1.5", 38, 38),
    ("co_24h", "2.5", 63, 63),
    ("co_24h", "4.1", 101, 101),
    ("co_24h", "4.3", 102, 102),
    ("o3_8h", "161", 101, 101),
    ("o3_8h", "170", 110, 110),
    ("o3_8h", "265", 200, 200),
    ("o3_8h", "266", 201, 201),
    ("o3_8h", "800", 300, 300),
    ("o3_8h", "850", NA, 300),
    ("o3_8h", "102.4", 52, 52),
    ("o3_1h", "210", 105, 105),
    ("o3_1h", "230", 115, 115),
    ("no2_1h", "150", 75, 75),
    ("so2_1h", "900", NA, 200),
    ("pm2_5_24h", "600", 500, 500),  # above the table: 500, flagged by compute_aqi (tested below)
]


@pytest.mark.parametrize(("table", "c", "expected_2012", "expected_2026"), VECTORS_7_1)
@pytest.mark.parametrize("as_text", [True, False], ids=["text", "float"])
def test_iaqi_vectors_of_standards_7_1(table, c, expected_2012, expected_2026, as_text):
    value = c if as_text else float(c)
    for standard, expected in ((S12, expected_2012), (S26, expected_2026)):
        got = iaqi(table, [value], standard=standard)[0]
        if expected is None:
            assert np.isnan(got), (table, c, standard)
        else:
            assert got == expected, (table, c, standard)


def test_the_two_corrected_vectors_follow_formula_1_exactly():
    # 2012 PM2.5 60.1: (100-50)/(75-35) x (60.1-35) + 50 = 81.375; 2026 PM2.5 75.4: 100 + 50/55 x 15.4 = 114.
    assert reference_iaqi("pm2_5_24h", "60.1", S12) == 82
    assert reference_iaqi("pm2_5_24h", "75.4", S26) == 114


@pytest.mark.parametrize("standard", [S12, S26])
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_value_on_a_fine_grid_equals_the_exact_formula(table, standard):
    """0.1 µg/m³ (0.01 mg/m³ for CO) steps from 0 to above the table top, as binary floats: no float
    off-by-one anywhere (aqi-hub gets 41 of these wrong, STANDARDS.md §1.2)."""
    top = reference_breakpoints(table, standard)[-1]
    per_unit = 100 if table.startswith("co") else 10
    steps = np.arange((top + 3) * per_unit + 1)
    values = steps / per_unit
    got = iaqi(table, values, standard=standard)
    expected = [reference_iaqi(table, f"{k / per_unit}", standard) for k in steps.tolist()]
    expected = np.array([np.nan if e is None else e for e in expected], dtype=float)
    np.testing.assert_array_equal(got, expected)


def test_daily_aqi_7_2_both_versions():
    day = {"so2": [12], "no2": [45], "co": [0.9], "pm10": [130], "pm2_5": [70], "o3_8h": [150], "o3_1h": [190]}
    old = aqi_daily(day, standard=S12).row(0, named=True)
    assert [old[f"iaqi_{p}"] for p in ("pm2_5", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h")] == [94, 90, 12, 57, 23, 92, 88]
    assert (old["aqi"], old["category"], old["primary_pollutants"], old["level"]) == (94, "良", "pm2_5", 2)
    new = aqi_daily(day, standard=S26).row(0, named=True)
    assert [new[f"iaqi_{p}"] for p in ("pm2_5", "pm10", "so2", "no2", "co", "o3_8h")] == [110, 104, 12, 57, 23, 92]
    assert (new["aqi"], new["category"], new["primary_pollutants"], new["level"]) == (110, "轻度污染", "pm2_5", 3)
    assert new["iaqi_o3_1h"] is None  # HJ 633-2026 daily AQI has no O3 1-h term


def test_daily_o3_1h_drives_the_day_only_under_2012():
    day = {"so2": [12], "no2": [45], "co": [0.9], "pm10": [130], "pm2_5": [70], "o3_8h": [150], "o3_1h": [230]}
    old = aqi_daily(day, standard=S12).row(0, named=True)
    assert (old["iaqi_o3_8h"], old["iaqi_o3_1h"], old["aqi"], old["category"]) == (92, 115, 115, "轻度污染")
    assert old["primary_pollutants"] == "o3_1h" and old["exceeding_pollutants"] == "o3_1h"
    new = aqi_daily(day, standard=S26).row(0, named=True)
    assert new["iaqi_o3_8h"] == 92 and new["aqi"] == 110  # PM2.5 under the new breakpoints


def test_o3_8h_above_800_uses_the_1h_value_in_2012_and_300_in_2026():
    day = {"so2": [5], "no2": [20], "co": [0.5], "pm10": [40], "pm2_5": [20], "o3_8h": [850], "o3_1h": [900]}
    old = aqi_daily(day, standard=S12).row(0, named=True)
    assert old["iaqi_o3_8h"] is None and old["iaqi_o3_1h"] == 350 and old["aqi"] == 350  # 300 + 100/200*100
    assert "O3 8-h > 800" in old["flags"] and "8小时浓度>800" in old["flags"]
    new = aqi_daily(day, standard=S26).row(0, named=True)
    assert new["iaqi_o3_8h"] == 300 and new["aqi"] == 300 and new["flags"] == ""


def test_so2_1h_above_800_uses_the_24h_mean_in_2012_and_200_in_2026():
    hour = {"so2": [900, 900], "no2": [20, 20], "co": [0.5, 0.5], "o3": [50, 50], "pm10": [40, 40], "pm2_5": [20, 20]}
    old = aqi_hourly({**hour, "so2_24h": [100, None]}, standard=S12)
    first, second = old.rows(named=True)
    assert first["iaqi_so2"] == 75 and "IAQI from the 24-h mean" in first["flags"]
    assert second["iaqi_so2"] is None and "no SO2 IAQI" in second["flags"]
    new = aqi_hourly(hour, standard=S26)
    assert new["iaqi_so2"].to_list() == [200, 200] and new["aqi"].to_list() == [200, 200]


def test_above_the_table_is_500_and_flagged():
    hour = {"so2": [5], "no2": [20], "co": [0.5], "o3": [50], "pm10": [700], "pm2_5": [600]}
    for standard in (S12, S26):
        row = aqi_hourly(hour, standard=standard).row(0, named=True)
        assert row["iaqi_pm10"] == 500 and row["iaqi_pm2_5"] == 500 and row["aqi"] == 500
        assert row["primary_pollutants"] == "pm10,pm2_5"
        assert "pm2_5: 超出分级上限" in row["flags"] and "pm10: 超出分级上限" in row["flags"]
    at_top = aqi_hourly({**hour, "pm10": [600], "pm2_5": [500]}, standard=S26).row(0, named=True)
    assert at_top["aqi"] == 500 and at_top["flags"] == ""


@pytest.mark.parametrize(
    ("aqi", "level", "category", "colour"),
    [(0, 1, "优", "绿色"), (50, 1, "优", "绿色"), (51, 2, "良", "黄色"), (100, 2, "良", "黄色"),
     (101, 3, "轻度污染", "橙色"), (150, 3, "轻度污染", "橙色"), (151, 4, "中度污染", "红色"),
     (200, 4, "中度污染", "红色"), (201, 5, "重度污染", "紫色"), (300, 5, "重度污染", "紫色"),
     (301, 6, "严重污染", "褐红色"), (500, 6, "严重污染", "褐红色")],
)  # fmt: skip
def test_levels_categories_and_colours_of_table_2(aqi, level, category, colour):
    assert aqi_level([aqi])[0] == level
    # PM2.5 concentration whose 2012 IAQI is exactly ``aqi`` on a linear stretch of the table
    bp = reference_breakpoints("pm2_5_24h", S12)
    steps = (0, 50, 100, 150, 200, 300, 400, 500)
    conc = float(np.interp(aqi, steps, bp))
    row = aqi_hourly({"so2": [0], "no2": [0], "co": [0], "o3": [0], "pm10": [0], "pm2_5": [conc]}, standard=S12)
    row = row.row(0, named=True)
    assert (row["aqi"], row["level"], row["category"], row["colour"]) == (aqi, level, category, colour)
    assert row["primary_pollutants"] == ("" if aqi <= 50 else "pm2_5")


def test_ties_name_every_primary_pollutant_and_exceeding_only_in_2012():
    # 东莞 莞城梨川 2022-01-01 12:00: PM10 73 -> 62, PM2.5 44 -> 62 (STANDARDS.md §1.6)
    hour = {"so2": [12], "no2": [37], "co": [0.9], "o3": [34], "pm10": [73], "pm2_5": [44]}
    row = aqi_hourly(hour, standard=S12).row(0, named=True)
    assert (row["aqi"], row["primary_pollutants"], row["exceeding_pollutants"]) == (62, "pm10,pm2_5", "")
    dusty = aqi_hourly({**hour, "pm10": [351]}, standard=S26).row(0, named=True)
    assert dusty["aqi"] == 202 and dusty["exceeding_pollutants"] is None  # deleted in HJ 633-2026


def test_2026_rounds_inputs_per_gbt_8170_before_the_iaqi():
    hour = {"so2": ["5"], "no2": ["20"], "co": ["0.25"], "o3": ["50"], "pm10": ["40"], "pm2_5": ["35.5"]}
    new = aqi_hourly(hour, standard=S26).row(0, named=True)
    assert new["iaqi_pm2_5"] == 52  # 35.5 -> 36 (half to even) -> 50 + 1 x 50/25 = 52
    old = aqi_hourly(hour, standard=S12).row(0, named=True)
    assert old["iaqi_pm2_5"] == 51  # no rounding clause in 2012: 50.625 -> 51
    pm_4_9 = aqi_hourly({**hour, "pm2_5": ["4.9"]}, standard=S26).row(0, named=True)
    assert pm_4_9["iaqi_pm2_5"] == 8  # 4.9 -> 5 -> 7.14 -> 8
    co = aqi_daily({"so2": [5, 5], "no2": [20, 20], "co": ["4.05", "4.15"], "pm10": [40, 40], "pm2_5": [20, 20],
                    "o3_8h": [50, 50]}, standard=S26)  # fmt: skip
    assert co["iaqi_co"].to_list() == [100, 101]  # 4.05 -> 4.0 -> 100; 4.15 -> 4.2 -> 101


def test_round_inputs_can_be_switched_explicitly():
    hour = {"so2": [5], "no2": [20], "co": [0.5], "o3": [50], "pm10": [40], "pm2_5": [35.5]}
    assert aqi_hourly(hour, standard=S26, round_inputs=False)["iaqi_pm2_5"][0] == 51
    assert aqi_hourly(hour, standard=S12, round_inputs=True)["iaqi_pm2_5"][0] == 52


def test_output_keeps_input_columns_and_renames_clashes():
    frame = pl.DataFrame({"Station": ["A"], "SO2": [5], "NO2": [20], "CO": [0.5], "O3": [50], "PM10": [40],
                          "PM2.5": [20], "aqi": [99]})  # fmt: skip
    out = aqi_hourly(frame, standard=S26)
    assert out.columns[:8] == ["Station", "SO2", "NO2", "CO", "O3", "PM10", "PM2.5", "aqi_input"]
    assert out["aqi_input"][0] == 99 and out["aqi"][0] == 40  # PM10 40 -> 40 beats PM2.5 20 -> 28.6 -> 29
    assert out["standard"][0] == S26
