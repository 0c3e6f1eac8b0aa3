"""Air quality index (AQI) per HJ 633-2012 and HJ 633-2026, vectorised and exact.

IAQI = (IAQI_Hi - IAQI_Lo) / (BP_Hi - BP_Lo) * (C - BP_Lo) + IAQI_Lo, rounded up (HJ 633-2012 §6.2,
HJ 633-2026 §4.2.6), AQI = max IAQI. The ceiling is taken on exact integers (concentrations are counts of
1e-9, see ``rounding``), so an exact integer IAQI never becomes one more through a float 7.000000000000001.

Public API: ``iaqi``, ``compute_aqi`` (frames or mappings of arrays in, a frame out), ``aqi_hourly``,
``aqi_daily``, ``aqi_level``, ``standard_for_times``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import polars as pl

from . import rounding
from .air_input import (
    Concentrations,
    as_frame,
    column_map,
    duplicate_rows,
    is_2026,
    parse_concentrations,
    raise_if,
    require_columns,
    times_from_frame,
)
from .errors import IndicatorInputError, InputProblem
from .standards_air import (
    ABOVE_TABLE_FLAG_EN,
    ABOVE_TABLE_FLAG_ZH,
    ABOVE_TABLE_IAQI,
    ABOVE_TOP_RULE,
    AUTO,
    CATEGORIES,
    COLOURS,
    COLOURS_RGB,
    DAILY_TERMS,
    HJ633_2012,
    HJ633_2026,
    HOURLY_TERMS,
    INPUT_DECIMALS_2026,
    LEVEL_UPPER_AQI,
    POLLUTANT_TABLE_DAILY,
    POLLUTANT_TABLE_HOURLY,
    STANDARDS,
    breakpoints,
    check_standard,
)

NO_IAQI = -1  # sentinel in int arrays; becomes null in frames
KINDS = ("hourly", "daily")


# --- single IAQI ------------------------------------------------------------------------------------
def _iaqi_scaled(scaled: np.ndarray, table: str, standard: str, sticky: np.ndarray | None = None):
    """Exact IAQI of non-negative scaled concentrations -> (int32 IAQI, above-table mask).

    Values above the last breakpoint get the table's top IAQI here; callers apply the top rules.
    """
    bp, steps = breakpoints(table, standard)
    bps = np.asarray(bp, dtype=np.int64) * rounding.SCALE
    iq = np.asarray(steps, dtype=np.int64)
    top = bps[-1]
    above = scaled > top
    if sticky is not None:
        above |= sticky & (scaled == top)
    n = np.minimum(scaled, top)
    seg = np.minimum(np.searchsorted(bps, n, side="right") - 1, len(bp) - 2)
    lo = bps[seg]
    num = (iq[seg + 1] - iq[seg]) * (n - lo)
    den = bps[seg + 1] - lo
    up = -((-num) // den)  # exact ceiling
    if sticky is not None:  # the true value is a hair above n: an exact integer moves up by one
        up = up + (sticky & ~above & (num % den == 0))
    return (iq[seg] + up).astype(np.int32), above


def _table_pollutant(table: str) -> str:
    return "pm2_5" if table.startswith("pm2_5") else table.split("_")[0]


def _above_value(table: str, standard: str) -> int:
    """IAQI reported above the last breakpoint: the 2026 fixed values (SO2 1-h 200, O3 8-h 300), NO_IAQI
    where HJ 633-2012 says to use another indicator, else 500 (flagged by the caller)."""
    if table in ABOVE_TOP_RULE:
        fixed = ABOVE_TOP_RULE[table][standard]
        return NO_IAQI if fixed is None else fixed
    return ABOVE_TABLE_IAQI


@lru_cache(maxsize=64)
def _segments(table: str, standard: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Breakpoints (float) and, per segment, the line IAQI = base + slope * C of formula (1)."""
    bp, steps = breakpoints(table, standard)
    bpf = np.asarray(bp, dtype=np.float64)
    iq = np.asarray(steps, dtype=np.float64)
    slope = np.diff(iq) / np.diff(bpf)
    return bpf, iq[:-1] - slope * bpf[:-1], slope


def _iaqi_float(values: np.ndarray, table: str, standard: str):
    """Same result as ``_iaqi_scaled(to_scaled(values))``, faster: formula (1) in floats, and the exact
    integer path only for the few values whose IAQI lies within 1e-6 of an integer (where a float
    ceiling could be off by one)."""
    bpf, base, slope = _segments(table, standard)
    x = np.where(np.isnan(values), 0.0, values)
    above = x > bpf[-1]
    np.minimum(x, bpf[-1], out=x)
    seg = np.searchsorted(bpf[1:-1], x, side="left")  # segment k covers (bp[k], bp[k+1]]; both ends agree
    v = base[seg] + slope[seg] * x
    out = np.ceil(v)
    near = np.flatnonzero(np.abs(v - np.rint(v)) < 1e-6)
    if near.size:
        out[near], _ = _iaqi_scaled(rounding.to_scaled(x[near]), table, standard)
    return out.astype(np.int32), above


@lru_cache(maxsize=64)
def _lookup_table(table: str, standard: str, decimals: int) -> np.ndarray:
    """IAQI for every concentration on a 10^-decimals grid from 0 to the top breakpoint (exact), then one
    entry for "above the table" and one for "absent"."""
    top = breakpoints(table, standard)[0][-1] * 10**decimals
    grid = np.arange(top + 1, dtype=np.int64) * 10 ** (rounding.SCALE_DIGITS - decimals)
    lut, _ = _iaqi_scaled(grid, table, standard)
    lut = np.concatenate([lut, [_above_value(table, standard), NO_IAQI]]).astype(np.int16)
    lut.setflags(write=False)
    return lut


def _grid(conc: Concentrations, decimals: int, round_inputs: bool) -> np.ndarray | None:
    """Concentrations as integer counts of 10^-decimals (values in absent cells are arbitrary): GB/T
    8170-rounded when ``round_inputs`` (HJ 633-2026 §4.2.2), else only if every value already sits on that
    grid (None if not)."""
    if conc.scaled is not None:
        unit = 10 ** (rounding.SCALE_DIGITS - decimals)
        if round_inputs:
            return rounding.round_half_even_scaled(conc.scaled, decimals, conc.sticky) // unit
        if (conc.sticky is not None and conc.sticky.any()) or (conc.scaled % unit).any():
            return None
        return conc.scaled // unit
    x = conc.values
    n_present = x.size - np.count_nonzero(conc.missing) - np.count_nonzero(conc.not_monitored)
    with np.errstate(invalid="ignore"):
        if decimals == 0:
            # exact GB/T 8170 for floats: only an exact k.5 is a tie, and rint breaks it to even
            r = np.rint(x)
            if round_inputs or np.count_nonzero(r == x) == n_present:
                return r.astype(np.int32)  # plausible values are far below 2**31 (checked on input)
            return None
        y = x * 10.0**decimals
        r = np.rint(y)
        # on the grid already (e.g. CO published to 1 decimal): rounding changes nothing. The product's float
        # error is < 1e-10 for plausible values; an off-grid value with <= 9 decimals is >= 1e-8 away.
        if not np.any(np.abs(y - r) > 1e-9):
            return r.astype(np.int32)
        if not round_inputs:
            return None
        return np.rint(rounding.round_float_half_even(x, decimals) * 10.0**decimals).astype(np.int32)


def _iaqi_conc(conc: Concentrations, table: str, standard: str, round_inputs: bool):
    """IAQI of one checked column -> (int16 IAQI, NO_IAQI where absent or undefined; above-table mask;
    mask of values above a table with a special top rule: SO2 1-h / O3 8-h > 800)."""
    decimals = INPUT_DECIMALS_2026.get(_table_pollutant(table), 0)
    grid = _grid(conc, decimals, round_inputs)
    if grid is None and not round_inputs:  # e.g. 1-decimal µg/m³ values: still a grid, 10x finer
        decimals += 1
        grid = _grid(conc, decimals, False)
    if grid is not None:  # fast exact path: one lookup in a precomputed exact table
        top_index = breakpoints(table, standard)[0][-1] * 10**decimals
        absent = conc.missing | conc.not_monitored if conc.missing.any() or conc.not_monitored.any() else None
        if absent is not None:
            grid[absent] = 0
        beyond = bool(grid.size) and int(grid.max()) > top_index
        if beyond:
            np.minimum(grid, top_index + 1, out=grid)
        if absent is not None:
            grid[absent] = top_index + 2
        out = _lookup_table(table, standard, decimals).take(grid)
        above = grid == top_index + 1 if beyond else np.zeros(grid.size, dtype=bool)
    else:
        if conc.scaled is not None:
            exact, above = _iaqi_scaled(conc.scaled, table, standard, conc.sticky)
        else:
            exact, above = _iaqi_float(conc.values, table, standard)
        absent = np.isnan(conc.values)
        above &= ~absent
        out = np.where(above, _above_value(table, standard), exact)
        out = np.where(absent, NO_IAQI, out).astype(np.int16)
    if table in ABOVE_TOP_RULE:
        return out, np.zeros_like(above), above
    return out, above, np.zeros_like(above)


def iaqi(table: str, concentration, *, standard: str, round_inputs: bool = False) -> np.ndarray:
    """IAQI of concentrations for one column of the HJ 633 table, as floats (NaN where undefined).

    ``table`` is one of ``so2_24h so2_1h no2_24h no2_1h co_24h co_1h o3_1h o3_8h pm10_24h pm2_5_24h``;
    concentrations in µg/m³ (CO mg/m³), as numbers or decimal strings. Formula (1) is applied to the value
    given; pass ``round_inputs=True`` to apply the HJ 633-2026 §4.2.2 input rounding first. Above the table
    the result is 500 (HJ 633 does not say; ``compute_aqi`` flags it "超出分级上限"); SO2 1-h or O3 8-h
    above 800 give 200/300 under 2026 and NaN under 2012 (another indicator must be used there).

    >>> iaqi("pm2_5_24h", [35, 35.5, 60, 75], standard="HJ633-2026").tolist()
    [50.0, 51.0, 100.0, 114.0]
    """
    check_standard(standard)
    if isinstance(concentration, str | int | float):
        concentration = [concentration]
    if isinstance(concentration, pl.Series):
        series = concentration
    elif any(isinstance(v, str) for v in concentration):
        series = pl.Series("c", [None if v is None else str(v) for v in concentration], dtype=pl.Utf8)
    else:
        series = pl.Series("c", np.asarray(concentration, dtype=np.float64))
    conc, problems = parse_concentrations(series, _table_pollutant(table))
    raise_if([p for p in problems if p.row is not None])  # the CO-median check needs a whole column
    out, _, _ = _iaqi_conc(conc, table, standard, round_inputs)
    return np.where(out == NO_IAQI, np.nan, out.astype(np.float64))


def aqi_level(aqi) -> np.ndarray:
    """Level 1-6 (HJ 633 Table 2 / Table 1) of integer AQIs; 0 where the AQI is missing (negative/NaN)."""
    a = np.asarray(aqi, dtype=np.float64)
    level = np.searchsorted(np.asarray(LEVEL_UPPER_AQI, dtype=np.float64), a, side="left") + 1
    return np.where(np.isnan(a) | (a < 0), 0, level).astype(np.int8)


def standard_for_times(times) -> np.ndarray:
    """Per time: "HJ633-2026" from 2026-03-01 00:00 Asia/Shanghai on, else "HJ633-2012".

    Naive times are local (Asia/Shanghai); zone-aware times are converted first. Text is parsed.
    """
    from .air_input import parse_times

    series = times if isinstance(times, pl.Series) else pl.Series("time", times)
    parsed, problems = parse_times(series)
    raise_if(problems)
    return np.where(is_2026(parsed), HJ633_2026, HJ633_2012)


# --- a whole table ------------------------------------------------------------------------------------
def _terms(kind: str, standard: str) -> tuple[str, ...]:
    if kind == "hourly":
        return HOURLY_TERMS
    return DAILY_TERMS[standard]


def _all_terms(kind: str) -> tuple[str, ...]:
    """Output order of the IAQI columns; ties in the primary pollutant are listed in this order."""
    return HOURLY_TERMS if kind == "hourly" else ("so2", "no2", "co", "o3_8h", "o3_1h", "pm10", "pm2_5")


@lru_cache(maxsize=4)
def _label_enum(names: tuple[str, ...]) -> pl.Series:
    """Labels of all 2^k subsets of ``names`` ("pm10,pm2_5"), indexed by bit mask, plus null at 2^k."""
    labels = [",".join(n for i, n in enumerate(names) if mask >> i & 1) for mask in range(1 << len(names))]
    return pl.Series([*labels, None], dtype=pl.Enum(labels))


def _enum_with_null(values: tuple[str, ...]) -> pl.Series:
    """Index 0 -> null, index i -> values[i-1]; gathering from it maps a level to its label."""
    return pl.Series([None, *values], dtype=pl.Enum(list(values)))


# level by AQI + 1: index 0 is "no AQI" (level 0 -> null labels), index k+1 the level of AQI k
_LEVEL_OF_AQI_PLUS_1 = np.concatenate([[0], aqi_level(np.arange(ABOVE_TABLE_IAQI + 1))]).astype(np.uint32)
_FLAG_ABOVE = "{}: " + f"{ABOVE_TABLE_FLAG_ZH} / {ABOVE_TABLE_FLAG_EN} (IAQI 500)"
_FLAG_SO2_FALLBACK = ("so2: 1小时浓度>800，按24小时平均浓度计算IAQI / "
                      "SO2 1-h > 800: IAQI from the 24-h mean (HJ 633-2012 Table 1 note 2)")
_FLAG_SO2_NO_FALLBACK = ("so2: 1小时浓度>800且缺少24小时平均浓度（so2_24h），未计算IAQI / "
                         "SO2 1-h > 800 and no 24-h mean (so2_24h): no SO2 IAQI")
_FLAG_O3_8H = ("o3_8h: 8小时浓度>800，按1小时浓度计算臭氧IAQI / "
               "O3 8-h > 800: the O3 IAQI comes from the 1-h value (HJ 633-2012 Table 1 note 3)")  # fmt: skip


_PARALLEL_MIN_ROWS = 200_000


def _map_columns(function, items, n_rows: int) -> list:
    """``function`` over the pollutant columns, in threads for large inputs (numpy releases the GIL)."""
    workers = min(len(items), os.cpu_count() or 1)
    if n_rows < _PARALLEL_MIN_ROWS or workers < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items))


def _compute_one(concs: dict[str, Concentrations], kind: str, standard: str, round_inputs: bool) -> dict:
    """All outputs (arrays) for rows computed under one standard. Bit i of the pollutant codes stands for
    ``_all_terms(kind)[i]``."""
    terms = _terms(kind, standard)
    position = {t: i for i, t in enumerate(_all_terms(kind))}
    tables = POLLUTANT_TABLE_HOURLY if kind == "hourly" else POLLUTANT_TABLE_DAILY
    iaqis: dict[str, np.ndarray] = {}
    flags: list[tuple[np.ndarray, str]] = []
    may_be_null: set[str] = set()  # terms with a NO_IAQI somewhere (absent, or no IAQI under a 2012 top rule)
    results = _map_columns(lambda t: _iaqi_conc(concs[t], tables[t], standard, round_inputs), terms,
                           len(concs[terms[0]].values))  # fmt: skip
    for term, (out, above, over_top) in zip(terms, results):
        flags.append((above, _FLAG_ABOVE.format(term)))
        any_over_top = over_top.any()
        if concs[term].missing.any() or concs[term].not_monitored.any() or (any_over_top and standard == HJ633_2012):
            may_be_null.add(term)
        if any_over_top and standard == HJ633_2012:
            if term == "so2":  # HJ 633-2012 Table 1 note (2): report SO2 from the 24-h mean
                if "so2_24h" in concs:
                    sub, sub_above, _ = _iaqi_conc(concs["so2_24h"], "so2_24h", standard, round_inputs)
                    out = np.where(over_top, sub, out)
                    flags.append((over_top & sub_above, _FLAG_ABOVE.format("so2_24h")))
                done = over_top & (out != NO_IAQI)
                flags += [(done, _FLAG_SO2_FALLBACK), (over_top & ~done, _FLAG_SO2_NO_FALLBACK)]
            else:  # "o3_8h", Table 1 note (3): O3 is reported from the 1-h value, also in the daily AQI
                flags.append((over_top, _FLAG_O3_8H))
        iaqis[term] = out
    aqi = iaqis[terms[0]].copy()
    for term in terms[1:]:
        np.maximum(aqi, iaqis[term], out=aqi)
    has_aqi = aqi != NO_IAQI
    # HJ 633 §3.3: primary pollutant(s) = the largest (rounded-up) IAQI when AQI > 50, ties all listed.
    # Codes are bit masks over _all_terms(kind); HJ 633-2012 §3.4 over-standard pollutant = IAQI > 100.
    primary = np.zeros(len(aqi), dtype=np.uint8)
    exceeding = np.zeros(len(aqi), dtype=np.uint8) if standard == HJ633_2012 else None
    for term in terms:
        primary |= np.left_shift((iaqis[term] == aqi).view(np.uint8), position[term])
        if exceeding is not None:
            exceeding |= np.left_shift((iaqis[term] > 100).view(np.uint8), position[term])
    primary *= (aqi > 50).view(np.uint8)
    missing = np.zeros(len(aqi), dtype=bool)
    for term in may_be_null:  # missing = NA/empty, or no IAQI could be given; "/" (not monitored) is not missing
        missing |= concs[term].missing | ((iaqis[term] == NO_IAQI) & ~concs[term].not_monitored)
    # HJ 633-2026 §5.3: with a missing pollutant, publish only if AQI > 100. HJ 633-2012 has no such rule
    # (its Tables 3/4 notes only mark missing items NA).
    publishable = has_aqi & (~missing | (aqi > 100)) if standard == HJ633_2026 else has_aqi
    return {"iaqi": iaqis, "aqi": aqi, "primary": primary, "exceeding": exceeding, "publishable": publishable,
            "may_be_null": may_be_null, "flags": [(m, t) for m, t in flags if m.any()]}  # fmt: skip


def _series_with_nulls(name: str, values: np.ndarray, null: np.ndarray | None, dtype) -> pl.Series:
    s = pl.Series(name, values, dtype=dtype)
    if null is not None and null.any():
        s = pl.select(pl.when(pl.lit(pl.Series(null))).then(None).otherwise(s)).to_series().alias(name)
    return s


def _merge(parts: list[tuple[np.ndarray | None, str, dict]], n: int, all_terms: tuple[str, ...]) -> dict:
    """One result over all rows from the per-standard results of row subsets."""
    if len(parts) == 1 and parts[0][0] is None:
        return {**parts[0][2], "standard": None, "is_2012": None}  # one version: constant columns
    merged = {"iaqi": {}, "aqi": np.full(n, NO_IAQI, dtype=np.int16), "primary": np.zeros(n, dtype=np.uint8),
              "exceeding": np.zeros(n, dtype=np.uint8), "publishable": np.zeros(n, dtype=bool),
              "standard": np.zeros(n, dtype=np.uint32), "is_2012": np.zeros(n, dtype=bool), "flags": [],
              "may_be_null": set(all_terms)}  # fmt: skip
    for index, standard, res in parts:
        for t in all_terms:
            if t in res["iaqi"]:
                merged["iaqi"].setdefault(t, np.full(n, NO_IAQI, dtype=np.int16))[index] = res["iaqi"][t]
        for key in ("aqi", "primary", "publishable"):
            merged[key][index] = res[key]
        if res["exceeding"] is not None:
            merged["exceeding"][index] = res["exceeding"]
        merged["standard"][index] = STANDARDS.index(standard)
        merged["is_2012"][index] = standard == HJ633_2012
        for mask, text in res["flags"]:
            full = np.zeros(n, dtype=bool)
            full[index] = mask
            merged["flags"].append((full, text))
    return merged


def _assemble(frame: pl.DataFrame, parts: list[tuple[np.ndarray | None, str, dict]], kind: str) -> pl.DataFrame:
    """The input frame plus the output columns; ``parts`` = [(row index or None = all rows, standard, result)]."""
    n = frame.height
    all_terms = _all_terms(kind)
    res = _merge(parts, n, all_terms)
    aqi = res["aqi"]
    no_aqi = aqi == NO_IAQI
    level = _LEVEL_OF_AQI_PLUS_1.take(aqi + 1)  # aqi is NO_IAQI (-1) or 0..500
    null_code = 1 << len(all_terms)
    labels = _label_enum(all_terms)
    any_no_aqi = bool(no_aqi.any())
    primary = np.where(no_aqi, null_code, res["primary"]) if any_no_aqi else res["primary"]
    new = []
    for t in all_terms:
        if t not in res["iaqi"]:  # a stable schema: the daily O3 1-h column exists (all null) under 2026 alone
            new.append(pl.repeat(None, n, dtype=pl.Int16, eager=True).alias(f"iaqi_{t}"))
        elif t in res["may_be_null"]:
            new.append(_series_with_nulls(f"iaqi_{t}", res["iaqi"][t], res["iaqi"][t] == NO_IAQI, pl.Int16))
        else:
            new.append(pl.Series(f"iaqi_{t}", res["iaqi"][t], dtype=pl.Int16))
    level_index = pl.Series(level)
    standard_enum = pl.Enum(list(STANDARDS))
    single = len(parts) == 1 and parts[0][0] is None
    if single:  # one version for every row: constant columns, no gathers
        standard_column = pl.repeat(parts[0][1], n, dtype=standard_enum, eager=True)
    else:
        standard_column = pl.Series(list(STANDARDS), dtype=standard_enum).gather(pl.Series(res["standard"]))
    if single and parts[0][1] == HJ633_2026:
        exceeding_column = pl.repeat(None, n, dtype=labels.dtype, eager=True)
    else:
        is_2012 = np.ones(n, dtype=bool) if single else res["is_2012"]
        exceeding = np.where(no_aqi | ~is_2012, null_code, res["exceeding"]).astype(np.uint32)
        exceeding_column = labels.gather(pl.Series(exceeding))
    new += [
        _series_with_nulls("aqi", aqi, no_aqi if any_no_aqi else None, pl.Int16),
        _series_with_nulls("level", level.astype(np.int8), no_aqi if any_no_aqi else None, pl.Int8),
        _enum_with_null(CATEGORIES).gather(level_index).alias("category"),
        _enum_with_null(COLOURS).gather(level_index).alias("colour"),
        _enum_with_null(COLOURS_RGB).gather(level_index).alias("colour_rgb"),
        labels.gather(pl.Series(primary.astype(np.uint32))).alias("primary_pollutants"),
        exceeding_column.alias("exceeding_pollutants"),
        pl.Series("publishable", res["publishable"]),
        standard_column.alias("standard"),
    ]
    flags = pl.repeat("", n, dtype=pl.Utf8, eager=True)
    if res["flags"]:  # flagged rows are few: build their text on the subset only
        flagged = np.flatnonzero(np.logical_or.reduce([mask for mask, _ in res["flags"]]))
        exprs = [pl.when(pl.lit(pl.Series(mask[flagged]))).then(pl.lit(text)) for mask, text in res["flags"]]
        texts = pl.select(pl.concat_str(exprs, separator="; ", ignore_nulls=True)).to_series()
        flags = flags.scatter(flagged, texts)
    new.append(flags.alias("flags"))
    taken = {s.name for s in new}
    return frame.rename({c: f"{c}_input" for c in frame.columns if c in taken}).hstack(new)


def compute_aqi(data, *, kind: str, standard: str, co_unit: str = "mg", round_inputs: bool | None = None,
                check_duplicates: bool = True) -> pl.DataFrame:  # fmt: skip
    """AQI of every row of ``data`` (a polars frame, a mapping of arrays, or a pandas frame).

    kind="hourly": columns ``so2 no2 co o3 pm10 pm2_5`` (1-h values; optional ``so2_24h`` for the 2012
    SO2 > 800 rule); kind="daily": ``so2 no2 co pm10 pm2_5 o3_8h`` plus ``o3_1h`` under 2012. Names are
    case-insensitive; text cells ``NA``/empty = missing, ``/`` = not monitored. CO in mg/m³ unless
    ``co_unit="ug"``. ``standard`` is "HJ633-2012", "HJ633-2026" or "auto" (by the ``time`` column,
    switching at 2026-03-01 00:00 Asia/Shanghai). ``round_inputs`` defaults to the letter of each version:
    True under HJ 633-2026 (§4.2.2 GB/T 8170 rounding), False under HJ 633-2012 (no such clause).

    Returns the input columns plus ``iaqi_<pollutant>``, ``aqi``, ``level``, ``category``, ``colour``,
    ``colour_rgb``, ``primary_pollutants``, ``exceeding_pollutants`` (2012 only), ``publishable``,
    ``standard`` and ``flags``. Input columns whose names clash get the suffix ``_input``.

    >>> out = compute_aqi({"so2": [12], "no2": [45], "co": [0.9], "pm10": [130], "pm2_5": [70],
    ...                    "o3_8h": [150], "o3_1h": [190]}, kind="daily", standard="HJ633-2026")
    >>> out.select("aqi", "category", "primary_pollutants").row(0)
    (110, '轻度污染', 'pm2_5')
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be 'hourly' or 'daily', not {kind!r}")
    check_standard(standard, allow_auto=True)
    frame = as_frame(data)
    mapping = column_map(frame)
    problems: list[InputProblem] = []
    times = None
    if standard == AUTO or ("time" in mapping and "station" in mapping and check_duplicates):
        times, time_problems = times_from_frame(frame, mapping)
        if standard == AUTO and times is None:
            raise IndicatorInputError(InputProblem(None, "time", None, "standard=auto 需要 time 列以选择标准版本",
                                                   "standard=auto needs a time column to choose the version"))
        problems += time_problems
    new_rows = is_2026(times) if standard == AUTO else np.full(frame.height, standard == HJ633_2026)
    standards = [s for s, m in ((HJ633_2012, ~new_rows), (HJ633_2026, new_rows)) if m.any()] or [HJ633_2026]
    needed = [t for t in _all_terms(kind) if any(t in _terms(kind, s) for s in standards)]
    require_columns(mapping, needed, f"{kind} AQI", "小时AQI" if kind == "hourly" else "日AQI")
    optional = ["so2_24h"] if kind == "hourly" and "so2_24h" in mapping else []
    columns = needed + optional
    parsed = _map_columns(lambda t: parse_concentrations(frame[mapping[t]], "o3" if t.startswith("o3") else
                                                         t.replace("_24h", ""), co_unit=co_unit),
                          columns, frame.height)  # fmt: skip
    concs: dict[str, Concentrations] = {}
    for term, (conc, found) in zip(columns, parsed):
        concs[term] = conc
        problems += found
    if times is not None and "station" in mapping and check_duplicates:
        problems += duplicate_rows(pl.DataFrame([frame[mapping["station"]], times]))
    raise_if(problems)
    return aqi_from_concentrations(frame, concs, kind=kind, is_2026_rows=new_rows, round_inputs=round_inputs)


def aqi_from_concentrations(frame: pl.DataFrame, concs: dict[str, Concentrations], *, kind: str,
                            is_2026_rows: np.ndarray, round_inputs: bool | None = None) -> pl.DataFrame:  # fmt: skip
    """AQI columns appended to ``frame`` from already checked concentrations (used by ``air_daily``).
    ``is_2026_rows`` selects HJ 633-2026 per row, HJ 633-2012 elsewhere."""
    standards = [s for s, m in ((HJ633_2012, ~is_2026_rows), (HJ633_2026, is_2026_rows)) if m.any()] or [HJ633_2026]
    parts = []
    for standard in standards:
        rnd = (standard == HJ633_2026) if round_inputs is None else round_inputs
        if len(standards) == 1:
            parts.append((None, standard, _compute_one(concs, kind, standard, rnd)))
        else:
            index = np.flatnonzero(is_2026_rows if standard == HJ633_2026 else ~is_2026_rows)
            sub = {t: c.take(index) for t, c in concs.items()}
            parts.append((index, standard, _compute_one(sub, kind, standard, rnd)))
    return _assemble(frame, parts, kind)


def aqi_hourly(data, *, standard: str, **options) -> pl.DataFrame:
    """Real-time (hourly) AQI; see ``compute_aqi``."""
    return compute_aqi(data, kind="hourly", standard=standard, **options)


def aqi_daily(data, *, standard: str, **options) -> pl.DataFrame:
    """Daily AQI; see ``compute_aqi``."""
    return compute_aqi(data, kind="daily", standard=standard, **options)

