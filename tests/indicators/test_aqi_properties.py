"""Property tests: the vectorised engine equals a slow scalar reference written from formula (1) with
Fraction; AQI = max IAQI; monotone in every concentration; the version switch at 2026-03-01 00:00 Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoinspect.indicators.aqi import aqi_daily, aqi_hourly, iaqi, standard_for_times

from .conftest import TABLE_NAMES, half_even, reference_breakpoints, reference_iaqi

S12, S26 = "HJ633-2012", "HJ633-2026"
HOURLY_TABLES = {"so2": "so2_1h", "no2": "no2_1h", "co": "co_1h", "o3": "o3_1h", "pm10": "pm10_24h", "pm2_5": "pm2_5_24h"}
DAILY_TABLES = {"so2": "so2_24h", "no2": "no2_24h", "co": "co_24h", "o3_8h": "o3_8h", "o3_1h": "o3_1h",
                "pm10": "pm10_24h", "pm2_5": "pm2_5_24h"}  # fmt: skip
standards = st.sampled_from([S12, S26])
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # polars calls vary in time


def concentration(table: str, standard: str, *, within: bool = False):
    """Decimal concentrations like a monitoring system reports them (up to 3 decimals), up to 20 % above the
    table top (or only up to the top with ``within``)."""
    top = reference_breakpoints(table, standard)[-1]
    return st.decimals(min_value=0, max_value=top if within else top * 1.2, places=3)


@relaxed
@given(st.data(), standards, st.sampled_from(TABLE_NAMES))
def test_vectorised_iaqi_equals_the_fraction_reference(data, standard, table):
    values = data.draw(st.lists(concentration(table, standard), min_size=1, max_size=40))
    expected = [reference_iaqi(table, v, standard) for v in values]
    expected = np.array([np.nan if e is None else e for e in expected], dtype=float)
    as_text = iaqi(table, [format(v, "f") for v in values], standard=standard)
    as_float = iaqi(table, np.array([float(v) for v in values]), standard=standard)
    np.testing.assert_array_equal(as_text, expected)
    np.testing.assert_array_equal(as_float, expected)


def reference_row(row: dict, kind: str, standard: str, rounded: bool) -> tuple[int | None, str]:
    """AQI and primary pollutants of one row: max of rounded-up IAQIs, ties all listed (HJ 633 §3.3)."""
    tables = HOURLY_TABLES if kind == "hourly" else DAILY_TABLES
    iaqis = {}
    for term, table in tables.items():
        if kind == "daily" and term == "o3_1h" and standard == S26:
            continue
        c = row[term]
        if rounded:
            c = half_even(c, 1 if term == "co" else 0)
        iaqis[term] = reference_iaqi(table, c, standard)
    if kind == "daily" and standard == S12 and iaqis["o3_8h"] is None:
        pass  # HJ 633-2012 note (3): O3 comes from the 1-h value, which is already a term
    valid = {t: v for t, v in iaqis.items() if v is not None}
    if not valid:
        return None, ""
    aqi = max(valid.values())
    order = ("so2", "no2", "co", "o3", "o3_8h", "o3_1h", "pm10", "pm2_5")
    primary = ",".join(t for t in order if valid.get(t) == aqi) if aqi > 50 else ""
    return aqi, primary


def rows_strategy(kind: str, standard: str, *, within: bool = False):
    """Rows of concentrations. CO stays <= 60 mg/m³: a CO column with a higher median is rejected as µg/m³
    (the CO 1-h table above 60 is covered by the iaqi() tests)."""
    tables = HOURLY_TABLES if kind == "hourly" else DAILY_TABLES
    columns = {t: concentration(tab, standard, within=within) for t, tab in tables.items()}
    columns["co"] = st.decimals(min_value=0, max_value=60, places=3)
    row = st.fixed_dictionaries(columns)
    return st.lists(row, min_size=1, max_size=25)


@relaxed
@given(st.data(), standards, st.sampled_from(["hourly", "daily"]), st.booleans())
def test_aqi_and_primary_equal_the_reference_and_aqi_is_the_max_iaqi(data, standard, kind, as_text):
    rows = data.draw(rows_strategy(kind, standard))
    columns = {t: [(format(r[t], "f") if as_text else float(r[t])) for r in rows] for t in rows[0]}
    out = (aqi_hourly if kind == "hourly" else aqi_daily)(columns, standard=standard)
    for row, got in zip(rows, out.iter_rows(named=True)):
        assert (got["aqi"], got["primary_pollutants"]) == reference_row(row, kind, standard, standard == S26)
        iaqis = [v for k, v in got.items() if k.startswith("iaqi_") and v is not None]
        assert got["aqi"] == max(iaqis)


@relaxed
@given(st.data(), standards, st.sampled_from(["hourly", "daily"]))
def test_aqi_never_falls_when_one_concentration_rises(data, standard, kind):
    rows = data.draw(rows_strategy(kind, standard, within=True))
    term = data.draw(st.sampled_from(sorted(rows[0])))
    bump = data.draw(st.decimals(min_value=0, max_value=50, places=2))
    compute = aqi_hourly if kind == "hourly" else aqi_daily
    before = compute({t: [float(r[t]) for r in rows] for t in rows[0]}, standard=standard)
    raised = {t: [float(r[t] + (bump if t == term else 0)) for r in rows] for t in rows[0]}
    if term == "co":  # a CO column with a median above 60 mg/m³ is refused as µg/m³ (see rows_strategy)
        raised["co"] = [min(v, 60.0) for v in raised["co"]]
    if standard == S12:  # above 800 the 2012 rules switch to another indicator: stay inside the tables
        top = {"so2": 800 if kind == "hourly" else 2620, "o3_8h": 800}.get(term)
        if top is not None:
            raised[term] = [min(v, top) for v in raised[term]]
    after = compute(raised, standard=standard)
    assert (after["aqi"] >= before["aqi"]).all()
    assert (after[f"iaqi_{term}"] >= before[f"iaqi_{term}"]).all()


switch = datetime(2026, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


@relaxed
@given(st.integers(min_value=-3 * 86400, max_value=3 * 86400), st.sampled_from(["naive", "utc", "+08", "-05"]))
def test_version_switch_is_exactly_2026_03_01_midnight_in_shanghai(offset_seconds, zone):
    moment = switch + timedelta(seconds=offset_seconds)
    expected = S26 if offset_seconds >= 0 else S12
    if zone == "naive":
        value = moment.replace(tzinfo=None).isoformat(sep=" ")
    else:
        tz = {"utc": UTC, "+08": timezone(timedelta(hours=8)), "-05": timezone(timedelta(hours=-5))}[zone]
        value = moment.astimezone(tz).isoformat()
    assert standard_for_times([value])[0] == expected
    as_datetime = pl.Series([moment.astimezone(UTC)]).dt.convert_time_zone("UTC")
    assert standard_for_times(as_datetime)[0] == expected
