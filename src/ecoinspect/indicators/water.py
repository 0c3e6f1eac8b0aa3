"""Surface-water quality class (GB 3838-2002) and the 2011 assessment method (环办〔2011〕22号).

Arrays in, arrays out (``item_class``, ``exceedance_multiple``); frames in, frames out (``classify``,
``classify_samples``, ``aggregate``, ``assess_rivers`` in water_rivers). Rules: STANDARDS.md §3.

>>> import numpy as np
>>> item_class("nh3_n", np.array([0.15, 0.16, 1.0, 2.0, 2.01])).tolist()
[1, 2, 3, 5, 6]
>>> item_class("do", np.array([7.5, 6.0, 4.5, 1.9])).tolist()
[1, 2, 4, 6]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from .water_input import Samples, WaterConfig, parse_samples
from .water_tables import (
    ASSESSED_KEYS,
    CLASS_III,
    CLASS_LABELS,
    GE,
    ITEM_BY_KEY,
    LE,
    NONE,
    RANGE,
    RATINGS_EN,
    RATINGS_ZH,
)

__all__ = [
    "WaterConfig", "aggregate", "class_label", "classify", "classify_samples", "exceedance_multiple",
    "clean_mean", "format_multiple", "item_class", "parse_samples", "period_key", "with_period",
]

PERIODS = ("sample", "month", "quarter", "year", "ytd", "all")


def _lake_mask(water_type: Any, n: int) -> np.ndarray:
    if water_type is None or isinstance(water_type, str):
        return np.full(n, water_type == "lake")
    return np.asarray(water_type) == "lake"


def do_saturation(temperature: np.ndarray) -> np.ndarray:
    """Saturated DO of fresh water, 468 / (31.6 + T) mg/L [M: the customary Chinese formula]."""
    return 468.0 / (31.6 + np.asarray(temperature, dtype=np.float64))


def item_class(item: str, values: Any, water_type: Any = "river", *, temperature: Any = None,
               config: WaterConfig | None = None) -> np.ndarray:
    """Single-factor class code per value: 1..5 = Ⅰ..Ⅴ, 6 = 劣Ⅴ, 0 = no value or never classified.

    Limits are inclusive; equal class I/II limits give class I; DO is "higher is better"; pH outside
    6–9 is 劣Ⅴ. ``water_type`` ("river"/"lake" or an array of them) picks the TP column.
    """
    spec = ITEM_BY_KEY[item]
    c = np.asarray(values, dtype=np.float64)
    result = np.zeros(c.shape, dtype=np.int8)
    present = np.isfinite(c)
    if spec.direction == NONE:
        return result
    if spec.direction == RANGE:
        low, high = spec.limits
        return np.where(present, np.where((c >= low) & (c <= high), 1, 6), 0).astype(np.int8)
    if spec.direction == LE:
        river = np.searchsorted(np.asarray(spec.limits), c, side="left") + 1
        if spec.lake_limits is not None:
            lake = np.searchsorted(np.asarray(spec.lake_limits), c, side="left") + 1
            river = np.where(_lake_mask(water_type, c.size).reshape(c.shape), lake, river)
        return np.where(present, river, 0).astype(np.int8)
    assert spec.direction == GE
    ascending = np.asarray(spec.limits[::-1])  # 2, 3, 5, 6, 7.5
    classes = len(ascending) + 1 - np.searchsorted(ascending, c, side="right")
    if item == "do" and config is not None and config.do_saturation_class_i and temperature is not None:
        with np.errstate(invalid="ignore"):
            saturated = c >= 0.9 * do_saturation(temperature)
        classes = np.where(saturated & np.isfinite(np.asarray(temperature, dtype=np.float64)), 1, classes)
    return np.where(present, classes, 0).astype(np.int8)


def exceedance_multiple(item: str, values: Any, water_type: Any = "river", *,
                        config: WaterConfig | None = None) -> np.ndarray:
    """(C − S_III) / S_III where C exceeds class III, else NaN. Temperature, pH and DO get none
    (2011 method), unless ``config.do_multiple`` asks for the local DO form S_III / C − 1."""
    spec = ITEM_BY_KEY[item]
    c = np.asarray(values, dtype=np.float64)
    if item == "do" and config is not None and config.do_multiple:
        s3 = spec.limits[CLASS_III - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(c < s3, (s3 - c) / c, np.nan)
    if not spec.multiple:
        return np.full(c.shape, np.nan)
    s3 = np.full(c.shape, spec.limits[CLASS_III - 1])
    if spec.lake_limits is not None:
        s3 = np.where(_lake_mask(water_type, c.size).reshape(c.shape), spec.lake_limits[CLASS_III - 1], s3)
    with np.errstate(invalid="ignore"):
        return np.where(c > s3, (c - s3) / s3, np.nan)


def round_decimal(values: Any, decimals: int, rounding: str = "half_even") -> np.ndarray:
    """Round as on paper: binary noise removed first, then GB/T 8170 half-even or half-up."""
    x = np.asarray(values, dtype=np.float64)
    scaled = np.round(x * 10.0**decimals, 9)
    rounded = np.round(scaled) if rounding == "half_even" else np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return rounded / 10.0**decimals


def format_multiple(values: Any, config: WaterConfig | None = None) -> pl.Series:
    """Multiples as written in bulletins: rounded, trailing zeros dropped (0.20 → "0.2"); NaN → ""."""
    config = config or WaterConfig()
    rounded = round_decimal(values, config.multiple_decimals, config.rounding)
    return pl.Series(rounded).fill_nan(None).cast(pl.Utf8).str.replace(r"\.0$", "").fill_null("")


def _labels(codes: Any, table: tuple[str, ...], name: str = "") -> pl.Series:
    """Integer codes → text through polars (numpy unicode arrays are slow to convert); 0 → null."""
    series = pl.Series(name, np.asarray(codes, dtype=np.int64))
    return series.replace_strict(list(range(1, len(table))), list(table[1:]), default=None, return_dtype=pl.Utf8)


def class_label(codes: Any) -> pl.Series:
    """Class codes → "Ⅰ类" … "劣Ⅴ类" (null for 0)."""
    return _labels(codes, CLASS_LABELS)


def _zh(key: str) -> str:
    return ITEM_BY_KEY[key].zh


def _join_names(mask: np.ndarray, names: list[str], separator: str) -> pl.Series:
    """Row-wise join of the names whose mask column is True (mask shape n × items)."""
    if mask.shape[1] == 0:
        return pl.Series([""] * mask.shape[0], dtype=pl.Utf8)
    masks = pl.DataFrame({f"m{j}": mask[:, j] for j in range(mask.shape[1])})
    parts = [pl.when(pl.col(f"m{j}")).then(pl.lit(name)) for j, name in enumerate(names)]
    return masks.select(pl.concat_str(parts, separator=separator, ignore_nulls=True)).to_series()


def main_pollutants(classes: np.ndarray, multiples: np.ndarray, keys: list[str],
                    config: WaterConfig | None = None) -> pl.Series:
    """主要污染指标 of each row (rows worse than class III only) [M: 2011 method as summarised]:
    items worse than class III, priority items (cyanide, heavy metals) first and always listed, then by
    class (worst first), then by exceedance multiple (largest first, items without one last), then by
    Table 1 order; the first ``main_pollutant_count`` plus any further priority items; "氨氮(0.2)"."""
    config = config or WaterConfig()
    n, m = classes.shape
    if m == 0:
        return pl.Series([""] * n, dtype=pl.Utf8)
    eligible = classes > CLASS_III
    priority = np.array([k in config.priority_items for k in keys])[None, :] & eligible
    mult_key = np.where(np.isfinite(multiples) & eligible, multiples, -1.0)
    first = np.argsort(-mult_key, axis=1, kind="stable")
    primary = np.where(eligible, classes.astype(np.int64) + 10 * priority, -1)
    second = np.argsort(-np.take_along_axis(primary, first, axis=1), axis=1, kind="stable")
    order = np.take_along_axis(first, second, axis=1)
    take = np.maximum(priority.sum(axis=1), config.main_pollutant_count)
    ranked_eligible = np.take_along_axis(eligible, order, axis=1) & (np.arange(m)[None, :] < take[:, None])
    names = [_zh(k) for k in keys]
    positions = min(int(take.max(initial=0)), m)
    columns: dict[str, Any] = {}
    for p in range(positions):  # loop over rank positions (≤ 21 items), vectorised over rows
        idx = order[:, p]
        columns[f"n{p}"] = pl.Series(idx).replace_strict(list(range(m)), names, return_dtype=pl.Utf8)
        columns[f"t{p}"] = format_multiple(np.take_along_axis(multiples, idx[:, None], axis=1)[:, 0], config)
        columns[f"e{p}"] = ranked_eligible[:, p]
    if not columns:
        return pl.Series([""] * n, dtype=pl.Utf8)
    parts = [pl.when(pl.col(f"e{p}")).then(
        pl.when(pl.col(f"t{p}") == "").then(pl.col(f"n{p}")).otherwise(pl.format("{}({})", f"n{p}", f"t{p}")))
        for p in range(positions)]
    return pl.DataFrame(columns).select(pl.concat_str(parts, separator=config.separator, ignore_nulls=True)).to_series()


def _item_matrices(frame: pl.DataFrame, water_type: Any, config: WaterConfig):
    """Per-sample class codes and exceedance multiples, shape samples × assessed items present."""
    if "type" in frame.columns:  # a per-row type column wins over the argument
        water_type = frame["type"].to_numpy()
    keys = [k for k in ASSESSED_KEYS if k in frame.columns]
    n = frame.height
    temperature = frame["temperature"].cast(pl.Float64).fill_null(np.nan).to_numpy() \
        if "temperature" in frame.columns else None
    classes = np.zeros((n, len(keys)), dtype=np.int8)
    multiples = np.full((n, len(keys)), np.nan)
    for j, key in enumerate(keys):  # loop over items, vectorised over samples
        c = frame[key].cast(pl.Float64).fill_null(np.nan).to_numpy()
        classes[:, j] = item_class(key, c, water_type, temperature=temperature, config=config)
        multiples[:, j] = exceedance_multiple(key, c, water_type, config=config)
    return keys, classes, multiples


def _classified_frame(keys: list[str], classes: np.ndarray, multiples: np.ndarray, config: WaterConfig,
                      per_item: bool) -> pl.DataFrame:
    n = classes.shape[0]
    worst = classes.max(axis=1) if keys else np.zeros(n, dtype=np.int8)
    columns: list[pl.Series] = []
    if per_item:
        for j, key in enumerate(keys):
            columns.append(class_label(classes[:, j]).alias(f"{key}_class"))
            columns.append(pl.Series(f"{key}_multiple", round_decimal(multiples[:, j], 4)).fill_nan(None))
    deciding = (classes == worst[:, None]) & (worst[:, None] > 1)
    columns += [
        pl.Series("class_code", worst, dtype=pl.Int8).replace(0, None),
        class_label(worst).alias("class"),
        _labels(worst, RATINGS_ZH, "rating"),
        _labels(worst, RATINGS_EN, "rating_en"),
        _join_names(deciding, [_zh(k) for k in keys], config.separator).alias("deciding_items"),
        main_pollutants(classes, multiples, keys, config).alias("main_pollutants"),
    ]
    return pl.DataFrame(columns)


def classify(values: Any, water_type: Any = "river", *, config: WaterConfig | None = None,
             per_item: bool = True) -> pl.DataFrame:
    """Classify numeric samples: a frame (or mapping) with item columns in mg/L (NaN/null = missing).

    A ``type`` column ("river"/"lake") overrides ``water_type`` row by row. Returns one row per input
    row: ``<item>_class`` and ``<item>_multiple`` per assessed item (when ``per_item``), ``class_code``
    (1..6, null when no item), ``class`` ("Ⅳ类"), ``rating`` (轻度污染), ``rating_en``, ``deciding_items``
    (items at the sample's class, for class Ⅱ and worse), ``main_pollutants`` ("总磷(0.25)、氨氮(0.2)、溶解氧";
    only rows worse than class III).
    """
    config = config or WaterConfig()
    frame = values if isinstance(values, pl.DataFrame) else pl.DataFrame(dict(values), strict=False)
    keys, classes, multiples = _item_matrices(frame, water_type, config)
    return _classified_frame(keys, classes, multiples, config, per_item)


def _target_columns(frame: pl.DataFrame, keys: list[str], classes: np.ndarray,
                    config: WaterConfig) -> list[pl.Series]:
    if "target_code" not in frame.columns:
        return []
    target = frame["target_code"].cast(pl.Int64).fill_null(0).to_numpy()
    worst = classes.max(axis=1) if keys else np.zeros(frame.height, dtype=np.int8)
    has = (target > 0) & (worst > 0)
    over = has[:, None] & (classes > target[:, None])
    return [
        class_label(target).alias("target_class"),
        pl.Series("meets_target", worst <= target).scatter(np.flatnonzero(~has), None),
        _join_names(over, [_zh(k) for k in keys], config.separator).alias("items_over_target"),
    ]


def _nd_column(frame: pl.DataFrame, items: tuple[str, ...], config: WaterConfig) -> pl.Series:
    mask = np.stack([frame[f"{k}_nd"].fill_null(False).to_numpy() for k in items], axis=1) if items else \
        np.zeros((frame.height, 0), dtype=bool)
    return _join_names(mask, list(items), ",").alias("nd_items")


def _result(samples: Samples, frame: pl.DataFrame, config: WaterConfig) -> pl.DataFrame:
    keys, classes, multiples = _item_matrices(frame, None, config)
    classified = _classified_frame(keys, classes, multiples, config, per_item=True)
    meta = [c for c in ("row", "district", "river", "parent_river", "section", "period", "time", "n_samples",
                        "type") if c in frame.columns]
    values = [pl.col(k) for k in samples.items]
    out = pl.concat([frame.select(meta + values), classified], how="horizontal")
    out = out.with_columns(_target_columns(frame, keys, classes, config))
    out = out.with_columns(_nd_column(frame, samples.items, config))
    if "time" in out.columns and "period" in out.columns:
        out = out.drop("time")
    return out.with_columns(frame.select(samples.passthrough)) if samples.passthrough and "row" in meta else out


def classify_samples(data: Any, *, water_type: str | None = None,
                     config: WaterConfig | None = None) -> pl.DataFrame:
    """Parse a sample table (text or numbers) and classify every sample (one output row per input row).

    >>> out = classify_samples({"section": ["A"], "do": ["4.5"], "nh3_n": ["1.2"], "tp": ["0.25"]},
    ...                        water_type="river")
    >>> out.select("class", "rating", "main_pollutants").row(0)
    ('Ⅳ类', '轻度污染', '总磷(0.25)、氨氮(0.2)、溶解氧')
    """
    config = config or WaterConfig()
    samples = data if isinstance(data, Samples) else parse_samples(data, water_type=water_type, config=config)
    return _result(samples, samples.frame, config)


def period_key(time: pl.Expr, period: str) -> pl.Expr:
    """Period label of a time: month "2024-03", quarter "2024Q1", year "2024", all "all".

    Every label except "all" starts with the four-digit year, so the same period of the previous year is
    found by replacing it (year-on-year change)."""
    if period == "month":
        return time.dt.strftime("%Y-%m")
    if period == "quarter":
        return pl.format("{}Q{}", time.dt.year(), time.dt.quarter())
    if period == "year":
        return time.dt.year().cast(pl.Utf8)
    if period == "all":
        return pl.lit("all")
    raise ValueError(f"period must be one of {PERIODS}")


def with_period(frame: pl.DataFrame, period: str) -> pl.DataFrame:
    """Add the ``period`` label. "ytd" (year to date, 累计) repeats each sample in every cumulative
    period "2024-01~MM" from its own month to the last month of that year present in the data."""
    if period != "ytd":
        time = pl.col("time") if "time" in frame.columns else pl.lit(None, pl.Datetime("us"))
        return frame.with_columns(period_key(time, period).alias("period"))
    frame = frame.with_columns(pl.col("time").dt.year().alias("_y"), pl.col("time").dt.month().alias("_m"))
    frame = frame.with_columns(pl.col("_m").max().over("_y").alias("_last"))
    months = pl.DataFrame({"_to": np.arange(1, 13, dtype=np.int8)})
    expanded = frame.join(months, how="cross").filter((pl.col("_to") >= pl.col("_m")) &
                                                      (pl.col("_to") <= pl.col("_last")))
    label = pl.format("{}-01~{}", pl.col("_y"), pl.col("_to").cast(pl.Utf8).str.zfill(2))
    return expanded.with_columns(label.alias("period")).drop("_y", "_m", "_last", "_to")


MEAN_DECIMALS = 9


def clean_mean(column: str) -> pl.Expr:
    """Arithmetic mean with binary floating-point noise removed (rounded to 9 decimals), so that the mean
    of 0.9 and 1.1 is exactly 1.0 and meets an inclusive limit of 1.0. No other rounding is applied."""
    return pl.col(column).mean().round(MEAN_DECIMALS)


def group_columns(frame: pl.DataFrame) -> list[str]:
    return [c for c in ("district", "river", "parent_river", "section") if c in frame.columns]


def mean_by_period(samples: Samples, period: str, extra_keys: tuple[str, ...] = ()) -> pl.DataFrame:
    """Arithmetic mean of every item per section and period (non-detects enter as configured)."""
    frame = samples.frame
    if period != "all" and "time" not in frame.columns:
        raise ValueError("aggregating by period needs a time column")
    frame = with_period(frame, period)
    keys = [*group_columns(frame), *extra_keys, "period"]
    aggs = [clean_mean(k) for k in samples.items]
    aggs += [(pl.col(f"{k}_nd").filter(pl.col(k).is_not_null()).all() & pl.col(k).is_not_null().any())
                .alias(f"{k}_nd") for k in samples.items]
    aggs += [pl.len().alias("n_samples"), pl.col("type").first(), pl.col("type").n_unique().alias("_types")]
    if "target_code" in frame.columns:
        aggs += [pl.col("target_code").drop_nulls().first(),
                 pl.col("target_code").drop_nulls().n_unique().alias("_targets")]
    out = frame.group_by(keys, maintain_order=True).agg(aggs).sort(keys)
    _check_constant(out, "_types", "type", "同一断面同一时段的水体类型不一致", "water type differs within a section")
    if "_targets" in out.columns:
        _check_constant(out, "_targets", "target_class", "同一断面同一时段的水质目标不一致",
                        "target class differs within a section and period")
    return out.drop([c for c in ("_types", "_targets") if c in out.columns])


def _check_constant(out: pl.DataFrame, flag: str, column: str, zh: str, en: str) -> None:
    from .errors import IndicatorInputError, InputProblem

    bad = out.filter(pl.col(flag) > 1)
    if bad.height:
        raise IndicatorInputError([InputProblem(None, column, f"{s} {p}", zh, en)
                                   for s, p in zip(bad["section"].to_list()[:50], bad["period"].to_list()[:50])])


def aggregate(data: Any, period: str = "month", *, water_type: str | None = None,
              config: WaterConfig | None = None) -> pl.DataFrame:
    """Section results per period: mean of all valid samples, then single-factor class (2011 method [M]).

    ``period``: "month", "quarter", "year", "ytd" (year to date) or "all" (the whole table). Adds ``period`` and ``n_samples``;
    an item counts as a non-detect in the period only when every sample of it was a non-detect.
    """
    config = config or WaterConfig()
    if period == "sample":
        return classify_samples(data, water_type=water_type, config=config)
    samples = data if isinstance(data, Samples) else parse_samples(
        data, water_type=water_type, config=config, require_time=period != "all")
    means = mean_by_period(samples, period)
    return _result(samples, means, config)
