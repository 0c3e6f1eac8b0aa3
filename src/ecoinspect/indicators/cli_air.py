"""``ecoinspect indicators aqi | air-daily | air-period``: air quality from files (.csv, .xlsx, .parquet).

Without ``-o`` the result goes to standard output as CSV. See docs/indicators/aqi.md, air-daily.md and
air-period.md for the rules and examples.
"""

from __future__ import annotations

import argparse
import sys

import polars as pl

from .io import read_table, write_table
from .standards_air import (
    AUTO,
    GB3095_2012,
    GB3095_2026_FINAL,
    GB3095_2026_TRANSITION,
    PERIOD_POLLUTANTS,
    STANDARDS,
)

STANDARD_CHOICES = (*STANDARDS, AUTO)


def _pollutant_numbers(text: str) -> dict[str, float]:
    """``pm2_5=30,pm10=60`` -> {"pm2_5": 30.0, "pm10": 60.0} (pollutants of the composite index)."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip().lower().replace(".", "_").replace("pm25", "pm2_5")
        if name not in PERIOD_POLLUTANTS:
            raise argparse.ArgumentTypeError(f"unknown pollutant {name!r}; use {', '.join(PERIOD_POLLUTANTS)}")
        try:
            out[name] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    return out


def _common(parser: argparse.ArgumentParser, *, standard_help: str) -> None:
    parser.add_argument("input", help="input table (.csv, .xlsx, .parquet)")
    parser.add_argument("-o", "--output", help="output file (.csv, .xlsx, .parquet); default: CSV on stdout")
    parser.add_argument("--standard", choices=STANDARD_CHOICES, default=AUTO, help=standard_help)
    parser.add_argument("--co-unit", choices=("mg", "ug"), default="mg",
                        help="unit of the CO column: mg/m³ (default, as HJ 633) or µg/m³ (divided by 1000)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``aqi``, ``air-daily`` and ``air-period`` subcommands."""
    aqi = subparsers.add_parser(
        "aqi", help="AQI, level, category, primary pollutant per row (HJ 633-2012 / HJ 633-2026)",
        description="IAQI per pollutant, AQI, level, category, colour, primary and (2012) over-standard "
                    "pollutants, and the 2026 publication rule, for hourly (real-time) or daily rows.")  # fmt: skip
    _common(aqi, standard_help="AQI rules; auto (default) picks per row from the time column: "
                               "HJ633-2026 from 2026-03-01 00:00 Asia/Shanghai")  # fmt: skip
    aqi.add_argument("--kind", choices=("hourly", "daily"), required=True,
                     help="hourly: so2 no2 co o3 pm10 pm2_5 (1-h values); daily: so2 no2 co pm10 pm2_5 o3_8h "
                          "(+ o3_1h under 2012)")  # fmt: skip
    aqi.add_argument("--round-inputs", choices=("standard", "always", "never"), default="standard",
                     help="GB/T 8170 rounding of inputs before the IAQI: as the standard says (2026 yes, 2012 no), "
                          "always, never")  # fmt: skip
    aqi.set_defaults(func=handle_aqi)

    daily = subparsers.add_parser(
        "air-daily", help="daily means, O3 max 8-h, validity and daily AQI from station-hours",
        description="Daily means (>= 20 hours), O3 8-h running means (>= 6 of 8) and daily max (windows "
                    "ending 08:00-24:00, >= 14 unless above the limit), O3 max 1-h, validity, completeness "
                    "and the daily AQI per station (or area) and day.")  # fmt: skip
    _common(daily, standard_help="daily AQI rules; auto (default): HJ633-2026 for days from 2026-03-01")
    daily.add_argument("--hour-label", choices=("end", "start"), default="end",
                       help="end (default): '16:00' is 15:00-16:00 (CNEMC); start: hour 0 is 00:00-01:00")
    daily.add_argument("--o3-8h-limit", type=float, default=160.0,
                       help="limit above which a daily max 8-h with < 14 windows is still valid (default 160)")
    daily.add_argument("--area", help="average all stations hour by hour into one area series with this name")
    daily.add_argument("--area-column", help="average stations hour by hour per value of this column")
    daily.add_argument("--reference-state", action="store_true",
                       help="convert SO2/NO2/CO/O3 hours before 2018-09-01 to the reference state (x 273.15/298.15)")
    daily.set_defaults(func=handle_air_daily)

    period = subparsers.add_parser(
        "air-period", help="month/quarter/year statistics, attainment, good-day ratio, composite index",
        description="Means and percentiles (HJ 663), validity (GB 3095 Table 4), attainment against the limits "
                    "in force, good-day ratio, days per AQI level, composite index and its single indices.")
    _common(period, standard_help="daily AQI rules when the input has no aqi/valid_day columns; auto by date")
    period.add_argument("--period", choices=("month", "quarter", "year"), required=True)
    period.add_argument("--limits", choices=("auto", GB3095_2012, GB3095_2026_TRANSITION, GB3095_2026_FINAL),
                        default="auto", help="GB 3095 limits for attainment; auto: in force at the period's end")
    period.add_argument("--zone-class", type=int, choices=(1, 2), default=2, help="GB 3095 zone class (default 2)")
    period.add_argument("--composite-limits", type=_pollutant_numbers, metavar="P=S,...",
                        help="divisors S_i of the composite index, e.g. pm2_5=30,pm10=60,so2=60,no2=40,co=4,o3_8h=160 "
                             "(default: class-2 limits in force; unverified after 2026-03-01)")  # fmt: skip
    period.add_argument("--composite-weights", type=_pollutant_numbers, metavar="P=W,...",
                        help="weights of the single indices, e.g. pm2_5=3,no2=2,o3_8h=2 (default: all 1)")
    period.add_argument("--annual-rule", choices=("days-and-months", "days"), default="days-and-months",
                        help="a valid year needs >= 324 days and every month valid (default, GB 3095 Table 4 "
                             "literally), or only >= 324 days")  # fmt: skip
    period.add_argument("--no-count-rule-for-co-o3", action="store_true",
                        help="do not apply the day-count rules to CO and O3 (GB 3095 Table 4 lists them for "
                             "SO2, NO2, PM only)")  # fmt: skip
    period.add_argument("--area", help="average all stations' daily values per date into one area first")
    period.add_argument("--area-column", help="average daily values per date per value of this column")
    period.set_defaults(func=handle_air_period)


def _emit(frame: pl.DataFrame, output: str | None) -> int:
    frame = frame.with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.Utf8))
    if output:
        write_table(frame, output)
    else:
        sys.stdout.write(frame.write_csv())
    return 0


def handle_aqi(args: argparse.Namespace) -> int:
    from .aqi import compute_aqi

    round_inputs = {"standard": None, "always": True, "never": False}[args.round_inputs]
    out = compute_aqi(read_table(args.input), kind=args.kind, standard=args.standard, co_unit=args.co_unit,
                      round_inputs=round_inputs)  # fmt: skip
    return _emit(out, args.output)


def handle_air_daily(args: argparse.Namespace) -> int:
    from .air_daily import air_daily

    out = air_daily(read_table(args.input), standard=args.standard, hour_label=args.hour_label,
                    co_unit=args.co_unit, o3_8h_limit=args.o3_8h_limit, area=args.area,
                    area_column=args.area_column, gases_to_reference_state=args.reference_state)  # fmt: skip
    return _emit(out, args.output)


def handle_air_period(args: argparse.Namespace) -> int:
    from .air_period import air_period

    out = air_period(read_table(args.input), period=args.period, standard=args.standard, limits=args.limits,
                     zone_class=args.zone_class, composite_limits=_complete_limits(args.composite_limits),
                     composite_weights=args.composite_weights,
                     year_needs_valid_months=args.annual_rule == "days-and-months",
                     count_rule_for_co_o3=not args.no_count_rule_for_co_o3, co_unit=args.co_unit,
                     area=args.area, area_column=args.area_column)  # fmt: skip
    return _emit(out, args.output)


def _complete_limits(limits: dict[str, float] | None) -> dict[str, float] | None:
    if limits is None:
        return None
    missing = [p for p in PERIOD_POLLUTANTS if p not in limits]
    if missing:
        raise ValueError(f"--composite-limits needs all six pollutants; missing: {', '.join(missing)}")
    return limits
