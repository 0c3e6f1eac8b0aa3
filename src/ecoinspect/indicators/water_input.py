"""Reading a surface-water sample table: column names, numbers, non-detects, checks, configuration.

Every bad cell is reported with its 1-based data row and its column, in Chinese and English, and all
problems found are reported together (IndicatorInputError). Nothing is guessed silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from .errors import IndicatorInputError, InputProblem
from .water_tables import (
    ASSESSED_KEYS,
    DEFAULT_PRIORITY_ITEMS,
    ITEM_BY_KEY,
    ITEM_KEYS,
    META_ALIAS_TABLE,
    PASSTHROUGH_NAMES,
    TARGET_CLASS_SPELLINGS,
    WATER_TYPES,
    normalise_name,
    resolve_item_header,
)

MISSING_TOKENS = ("", "na", "n/a", "nan", "null", "none", "/", "-", "—", "--", "未监测", "未测", "缺测", "无")
BARE_ND_TOKENS = ("nd", "n.d.", "n.d", "未检出", "检出限以下", "<dl", "<lod", "bdl")
MAX_REPORTED_PROBLEMS = 200


@dataclass(frozen=True)
class WaterConfig:
    """Conventions for the points STANDARDS.md marks [M] (unverified), and input checks.

    nd_fraction: a non-detect ("ND", "<0.01", "0.01L") enters as this fraction of the detection limit [M].
    detection_limits: detection limit (mg/L) per item for bare "ND"/"未检出" cells that carry no limit.
    bare_nd: what a bare "ND" without a configured limit does: "error" (default) or "missing" (not assessed).
    main_pollutant_count / priority_items / separator: the main-pollutant rule of the 2011 method [M].
    multiple_decimals / rounding: how an exceedance multiple is written ("氨氮(0.2)") [M];
        rounding "half_even" is GB/T 8170 (四舍六入五成双), "half_up" the everyday rule.
    do_multiple: give DO a multiple S_III/C − 1 (a local convention; not in the 2011 method).
    do_saturation_class_i: also accept DO ≥ 90 % saturation as class I (needs temperature) [M];
        saturation = 468 / (31.6 + T) mg/L.
    lake_always_mean: lakes/reservoirs are assessed as a whole from point means, whatever the count [M].
    plausible_max: per-item upper bounds overriding water_tables (values above are errors).
    check_units / unit_suspect_factor: reject a µg/L-prone column whose median exceeds factor × class V.
    ignore_unknown_columns: drop unrecognised columns instead of refusing the file.
    """

    nd_fraction: float = 0.5
    detection_limits: Mapping[str, float] = field(default_factory=dict)
    bare_nd: str = "error"
    main_pollutant_count: int = 3
    priority_items: tuple[str, ...] = DEFAULT_PRIORITY_ITEMS
    separator: str = "、"
    multiple_decimals: int = 2
    rounding: str = "half_even"
    do_multiple: bool = False
    do_saturation_class_i: bool = False
    min_sections_for_proportion: int = 5
    lake_always_mean: bool = True
    plausible_max: Mapping[str, float] = field(default_factory=dict)
    check_units: bool = True
    unit_suspect_factor: float = 10.0
    ignore_unknown_columns: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.nd_fraction <= 1.0:
            raise ValueError("nd_fraction must be within 0..1")
        if self.bare_nd not in ("error", "missing"):
            raise ValueError("bare_nd must be 'error' or 'missing'")
        if self.rounding not in ("half_even", "half_up"):
            raise ValueError("rounding must be 'half_even' or 'half_up'")
        unknown = [k for k in (*self.detection_limits, *self.plausible_max, *self.priority_items)
                   if k not in ITEM_BY_KEY]
        if unknown:
            raise ValueError(f"unknown item keys in WaterConfig: {unknown}")


@dataclass(frozen=True)
class Samples:
    """Parsed samples: one row per input row.

    frame columns: ``row`` (1-based input row), ``section``, optional ``river``, ``parent_river``,
    ``district``, ``time`` (Datetime), ``type`` ("river"/"lake"), ``target_code`` (1..5 or null), one Float64
    column per item present (mg/L; non-detects already replaced), ``<item>_nd`` (Boolean), pass-through
    columns under their own names.
    """

    frame: pl.DataFrame
    items: tuple[str, ...]
    passthrough: tuple[str, ...] = ()


def _problem(row: int | None, column: str | None, value: Any, zh: str, en: str) -> InputProblem:
    return InputProblem(row, column, None if value is None else str(value), zh, en)


def to_frame(data: Any) -> pl.DataFrame:
    """Accept a polars DataFrame, a pandas DataFrame or a mapping of column → sequence/array."""
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, Mapping):
        return pl.DataFrame({k: np.asarray(v) if not isinstance(v, list | tuple) else list(v)
                             for k, v in data.items()}, strict=False)
    if type(data).__module__.startswith("pandas"):
        return pl.from_pandas(data)
    raise TypeError("expected a polars/pandas DataFrame or a mapping of columns")


def _map_columns(frame: pl.DataFrame, config: WaterConfig, problems: list[InputProblem]):
    meta: dict[str, str] = {}
    items: dict[str, tuple[str, float]] = {}
    passthrough: list[str] = []
    for header in frame.columns:
        norm = normalise_name(header)
        if norm in META_ALIAS_TABLE:
            key = META_ALIAS_TABLE[norm]
            if key in meta:
                problems.append(_problem(None, header, None, f"与列 {meta[key]} 含义重复",
                                         f"means the same as column {meta[key]}"))
            meta[key] = header
            continue
        try:
            resolved = resolve_item_header(header)
        except ValueError as exc:
            problems.append(_problem(None, header, None, f"无法识别的单位 {exc}（浓度请用 mg/L 或 µg/L）",
                                     f"unknown unit {exc} (use mg/L or µg/L for concentrations)"))
            continue
        if resolved is not None:
            key, factor = resolved
            if key in items:
                problems.append(_problem(None, header, None, f"与列 {items[key][0]} 是同一监测项目",
                                         f"is the same item as column {items[key][0]}"))
            items[key] = (header, factor)
        elif norm in PASSTHROUGH_NAMES:
            passthrough.append(header)
        elif not config.ignore_unknown_columns:
            problems.append(_problem(None, header, None,
                                     "未知的列名（不是 GB 3838-2002 表1 的项目，也不是断面信息列）",
                                     "unknown column (not a GB 3838-2002 Table 1 item nor a section field)"))
    return meta, items, passthrough


def _bad_cells(rows: np.ndarray, values: pl.Series, column: str, zh: str, en: str) -> list[InputProblem]:
    shown = rows[:MAX_REPORTED_PROBLEMS]
    texts = values.gather(shown).to_list() if len(shown) else []
    return [_problem(int(r) + 1, column, v, zh, en) for r, v in zip(shown, texts)]  # error report only


def parse_values(raw: pl.Series, key: str, column: str, factor: float, config: WaterConfig,
                 problems: list[InputProblem]) -> tuple[np.ndarray, np.ndarray]:
    """Parse one item column → (values in table units with non-detects replaced, non-detect mask)."""
    item = ITEM_BY_KEY[key]
    if raw.dtype.is_numeric():
        values = raw.cast(pl.Float64).to_numpy().astype(np.float64, copy=True)
        nd = np.zeros(len(values), dtype=bool)
        bad = ~np.isfinite(values) & ~np.isnan(values)
        if bad.any():
            problems.extend(_bad_cells(np.flatnonzero(bad), raw.cast(pl.Utf8), column, "不是有限数值",
                                       "not a finite number"))
    else:
        # NFKC: full-width "０．５" / "＜0.01" / "ＮＤ" read like their ASCII forms. An empty cell is null
        # (polars 2 reads empty CSV cells as null) and is_in(null) is null: fill it, or numpy gets None.
        text = raw.cast(pl.Utf8).str.normalize("NFKC").str.strip_chars()
        lower = text.str.to_lowercase()
        missing = (text.is_null() | lower.is_in(MISSING_TOKENS)).fill_null(True).to_numpy()
        bare_nd = lower.is_in(BARE_ND_TOKENS).fill_null(False).to_numpy()
        number = r"([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)"
        dl = pl.select(pl.coalesce(lower.str.extract(rf"^[<＜]\s*{number}$", 1),
                                   lower.str.extract(rf"^{number}\s*l$", 1))).to_series().cast(pl.Float64, strict=False)
        sci = lower.str.extract_groups(rf"^{number}\s*[×x*]\s*10\^?([+-]?[0-9]+)$")
        sci_value = pl.select(pl.format("{}e{}", sci.struct.field("1"), sci.struct.field("2"))).to_series() \
            .cast(pl.Float64, strict=False)  # "2.4×10^4" → "2.4e4": parsed exactly like a literal
        plain = lower.str.extract(rf"^([+-]?{number[1:-1]})$", 1).cast(pl.Float64, strict=False)
        number_value = pl.select(pl.coalesce(plain, sci_value)).to_series().to_numpy().astype(np.float64)
        dl_value = dl.to_numpy().astype(np.float64)
        nd = np.isfinite(dl_value) | bare_nd
        values = np.where(np.isfinite(dl_value), dl_value * config.nd_fraction, number_value)
        unparsed = ~missing & ~nd & ~np.isfinite(number_value)
        if unparsed.any():
            problems.extend(_bad_cells(np.flatnonzero(unparsed), raw.cast(pl.Utf8), column,
                                       "不是数值（可用 ND、<0.01 或 0.01L 表示未检出）",
                                       "not a number (write non-detects as ND, <0.01 or 0.01L)"))
        if bare_nd.any():
            if key in config.detection_limits:
                values = np.where(bare_nd, config.detection_limits[key] * config.nd_fraction, values)
            elif config.bare_nd == "missing":
                nd = nd & ~bare_nd
            else:
                problems.extend(_bad_cells(
                    np.flatnonzero(bare_nd), raw.cast(pl.Utf8), column,
                    "未检出但未给检出限：请写成 <检出限 或 检出限L，或在配置中给出该项目的检出限",
                    "non-detect without a detection limit: write <DL or DLL, or configure the item's limit"))
        values = np.where(missing | (bare_nd & ~nd), np.nan, values)
    # µg/L → mg/L by dividing by 1000 (0.001 × 150 would give 0.15000000000000002, a wrong class)
    values = values / round(1.0 / factor) if factor < 1 else values * factor
    _check_range(values, raw, key, column, item.plausible_min, config.plausible_max.get(key, item.plausible_max),
                 problems)
    if config.check_units and item.ug_suspect:
        detected = values[np.isfinite(values) & ~nd]
        limit_v = item.limits[-1]
        if detected.size and float(np.median(detected)) > config.unit_suspect_factor * limit_v:
            problems.append(_problem(None, column, f"{float(np.median(detected)):g}",
                                     f"该列中位数超过Ⅴ类限值 {limit_v:g} mg/L 的 {config.unit_suspect_factor:g} 倍，"
                                     "疑似以 µg/L 填报；请换算为 mg/L 或在列名中注明单位，如“铅(µg/L)”",
                                     f"column median is over {config.unit_suspect_factor:g} × the class V limit "
                                     f"{limit_v:g} mg/L: probably µg/L; convert to mg/L or name the unit in the "
                                     "header, e.g. 'pb (ug/L)'"))
    return values, nd


def _check_range(values, raw, key, column, low, high, problems) -> None:
    with np.errstate(invalid="ignore"):
        too_low = np.flatnonzero(values < low)
        too_high = np.flatnonzero(values > high)
    text = raw.cast(pl.Utf8)
    if too_low.size:
        zh, en = ("低于可能的最小值", "below the possible minimum") if key == "temperature" else (
            "不能为负数", "must not be negative")
        problems.extend(_bad_cells(too_low, text, column, zh, en))
    if too_high.size:
        problems.extend(_bad_cells(too_high, text, column,
                                   f"数值不合理（超过 {high:g}），请核对单位（应为 {ITEM_BY_KEY[key].unit}）",
                                   f"implausible value (above {high:g}); check the unit ({ITEM_BY_KEY[key].unit} "
                                   "expected)"))


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
                 "%Y%m%d")


def _parse_time(raw: pl.Series, column: str, problems: list[InputProblem]) -> pl.Series:
    if raw.dtype == pl.Date or raw.dtype == pl.Datetime:
        return raw.cast(pl.Datetime("us")).alias("time")
    text = (raw.cast(pl.Utf8).str.strip_chars().str.replace_all("/", "-").str.replace_all(r"[年月]", "-")
            .str.replace_all("日", "").str.strip_chars_end("-"))
    text = text.str.replace(r"^(\d{4})-(\d{1,2})$", "${1}-${2}-01").str.replace(r"^(\d{4})(\d{2})$", "${1}-${2}-01")
    text = text.str.replace(r"^(\d{4})-(\d)-", "${1}-0${2}-").str.replace(r"^(\d{4}-\d{2})-(\d)(\D|$)", "${1}-0${2}${3}")
    parsed = pl.select(pl.coalesce([text.str.strptime(pl.Datetime("us"), f, strict=False) for f in _TIME_FORMATS]))
    result = parsed.to_series().alias("time")
    bad = np.flatnonzero((result.is_null() & raw.is_not_null()).to_numpy() | raw.is_null().to_numpy())
    if bad.size:
        problems.extend(_bad_cells(bad, raw.cast(pl.Utf8), column, "无法识别的时间（示例：2024-03-15 或 2024-03）",
                                   "unrecognised time (e.g. 2024-03-15 or 2024-03)"))
    return result


def _text_column(raw: pl.Series, name: str, column: str, problems: list[InputProblem]) -> pl.Series:
    text = raw.cast(pl.Utf8).str.strip_chars()
    empty = np.flatnonzero((text.is_null() | (text == "")).to_numpy())
    if empty.size:
        problems.extend(_bad_cells(empty, raw.cast(pl.Utf8), column, "不能为空", "must not be empty"))
    return text.alias(name)


def _lookup(raw: pl.Series, table: Mapping[str, Any], column: str, dtype, zh: str, en: str,
            problems: list[InputProblem]) -> pl.Series:
    text = raw.cast(pl.Utf8).str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")
    mapped = text.replace_strict(list(table), list(table.values()), default=None, return_dtype=dtype)
    bad = np.flatnonzero((mapped.is_null() & text.is_not_null() & (text != "")).to_numpy())
    if bad.size:
        problems.extend(_bad_cells(bad, raw.cast(pl.Utf8), column, zh, en))
    return mapped


def parse_samples(data: Any, *, water_type: str | None = None, config: WaterConfig | None = None,
                  require_time: bool = False) -> Samples:
    """Validate and parse a sample table (text or numeric columns). Raises IndicatorInputError."""
    config = config or WaterConfig()
    frame = to_frame(data)
    problems: list[InputProblem] = []
    meta, items, passthrough = _map_columns(frame, config, problems)
    if "section" not in meta:
        problems.append(_problem(None, "section", None, "缺少断面列（section / 断面）",
                                 "missing the section column (section / 断面)"))
    if not any(k in ASSESSED_KEYS for k in items):
        problems.append(_problem(None, None, None, "没有可评价的监测项目列（如 do、nh3_n、tp 或 溶解氧、氨氮、总磷）",
                                 "no assessable item column (e.g. do, nh3_n, tp or 溶解氧, 氨氮, 总磷)"))
    if require_time and "time" not in meta:
        problems.append(_problem(None, "time", None, "按时段汇总需要时间列（time / 日期）",
                                 "aggregating by period needs a time column (time / date)"))
    if water_type is not None and water_type not in ("river", "lake"):
        raise ValueError("water_type must be 'river' or 'lake'")
    if "type" not in meta and water_type is None and "tp" in items:
        problems.append(_problem(None, "type", None, "总磷的河流/湖库限值不同：请提供 type 列或 --type river|lake",
                                 "TP limits differ for rivers and lakes: give a type column or --type river|lake"))
    if problems:
        raise IndicatorInputError(problems)

    n = frame.height
    columns: list[pl.Series] = [pl.Series("row", np.arange(1, n + 1, dtype=np.int64))]
    columns.append(_text_column(frame[meta["section"]], "section", meta["section"], problems))
    for key in ("river", "parent_river", "district"):
        if key in meta:
            series = frame[meta[key]].cast(pl.Utf8).str.strip_chars()
            if key == "river":
                series = _text_column(frame[meta[key]], key, meta[key], problems)
            columns.append(series.replace("", None).alias(key))
    if "time" in meta:
        columns.append(_parse_time(frame[meta["time"]], meta["time"], problems))
    default_type = water_type or "river"
    if "type" in meta:
        types = _lookup(frame[meta["type"]], WATER_TYPES, meta["type"], pl.Utf8, "水体类型应为 river/lake（河流/湖库）",
                        "water type must be river or lake (河流/湖库)", problems)
        if water_type is None and "tp" in items:
            blank = np.flatnonzero(types.is_null().to_numpy())
            problems.extend(_bad_cells(blank, frame[meta["type"]].cast(pl.Utf8), meta["type"],
                                       "总磷限值取决于水体类型：请填写 river/lake（河流/湖库）或使用 --type",
                                       "TP limits depend on the water type: fill in river/lake or use --type"))
        columns.append(types.fill_null(default_type).alias("type"))
    else:
        columns.append(pl.Series("type", [default_type] * n, dtype=pl.Utf8))
    if "target_class" in meta:
        target = _lookup(frame[meta["target_class"]], TARGET_CLASS_SPELLINGS, meta["target_class"], pl.Int8,
                         "水质目标应为 Ⅰ–Ⅴ 类（如 Ⅲ、III、3）", "target class must be I–V (e.g. Ⅲ, III, 3)",
                         problems)
        columns.append(target.alias("target_code"))
    keys = [k for k in ITEM_KEYS if k in items]
    for key in keys:
        header, factor = items[key]
        values, nd = parse_values(frame[header], key, header, factor, config, problems)
        columns.append(pl.Series(key, values, dtype=pl.Float64).fill_nan(None))
        columns.append(pl.Series(f"{key}_nd", nd, dtype=pl.Boolean))
    columns.extend(frame[c] for c in passthrough)
    result = pl.DataFrame(columns)
    if not problems:
        _check_duplicates(result, meta, problems)
        _check_parents(result, problems)
    if problems:
        raise IndicatorInputError(problems)
    return Samples(result, tuple(keys), tuple(passthrough))


def _check_duplicates(frame: pl.DataFrame, meta: Mapping[str, str], problems: list[InputProblem]) -> None:
    keys = ["section", "time"] if "time" in frame.columns else ["section"]
    dups = (frame.filter(pl.struct(keys).is_duplicated()).group_by(keys, maintain_order=True)
            .agg(pl.col("row")).head(MAX_REPORTED_PROBLEMS))
    for section, rows in zip(dups["section"].to_list(), dups["row"].to_list()):  # error report only
        where = "同一断面同一时间" if "time" in keys else "同一断面（无时间列）"
        problems.append(_problem(rows[1], meta.get("section", "section"), section,
                                 f"{where}重复出现，行 {', '.join(map(str, rows))}",
                                 f"duplicate sample of the same section{' and time' if 'time' in keys else ''}"
                                 f" in rows {', '.join(map(str, rows))}"))


def _check_parents(frame: pl.DataFrame, problems: list[InputProblem]) -> None:
    if "parent_river" not in frame.columns or "river" not in frame.columns:
        return
    conflict = (frame.filter(pl.col("parent_river").is_not_null()).group_by("river")
                .agg(pl.col("parent_river").unique().sort(), pl.col("row").first())
                .filter(pl.col("parent_river").list.len() > 1))
    for river, parents, row in conflict.iter_rows():  # error report only
        problems.append(_problem(row, "parent_river", river, f"同一河流有多个上级河流：{'、'.join(parents)}",
                                 f"one river with several parent rivers: {', '.join(parents)}"))
    selfish = frame.filter(pl.col("parent_river") == pl.col("river"))
    if selfish.height:
        problems.append(_problem(int(selfish["row"][0]), "parent_river", selfish["river"][0],
                                 "上级河流不能是其自身", "a river cannot be its own parent"))
