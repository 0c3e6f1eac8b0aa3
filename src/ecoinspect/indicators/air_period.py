"""Period assessment (month, quarter, year) from daily values: HJ 663 statistics, GB 3095 validity and
attainment, good-day ratio, day counts per AQI level and the composite index (综合指数).

* statistics (HJ 663-2013 Table 1): period means; percentiles of the daily values — SO2, NO2 98th, CO,
  PM10, PM2.5 95th, O3 daily max 8-h 90th — with the HJ 663 Appendix A rank formula (= numpy "linear");
* validity (GB 3095 Table 4): >= 27 daily values in a month (February 25); a year needs >= 324 and, on the
  literal reading of the annual row, every month valid; a quarter (no rule in the standard) needs its three
  months valid — both configurable;
* attainment: each statistic, rounded per GB/T 8170 (µg/m³ integers, CO 1 decimal [M]), <= the class-2
  limit in force at the period's end (GB 3095-2012, 2026 transition, 2031 final);
* good days: AQI <= 100 among the valid days, ratio in %; days per level 1-6;
* composite index: sum of C_i / S_i (S = annual limits, CO 24-h, O3 8-h limit), from unrounded values;
  the divisors after 2026-03-01 and any weights are unverified [M] and can be passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import polars as pl

from .air_input import as_frame, column_map, parse_concentrations, raise_if, require_columns, times_from_frame
from .aqi import _label_enum, aqi_from_concentrations
from .errors import IndicatorInputError, InputProblem
from .rounding import round_half_even
from .standards_air import (
    COMPOSITE_LIMITS,
    COMPOSITE_WEIGHTS_DEFAULT,
    GB3095_2012,
    GB3095_2026_FINAL,
    GB3095_2026_TRANSITION,
    HAS_ANNUAL_MEAN_LIMIT,
    LIMITS,
    MIN_DAYS_FEBRUARY,
    MIN_DAYS_PER_MONTH,
    MIN_DAYS_PER_YEAR,
    PERCENTILES,
    PERIOD_POLLUTANTS,
    REPORT_DECIMALS,
    SWITCH_DATE,
    check_standard,
    limits_in_force,
)

PERIODS = {"month": "1mo", "quarter": "1q", "year": "1y"}
LIMIT_SETS = (GB3095_2012, GB3095_2026_TRANSITION, GB3095_2026_FINAL)


def percentile(values, p: float) -> float:
    """HJ 663 Appendix A: sort ascending, k = 1 + (n-1)p, s = int(k), X(s) + (X(s+1) - X(s)) (k - s).

    >>> percentile([3, 4, 8, 2, 5, 4], 0.90)
    6.5
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    x = x[~np.isnan(x)]
    if not x.size:
        return float("nan")
    k = 1 + (x.size - 1) * p
    s = int(np.floor(k))
    if s >= x.size:
        return float(x[-1])
    return float(x[s - 1] + (x[s] - x[s - 1]) * (k - s))


def composite_index(concentrations: Mapping[str, float], *, limits: Mapping[str, float] | None = None,
                    weights: Mapping[str, float] | None = None) -> tuple[float, dict[str, float]]:  # fmt: skip
    """Composite index Σ w_i C_i / S_i and the single indices C_i / S_i.

    ``concentrations``: period means of so2, no2, pm10, pm2_5, the 95th percentile of co and the 90th of
    o3_8h. Default ``limits``: GB 3095-2012 (35/70/60/40/4/160), weights 1.

    >>> round(composite_index({"pm2_5": 42, "pm10": 64, "no2": 56, "so2": 9, "o3_8h": 145, "co": 1.1})[0], 4)
    4.8455
    """
    limits = dict(limits or COMPOSITE_LIMITS[GB3095_2012])
    weights = {**COMPOSITE_WEIGHTS_DEFAULT, **(weights or {})}
    single = {p: float(concentrations[p]) / float(limits[p]) for p in PERIOD_POLLUTANTS}
    return sum(weights[p] * single[p] for p in PERIOD_POLLUTANTS), single


def _daily_input(data, *, co_unit: str) -> pl.DataFrame:
    """A daily frame with station, date, numeric daily values, ``aqi`` and ``valid_day`` (computed from the
    daily values under the standard of each date unless the frame already has them, as ``air_daily``'s)."""
    frame = as_frame(data)
    mapping = column_map(frame)
    if "date" in mapping and "time" not in mapping:
        frame = frame.rename({mapping["date"]: "time"})
        mapping = column_map(frame)
    times, problems = times_from_frame(frame, mapping)
    if times is None:
        raise IndicatorInputError(InputProblem(None, "date", None, "缺少日期列（date 或 time）",
                                               "a date column (date or time) is required"))  # fmt: skip
    raise_if(problems)
    require_columns(mapping, PERIOD_POLLUTANTS, "daily values", "日均值")
    dates = times.dt.date().alias("date")
    station = frame[mapping["station"]].cast(pl.Utf8) if "station" in mapping else pl.repeat("", frame.height, eager=True)
    terms = [*PERIOD_POLLUTANTS, *(["o3_1h"] if "o3_1h" in mapping else [])]
    concs = {}
    for term in terms:
        concs[term], found = parse_concentrations(frame[mapping[term]], "o3" if term.startswith("o3") else term,
                                                  co_unit=co_unit)  # fmt: skip
        problems += found
    raise_if(problems)
    out = pl.DataFrame([station.alias("station"), dates] + [pl.Series(t, concs[t].values).fill_nan(None) for t in terms])
    dup = out.select("station", "date").is_duplicated()
    if dup.any():
        from .air_input import _problems

        shown = out.select(pl.concat_str([pl.col("station"), pl.col("date").cast(pl.Utf8)], separator=" ")).to_series()
        raise IndicatorInputError(_problems(dup.to_numpy(), "station, date", shown, "重复的站点日期",
                                            "duplicate station-date"))  # fmt: skip
    if "aqi" in mapping and "valid_day" in mapping:
        aqi = frame[mapping["aqi"]].cast(pl.Int32, strict=False)
        valid_day = frame[mapping["valid_day"]].cast(pl.Utf8).str.to_lowercase().is_in(["true", "1"])
        return out.with_columns(aqi.alias("aqi"), valid_day.alias("valid_day"))
    is_new = (dates >= SWITCH_DATE).to_numpy()
    if not is_new.all() and "o3_1h" not in concs:
        raise IndicatorInputError(InputProblem(None, "o3_1h", None, "2026-03-01 之前的日AQI（HJ 633-2012）需要 o3_1h 列",
                                               "the daily AQI before 2026-03-01 (HJ 633-2012) needs an o3_1h column"))
    with_aqi = aqi_from_concentrations(out.select("station", "date"), concs, kind="daily", is_2026_rows=is_new)
    needed = [concs[t].absent & ~concs[t].not_monitored for t in PERIOD_POLLUTANTS]
    if "o3_1h" in concs:
        needed.append(concs["o3_1h"].missing & ~is_new)
    complete = ~np.any(needed, axis=0)
    aqi = with_aqi["aqi"]
    valid_day = (complete & aqi.is_not_null().to_numpy()) | (aqi.fill_null(0) > 100).to_numpy()
    return out.with_columns(aqi.alias("aqi"), pl.Series("valid_day", valid_day))


def _area_daily(daily: pl.DataFrame, groups: pl.Series) -> pl.DataFrame:
    """Area daily values: mean of the valid station values per date (STANDARDS.md §2.7 [M], daily layer);
    the area's daily AQI is then computed from these means."""
    terms = [t for t in (*PERIOD_POLLUTANTS, "o3_1h") if t in daily.columns]
    area = (daily.select(terms + ["date"]).with_columns(groups.cast(pl.Utf8).alias("station"))
            .group_by("station", "date").agg([pl.col(t).mean() for t in terms]).sort("station", "date"))  # fmt: skip
    return _daily_input(area, co_unit="mg")


def _limit_set(period_end: date, limits: str) -> str:
    if limits != "auto":
        if limits not in LIMIT_SETS:
            raise ValueError(f"limits must be 'auto' or one of {', '.join(LIMIT_SETS)}")
        return limits
    return limits_in_force(period_end)


def air_period(daily, *, period: str, standard: str = "auto", limits: str = "auto", zone_class: int = 2,
               composite_limits: Mapping[str, float] | None = None,
               composite_weights: Mapping[str, float] | None = None, year_needs_valid_months: bool = True,
               count_rule_for_co_o3: bool = True, co_unit: str = "mg", area: str | None = None,
               area_column: str | None = None) -> pl.DataFrame:  # fmt: skip
    """Statistics per station (or area) and calendar period; see the module docstring for the rules.

    ``daily``: ``air_daily`` output, or rows of ``station`` (optional), ``date``/``time`` and the daily
    values ``so2 no2 co pm10 pm2_5 o3_8h`` (+ ``o3_1h`` for days before 2026-03-01, whose daily AQI needs it).
    ``standard`` fixes the daily-AQI version when the AQI is computed here ("auto": by date). ``limits``:
    "auto" (in force at the period's end) or a GB 3095 limit set; ``zone_class`` 1 or 2. ``area`` /
    ``area_column`` average the station daily values per date first.
    """
    if period not in PERIODS:
        raise ValueError("period must be month, quarter or year")
    check_standard(standard, allow_auto=True)
    frame = as_frame(daily)
    if area is not None or area_column is not None:
        base = _daily_input(frame, co_unit=co_unit)
        groups = frame[area_column].cast(pl.Utf8) if area_column else pl.repeat(area, base.height, eager=True)
        table = _area_daily(base, groups)
    else:
        table = _daily_input(frame, co_unit=co_unit)
    if standard != "auto":
        table = _recompute_aqi(table, standard)
    return _statistics(table, period=period, limits=limits, zone_class=zone_class, composite_limits=composite_limits,
                       composite_weights=composite_weights, year_needs_valid_months=year_needs_valid_months,
                       count_rule_for_co_o3=count_rule_for_co_o3)  # fmt: skip


def _recompute_aqi(table: pl.DataFrame, standard: str) -> pl.DataFrame:
    from .aqi import compute_aqi

    values = table.drop("aqi", "valid_day")
    out = compute_aqi(values, kind="daily", standard=standard, check_duplicates=False)
    terms = [t for t in ("so2", "no2", "co", "pm10", "pm2_5", "o3_8h") if t in table.columns]
    complete = table.select(pl.all_horizontal([pl.col(t).is_not_null() for t in terms])).to_series()
    valid_day = (complete & out["aqi"].is_not_null()) | (out["aqi"].fill_null(0) > 100)
    return table.with_columns(out["aqi"].alias("aqi"), valid_day.alias("valid_day"))


def _statistics(table: pl.DataFrame, *, period: str, limits: str, zone_class: int, composite_limits,
                composite_weights, year_needs_valid_months: bool, count_rule_for_co_o3: bool) -> pl.DataFrame:  # fmt: skip
    every = PERIODS[period]
    lazy = table.lazy().with_columns(
        pl.col("date").dt.truncate(every).alias("period_start"), pl.col("date").dt.truncate("1mo").alias("month")
    )
    aqi_valid = pl.col("aqi").filter(pl.col("valid_day"))
    aggs = [pl.col("date").min().alias("first_date"), pl.col("date").max().alias("last_date")]
    for p in PERIOD_POLLUTANTS:
        q = PERCENTILES[p]
        aggs += [pl.col(p).count().alias(f"{p}_days"), pl.col(p).mean().alias(f"{p}_mean"),
                 pl.col(p).quantile(q, interpolation="linear").alias(f"{p}_p{round(q * 100)}")]  # fmt: skip
    aggs += [pl.col("valid_day").sum().alias("valid_days"), (aqi_valid <= 100).sum().alias("good_days"),
             (aqi_valid > 100).sum().alias("over_standard_days"), (aqi_valid > 200).sum().alias("heavy_or_worse_days")]
    bounds = (-1, 50, 100, 150, 200, 300, 10**6)  # level i+1: AQI in (bounds[i], bounds[i+1]]
    aggs += [((aqi_valid > lo) & (aqi_valid <= hi)).sum().alias(f"days_level_{i + 1}")
             for i, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:]))]  # fmt: skip
    stats = lazy.group_by("station", "period_start").agg(aggs)
    monthly = (
        lazy.group_by("station", "period_start", "month")
        .agg([pl.col(p).count().alias(p) for p in PERIOD_POLLUTANTS])
        .with_columns(pl.when(pl.col("month").dt.month() == 2).then(MIN_DAYS_FEBRUARY).otherwise(MIN_DAYS_PER_MONTH)
                      .alias("need"))
        .group_by("station", "period_start")
        .agg([(pl.col(p) >= pl.col("need")).sum().alias(f"{p}_months_ok") for p in PERIOD_POLLUTANTS])
    )  # fmt: skip
    out = stats.join(monthly, on=["station", "period_start"], how="left").sort("station", "period_start").collect()
    return _assess(out, period=period, limits=limits, zone_class=zone_class, composite_limits=composite_limits,
                   composite_weights=composite_weights, year_needs_valid_months=year_needs_valid_months,
                   count_rule_for_co_o3=count_rule_for_co_o3)  # fmt: skip


def _period_label(start: pl.Expr, period: str) -> pl.Expr:
    if period == "month":
        return start.dt.strftime("%Y-%m")
    if period == "quarter":
        return pl.concat_str([start.dt.year().cast(pl.Utf8), pl.lit("-Q"), start.dt.quarter().cast(pl.Utf8)])
    return start.dt.year().cast(pl.Utf8)


def _assess(out: pl.DataFrame, *, period: str, limits: str, zone_class: int, composite_limits, composite_weights,
            year_needs_valid_months: bool, count_rule_for_co_o3: bool) -> pl.DataFrame:  # fmt: skip
    every = PERIODS[period]
    out = out.with_columns(_period_label(pl.col("period_start"), period).alias("period"),
                           pl.col("period_start").dt.offset_by(every).dt.offset_by("-1d").alias("period_end"))  # fmt: skip
    ends = out["period_end"].to_list()
    limit_names = [_limit_set(e, limits) for e in ends] if ends else []
    out = out.with_columns(pl.Series("limits", limit_names, dtype=pl.Utf8))
    n_months = {"month": 1, "quarter": 3, "year": 12}[period]
    columns = []
    for p in PERIOD_POLLUTANTS:
        days = out[f"{p}_days"].to_numpy()
        months_ok = out[f"{p}_months_ok"].fill_null(0).to_numpy()
        if period == "year":
            valid = days >= MIN_DAYS_PER_YEAR
            if year_needs_valid_months:
                valid &= months_ok == n_months
        else:
            valid = months_ok == n_months
        if not count_rule_for_co_o3 and p in ("co", "o3_8h"):
            valid = days > 0
        columns.append(pl.Series(f"{p}_valid", valid))
    out = out.with_columns(columns)
    columns = []
    for p in PERIOD_POLLUTANTS:
        q = round(PERCENTILES[p] * 100)
        valid = out[f"{p}_valid"].to_numpy()
        stats = [f"{p}_p{q}"] + ([f"{p}_mean"] if p in HAS_ANNUAL_MEAN_LIMIT else [])
        attains = np.ones(out.height, dtype=bool)
        for stat in stats:
            reported = round_half_even(out[stat].cast(pl.Float64).fill_null(np.nan).to_numpy(), REPORT_DECIMALS[p])
            columns.append(pl.Series(f"{stat}_reported", reported).fill_nan(None))
            key = f"{p}_annual" if stat.endswith("_mean") else ("o3_8h" if p == "o3_8h" else f"{p}_24h")
            limit = np.array([LIMITS[name][zone_class][key] for name in limit_names], dtype=np.float64)
            with np.errstate(invalid="ignore"):
                attains &= reported <= limit
        columns.append(pl.select(pl.when(pl.lit(pl.Series(valid))).then(pl.lit(pl.Series(attains)))).to_series()
                       .alias(f"{p}_attains"))  # fmt: skip
    out = out.with_columns(columns)
    out = out.with_columns(pl.all_horizontal([pl.col(f"{p}_attains") for p in PERIOD_POLLUTANTS]).alias("attains_all"))
    ratio = (pl.col("good_days") / pl.col("valid_days") * 100).alias("good_day_ratio")
    out = out.with_columns(pl.when(pl.col("valid_days") > 0).then(ratio).otherwise(None).alias("good_day_ratio"))
    return _composite(out, limit_names, composite_limits, composite_weights)


def _composite(out: pl.DataFrame, limit_names: list[str], composite_limits, composite_weights) -> pl.DataFrame:
    stat = {p: (f"{p}_p{round(PERCENTILES[p] * 100)}" if p in ("co", "o3_8h") else f"{p}_mean") for p in PERIOD_POLLUTANTS}
    weights = {**COMPOSITE_WEIGHTS_DEFAULT, **(composite_weights or {})}
    indices = {}
    for p in PERIOD_POLLUTANTS:
        if composite_limits is not None:
            divisor = np.full(out.height, float(composite_limits[p]))
        else:
            divisor = np.array([COMPOSITE_LIMITS[name][p] for name in limit_names], dtype=np.float64)
        value = out[stat[p]].cast(pl.Float64).fill_null(np.nan).to_numpy()
        value = np.where(out[f"{p}_valid"].to_numpy(), value, np.nan)
        indices[p] = value / divisor
    matrix = np.stack([indices[p] for p in PERIOD_POLLUTANTS]) if out.height else np.zeros((6, 0))
    total = sum(weights[p] * indices[p] for p in PERIOD_POLLUTANTS) if out.height else np.zeros(0)
    best = np.max(np.where(np.isnan(matrix), -np.inf, matrix), axis=0) if out.height else np.zeros(0)
    # period primary pollutant [M]: the largest single index, ties all listed (bit mask -> label)
    code = ((matrix == best) * (1 << np.arange(len(PERIOD_POLLUTANTS)))[:, None]).sum(axis=0)
    code = np.where(np.isfinite(total), code, 1 << len(PERIOD_POLLUTANTS)).astype(np.uint32)
    primary = _label_enum(PERIOD_POLLUTANTS).gather(pl.Series(code)).cast(pl.Utf8)
    columns = [pl.Series(f"index_{p}", indices[p]).fill_nan(None) for p in PERIOD_POLLUTANTS]
    columns += [pl.Series("composite_index", total).fill_nan(None), primary.alias("primary_pollutant"),
                pl.Series("composite_limits", ["custom" if composite_limits else n for n in limit_names], dtype=pl.Utf8)]
    out = out.with_columns(columns)
    front = ["station", "period", "period_start", "period_end", "first_date", "last_date", "limits"]
    drop = [c for c in out.columns if c.endswith("_months_ok")]
    return out.select(front + [c for c in out.columns if c not in front and c not in drop])

