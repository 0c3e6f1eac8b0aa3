"""Daily values from station-hours: GB 3095 Table 4 counts, HJ 663 O3 max 8-h, hour labels, daily AQI."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest

from ecoinspect.indicators.air_daily import air_daily
from ecoinspect.indicators.errors import IndicatorInputError

S12, S26 = "HJ633-2012", "HJ633-2026"
CLEAN = {"so2": 5.0, "no2": 20.0, "co": 0.5, "o3": 40.0, "pm10": 30.0, "pm2_5": 15.0}
# STANDARDS.md §2.3: hourly O3 for hour-ending labels 01:00 ... 24:00 -> max 8-h mean 148.125 (ends 19:00)
O3_EXAMPLE = [20, 18, 15, 12, 10, 9, 12, 20, 35, 60, 90, 120, 150, 170, 180, 175, 160, 130, 100, 80, 60, 45, 35, 28]


def day_rows(day: str = "2025-06-01", station: str = "A", label: str = "end", **series) -> pl.DataFrame:
    """24 hourly rows of one station-day; ``series`` overrides pollutants with 24 values (None = missing)."""
    start = datetime.fromisoformat(day) + (timedelta(hours=1) if label == "end" else timedelta(0))
    data = {"station": [station] * 24, "time": [start + timedelta(hours=h) for h in range(24)]}
    for p, v in CLEAN.items():
        data[p] = series.get(p, [v] * 24)
    return pl.DataFrame(data, schema_overrides=dict.fromkeys(CLEAN, pl.Float64), strict=False)


def test_daily_mean_needs_20_valid_hours():
    rows = pl.concat([
        day_rows("2025-06-01", pm2_5=[10.0] * 20 + [None] * 4),
        day_rows("2025-06-02", pm2_5=[10.0] * 19 + [None] * 5),
    ])  # fmt: skip
    out = air_daily(rows, standard=S26)
    assert out["pm2_5_hours"].to_list() == [20, 19]
    assert out["pm2_5_valid"].to_list() == [True, False]
    assert out["pm2_5"].to_list() == [10.0, None]
    assert out["complete"].to_list() == [True, False]


def test_hour_ending_labels_put_midnight_into_the_previous_day():
    rows = day_rows("2025-06-01", pm10=[50.0] * 24)  # labels 06-01 01:00 ... 06-02 00:00
    extra = day_rows("2025-06-02", pm10=[10.0] * 24)  # labels 06-02 01:00 ... 06-03 00:00
    out = air_daily(pl.concat([rows, extra]), standard=S26)
    assert out["date"].cast(pl.Utf8).to_list() == ["2025-06-01", "2025-06-02"]
    assert out["pm10"].to_list() == [50.0, 10.0]
    # the same timestamps read as interval starts shift every day by one hour
    shifted = air_daily(pl.concat([rows, extra]), standard=S26, hour_label="start")
    assert shifted["date"].cast(pl.Utf8).to_list() == ["2025-06-01", "2025-06-02", "2025-06-03"]
    assert shifted["pm10_hours"].to_list() == [23, 24, 1]


def test_o3_max_8h_example_of_standards_2_3():
    out = air_daily(day_rows(o3=[float(v) for v in O3_EXAMPLE]), standard=S26).row(0, named=True)
    assert out["o3_8h"] == 148.125 and out["o3_8h_windows"] == 17 and out["o3_8h_valid"]
    assert out["o3_1h"] == 180.0
    assert out["iaqi_o3_8h"] == 90  # 148.125 -> 148 (GB/T 8170) -> 50 + 48 x 50/60 = 90


def test_an_8h_window_needs_6_of_8_hours():
    o3 = [float(v) for v in O3_EXAMPLE]
    for index in (12, 13, 14):  # hours labelled 13:00, 14:00, 15:00 are missing
        o3[index] = None
    out = air_daily(day_rows(o3=o3), standard=S26).row(0, named=True)
    # windows ending 15:00 ... 20:00 contain all three gaps (5 of 8 hours): invalid; 11 of 17 remain
    hours = np.array([np.nan if v is None else v for v in o3])
    means = [np.nanmean(hours[end - 8:end]) for end in range(8, 25) if np.count_nonzero(~np.isnan(hours[end - 8:end])) >= 6]
    assert out["o3_8h_windows"] == len(means) == 11
    # fewer than 14 windows, and the best valid window (ending 21:00: 4 hours of 160-175 and 4 lower) is
    # below 160: the daily max 8-h is invalid (HJ 663 §6.1.2)
    assert max(means) < 160 and not out["o3_8h_valid"] and out["o3_8h"] is None


def test_fewer_than_14_windows_count_only_above_the_limit():
    low = [40.0] * 8 + [None] * 16  # only the window ending 08:00 has >= 6 hours
    out = air_daily(day_rows(o3=low), standard=S26).row(0, named=True)
    assert out["o3_8h_windows"] < 14 and not out["o3_8h_valid"] and out["o3_8h"] is None
    high = [170.0] * 8 + [None] * 16
    out = air_daily(day_rows(o3=high), standard=S26).row(0, named=True)
    assert out["o3_8h_windows"] < 14 and out["o3_8h_valid"] and out["o3_8h"] == 170.0  # > 160: still valid


def test_exact_means_feed_the_gbt_8170_rounding_of_the_2026_daily_aqi():
    pm = [35.0] * 12 + [36.0] * 12  # mean 35.5 -> 36 (half to even) -> IAQI 52
    co = [0.3, 0.4] * 12  # mean 0.35 (not exact in binary) -> 0.4 -> daily CO IAQI 10
    rows = day_rows(pm2_5=pm, co=co)
    new = air_daily(rows, standard=S26).row(0, named=True)
    assert (new["pm2_5"], new["iaqi_pm2_5"]) == (35.5, 52)
    assert new["co"] == pytest.approx(0.35) and new["iaqi_co"] == 10
    old = air_daily(rows, standard=S12).row(0, named=True)
    assert old["iaqi_pm2_5"] == 51 and old["iaqi_co"] == 9  # no rounding in 2012: 50.625 -> 51, 8.75 -> 9


def test_daily_aqi_switches_version_on_2026_03_01():
    rows = pl.concat([day_rows("2026-02-28", pm2_5=[70.0] * 24), day_rows("2026-03-01", pm2_5=[70.0] * 24)])
    out = air_daily(rows, standard="auto")
    assert out["standard"].to_list() == [S12, S26]
    assert out["aqi"].to_list() == [94, 110]
    assert out["iaqi_o3_1h"].to_list()[0] is not None and out["iaqi_o3_1h"].to_list()[1] is None


def test_not_monitored_pollutant_does_not_make_the_day_incomplete():
    rows = day_rows().with_columns(pl.col(p).cast(pl.Utf8) for p in CLEAN).with_columns(pl.lit("/").alias("co"))
    out = air_daily(rows, standard=S26).row(0, named=True)
    assert out["co"] is None and not out["co_valid"] and out["complete"] and out["publishable"] and out["valid_day"]
    missing = air_daily(day_rows(co=[None] * 24), standard=S26).row(0, named=True)
    assert not missing["complete"] and not missing["publishable"] and not missing["valid_day"]


def test_area_is_the_hourly_mean_of_its_stations():
    a = day_rows(station="3299A", pm2_5=[10.0] * 24)
    b = day_rows(station="3300A", pm2_5=[20.0] * 23 + [None])
    out = air_daily(pl.concat([a, b]), standard=S26, area="白云区")
    assert out.height == 1 and out["station"][0] == "白云区"
    assert out["pm2_5"][0] == pytest.approx((23 * 15 + 10) / 24)
    per_column = air_daily(pl.concat([a, b]).with_columns(pl.lit("白云区").alias("district")), standard=S26,
                           area_column="district")  # fmt: skip
    assert per_column["pm2_5"][0] == out["pm2_5"][0]


@pytest.mark.parametrize(
    ("change", "column", "text"),
    [
        (lambda f: pl.concat([f, f.head(1)]), "station, time", "duplicate station-hour"),
        (lambda f: f.drop("o3"), "o3", "required column is missing"),
        (lambda f: f.with_columns(pl.col("time") + timedelta(minutes=30)), "time", "not on the hour"),
        (lambda f: f.drop("time"), "time", "time column"),
    ],
)
def test_bad_hourly_input_is_an_error_naming_the_column(change, column, text):
    with pytest.raises(IndicatorInputError) as excinfo:
        air_daily(change(day_rows()), standard=S26)
    assert any(p.column == column for p in excinfo.value.problems) and text in str(excinfo.value)


def test_year_month_day_hour_columns_and_micrograms_of_co(beijing_dir):
    path = sorted(beijing_dir.glob("PRSA_Data_*.csv"))[0]
    raw = pl.read_csv(path, infer_schema=False).head(24 * 40)
    with pytest.raises(IndicatorInputError, match="µg/m³"):
        air_daily(raw, standard=S12, hour_label="start")
    out = air_daily(raw, standard=S12, hour_label="start", co_unit="ug")
    assert out.height == 40 and out["date"][0].isoformat() == "2013-03-01"


def test_beijing_daily_means_match_an_independent_group_by(beijing_dir):
    """Robustness on real data: every valid daily mean equals a plain polars group-by of the raw hours."""
    raw = pl.concat([pl.read_csv(p, infer_schema=False) for p in sorted(beijing_dir.glob("PRSA_Data_*.csv"))[:3]])
    out = air_daily(raw, standard=S12, hour_label="start", co_unit="ug")
    plain = (
        raw.with_columns(pl.col("PM2.5", "CO", "O3").cast(pl.Float64, strict=False),
                         pl.date(pl.col("year").cast(pl.Int32), pl.col("month").cast(pl.Int32),
                                 pl.col("day").cast(pl.Int32)).alias("date"))
        .group_by("station", "date")
        .agg(pl.col("PM2.5").mean().alias("pm"), pl.col("PM2.5").count().alias("n"),
             (pl.col("CO").mean() / 1000).alias("co_plain"), pl.col("O3").max().alias("o3max"))
    )  # fmt: skip
    joined = out.join(plain, on=["station", "date"])
    assert joined.height == out.height == 3 * 1461
    assert (joined["pm2_5_hours"] == joined["n"]).all()
    valid = joined.filter(pl.col("pm2_5_valid"))
    assert valid.height > 4000 and (valid["n"] >= 20).all()
    assert np.allclose(valid["pm2_5"].to_numpy(), valid["pm"].to_numpy(), rtol=0, atol=1e-9)
    assert joined.filter(~pl.col("pm2_5_valid"))["pm2_5"].null_count() == joined.filter(~pl.col("pm2_5_valid")).height
    co = joined.filter(pl.col("co_valid"))
    assert np.allclose(co["co"].to_numpy(), co["co_plain"].to_numpy(), rtol=0, atol=1e-9)
    o3 = joined.filter(pl.col("o3_1h_valid") & (pl.col("o3_hours") == 24))
    assert np.array_equal(o3["o3_1h"].to_numpy(), o3["o3max"].to_numpy())


def test_row_order_and_gaps_do_not_change_the_result():
    o3 = [float(v) for v in O3_EXAMPLE]
    rows = pl.concat([day_rows(day, station=s, o3=o3, pm2_5=[float(i) for i in range(24)])
                      for s in ("A", "B") for day in ("2025-06-01", "2025-06-02")])  # fmt: skip
    expected = air_daily(rows, standard=S26)
    for variant in (rows.sample(fraction=1.0, shuffle=True, seed=1), rows.sort("time", "station")):
        assert air_daily(variant, standard=S26).equals(expected)
    gappy = rows.filter(~((pl.col("station") == "B") & (pl.col("time").dt.hour() == 5)))
    out = air_daily(gappy.sample(fraction=1.0, shuffle=True, seed=2), standard=S26)
    assert out["pm2_5_hours"].to_list() == [24, 24, 23, 23] and out["hours_recorded"].to_list() == [24, 24, 23, 23]
    assert out["pm2_5"].to_list()[:2] == [11.5, 11.5] and out["pm2_5"][2] == pytest.approx((276 - 4) / 23)


def test_gases_before_2018_09_01_can_be_converted_to_the_reference_state():
    rows = pl.concat([day_rows("2018-08-31", so2=[100.0] * 24, pm10=[80.0] * 24),
                      day_rows("2018-09-01", so2=[100.0] * 24, pm10=[80.0] * 24)])  # fmt: skip
    as_given = air_daily(rows, standard=S12)
    assert as_given["so2"].to_list() == [100.0, 100.0]
    converted = air_daily(rows, standard=S12, gases_to_reference_state=True)
    assert converted["so2"][0] == pytest.approx(100 * 273.15 / 298.15)  # 91.61: standard state -> reference state
    assert converted["so2"][1] == 100.0 and converted["pm10"].to_list() == [80.0, 80.0]  # PM: actual state
    assert converted["o3_8h"][0] == pytest.approx(40 * 273.15 / 298.15)
