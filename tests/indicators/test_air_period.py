"""Period assessment: HJ 663 percentiles (STANDARDS.md §7.5), composite index (§7.4), GB 3095 validity,
attainment against the limits in force, good-day ratio and day counts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoinspect.indicators.air_period import air_period, composite_index, percentile

CLEAN = {"so2": 5.0, "no2": 20.0, "co": 0.5, "pm10": 30.0, "pm2_5": 15.0, "o3_8h": 60.0, "o3_1h": 80.0}
GZ_2012 = {"pm2_5": 35, "pm10": 70, "no2": 40, "so2": 60, "co": 4, "o3_8h": 160}


def days_frame(dates: list[date], station: str = "A", **values) -> pl.DataFrame:
    """Daily rows; ``values`` override pollutants with a list (one per date) or a scalar."""
    data = {"station": [station] * len(dates), "date": dates}
    for p, v in CLEAN.items():
        given_value = values.get(p, v)
        data[p] = given_value if isinstance(given_value, list) else [given_value] * len(dates)
    return pl.DataFrame(data, schema_overrides=dict.fromkeys(CLEAN, pl.Float64), strict=False)


def span(first: str, n: int) -> list[date]:
    start = date.fromisoformat(first)
    return [start + timedelta(days=i) for i in range(n)]


def test_percentile_vectors_7_5():
    assert percentile([3, 4, 8, 2, 5, 4], 0.90) == pytest.approx(6.5)
    x = np.arange(1, 366)
    assert percentile(x, 0.90) == pytest.approx(328.6)
    assert percentile(x, 0.95) == pytest.approx(346.8)
    assert percentile(x, 0.98) == pytest.approx(357.72)
    assert percentile(np.arange(1, 325), 0.90) == pytest.approx(291.7)


@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=60), st.sampled_from([0.9, 0.95, 0.98]))
def test_rank_formula_is_numpy_linear(values, p):
    assert percentile(values, p) == pytest.approx(float(np.percentile(values, p * 100)), rel=1e-12, abs=1e-9)


def test_period_percentiles_use_the_rank_formula():
    dates = span("2023-01-01", 365)
    ramp = [float(i) for i in range(1, 366)]
    out = air_period(days_frame(dates, so2=ramp, pm2_5=ramp, o3_8h=ramp, o3_1h=ramp), period="year").row(0, named=True)
    assert out["so2_p98"] == pytest.approx(357.72)
    assert out["pm2_5_p95"] == pytest.approx(346.8)
    assert out["o3_8h_p90"] == pytest.approx(328.6)
    assert out["so2_mean"] == pytest.approx(183.0)
    # 324 days (the first 27 of every month): still a valid year, p90 of 1..324 = 291.7
    dates_324 = [d for d in dates if d.day <= 27]
    short = days_frame(dates_324, o3_8h=[float(i) for i in range(1, 325)])
    out = air_period(short, period="year").row(0, named=True)
    assert out["o3_8h_days"] == 324 and out["o3_8h_valid"] and out["o3_8h_p90"] == pytest.approx(291.7)


@pytest.mark.parametrize(
    ("name", "values", "recomputed", "published"),
    [
        ("Guangzhou 2018-11", (42, 64, 56, 9, 145, 1.1), 4.8455, 4.85),
        ("Guangzhou 2019-11", (47, 92, 64, 11, 200, 1.2), 5.9905, 5.98),  # bulletin used unrounded means
        ("Guangzhou 2024 Q1", (27, 46, 32, 6, 132, 1.0), 3.4036, 3.40),
        ("Guangzhou 2024-03", (25, 47, 35, 6, 123, 0.9), 3.3545, 3.35),
        ("Heyuan 2022-02", (13, 16, 13, 3, 87, 0.9), 1.7438, 1.73),  # idem
    ],
)
def test_composite_index_of_official_bulletins_7_4(name, values, recomputed, published):
    concentrations = dict(zip(("pm2_5", "pm10", "no2", "so2", "o3_8h", "co"), values))
    total, single = composite_index(concentrations, limits=GZ_2012)
    assert total == pytest.approx(recomputed, abs=6e-5)  # STANDARDS.md prints 4 decimals
    if published in (4.85, 3.40, 3.35):  # these reproduce exactly to the published 2 decimals
        assert round(total, 2) == published
    else:  # ±0.01: the bulletins computed from unrounded concentrations (STANDARDS.md §7.4)
        assert abs(round(total, 2) - published) <= 0.0100001
    assert single["no2"] == pytest.approx(values[2] / 40)


def test_composite_index_variants_7_4():
    gz = {"pm2_5": 42, "pm10": 64, "no2": 56, "so2": 9, "o3_8h": 145, "co": 1.1}
    transition = {"pm2_5": 30, "pm10": 60, "so2": 60, "no2": 40, "co": 4, "o3_8h": 160}
    final = {"pm2_5": 25, "pm10": 50, "so2": 20, "no2": 30, "co": 4, "o3_8h": 160}
    assert composite_index(gz)[0] == pytest.approx(4.8455, abs=5e-5)  # the default is GB 3095-2012
    assert composite_index(gz, limits=transition)[0] == pytest.approx(5.198, abs=5e-4)
    assert composite_index(gz, limits=final)[0] == pytest.approx(6.458, abs=5e-4)
    assert composite_index(gz, weights={"pm2_5": 3, "no2": 2, "o3_8h": 2})[0] == pytest.approx(9.552, abs=5e-4)


def test_month_of_constant_days_gives_the_bulletin_index_and_primary_pollutant():
    values = {"pm2_5": 42.0, "pm10": 64.0, "no2": 56.0, "so2": 9.0, "o3_8h": 145.0, "co": 1.1, "o3_1h": 180.0}
    out = air_period(days_frame(span("2018-11-01", 30), **values), period="month").row(0, named=True)
    assert out["period"] == "2018-11" and out["limits"] == "GB3095-2012"
    assert out["composite_index"] == pytest.approx(4.8455, abs=5e-5)
    assert out["primary_pollutant"] == "no2"  # 56/40 = 1.40 is the largest single index
    assert out["index_pm2_5"] == pytest.approx(1.2)


@pytest.mark.parametrize(("first", "n", "valid"), [("2023-03-01", 27, True), ("2023-03-01", 26, False),
                                                    ("2023-02-01", 25, True), ("2023-02-01", 24, False)])  # fmt: skip
def test_monthly_validity_27_days_february_25(first, n, valid):
    out = air_period(days_frame(span(first, n)), period="month").row(0, named=True)
    assert out["pm2_5_days"] == n and out["pm2_5_valid"] is valid and out["so2_valid"] is valid
    assert (out["composite_index"] is not None) is valid
    assert (out["pm2_5_attains"] is not None) is valid


def test_yearly_validity_324_days_and_months():
    dates = [d for d in span("2023-01-01", 365) if not (d.month == 7 and d.day > 20)]  # July: 20 days
    frame = days_frame(dates)
    out = air_period(frame, period="year").row(0, named=True)
    assert out["pm2_5_days"] == 354 and not out["pm2_5_valid"]  # >= 324 but July has < 27 days
    lenient = air_period(frame, period="year", year_needs_valid_months=False).row(0, named=True)
    assert lenient["pm2_5_valid"]
    short = air_period(days_frame(span("2023-01-01", 323)), period="year", year_needs_valid_months=False)
    assert not short["pm2_5_valid"][0]
    quarter = air_period(frame, period="quarter")
    assert quarter["pm2_5_valid"].to_list() == [True, True, False, True]


@pytest.mark.parametrize(
    ("year", "mean", "limits", "attains"),
    [(2023, 35.4, "GB3095-2012", True), (2023, 35.5, "GB3095-2012", False),  # 35.5 -> 36 > 35
     (2027, 30.4, "GB3095-2026-transition", True), (2027, 30.5, "GB3095-2026-transition", True),  # 30.5 -> 30
     (2027, 31.0, "GB3095-2026-transition", False), (2031, 25.4, "GB3095-2026-final", True),
     (2031, 26.0, "GB3095-2026-final", False)],
)  # fmt: skip
def test_attainment_uses_the_rounded_statistic_and_the_limits_in_force(year, mean, limits, attains):
    out = air_period(days_frame(span(f"{year}-01-01", 365), pm2_5=mean), period="year").row(0, named=True)
    assert out["limits"] == limits
    assert out["pm2_5_attains"] is attains
    assert out["so2_attains"] and out["o3_8h_attains"]


def test_good_day_ratio_and_days_per_level():
    # PM2.5 daily 20 -> 29 (优), 50 -> 69 (良), 100 -> 132 (轻度), 200 -> 250 (重度) under HJ 633-2012
    pm = [20.0] * 10 + [50.0] * 10 + [100.0] * 5 + [200.0] * 5
    out = air_period(days_frame(span("2023-06-01", 30), pm2_5=pm), period="month").row(0, named=True)
    assert (out["valid_days"], out["good_days"], out["over_standard_days"], out["heavy_or_worse_days"]) == (30, 20, 10, 5)
    assert [out[f"days_level_{i}"] for i in range(1, 7)] == [10, 10, 5, 0, 5, 0]
    assert out["good_day_ratio"] == pytest.approx(200 / 3)


def test_days_with_a_missing_pollutant_count_only_when_the_aqi_is_above_100():
    pm = [20.0] * 28 + [200.0, 20.0]
    no2 = [20.0] * 28 + [None, None]  # day 29: AQI 250 even without NO2 -> counts; day 30: unknown -> not
    out = air_period(days_frame(span("2023-06-01", 30), pm2_5=pm, no2=no2), period="month").row(0, named=True)
    assert out["valid_days"] == 29 and out["good_days"] == 28


def test_the_2026_switch_changes_daily_aqi_inside_a_period():
    # PM2.5 70 is 良 (94) under 2012 and 轻度污染 (110) under 2026: Feb 2026 good, Mar 2026 not
    frame = days_frame(span("2026-02-01", 59), pm2_5=70.0)
    out = air_period(frame, period="month")
    assert out["good_days"].to_list() == [28, 0] and out["limits"].to_list() == ["GB3095-2012", "GB3095-2026-transition"]


def test_area_averages_station_daily_values_first():
    a = days_frame(span("2023-06-01", 30), station="3299A", pm2_5=10.0)
    b = days_frame(span("2023-06-01", 30), station="3300A", pm2_5=30.0)
    out = air_period(pl.concat([a, b]), period="month", area="白云区").row(0, named=True)
    assert out["station"] == "白云区" and out["pm2_5_mean"] == pytest.approx(20.0)


def test_air_daily_output_feeds_air_period(tmp_path):
    from ecoinspect.indicators.air_daily import air_daily

    hours = []
    for d in span("2023-06-01", 30):
        for h in range(1, 25):
            hours.append({"station": "A", "time": f"{d} {h:02d}:00" if h < 24 else f"{d + timedelta(days=1)} 00:00",
                          "so2": "5", "no2": "20", "co": "0.5", "o3": "60", "pm10": "30", "pm2_5": "15"})  # fmt: skip
    daily = air_daily(pl.DataFrame(hours), standard="auto")
    out = air_period(daily, period="month").row(0, named=True)
    assert out["valid_days"] == 30 and out["good_days"] == 30 and out["pm2_5_mean"] == pytest.approx(15.0)
