"""``ecoinspect indicators water`` and ``ecoinspect indicators cwqi``.

Bad input ends with exit code 2 and a bilingual message (row, column, reason) on stderr, no traceback.
Without ``-o`` the result is written to standard output as CSV.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from .errors import IndicatorInputError, InputProblem
from .io import read_table, write_table, write_xlsx_sheets
from .water_input import WaterConfig
from .water_tables import ITEM_ALIASES, normalise_name

EXIT_BAD_INPUT = 2


def _item_value(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    key = ITEM_ALIASES.get(normalise_name(name))
    if key is None or not value:
        raise argparse.ArgumentTypeError(f"expected ITEM=VALUE with a GB 3838 item, got {text!r}")
    try:
        return key, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("samples", help="sample table (.csv, .xlsx, .parquet); see docs/indicators/water.md")
    parser.add_argument("--type", choices=("river", "lake"), dest="water_type",
                        help="water type for rows without a type column/cell (TP limits differ)")
    parser.add_argument("-o", "--output", help="output file (.csv, .xlsx, .parquet); default: CSV on stdout")
    parser.add_argument("--decimals", type=int, help="round floating-point output columns to N decimals")
    parser.add_argument("--nd-fraction", type=float, default=0.5,
                        help="a non-detect enters averages as this fraction of its detection limit (default 0.5)")
    parser.add_argument("--detection-limit", type=_item_value, action="append", default=[], metavar="ITEM=VALUE",
                        help="detection limit (mg/L) for bare ND cells of ITEM; repeatable")
    parser.add_argument("--bare-nd", choices=("error", "missing"), default="error",
                        help="bare ND without a detection limit: refuse (default) or treat as not monitored")
    parser.add_argument("--ignore-unknown", action="store_true", help="drop unrecognised columns instead of failing")
    parser.add_argument("--no-unit-check", action="store_true",
                        help="do not refuse columns whose values look like µg/L")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``water`` and ``cwqi`` subcommands."""
    water = subparsers.add_parser(
        "water", help="GB 3838-2002 water class, main pollutants, rating, river assessment",
        description="Single-factor class per item and sample (GB 3838-2002), exceedance multiples against "
                    "class III, main pollutants, rating, period means, target compliance, rivers and basins "
                    "(2011 assessment method).")
    _common(water)
    water.add_argument("--period", choices=("sample", "month", "quarter", "year", "ytd", "all"), default="sample",
                       help="aggregate samples per section over this period first (default: each sample)")
    water.add_argument("--level", choices=("sample", "section", "river"),
                       help="sample (default with --period sample), section (period means) or river")
    water.add_argument("--min-sections", type=int, default=5,
                       help="rivers with at least this many sections use the class-proportion method (default 5)")
    water.add_argument("--multiple-decimals", type=int, default=2,
                       help="decimals of the multiple in main pollutants (default 2)")
    water.add_argument("--rounding", choices=("half_even", "half_up"), default="half_even",
                       help="rounding of written multiples (default half_even, GB/T 8170)")
    water.add_argument("--do-multiple", action="store_true",
                       help="give DO the local multiple S_III/C − 1 (not in the 2011 method)")
    water.set_defaults(func=handle_water)

    cwqi = subparsers.add_parser(
        "cwqi", help="city water-quality index CWQI per section, river and district, ranked",
        description="CWQI (环办监测〔2017〕51号): 21 items, section, river and district indices, ranking and "
                    "year-on-year change.")
    _common(cwqi)
    cwqi.add_argument("--period", choices=("month", "quarter", "year", "ytd", "all"), default="month",
                      help="period (default month; ytd = year to date)")
    cwqi.add_argument("--level", choices=("section", "river", "district", "all"), default="all",
                      help="which table to write (default all: three tables)")
    cwqi.add_argument("--aggregation", choices=("mean_concentration", "mean_index"), default="mean_concentration",
                      help="river/district CWQI from mean concentrations (default) or mean section CWQI")
    cwqi.add_argument("--do-floor", type=float, help="raise DO below this to it before 5/DO (default: refuse DO 0)")
    cwqi.add_argument("--require-all-items", action="store_true", help="refuse sections lacking any of the 21 items")
    cwqi.set_defaults(func=handle_cwqi)


def _water_config(args: argparse.Namespace, **extra) -> WaterConfig:
    return WaterConfig(nd_fraction=args.nd_fraction, detection_limits=dict(args.detection_limit),
                       bare_nd=args.bare_nd, ignore_unknown_columns=args.ignore_unknown,
                       check_units=not args.no_unit_check, **extra)


def _round(frame: pl.DataFrame, decimals: int | None) -> pl.DataFrame:
    if decimals is None:
        return frame
    return frame.with_columns(pl.col(pl.Float64).round(decimals))


def _times_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Sampling times as "2024-03-05" (or "2024-03-05 10:30" when a time of day was given)."""
    return frame.with_columns(pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M").str.replace(" 00:00$", ""))


def _emit(frames: dict[str, pl.DataFrame], output: str | None, decimals: int | None) -> None:
    frames = {name: _times_as_text(_round(frame, decimals)) for name, frame in frames.items()}
    if output is None:
        for i, (name, frame) in enumerate(frames.items()):
            if len(frames) > 1:
                sys.stdout.write(("\n" if i else "") + f"# {name}\n")
            sys.stdout.write(frame.write_csv())
        return
    path = Path(output)
    if len(frames) == 1:
        write_table(next(iter(frames.values())), path)
    elif path.suffix.lower() == ".xlsx":
        write_xlsx_sheets(frames, path)
    else:
        for name, frame in frames.items():
            write_table(frame, path.with_name(f"{path.stem}_{name}{path.suffix}"))




def _run(args: argparse.Namespace, compute) -> int:
    try:
        frames = compute()
        _emit(frames, args.output, args.decimals)
    except IndicatorInputError as exc:
        print(f"输入有误 / bad input ({args.samples}):\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:  # invalid option combinations and settings
        print(f"参数有误 / bad option: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def handle_water(args: argparse.Namespace) -> int:
    from . import water, water_rivers

    def compute() -> dict[str, pl.DataFrame]:
        config = _water_config(args, min_sections_for_proportion=args.min_sections,
                               multiple_decimals=args.multiple_decimals, rounding=args.rounding,
                               do_multiple=args.do_multiple)
        level = args.level or ("sample" if args.period == "sample" else "section")
        data = read_table(args.samples)
        if level == "sample":
            if args.period != "sample":
                raise ValueError("--level sample goes with --period sample")
            return {"samples": water.classify_samples(data, water_type=args.water_type, config=config)}
        if args.period == "sample":
            raise ValueError(f"--level {level} needs --period month|quarter|year|ytd|all")
        if level == "section":
            return {"sections": water.aggregate(data, args.period, water_type=args.water_type, config=config)}
        return {"rivers": water_rivers.assess_rivers(data, args.period, water_type=args.water_type, config=config)}

    return _run(args, compute)


def handle_cwqi(args: argparse.Namespace) -> int:
    from . import cwqi

    def compute() -> dict[str, pl.DataFrame]:
        config = cwqi.CwqiConfig(aggregation=args.aggregation, do_floor=args.do_floor,
                                 require_all_items=args.require_all_items, water=_water_config(args))
        report = cwqi.cwqi_report(read_table(args.samples), args.period, water_type=args.water_type, config=config)
        if args.level == "all":
            return report
        if f"{args.level}s" not in report:
            raise IndicatorInputError(InputProblem(None, "river", None, "河流指数需要 river（河流）列",
                                                   "river CWQI needs a river column"))
        return {f"{args.level}s": report[f"{args.level}s"]}

    return _run(args, compute)
