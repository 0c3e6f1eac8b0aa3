"""City water-quality index CWQI — 城市地表水环境质量排名技术规定（试行）(环办监测〔2017〕51号).

Per item (21 items = GB 3838 Table 1 minus water temperature, total nitrogen, fecal coliform):
CWQI(i) = C(i) / C_III(i) (TP: 0.05 for lake points, 0.2 for rivers); DO: 5 / C; pH: (7 − pH) / (7 − 6)
for pH ≤ 7, (pH − 7) / (9 − 7) above. CWQI of a section = the sum. Rules: STANDARDS.md §4.

Rivers, districts [M]: mean concentration of each item over the ranking sections, then the index
(``CwqiConfig.aggregation = "mean_concentration"``; "mean_index" averages section CWQIs instead). District
CWQI = section-count-weighted combination of the river part and the lake part. Smaller is better.

>>> round(float(item_index("do", [4.5])[0]), 3), round(float(item_index("ph", [7.8])[0]), 3)
(1.111, 0.4)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from .errors import IndicatorInputError, InputProblem
from .water import _item_matrices, clean_mean, mean_by_period
from .water_input import Samples, WaterConfig, parse_samples
from .water_tables import ASSESSED_KEYS, CLASS_III, ITEM_BY_KEY

__all__ = ["CWQI_ITEMS", "CwqiConfig", "cwqi", "cwqi_report", "item_index"]

CWQI_ITEMS: tuple[str, ...] = ASSESSED_KEYS  # the 21 items
PH_NEUTRAL, PH_SD, PH_SU = 7.0, 6.0, 9.0


@dataclass(frozen=True)
class CwqiConfig:
    """aggregation: "mean_concentration" (default) or "mean_index" for rivers and districts [M].
    do_floor: DO below this (mg/L) is raised to it before 5 / DO; None (default) refuses DO ≤ 0 — an
    infinite index — with an error naming the section [project convention].
    require_all_items: refuse sections lacking any of the 21 items (default: compute, flag them in
    ``missing_items``; the official ranking needs all 21).
    water: parsing conventions shared with the water class (non-detects, units, checks)."""

    aggregation: str = "mean_concentration"
    do_floor: float | None = None
    require_all_items: bool = False
    water: WaterConfig = field(default_factory=WaterConfig)

    def __post_init__(self) -> None:
        if self.aggregation not in ("mean_concentration", "mean_index"):
            raise ValueError("aggregation must be 'mean_concentration' or 'mean_index'")


def item_index(item: str, values: Any, water_type: Any = "river") -> np.ndarray:
    """CWQI(i) for an array of concentrations (NaN stays NaN; DO 0 gives inf)."""
    spec = ITEM_BY_KEY[item]
    if item not in CWQI_ITEMS:
        raise ValueError(f"{item} is not one of the 21 CWQI items")
    c = np.asarray(values, dtype=np.float64)
    if item == "ph":
        return np.where(c <= PH_NEUTRAL, (PH_NEUTRAL - c) / (PH_NEUTRAL - PH_SD), (c - PH_NEUTRAL) / (PH_SU - PH_NEUTRAL))
    s3 = spec.limits[CLASS_III - 1]
    if item == "do":
        with np.errstate(divide="ignore"):
            return s3 / c
    if spec.lake_limits is not None:
        lake = (np.full(c.shape, water_type == "lake") if water_type is None or isinstance(water_type, str)
                else np.asarray(water_type) == "lake")
        return c / np.where(lake, spec.lake_limits[CLASS_III - 1], s3)
    return c / s3


def cwqi(values: Any, water_type: Any = "river") -> pl.DataFrame:
    """Index of numeric samples (mg/L item columns; a ``type`` column overrides ``water_type``):
    ``<item>_index`` for each of the 21 items present, ``cwqi`` (sum), ``n_items``, ``missing_items``."""
    frame = values if isinstance(values, pl.DataFrame) else pl.DataFrame(dict(values), strict=False)
    if "type" in frame.columns:
        water_type = frame["type"].to_numpy()
    keys = [k for k in CWQI_ITEMS if k in frame.columns]
    indices = np.full((frame.height, len(keys)), np.nan)
    for j, key in enumerate(keys):  # loop over the 21 items, vectorised over rows
        indices[:, j] = item_index(key, frame[key].cast(pl.Float64).fill_null(np.nan).to_numpy(), water_type)
    present = np.isfinite(indices) | np.isinf(indices)
    total = np.where(present.any(axis=1), np.where(present, indices, 0.0).sum(axis=1), np.nan)
    missing = [pl.when(pl.col(f"{k}_index").is_null()).then(pl.lit(ITEM_BY_KEY[k].zh)) for k in keys]
    missing += [pl.lit(ITEM_BY_KEY[k].zh) for k in CWQI_ITEMS if k not in keys]
    out = pl.DataFrame({f"{k}_index": pl.Series(indices[:, j]).fill_nan(None) for j, k in enumerate(keys)}
                       | {"cwqi": pl.Series(total).fill_nan(None), "n_items": present.sum(axis=1)},
                       height=frame.height)
    return out.with_columns(pl.concat_str(missing, separator="、", ignore_nulls=True).alias("missing_items"))


def _check_do(frame: pl.DataFrame, config: CwqiConfig, where: list[str]) -> pl.DataFrame:
    if "do" not in frame.columns:
        return frame
    if config.do_floor is not None:
        return frame.with_columns(pl.col("do").clip(lower_bound=config.do_floor))
    bad = frame.filter(pl.col("do") <= 0)
    if bad.height:
        raise IndicatorInputError([InputProblem(None, "do", " ".join(str(v) for v in r),
                                                "溶解氧为 0 时 CWQI(溶解氧)=5/0 无穷大；请核实或配置 do_floor",
                                                "DO of 0 makes CWQI(DO) = 5/0 infinite; check it or set do_floor")
                                   for r in bad.select(where).rows()[:50]])
    return frame


def _rank(value: str, by: list[str], name: str) -> pl.Expr:
    return pl.col(value).rank("min").over(by).cast(pl.Int32).alias(name)


def _year_on_year(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Attach the same period of the previous year: ``cwqi_base``, ``cwqi_change_pct`` (< 0 improved)."""
    base_label = pl.format("{}{}", pl.col("period").str.slice(0, 4).cast(pl.Int32, strict=False) - 1,
                           pl.col("period").str.slice(4))
    base = frame.select(*keys, pl.col("period").alias("_base_period"), pl.col("cwqi").alias("cwqi_base"))
    out = frame.with_columns(base_label.alias("_base_period")).join(base, on=[*keys, "_base_period"], how="left")
    change = (pl.col("cwqi") - pl.col("cwqi_base")) / pl.col("cwqi_base") * 100.0
    return out.with_columns(change.alias("cwqi_change_pct")).drop("_base_period")


def _ii_or_better(sections: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per unit and period: every section class Ⅱ or better and meeting its target (change-ranking rule)."""
    ok = pl.col("class_code") <= 2
    if "target_code" in sections.columns:
        ok = ok & (pl.col("target_code").is_null() | (pl.col("class_code") <= pl.col("target_code")))
    return sections.group_by([*keys, "period"]).agg(ok.fill_null(False).all().alias("_all_ii"))


def _change_rank(frame: pl.DataFrame, sections: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Rank of ΔCWQI (ascending). Units whose sections are all ≤ Ⅱ and meet targets in both the base and
    the current period do not enter the change ranking (2017 rule, applied per unit here)."""
    flags = _ii_or_better(sections, keys)
    base = flags.rename({"period": "_base_period", "_all_ii": "_base_ii"})
    out = frame.with_columns(pl.format("{}{}", pl.col("period").str.slice(0, 4).cast(pl.Int32, strict=False) - 1,
                                       pl.col("period").str.slice(4)).alias("_base_period"))
    out = out.join(flags, on=[*keys, "period"], how="left").join(base, on=[*keys, "_base_period"], how="left")
    excluded = (pl.col("_all_ii").fill_null(False) & pl.col("_base_ii").fill_null(False))
    out = out.with_columns(excluded.alias("excluded_from_change_rank"))
    ranked = pl.when(~pl.col("excluded_from_change_rank") & pl.col("cwqi_change_pct").is_not_null()).then(
        pl.col("cwqi_change_pct"))
    out = out.with_columns(ranked.rank("min").over("period").cast(pl.Int32).alias("change_rank"))
    return out.drop("_base_period", "_all_ii", "_base_ii")


def _index_of_means(groups: pl.DataFrame, sections: pl.DataFrame, keys: list[str], items: tuple[str, ...],
                    config: CwqiConfig) -> pl.DataFrame:
    """CWQI of one group of sections: mean concentrations then index, or mean of section indices."""
    if config.aggregation == "mean_index":
        agg = sections.group_by([*keys, "period"]).agg(pl.col("cwqi").mean(), pl.len().alias("n_sections"),
                                                       pl.col("n_items").min())
        return groups.join(agg, on=[*keys, "period"], how="left")
    type_agg = [] if "type" in keys else [pl.col("type").first()]
    means = sections.group_by([*keys, "period"]).agg(
        *[clean_mean(k) for k in items], *type_agg, pl.len().alias("n_sections"))
    index = cwqi(means.select(*items, "type"))
    return groups.join(pl.concat([means.select(*keys, "period", "n_sections"), index], how="horizontal"),
                       on=[*keys, "period"], how="left")


def cwqi_report(data: Any, period: str = "month", *, water_type: str | None = None,
                config: CwqiConfig | None = None) -> dict[str, pl.DataFrame]:
    """CWQI per section, per river and per district (the whole table when there is no ``district``
    column), per period ("month", "quarter", "year", "ytd", "all"), ranked ascending within each period,
    with the same period of the previous year (``cwqi_base``, ``cwqi_change_pct``, ``change_rank``)
    when the data contain it. Returns {"sections": …, "rivers": …, "districts": …}."""
    config = config or CwqiConfig()
    samples = data if isinstance(data, Samples) else parse_samples(
        data, water_type=water_type, config=config.water, require_time=period != "all")
    frame = samples.frame if "district" in samples.frame.columns else samples.frame.with_columns(
        pl.lit("全部 / all").alias("district"))
    samples = Samples(frame, samples.items, samples.passthrough)
    items = tuple(k for k in samples.items if k in CWQI_ITEMS)
    means = mean_by_period(samples, period)
    where = [c for c in ("section", "period") if c in means.columns]
    means = _check_do(means, config, where)
    keys, classes, _ = _item_matrices(means, None, config.water)
    worst = classes.max(axis=1) if keys else np.zeros(means.height, dtype=np.int8)
    sections = pl.concat([means, cwqi(means.select(*items, "type"))], how="horizontal").with_columns(
        pl.Series("class_code", worst, dtype=pl.Int8).replace(0, None))
    if config.require_all_items:
        short = sections.filter(pl.col("n_items") < len(CWQI_ITEMS))
        if short.height:
            raise IndicatorInputError([InputProblem(None, None, f"{s} {p}", f"缺少 CWQI 项目：{m}", "missing CWQI items")
                                       for s, p, m in short.select("section", "period", "missing_items").rows()[:50]])
    unit_keys = {"sections": ["district", "section"], "rivers": ["district", "river"], "districts": ["district"]}
    sec = sections.select(
        *[c for c in ("district", "river", "parent_river", "section", "period", "type", "n_samples")
          if c in sections.columns], "cwqi", "n_items", "missing_items", "class_code",
        *[c for c in sections.columns if c.endswith("_index")],
    ).with_columns(_rank("cwqi", ["period"], "rank"))
    result = {"sections": _change_rank(_year_on_year(sec, unit_keys["sections"]), sections,
                                       unit_keys["sections"])}
    if "river" in sections.columns:
        groups = sections.select("district", "river", "period").unique()
        rivers = _index_of_means(groups, sections, ["district", "river"], items, config)
        rivers = rivers.with_columns(_rank("cwqi", ["period"], "rank"))
        result["rivers"] = _change_rank(_year_on_year(rivers, unit_keys["rivers"]), sections,
                                        unit_keys["rivers"]).sort("period", "rank")
    result["districts"] = _districts(sections, items, config)
    result["sections"] = result["sections"].sort("period", "rank")
    return {name: _ordered(frame) for name, frame in result.items()}


_LEADING = ("district", "river", "parent_river", "section", "period", "type", "cwqi", "rank", "cwqi_base",
            "cwqi_change_pct", "change_rank", "excluded_from_change_rank", "class_code", "n_samples", "n_sections")


def _ordered(frame: pl.DataFrame) -> pl.DataFrame:
    """Identity and result columns first, item indices last."""
    first = [c for c in _LEADING if c in frame.columns]
    return frame.select(*first, *[c for c in frame.columns if c not in first])


def _districts(sections: pl.DataFrame, items: tuple[str, ...], config: CwqiConfig) -> pl.DataFrame:
    """District CWQI = (CWQI_river × n_river + CWQI_lake × n_lake) / (n_river + n_lake) [M]."""
    groups = sections.select("district", "type", "period").unique()
    parts = _index_of_means(groups, sections, ["district", "type"], items, config)
    wide = parts.group_by("district", "period").agg(
        ((pl.col("cwqi") * pl.col("n_sections")).sum() / pl.col("n_sections").sum()).alias("cwqi"),
        pl.col("n_sections").sum(),
        pl.col("cwqi").filter(pl.col("type") == "river").first().alias("cwqi_river"),
        pl.col("n_sections").filter(pl.col("type") == "river").first().fill_null(0).alias("n_river_sections"),
        pl.col("cwqi").filter(pl.col("type") == "lake").first().alias("cwqi_lake"),
        pl.col("n_sections").filter(pl.col("type") == "lake").first().fill_null(0).alias("n_lake_sections"),
        pl.col("n_items").min().alias("n_items_min"),
    )
    wide = wide.with_columns(_rank("cwqi", ["period"], "rank"))
    return _change_rank(_year_on_year(wide, ["district"]), sections, ["district"]).sort("period", "rank")
