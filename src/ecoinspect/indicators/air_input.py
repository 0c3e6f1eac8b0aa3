"""Turning user tables into checked arrays: column names, numbers and markers, times, units, duplicates.

Every problem becomes an ``InputProblem`` naming the 1-based data row and the column, in Chinese and
English; nothing is guessed silently. Missing values (``NA``, empty) and "not monitored" (``/``, HJ 633-2026
Tables 4/5) are kept apart because the 2026 publication rule treats them differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from . import rounding
from .errors import IndicatorInputError, InputProblem
from .standards_air import CO_MEDIAN_UG_SUSPECT, LOCAL_TZ, PLAUSIBLE_MAX

MAX_PROBLEMS_PER_KIND = 50
MISSING_MARKERS = ("", "na", "n/a", "nan", "null", "none", "-", "--", "—")
NOT_MONITORED_MARKER = "/"
_SOFT_ALIASES = {"timepoint": "time", "datetime": "time", "date": "time", "stationcode": "station", "station_code": "station"}
_ALIASES = {"pm25": "pm2_5", "pm2_5": "pm2_5", "o3_8": "o3_8h", "o38h": "o3_8h", "o31h": "o3_1h"}


def canonical_name(column: str) -> str:
    """Case-insensitive column key: ``PM2.5`` -> ``pm2_5``, ``O3-8h`` -> ``o3_8h``."""
    key = re.sub(r"[\s.\-]+", "_", column.strip().lower())
    return _ALIASES.get(key.replace("_", ""), _ALIASES.get(key, key))


def as_frame(data) -> pl.DataFrame:
    """A polars frame from a polars frame, a mapping of arrays/lists, or a pandas frame."""
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pl.LazyFrame):
        return data.collect()
    if isinstance(data, Mapping):
        return pl.DataFrame([_as_series(k, v) for k, v in data.items()])
    if type(data).__module__.startswith("pandas"):
        return pl.from_pandas(data)
    raise TypeError("data must be a polars DataFrame, a mapping of column -> array, or a pandas DataFrame")


def _as_series(name: str, values) -> pl.Series:
    if isinstance(values, pl.Series):
        return values.alias(name)
    if isinstance(values, np.ndarray) and values.dtype != object:
        return pl.Series(name, values)
    return pl.Series(name, list(values), strict=False)


def column_map(frame: pl.DataFrame) -> dict[str, str]:
    """canonical name -> actual column name; two columns with the same canonical name are an error."""
    mapping: dict[str, str] = {}
    problems = []
    for column in frame.columns:
        key = canonical_name(column)
        if key in mapping:
            problems.append(
                InputProblem(None, column, None, f"与列 {mapping[key]} 重复（列名不区分大小写）",
                             f"duplicates column {mapping[key]} (names are case-insensitive)")
            )  # fmt: skip
        mapping.setdefault(key, column)
    if problems:
        raise IndicatorInputError(problems)
    for alias, key in _SOFT_ALIASES.items():  # e.g. the CNEMC archive's "timepoint" and "stationcode"
        if alias in mapping and key not in mapping:
            mapping[key] = mapping[alias]
    return mapping


def require_columns(mapping: Mapping[str, str], needed: Iterable[str], context_en: str, context_zh: str) -> None:
    missing = [c for c in needed if c not in mapping]
    if missing:
        raise IndicatorInputError(
            [InputProblem(None, c, None, f"缺少必需的列（{context_zh}）", f"required column is missing ({context_en})")
             for c in missing]
        )  # fmt: skip


@dataclass
class Concentrations:
    """One pollutant column, checked. ``values`` is NaN where missing or not monitored."""

    values: np.ndarray  # float64
    missing: np.ndarray  # bool: NA / empty / null
    not_monitored: np.ndarray  # bool: "/"
    scaled: np.ndarray | None = None  # exact int64 count of 1e-9, when parsed from text
    sticky: np.ndarray | None = None  # digits beyond the 9th decimal were non-zero

    def take(self, index: np.ndarray) -> Concentrations:
        pick = (lambda a: None if a is None else a[index])  # noqa: E731
        return Concentrations(self.values[index], self.missing[index], self.not_monitored[index],
                              pick(self.scaled), pick(self.sticky))  # fmt: skip

    @property
    def absent(self) -> np.ndarray:
        return self.missing | self.not_monitored


def _problems(mask: np.ndarray, column: str, shown: pl.Series | np.ndarray, zh: str, en: str) -> list[InputProblem]:
    rows = np.flatnonzero(mask)[:MAX_PROBLEMS_PER_KIND]
    values = shown[rows] if isinstance(shown, np.ndarray) else shown.gather(rows).to_list()
    out = [InputProblem(int(r) + 1, column, str(v), zh, en) for r, v in zip(rows.tolist(), values)]
    more = int(mask.sum()) - len(rows)
    if more > 0:
        out.append(InputProblem(None, column, None, f"同类问题另有 {more} 行", f"{more} more rows with this problem"))
    return out


def parse_concentrations(series: pl.Series, pollutant: str, *, co_unit: str = "mg") -> tuple[Concentrations, list]:
    """Check one pollutant column. Returns the parsed values and the list of problems found."""
    column = series.name
    problems: list[InputProblem] = []
    n = len(series)
    scaled = sticky = None
    if series.dtype == pl.Utf8 or series.dtype == pl.Categorical:
        text = series.cast(pl.Utf8).str.normalize("NFKC").str.strip_chars()  # full-width "３５" reads as "35"
        lowered = text.str.to_lowercase()
        missing = (lowered.is_null() | lowered.is_in(list(MISSING_MARKERS))).fill_null(True).to_numpy()
        not_monitored = (text == NOT_MONITORED_MARKER).fill_null(False).to_numpy()
        scaled, parsed, sticky = rounding.parse_text(text)
        bad = ~(parsed | missing | not_monitored)
        if bad.any():
            problems += _problems(bad, column, text, "不是数值（缺测请填 NA，未监测请填 /）",
                                  "not a number (write NA for missing, / for not monitored)")  # fmt: skip
        ok = parsed & ~missing & ~not_monitored
        values = np.where(ok, scaled / rounding.SCALE, np.nan)
        shown: pl.Series | np.ndarray = text
    else:
        if not (series.dtype.is_numeric() or series.dtype == pl.Null):
            raise IndicatorInputError(InputProblem(None, column, None, f"列类型 {series.dtype} 不是数值",
                                                   f"column type {series.dtype} is not numeric"))  # fmt: skip
        floats = series if series.dtype == pl.Float64 else series.cast(pl.Float64)
        values = floats.fill_null(np.nan).to_numpy()  # nulls -> NaN (fill first: much faster than to_numpy's)
        total = np.add.reduce(values) if n else 0.0  # a finite sum proves there is no NaN: no mask to build
        missing = np.isnan(values) if not np.isfinite(total) else np.zeros(n, dtype=bool)
        not_monitored = np.zeros(n, dtype=bool)
        shown = values
    if co_unit not in ("mg", "ug"):
        raise ValueError("co_unit must be 'mg' or 'ug'")
    if pollutant == "co" and co_unit == "ug":
        values = values / 1000.0
        if scaled is not None:
            scaled, rest = np.divmod(scaled, 1000)
            sticky = sticky | (rest != 0)
    limit = PLAUSIBLE_MAX.get(pollutant, PLAUSIBLE_MAX["so2"])
    low = np.fmin.reduce(values) if n else np.nan  # NaN-ignoring min/max: two passes, no temporaries
    high = np.fmax.reduce(values) if n else np.nan
    if not (np.isnan(low) or (low >= 0 and high < limit)):  # something is wrong: find what
        with np.errstate(invalid="ignore"):
            infinite = np.isinf(values) & (values > 0)
            negative = values < 0
            absurd = (values >= limit) & ~infinite
        if infinite.any():
            problems += _problems(infinite, column, shown, "无穷大不是有效浓度", "infinity is not a concentration")
        if negative.any():
            problems += _problems(negative, column, shown, "浓度不能为负值", "a concentration cannot be negative")
        if absurd.any():
            unit = "mg/m³" if pollutant == "co" else "µg/m³"
            hint_zh = "；一氧化碳应以 mg/m³（而非 µg/m³）填报" if pollutant == "co" else ""
            hint_en = "; CO must be given in mg/m³, not µg/m³" if pollutant == "co" else ""
            problems += _problems(absurd, column, shown, f"数值不合理（≥ {limit:g} {unit}）{hint_zh}",
                                  f"implausible value (>= {limit:g} {unit}){hint_en}")  # fmt: skip
    if pollutant == "co" and co_unit == "mg" and high > CO_MEDIAN_UG_SUSPECT:
        problems += _co_unit_problems(values, column)
    if problems:  # the caller raises; keep the bad cells out of any further arithmetic
        with np.errstate(invalid="ignore"):
            values = np.where((values >= 0) & (values < limit), values, np.nan)
    return Concentrations(values, missing, not_monitored, scaled, sticky), problems


def _co_unit_problems(values: np.ndarray, column: str) -> list[InputProblem]:
    """CO in µg/m³ instead of mg/m³ shows as a median far above any real ambient level."""
    with np.errstate(invalid="ignore"):
        high = np.count_nonzero(values > CO_MEDIAN_UG_SUSPECT)
    if high * 2 <= np.count_nonzero(np.isfinite(values)):
        return []
    median = float(np.nanmedian(values))
    return [InputProblem(
        None, column, f"median {median:g}",
        f"一氧化碳中位数 {median:g} 远高于常见的 mg/m³ 水平，数据疑似以 µg/m³ 填报；请除以 1000，或指定 CO 单位为 µg/m³（--co-unit ug）",
        f"the median CO of {median:g} is far above usual mg/m³ levels, so the column looks like µg/m³; "
        "divide by 1000 or declare the unit (--co-unit ug / co_unit='ug')",
    )]  # fmt: skip


# --- times ------------------------------------------------------------------------------------------
_TIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H%M",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%dT%H:%M", "%Y%m%d%H%M",
)  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
_TZ_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M%z")


def _local_naive(series: pl.Series) -> pl.Series:
    """Datetime series -> naive local time (Asia/Shanghai); aware values are converted first."""
    if series.dtype == pl.Date:
        return series.cast(pl.Datetime("us"))
    if getattr(series.dtype, "time_zone", None):
        return series.dt.convert_time_zone(LOCAL_TZ).dt.replace_time_zone(None).cast(pl.Datetime("us"))
    return series.cast(pl.Datetime("us"))


def parse_times(series: pl.Series) -> tuple[pl.Series, list[InputProblem]]:
    """Times as naive local datetimes. Accepts datetimes, dates and common text forms, including the
    CNEMC ``2026-03-10T1200`` and hour-ending ``24:00`` labels (= 00:00 of the next day)."""
    column = series.name
    if series.dtype in (pl.Date,) or isinstance(series.dtype, pl.Datetime):
        out = _local_naive(series)
        bad = out.is_null().to_numpy()
        return out, (_problems(bad, column, series.cast(pl.Utf8), "时间为空", "time is empty") if bad.any() else [])
    text = series.cast(pl.Utf8).str.strip_chars()
    hour24 = text.str.contains(r"[ T]24(:?00){0,2}$").fill_null(False)
    base = pl.Series(column, text).str.replace(r"([ T])24((:?00){0,2})$", "${1}00${2}")
    base = base.str.replace(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]\d{1,2})$", "${1}:00")  # "2026-03-10 12"
    base = base.str.replace(r"^(\d{10})$", "${1}00")  # "2026031012" -> "202603101200"
    base = base.str.replace(r"Z$", "+00:00")
    candidates = [base.str.to_datetime(f, strict=False, time_unit="us") for f in _TIME_FORMATS]
    candidates += [base.str.to_date(f, strict=False).cast(pl.Datetime("us")) for f in _DATE_FORMATS]
    for f in _TZ_FORMATS:
        parsed = base.str.to_datetime(f, strict=False, time_unit="us", time_zone="UTC")
        candidates.append(_local_naive(parsed))
    out = pl.select(pl.coalesce(candidates)).to_series().alias(column)
    out = pl.select(pl.when(pl.lit(hour24)).then(out + pl.duration(days=1)).otherwise(out)).to_series()
    bad = out.is_null().to_numpy()
    problems = []
    if bad.any():
        problems = _problems(bad, column, text.fill_null(""), "无法识别的时间（示例：2026-03-10 12:00）",
                             "unrecognised time (example: 2026-03-10 12:00)")  # fmt: skip
    return out.alias(column), problems


def times_from_frame(frame: pl.DataFrame, mapping: Mapping[str, str]) -> tuple[pl.Series | None, list]:
    """The ``time`` column, or one built from ``year, month, day[, hour]`` columns (UCI Beijing layout)."""
    if "time" in mapping:
        return parse_times(frame[mapping["time"]])
    if all(k in mapping for k in ("year", "month", "day")):
        parts = {k: frame[mapping[k]].cast(pl.Int32, strict=False) for k in ("year", "month", "day", "hour")
                 if k in mapping}  # fmt: skip
        hour = parts.get("hour", pl.Series([0] * frame.height, dtype=pl.Int32))
        out = pl.select(pl.datetime(parts["year"], parts["month"], parts["day"], hour, time_unit="us")).to_series()
        bad = out.is_null().to_numpy()
        problems = _problems(bad, mapping["year"], out.cast(pl.Utf8), "年月日时无效", "invalid year/month/day/hour") \
            if bad.any() else []  # fmt: skip
        return out.alias("time"), problems
    return None, []


def is_2026(times: pl.Series) -> np.ndarray:
    """True where the naive local time is at or after 2026-03-01 00:00 (HJ 633-2026 in force)."""
    return (times >= datetime(2026, 3, 1)).fill_null(False).to_numpy()


def duplicate_rows(keys: pl.DataFrame) -> list[InputProblem]:
    """Problems for every row whose key (e.g. station + time) appears more than once."""
    dup = keys.is_duplicated().to_numpy()
    if not dup.any():
        return []
    shown = keys.select(pl.concat_str([pl.col(c).cast(pl.Utf8) for c in keys.columns], separator=" ")).to_series()
    return _problems(dup, ", ".join(keys.columns), shown, "重复的站点时次（同一站点同一时间出现多行）",
                     "duplicate station-time (the same station and time appear in more than one row)")  # fmt: skip


def raise_if(problems: list[InputProblem]) -> None:
    if problems:
        raise IndicatorInputError(problems)
