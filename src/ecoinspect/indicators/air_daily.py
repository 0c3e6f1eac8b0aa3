"""Daily air values from station-hours: daily means, O3 8-hour running means and daily max, daily AQI.

Rules (GB 3095 Table 4, HJ 663 §6.1.2, STANDARDS.md §2.2-2.3):

* hour labels are hour-ending by default ("16时" = 15:00-16:00); the day D is the hours labelled
  D 01:00 ... D+1 00:00 ("当日零点前24小时"). ``hour_label="start"`` is for data whose hour 0 is 00:00-01:00
  (e.g. the UCI Beijing set).
* daily mean = mean of the valid hourly values, valid with >= 20 of them;
* O3 8-h running mean at hour t = mean of hours t-7...t, valid with >= 6 of 8; the daily max 8-h takes the
  17 windows ending 08:00...24:00 (none crosses midnight) and is valid with >= 14 valid windows, or with
  fewer when the max exceeds the 8-h limit;
* O3 daily max 1-h (only used by the HJ 633-2012 daily AQI): the standards set no count; we apply the
  daily-mean count (>= 20 hours) unless the max exceeds the 1-h limit (documented project convention).

Means are exact: hourly values are counts of 1e-9 (see ``rounding``) summed in int64, then the mean is
rounded half-even to 1e-9, so GB/T 8170 ties of the HJ 633-2026 input rounding are decided correctly.
Vectorised on a dense (station-day x 24 hours) grid; no Python loop over records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from . import rounding
from .air_input import (
    Concentrations,
    _problems,
    as_frame,
    column_map,
    parse_concentrations,
    raise_if,
    require_columns,
    times_from_frame,
)
from .aqi import _map_columns, aqi_from_concentrations
from .errors import IndicatorInputError, InputProblem
from .standards_air import (
    AUTO,
    HJ633_2026,
    HOURLY_TERMS,
    LIMITS,
    MIN_HOURS_PER_8H_WINDOW,
    MIN_HOURS_PER_DAY,
    MIN_O3_8H_WINDOWS,
    SWITCH_DATE,
    check_standard,
)

MEAN_POLLUTANTS = ("so2", "no2", "co", "pm10", "pm2_5")
DAILY_VALUES = ("so2", "no2", "co", "pm10", "pm2_5", "o3_8h", "o3_1h")
HOUR_LABELS = ("end", "start")
# HJ 663 §6.1.2 names "the concentration limit" for the O3 8-h exception; class 2 (160) is the reading of
# other implementations and is [M] in STANDARDS.md §2.2. Same for the 1-h limit we use for O3 1-h max.
O3_8H_LIMIT_DEFAULT = float(LIMITS["GB3095-2012"][2]["o3_8h"])
O3_1H_LIMIT_DEFAULT = float(LIMITS["GB3095-2012"][2]["o3_1h"])


def _div_half_even(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Exact integer num/den rounded half-to-even (den > 0)."""
    q = num // den
    twice_rest = 2 * (num - q * den)
    return q + ((twice_rest > den) | ((twice_rest == den) & (q % 2 == 1)))


def _station_codes(station: pl.Series) -> tuple[np.ndarray, pl.Series]:
    """Integer code per row and the station name per code. Rows of one station usually come together, so
    the names are looked up once per run of equal values, not once per row."""
    text = (station if station.dtype == pl.Utf8 else station.cast(pl.Utf8)).fill_null("")
    run = text.rle_id().to_numpy()
    starts = np.flatnonzero(np.concatenate([[True], run[1:] != run[:-1]])) if run.size else np.zeros(0, np.int64)
    run_names = text.gather(starts)
    names = run_names.unique(maintain_order=True)
    code_of_run = run_names.cast(pl.Enum(names.to_list())).to_physical().to_numpy().astype(np.int32)
    return code_of_run[run], names


def _grid_cells(station_code: np.ndarray, day: np.ndarray, hour: np.ndarray):
    """Row -> cell of a dense (station-day, hour) grid; the station and day of each grid row; and whether
    the rows already are the grid in order (complete, sorted data: no scatter needed)."""
    day0 = int(day.min()) if day.size else 0
    n_days = int(day.max()) - day0 + 1 if day.size else 1
    n_codes = int(station_code.max()) + 1 if station_code.size else 1
    width = np.int32 if n_codes * n_days < 2**31 else np.int64  # half the memory traffic when it fits
    key = station_code.astype(width, copy=False) * width(n_days) + (day - day0).astype(width, copy=False)
    if key.size and key.size % 24 == 0:  # complete sorted days: 24 rows per station-day, hours 0..23
        blocks = key.reshape(-1, 24)
        first = blocks[:, 0]
        if (hour.reshape(-1, 24) == np.arange(24, dtype=hour.dtype)).all() and (blocks == first[:, None]).all() \
                and np.all(first[1:] > first[:-1]):  # fmt: skip
            return None, first // n_days, first % n_days + day0, True
    if key.size and np.all(key[1:] >= key[:-1]):  # sorted by station and day: no sort needed
        starts = np.empty(key.size, dtype=bool)
        starts[:1] = True
        np.not_equal(key[1:], key[:-1], out=starts[1:])
        sd_id = np.cumsum(starts) - 1
        sd_key = key[starts]
    else:
        sd_key, sd_id = np.unique(key, return_inverse=True)
    cell = sd_id * 24 + hour
    return cell, sd_key // n_days, sd_key % n_days + day0, False


def _count_true(ok: np.ndarray) -> np.ndarray:
    """Row sums of a (days, 24) bool grid: a popcount of three 8-byte words per row (faster than sum)."""
    if ok.flags.c_contiguous and ok.dtype == np.bool_:
        return np.bitwise_count(ok.view(np.uint64)).sum(axis=1, dtype=np.int64)
    return ok.sum(axis=1)


def _mda8(values_by_hour: np.ndarray, ok_by_hour: np.ndarray, limit_scaled: int):
    """Daily max 8-h O3 from hour-major (24, days) grids: windows ending 08:00..24:00, >= 6 of 8 hours each.

    Hour-major keeps every step a long contiguous vector operation; the running window sum moves one hour
    at a time. The best window is chosen on float means (distinct exact means differ far above float
    resolution) and reported exactly from its integer sum and count.
    """
    n = values_by_hour.shape[1]
    window_sum = values_by_hour[0:8].sum(axis=0)
    window_count = ok_by_hour[0:8].sum(axis=0, dtype=np.int64)
    best_mean = np.full(n, -np.inf)
    best_sum = np.zeros(n, dtype=np.int64)
    best_count = np.ones(n, dtype=np.int64)
    n_windows = np.zeros(n, dtype=np.int64)
    for end in range(8, 25):  # 17 windows (a loop over hours, not records)
        if end > 8:  # the window ending at hour-ending label `end` covers hours end-8 .. end-1
            window_sum += values_by_hour[end - 1] - values_by_hour[end - 9]
            window_count += ok_by_hour[end - 1].astype(np.int64) - ok_by_hour[end - 9]
        valid = window_count >= MIN_HOURS_PER_8H_WINDOW
        n_windows += valid
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(valid, window_sum / np.maximum(window_count, 1), -np.inf)
        better = mean > best_mean
        best_mean = np.where(better, mean, best_mean)
        best_sum = np.where(better, window_sum, best_sum)
        best_count = np.where(better, window_count, best_count)
    exact = _div_half_even(best_sum, best_count)
    # HJ 663 §6.1.2: >= 14 valid windows, or fewer when the max exceeds the limit
    day_valid = (n_windows >= MIN_O3_8H_WINDOWS) | ((n_windows > 0) & (exact > limit_scaled))
    return exact, n_windows, day_valid


CHUNK_DAYS = 1 << 16  # station-days per block: temporaries stay small, in cache, and reused by malloc


def _hour_grids(grid: _Grid, conc: Concentrations) -> tuple[np.ndarray, np.ndarray | None]:
    """(station-day, 24) float grid (NaN = no valid value) and, for text input, the exact int64 grid."""
    if grid.identity:
        ints = conc.scaled.reshape(-1, 24) if conc.scaled is not None else None
        return conc.values.reshape(-1, 24), ints
    floats = np.full(grid.n_cells, np.nan)
    floats[grid.cell] = conc.values
    ints = None
    if conc.scaled is not None:
        ints = np.zeros(grid.n_cells, dtype=np.int64)
        ints[grid.cell] = conc.scaled
        ints = ints.reshape(-1, 24)
    return floats.reshape(-1, 24), ints


def _not_monitored_days(grid: _Grid, conc: Concentrations) -> np.ndarray | None:
    """A day is "not monitored" when every recorded hour of the pollutant says "/"."""
    if not conc.not_monitored.any():
        return None
    return (grid.scatter(np.ones(conc.not_monitored.size, dtype=bool)) == grid.scatter(conc.not_monitored)).all(axis=1)


# GB 3095-2012 amendment (MEE 2018 No. 29): from 2018-09-01 gases are reported at the reference state
# 298.15 K / 1013.25 hPa instead of the standard state 273.15 K / 101.325 kPa (STANDARDS.md §2.6).
REFERENCE_STATE_DATE = datetime(2018, 9, 1)
REFERENCE_STATE_FACTOR = 273.15 / 298.15  # = 0.9161...
GASES = ("so2", "no2", "co", "o3")


def to_reference_state(concs: dict[str, Concentrations], times: pl.Series) -> dict[str, Concentrations]:
    """Gas concentrations measured before 2018-09-01 (standard state) x 273.15/298.15, so that values on
    both sides of the 2018 amendment compare; particulate matter is unchanged (actual state throughout)."""
    old = (times < REFERENCE_STATE_DATE).fill_null(False).to_numpy()
    if not old.any():
        return concs
    out = dict(concs)
    for term in GASES:
        if term in concs:
            conc = concs[term]
            values = np.where(old, conc.values * REFERENCE_STATE_FACTOR, conc.values)
            out[term] = Concentrations(values, conc.missing, conc.not_monitored)  # float path from here
    return out


def _term_days(grid: _Grid, conc: Concentrations, term: str, limits: tuple[int, int]) -> dict:
    """Daily values of one pollutant: the mean (>= 20 hours), or for O3 the max 8-h and max 1-h; computed
    block by block of station-days (a loop over blocks of 65,536 days, vectorised inside)."""
    floats, exact_ints = _hour_grids(grid, conc)
    n = floats.shape[0]
    count = np.empty(n, dtype=np.int64)
    results = {name: np.empty(n, dtype=np.int64) for name in ("mean", "mda8", "windows", "max")}
    mda8_valid = np.empty(n, dtype=bool)
    for start in range(0, n, CHUNK_DAYS):
        block = slice(start, min(n, start + CHUNK_DAYS))
        ok = ~np.isnan(floats[block])
        if exact_ints is not None:
            ints = np.where(ok, exact_ints[block], 0)
        else:  # values were range-checked on input (|x| * 1e9 fits int64 exactly)
            scaled = floats[block] * rounding.SCALE
            np.rint(scaled, out=scaled)
            scaled[~ok] = 0
            ints = scaled.astype(np.int64)
        count[block] = _count_true(ok)
        if term != "o3":
            results["mean"][block] = _div_half_even(ints.sum(axis=1), np.maximum(count[block], 1))
            continue
        by_hour, ok_by_hour = np.ascontiguousarray(ints.T), np.ascontiguousarray(ok.T)
        results["mda8"][block], results["windows"][block], mda8_valid[block] = _mda8(by_hour, ok_by_hour, limits[0])
        results["max"][block] = np.where(ok_by_hour, by_hour, -1).max(axis=0)
    nm = _not_monitored_days(grid, conc)
    if term != "o3":  # GB 3095 Table 4: >= 20 hourly values per day
        return {"hours": {term: count}, "values": {term: results["mean"]}, "valid": {term: count >= MIN_HOURS_PER_DAY},
                "not_monitored": {term: nm}}  # fmt: skip
    o3_max = results["max"]
    max_valid = (count >= MIN_HOURS_PER_DAY) | (o3_max > limits[1])  # project convention, see module docstring
    return {"hours": {"o3": count}, "values": {"o3_8h": results["mda8"], "o3_1h": np.maximum(o3_max, 0)},
            "valid": {"o3_8h": mda8_valid, "o3_1h": max_valid}, "not_monitored": {"o3_8h": nm, "o3_1h": nm},
            "windows": results["windows"]}  # fmt: skip


def _hourly_input(frame: pl.DataFrame, *, co_unit: str):
    mapping = column_map(frame)
    times, problems = times_from_frame(frame, mapping)
    if times is None:
        raise IndicatorInputError(InputProblem(None, "time", None, "缺少 time 列（或 year、month、day、hour 列）",
                                               "a time column (or year, month, day, hour columns) is required"))
    require_columns(mapping, HOURLY_TERMS, "hourly values", "小时值")
    raise_if(problems)
    off_hour = times.cast(pl.Datetime("us")).to_physical().to_numpy() % US_PER_HOUR != 0
    if off_hour.any():
        raise IndicatorInputError(_problems(off_hour, mapping.get("time", "time"), times.cast(pl.Utf8),
                                            "时间不是整点", "time is not on the hour"))  # fmt: skip
    concs = {}
    for term in HOURLY_TERMS:
        concs[term], found = parse_concentrations(frame[mapping[term]], term, co_unit=co_unit)
        problems += found
    raise_if(problems)
    station = frame[mapping["station"]] if "station" in mapping else pl.repeat("", frame.height, eager=True)
    return mapping, station.alias("station"), times, concs


def _average_area(station: pl.Series, times: pl.Series, concs: dict[str, Concentrations], area: pl.Series):
    """Area hourly series: mean of the valid station values of each area and hour (STANDARDS.md §2.7 [M])."""
    columns = {"area": area.cast(pl.Utf8), "time": times}
    for term, conc in concs.items():
        columns[term] = pl.Series(term, conc.values).fill_nan(None)
        columns[f"{term}__nm"] = pl.Series(conc.not_monitored)
    grouped = (
        pl.DataFrame(columns).lazy().group_by("area", "time")
        .agg([pl.col(t).mean() for t in concs] + [pl.col(f"{t}__nm").all() for t in concs])
        .sort("area", "time").collect()
    )  # fmt: skip
    out = {}
    for term in concs:
        values = grouped[term].cast(pl.Float64).to_numpy()
        nm = grouped[f"{term}__nm"].to_numpy()
        out[term] = Concentrations(values, np.isnan(values) & ~nm, nm)
    return grouped["area"].alias("station"), grouped["time"], out


def air_daily(hourly, *, standard: str, hour_label: str = "end", co_unit: str = "mg",
              o3_8h_limit: float = O3_8H_LIMIT_DEFAULT, o3_1h_limit: float = O3_1H_LIMIT_DEFAULT,
              area: str | None = None, area_column: str | None = None,
              gases_to_reference_state: bool = False) -> pl.DataFrame:  # fmt: skip
    """Daily values, validity, completeness and daily AQI per station (or area) and day.

    ``hourly``: rows of ``station`` (optional), ``time`` (or ``year, month, day, hour``) and the 1-h values
    ``so2 no2 co o3 pm10 pm2_5`` (CO mg/m³ unless ``co_unit="ug"``). ``standard``: "HJ633-2012",
    "HJ633-2026" or "auto" (per day: from 2026-03-01 the 2026 rules). ``area="白云区"`` averages all
    stations hour by hour into one area series first; ``area_column`` does it per value of that column.

    Output per station and date: the daily values ``so2 no2 co pm10 pm2_5`` (means), ``o3_8h`` (daily max
    8-h), ``o3_1h`` (daily max 1-h), all null when invalid; ``<pollutant>_hours`` (valid hours),
    ``o3_8h_windows``; ``<value>_valid``; ``hours_recorded``; ``complete``; and the daily AQI columns of
    ``compute_aqi``. ``valid_day`` says whether the day counts for day statistics: every AQI term valid (or
    not monitored), or an AQI above 100 that no missing term could lower (HJ 633-2026 §5.3 logic).
    ``gases_to_reference_state=True`` converts SO2, NO2, CO, O3 hours before 2018-09-01 from the old standard
    state to the reference state (see ``to_reference_state``), for trends across that date.
    """
    check_standard(standard, allow_auto=True)
    if hour_label not in HOUR_LABELS:
        raise ValueError("hour_label must be 'end' (hour-ending labels) or 'start'")
    frame = as_frame(hourly)
    mapping, station, times, concs = _hourly_input(frame, co_unit=co_unit)
    if gases_to_reference_state:  # by the start of each hour: "2018-09-01 00:00" ending an hour is still August
        starts = times.dt.offset_by("-1h") if hour_label == "end" else times
        concs = to_reference_state(concs, starts)
    grid = _Grid.build(station, times, hour_label)
    _check_duplicates(grid, station, times, mapping)
    if area is not None or area_column is not None:
        if area_column is not None and area_column not in frame.columns:
            raise IndicatorInputError(InputProblem(None, area_column, None, "区域列不存在", "area column not found"))
        groups = frame[area_column] if area_column is not None else pl.repeat(area, frame.height, eager=True)
        station, times, concs = _average_area(station, times, concs, groups)
        grid = _Grid.build(station, times, hour_label)
    names, sd_station, sd_day = grid.names, grid.sd_station, grid.sd_day
    recorded = grid.scatter(np.ones(len(station), dtype=bool))
    out: dict[str, pl.Series | np.ndarray] = {
        "station": names.gather(pl.Series(sd_station.astype(np.uint32))),
        "date": pl.Series(sd_day.astype(np.int32)).cast(pl.Date),
    }
    limits = (round(o3_8h_limit * rounding.SCALE), round(o3_1h_limit * rounding.SCALE))
    results = _map_columns(lambda term: _term_days(grid, concs[term], term, limits), (*MEAN_POLLUTANTS, "o3"),
                           len(station))  # fmt: skip
    values_scaled, valid, hours, not_monitored = {}, {}, {}, {}
    for result in results:
        hours.update(result["hours"])
        values_scaled.update(result["values"])
        valid.update(result["valid"])
        not_monitored.update(result["not_monitored"])
    windows = results[-1]["windows"]
    daily_concs = {}
    for term in DAILY_VALUES:
        nm = not_monitored[term] if not_monitored[term] is not None else np.zeros(len(sd_day), dtype=bool)
        value = np.where(valid[term], values_scaled[term] / rounding.SCALE, np.nan)
        out[term] = pl.Series(term, value).fill_nan(None)
        daily_concs[term] = Concentrations(value, ~valid[term] & ~nm, nm & ~valid[term],
                                           np.where(valid[term], values_scaled[term], 0))  # fmt: skip
    for term in (*MEAN_POLLUTANTS, "o3"):
        out[f"{term}_hours"] = pl.Series(f"{term}_hours", hours[term].astype(np.int8))
    out["o3_8h_windows"] = pl.Series("o3_8h_windows", windows.astype(np.int8))
    for term in DAILY_VALUES:
        out[f"{term}_valid"] = pl.Series(f"{term}_valid", valid[term])
    out["hours_recorded"] = pl.Series("hours_recorded", _count_true(recorded).astype(np.int8))
    daily = pl.DataFrame(out)
    is_new = _day_is_2026(daily["date"], standard)
    needed = np.where(is_new[:, None], [True] * 6 + [False], [True] * 7)  # HJ 633-2026 has no O3 1-h term
    term_ok = np.stack([valid[t] | (daily_concs[t].not_monitored) for t in DAILY_VALUES], axis=1)
    complete = (term_ok | ~needed).all(axis=1)
    daily = daily.with_columns(pl.Series("complete", complete))
    result = aqi_from_concentrations(daily, daily_concs, kind="daily", is_2026_rows=is_new)
    valid_day = complete & result["aqi"].is_not_null().to_numpy()
    valid_day |= (result["aqi"].fill_null(0) > 100).to_numpy()
    return result.with_columns(pl.Series("valid_day", valid_day)).sort("station", "date")


def _day_is_2026(dates: pl.Series, standard: str) -> np.ndarray:
    if standard == AUTO:
        return (dates >= SWITCH_DATE).fill_null(False).to_numpy()
    return np.full(len(dates), standard == HJ633_2026)


US_PER_HOUR = 3_600_000_000


@dataclass
class _Grid:
    """Where each input row sits in the dense (station-day x 24 hours) grid."""

    cell: np.ndarray | None  # None: the rows are the grid (complete days, sorted)
    n_cells: int
    identity: bool
    names: pl.Series
    sd_station: np.ndarray
    sd_day: np.ndarray  # days since 1970-01-01

    @classmethod
    def build(cls, station: pl.Series, times: pl.Series, hour_label: str) -> _Grid:
        codes, names = _station_codes(station)
        hours = (times.cast(pl.Datetime("us")).to_physical().to_numpy() // US_PER_HOUR).astype(np.int32)
        if hour_label == "end":  # "01:00" is 00:00-01:00 of the same day; "00:00" ends the previous day
            hours -= 1
        day = hours // 24
        hour = hours - day * 24
        cell, sd_station, sd_day, identity = _grid_cells(codes, day, hour)
        return cls(cell, sd_day.size * 24, identity, names, sd_station, sd_day)

    def scatter(self, row_mask: np.ndarray) -> np.ndarray:
        """A per-row bool array on the (station-day, 24) grid; False where no row."""
        if self.identity:
            return row_mask.reshape(-1, 24)
        grid = np.zeros(self.n_cells, dtype=bool)
        grid[self.cell] = row_mask
        return grid.reshape(-1, 24)


def _check_duplicates(grid: _Grid, station: pl.Series, times: pl.Series, mapping) -> None:
    """Two rows in the same station-hour cell are an error (which one would be right?)."""
    if grid.identity or grid.cell is None or not grid.cell.size:
        return
    counts = np.bincount(grid.cell, minlength=grid.n_cells)
    if counts.max() <= 1:
        return
    dup = counts[grid.cell] > 1
    shown = pl.DataFrame({"s": station.cast(pl.Utf8), "t": times.cast(pl.Utf8)}).select(
        pl.concat_str(["s", "t"], separator=" ")).to_series()  # fmt: skip
    column = f"{mapping.get('station', 'station')}, {mapping.get('time', 'time')}"
    raise IndicatorInputError(_problems(dup, column, shown, "重复的站点时次（同一站点同一小时出现多行）",
                                        "duplicate station-hour (the same station and hour in more than one row)"))
