"""Rivers, basins (a river with its tributaries) and lakes as a whole — the 2011 assessment method.

* ≥ 5 sections (``WaterConfig.min_sections_for_proportion``): class-proportion method — share of
  sections in classes Ⅰ–Ⅲ and share worse than Ⅴ decide the rating (no class is given) [S].
* < 5 sections: mean of every item over the sections, then the single-factor class [S].
* Lakes/reservoirs: always the mean of the points (``lake_always_mean``) [M].

Sections are first averaged over the period (water.mean_by_period), so each section weighs the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from .errors import IndicatorInputError, InputProblem
from .water import _classified_frame, _item_matrices, clean_mean, mean_by_period
from .water_input import Samples, WaterConfig, parse_samples
from .water_tables import RATINGS_EN

__all__ = ["assess_rivers", "proportion_rating", "river_ancestors"]

_PROPORTION_RATINGS = ("优", "良好", "轻度污染", "中度污染", "重度污染")


def proportion_rating(n_sections: Any, n_i_iii: Any, n_worse_v: Any) -> np.ndarray:
    """Rating by the class-proportion method; exact integer comparisons (no float thresholds).

    Ⅰ–Ⅲ ≥ 90 % 优; 75 % ≤ Ⅰ–Ⅲ < 90 % 良好; Ⅰ–Ⅲ < 75 % and 劣Ⅴ < 20 % 轻度污染;
    Ⅰ–Ⅲ < 75 % and 20 % ≤ 劣Ⅴ < 40 % 中度污染; Ⅰ–Ⅲ < 75 % and 劣Ⅴ ≥ 40 % 重度污染.
    """
    n = np.asarray(n_sections, dtype=np.int64)
    good = np.asarray(n_i_iii, dtype=np.int64) * 100
    bad = np.asarray(n_worse_v, dtype=np.int64) * 100
    conditions = [good >= 90 * n, good >= 75 * n, bad < 20 * n, bad < 40 * n]
    return np.select(conditions, _PROPORTION_RATINGS[:4], default=_PROPORTION_RATINGS[4])


def river_ancestors(frame: pl.DataFrame) -> pl.DataFrame:
    """Pairs (river, ancestor) including (river, river), following ``parent_river`` up any depth."""
    rivers = frame.select("river").unique()
    if "parent_river" not in frame.columns:
        return rivers.with_columns(pl.col("river").alias("ancestor"))
    edges = frame.select("river", pl.col("parent_river").alias("ancestor")).drop_nulls().unique()
    nodes = pl.concat([rivers, edges.select(pl.col("ancestor").alias("river"))]).unique()
    pairs = nodes.with_columns(pl.col("river").alias("ancestor"))
    frontier = edges
    for _ in range(nodes.height + 1):  # one step per generation; more steps than rivers means a cycle
        if frontier.height == 0:
            return pairs
        if frontier.filter(pl.col("river") == pl.col("ancestor")).height:
            break
        pairs = pl.concat([pairs, frontier]).unique()
        frontier = (frontier.join(edges.rename({"river": "ancestor", "ancestor": "next"}), on="ancestor")
                    .select("river", pl.col("next").alias("ancestor")))
    raise IndicatorInputError(InputProblem(None, "parent_river", None, "上级河流关系存在循环",
                                           "the parent_river relation has a cycle"))


def _assess(sections: pl.DataFrame, items: tuple[str, ...], keys: list[str], config: WaterConfig) -> pl.DataFrame:
    """One row per group ``keys``: both methods computed, the rule picks one per row."""
    counts = sections.group_by(keys, maintain_order=True).agg(
        pl.col("class_code").is_not_null().sum().alias("n_sections"),
        (pl.col("class_code") <= 3).sum().alias("n_i_iii"),
        (pl.col("class_code") == 6).sum().alias("n_worse_v"),
        pl.col("type").first(),
        pl.col("type").n_unique().alias("_types"),
        *[clean_mean(k) for k in items],
        *[(pl.col(f"{k}_nd").filter(pl.col(k).is_not_null()).all() & pl.col(k).is_not_null().any())
                .alias(f"{k}_nd") for k in items],
    ).sort(keys)
    mixed = counts.filter(pl.col("_types") > 1)
    if mixed.height:
        raise IndicatorInputError([InputProblem(None, "type", str(r), "同一河流/湖库的断面水体类型不一致",
                                                "sections of one river/lake have different water types")
                                   for r in mixed[keys[0]].to_list()[:50]])
    item_keys, classes, multiples = _item_matrices(counts, None, config)
    by_mean = _classified_frame(item_keys, classes, multiples, config, per_item=False)
    n = counts["n_sections"].to_numpy()
    lake = (counts["type"] == "lake").to_numpy() & config.lake_always_mean
    proportion = (n >= config.min_sections_for_proportion) & ~lake
    rating = np.where(proportion, proportion_rating(n, counts["n_i_iii"], counts["n_worse_v"]),
                      by_mean["rating"].fill_null("").to_numpy().astype(str))
    en = dict(zip(("优", "良好", "轻度污染", "中度污染", "重度污染"), RATINGS_EN[2:]))
    share = pl.Series(np.where(n > 0, 100.0 * counts["n_i_iii"].to_numpy() / np.maximum(n, 1), np.nan))
    share_bad = pl.Series(np.where(n > 0, 100.0 * counts["n_worse_v"].to_numpy() / np.maximum(n, 1), np.nan))
    mean_only = ~proportion
    out = counts.select(*keys, "type", "n_sections", "n_i_iii", "n_worse_v").with_columns(
        pl.Series("method", np.where(proportion, "class_proportion", "item_mean")),
        share.round(2).fill_nan(None).alias("share_i_iii_pct"),
        share_bad.round(2).fill_nan(None).alias("share_worse_v_pct"),
        by_mean["class_code"].scatter(np.flatnonzero(~mean_only), None),
        by_mean["class"].scatter(np.flatnonzero(~mean_only), None),
        pl.Series("rating", rating).replace("", None),
        pl.Series("rating", rating).replace_strict(en, default=None).alias("rating_en"),
        by_mean["main_pollutants"].scatter(np.flatnonzero(~mean_only), None),
    )
    return pl.concat([out, counts.select(items)], how="horizontal")


def assess_rivers(data: Any, period: str = "month", *, water_type: str | None = None,
                  config: WaterConfig | None = None, include_basins: bool = True) -> pl.DataFrame:
    """Assess every river (its own sections) per period and, when tributaries are given through
    ``parent_river``, every basin (the river with all its tributaries, any depth; ``scope`` "basin").

    Returns: ``scope``, ``river``, ``period``, ``type``, ``n_sections``, ``n_i_iii``, ``n_worse_v``,
    ``method`` ("class_proportion" or "item_mean"), shares in %, ``class_code``/``class`` and
    ``main_pollutants`` (item-mean method only), ``rating``, ``rating_en``, the item means.
    """
    config = config or WaterConfig()
    samples = data if isinstance(data, Samples) else parse_samples(
        data, water_type=water_type, config=config, require_time=period != "all")
    if "river" not in samples.frame.columns:
        raise IndicatorInputError(InputProblem(None, "river", None, "河流评价需要 river（河流）列",
                                               "assessing rivers needs a river column"))
    means = mean_by_period(samples, period)
    item_keys, classes, _ = _item_matrices(means, None, config)
    worst = classes.max(axis=1) if item_keys else np.zeros(means.height, dtype=np.int8)
    sections = means.with_columns(pl.Series("class_code", worst, dtype=pl.Int8).replace(0, None))
    rivers = _assess(sections, samples.items, ["river", "period"], config).with_columns(
        pl.lit("river").alias("scope"))
    frames = [rivers]
    if include_basins and "parent_river" in sections.columns:
        pairs = river_ancestors(sections)
        proper = pairs.filter(pl.col("river") != pl.col("ancestor")).select("ancestor").unique()
        members = (sections.join(pairs, on="river").join(proper, on="ancestor")
                   .drop("river").rename({"ancestor": "river"}))
        if members.height:
            frames.append(_assess(members, samples.items, ["river", "period"], config)
                          .with_columns(pl.lit("basin").alias("scope")))
    out = pl.concat(frames, how="diagonal_relaxed")
    return out.select("scope", *[c for c in out.columns if c != "scope"]).sort("scope", "river", "period",
                                                                                 descending=[True, False, False])
