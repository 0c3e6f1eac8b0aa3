"""Tables of the air standards: HJ 633 (AQI), GB 3095 (limits), HJ 663 (assessment statistics).

Every number here is copied from /work/shared/STANDARDS.md with the clause it comes from. Values marked
[M] in that note (not verified against the official text) are defaults that callers can override.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

HJ633_2012: Final = "HJ633-2012"
HJ633_2026: Final = "HJ633-2026"
AUTO: Final = "auto"
STANDARDS: Final = (HJ633_2012, HJ633_2026)

# HJ 633-2026, GB 3095-2026 and HJ 663-2026 took effect 2026-03-01 00:00 local time (Asia/Shanghai).
SWITCH_LOCAL: Final = datetime(2026, 3, 1)
SWITCH_DATE: Final = date(2026, 3, 1)
LOCAL_TZ: Final = "Asia/Shanghai"
# GB 3095-2026 §4.4: transition limits until 2030-12-31, final limits from 2031-01-01.
FINAL_LIMITS_DATE: Final = date(2031, 1, 1)

# --- HJ 633 IAQI breakpoints -----------------------------------------------------------------------
# HJ 633-2012 Table 1 / HJ 633-2026 Table 3. Row i of every column has IAQI = IAQI_STEPS[i].
# Units: µg/m³, CO mg/m³. Only the PM IAQI-100 breakpoints differ between the versions.
IAQI_STEPS: Final = (0, 50, 100, 150, 200, 300, 400, 500)

_GAS_BREAKPOINTS: Final[dict[str, tuple[int, ...]]] = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),  # stops at IAQI 200; see the > 800 rules below
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800),  # stops at IAQI 300; see the > 800 rules below
}
_PM_BREAKPOINTS: Final[dict[str, dict[str, tuple[int, ...]]]] = {
    HJ633_2012: {
        "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
        "pm2_5_24h": (0, 35, 75, 115, 150, 250, 350, 500),
    },
    HJ633_2026: {  # HJ 633-2026 Table 3: IAQI-100 breakpoints 120 and 60
        "pm10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
        "pm2_5_24h": (0, 35, 60, 115, 150, 250, 350, 500),
    },
}
TABLES: Final = tuple(_GAS_BREAKPOINTS) + ("pm10_24h", "pm2_5_24h")


def breakpoints(table: str, standard: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(concentration breakpoints, IAQI values) of one column of the IAQI table."""
    check_standard(standard)
    if table in _GAS_BREAKPOINTS:
        bp = _GAS_BREAKPOINTS[table]
    elif table in _PM_BREAKPOINTS[standard]:
        bp = _PM_BREAKPOINTS[standard][table]
    else:
        raise ValueError(f"unknown IAQI table {table!r}; use one of {', '.join(TABLES)}")
    return bp, IAQI_STEPS[: len(bp)]


# Tables whose last breakpoint is not IAQI 500 have a special rule above it (HJ 633-2012 Table 1 notes
# (2)/(3); HJ 633-2026 Table 3 notes b/c). 2026: a fixed IAQI. 2012: no IAQI from this table
# (SO2 1-h: use the 24-h mean; O3 8-h: use the 1-h value) -> None.
ABOVE_TOP_RULE: Final[dict[str, dict[str, int | None]]] = {
    "so2_1h": {HJ633_2012: None, HJ633_2026: 200},
    "o3_8h": {HJ633_2012: None, HJ633_2026: 300},
}
ABOVE_TABLE_IAQI: Final = 500  # C above the last breakpoint: neither version says; we report 500 + a flag
ABOVE_TABLE_FLAG_ZH: Final = "超出分级上限"
ABOVE_TABLE_FLAG_EN: Final = "above the top of the IAQI table"

# --- Which concentration enters which IAQI (HJ 633 §1.4 of STANDARDS.md) ---------------------------
POLLUTANT_TABLE_HOURLY: Final = {  # real-time report: six 1-h values; PM 1-h on the daily PM breakpoints
    "so2": "so2_1h",
    "no2": "no2_1h",
    "co": "co_1h",
    "o3": "o3_1h",
    "pm10": "pm10_24h",
    "pm2_5": "pm2_5_24h",
}
POLLUTANT_TABLE_DAILY: Final = {  # daily report: daily means, O3 max 8-h; O3 max 1-h only under 2012
    "so2": "so2_24h",
    "no2": "no2_24h",
    "co": "co_24h",
    "pm10": "pm10_24h",
    "pm2_5": "pm2_5_24h",
    "o3_8h": "o3_8h",
    "o3_1h": "o3_1h",
}
DAILY_TERMS: Final = {
    HJ633_2012: ("so2", "no2", "co", "pm10", "pm2_5", "o3_8h", "o3_1h"),  # HJ 633-2012 §5.1: 7 items
    HJ633_2026: ("so2", "no2", "co", "pm10", "pm2_5", "o3_8h"),  # HJ 633-2026 §4.2.2: 6 items
}
HOURLY_TERMS: Final = ("so2", "no2", "co", "o3", "pm10", "pm2_5")

# HJ 633-2026 §4.2.2-4.2.3: decimals kept before the IAQI is computed (GB/T 8170).
INPUT_DECIMALS_2026: Final = {"co": 1}  # every other pollutant: 0 (integer µg/m³)

# Published Chinese names of the pollutants (CNEMC publications).
POLLUTANT_NAMES_ZH: Final = {
    "so2": "二氧化硫",
    "no2": "二氧化氮",
    "co": "一氧化碳",
    "o3": "臭氧1小时",
    "o3_1h": "臭氧1小时",
    "o3_8h": "臭氧8小时",
    "pm10": "颗粒物(PM10)",
    "pm2_5": "细颗粒物(PM2.5)",
}

# --- Levels (HJ 633-2012 Tables 2 and A.1; HJ 633-2026 Tables 1 and A.1) ----------------------------
LEVEL_UPPER_AQI: Final = (50, 100, 150, 200, 300)  # level i+1 when AQI <= LEVEL_UPPER_AQI[i]; above -> 6
CATEGORIES: Final = ("优", "良", "轻度污染", "中度污染", "重度污染", "严重污染")
COLOURS: Final = ("绿色", "黄色", "橙色", "红色", "紫色", "褐红色")
COLOURS_RGB: Final = ("#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023")

# --- GB 3095 limits (class 1 / class 2), µg/m³, CO mg/m³ -------------------------------------------
# Keys: "<pollutant>_annual", "<pollutant>_24h", "o3_8h", "o3_1h", "<pollutant>_1h".
# GB 3095-2012 values are [M] in STANDARDS.md (well known, cross-checked against bulletins [S]);
# GB 3095-2026 Table 1 values are [V].
GB3095_2012: Final = "GB3095-2012"
GB3095_2026_TRANSITION: Final = "GB3095-2026-transition"
GB3095_2026_FINAL: Final = "GB3095-2026-final"
LIMITS: Final[dict[str, dict[int, dict[str, float]]]] = {
    GB3095_2012: {
        1: {"so2_annual": 20, "so2_24h": 50, "so2_1h": 150, "no2_annual": 40, "no2_24h": 80, "no2_1h": 200,
            "co_24h": 4, "co_1h": 10, "o3_8h": 100, "o3_1h": 160, "pm10_annual": 40, "pm10_24h": 50,
            "pm2_5_annual": 15, "pm2_5_24h": 35},
        2: {"so2_annual": 60, "so2_24h": 150, "so2_1h": 500, "no2_annual": 40, "no2_24h": 80, "no2_1h": 200,
            "co_24h": 4, "co_1h": 10, "o3_8h": 160, "o3_1h": 200, "pm10_annual": 70, "pm10_24h": 150,
            "pm2_5_annual": 35, "pm2_5_24h": 75},
    },
    GB3095_2026_TRANSITION: {  # 2026-03-01 ... 2030-12-31
        1: {"so2_annual": 20, "so2_24h": 50, "so2_1h": 150, "no2_annual": 40, "no2_24h": 80, "no2_1h": 200,
            "co_24h": 4, "co_1h": 10, "o3_8h": 100, "o3_1h": 160, "pm10_annual": 40, "pm10_24h": 50,
            "pm2_5_annual": 15, "pm2_5_24h": 35},
        2: {"so2_annual": 60, "so2_24h": 150, "so2_1h": 500, "no2_annual": 40, "no2_24h": 80, "no2_1h": 200,
            "co_24h": 4, "co_1h": 10, "o3_8h": 160, "o3_1h": 200, "pm10_annual": 60, "pm10_24h": 120,
            "pm2_5_annual": 30, "pm2_5_24h": 60},
    },
    GB3095_2026_FINAL: {  # from 2031-01-01
        1: {"so2_annual": 20, "so2_24h": 50, "so2_1h": 150, "no2_annual": 30, "no2_24h": 50, "no2_1h": 200,
            "co_24h": 4, "co_1h": 10, "o3_8h": 100, "o3_1h": 160, "pm10_annual": 20, "pm10_24h": 50,
            "pm2_5_annual": 10, "pm2_5_24h": 25},
        2: {"so2_annual": 20, "so2_24h": 50, "so2_1h": 150, "no2_annual": 30, "no2_24h": 50, "no2_1h": 200,
            "co_24h": 4, "co_1h": 10, "o3_8h": 160, "o3_1h": 200, "pm10_annual": 50, "pm10_24h": 100,
            "pm2_5_annual": 25, "pm2_5_24h": 50},
    },
}  # fmt: skip


def limits_in_force(day: date) -> str:
    """Name of the GB 3095 limit set in force on ``day``."""
    if day < SWITCH_DATE:
        return GB3095_2012
    return GB3095_2026_TRANSITION if day < FINAL_LIMITS_DATE else GB3095_2026_FINAL


# --- HJ 663 assessment ------------------------------------------------------------------------------
PERIOD_POLLUTANTS: Final = ("so2", "no2", "co", "o3_8h", "pm10", "pm2_5")
# HJ 663-2013 Table 1: the percentile of the daily values assessed per pollutant (p in 0..1).
PERCENTILES: Final = {"so2": 0.98, "no2": 0.98, "co": 0.95, "o3_8h": 0.90, "pm10": 0.95, "pm2_5": 0.95}
# Pollutants with an annual-mean limit; CO and O3 are assessed only by their percentile.
HAS_ANNUAL_MEAN_LIMIT: Final = ("so2", "no2", "pm10", "pm2_5")
# GB 3095 Table 4: minimum valid hours per daily mean, valid hours per 8-h window.
MIN_HOURS_PER_DAY: Final = 20
MIN_HOURS_PER_8H_WINDOW: Final = 6
# HJ 663 §6.1.2: >= 14 valid 8-h means ending 08:00..24:00, unless the max exceeds the limit.
MIN_O3_8H_WINDOWS: Final = 14
O3_8H_WINDOW_ENDS: Final = tuple(range(8, 25))  # hour-ending labels 08:00 ... 24:00 (17 windows)
# GB 3095 Table 4: >= 27 daily values a month (February 25), >= 324 a year.
MIN_DAYS_PER_MONTH: Final = 27
MIN_DAYS_FEBRUARY: Final = 25
MIN_DAYS_PER_YEAR: Final = 324
# Reporting precision of period statistics (HJ 663-2013 Appendix A [M]): integers, CO 1 decimal.
REPORT_DECIMALS: Final = {"so2": 0, "no2": 0, "co": 1, "o3_8h": 0, "o3_1h": 0, "pm10": 0, "pm2_5": 0}

# --- Composite index (环办〔2014〕64号 [S]) ---------------------------------------------------------
# I_i = C_i / S_i; S = annual class-2 limits for SO2/NO2/PM, 24-h CO limit, 8-h O3 limit.
# GB 3095-2012 divisors are verified against Guangzhou bulletins (STANDARDS.md §7.4). Which divisors
# and weights apply after 2026-03-01 is [M]: the default uses the class-2 limits in force, weight 1.
COMPOSITE_LIMITS: Final[dict[str, dict[str, float]]] = {
    name: {
        "so2": table[2]["so2_annual"],
        "no2": table[2]["no2_annual"],
        "pm10": table[2]["pm10_annual"],
        "pm2_5": table[2]["pm2_5_annual"],
        "co": table[2]["co_24h"],
        "o3_8h": table[2]["o3_8h"],
    }
    for name, table in LIMITS.items()
}
COMPOSITE_WEIGHTS_DEFAULT: Final = dict.fromkeys(PERIOD_POLLUTANTS, 1.0)

# Guard against absurd input (not from any standard): values at or above these are rejected as errors.
# Dust storms reach several thousand µg/m³ of PM10, smelter plumes thousands of µg/m³ of SO2.
PLAUSIBLE_MAX: Final = {
    "so2": 20000.0, "no2": 20000.0, "o3": 10000.0, "o3_1h": 10000.0, "o3_8h": 10000.0,
    "pm10": 50000.0, "pm2_5": 30000.0, "co": 200.0,
}  # fmt: skip
# CO median above this (mg/m³; the top of the daily CO table) means the column is surely in µg/m³:
# ambient CO is ~0.2-5 mg/m³, i.e. 200-5000 µg/m³.
CO_MEDIAN_UG_SUSPECT: Final = 60.0


def check_standard(standard: str, *, allow_auto: bool = False) -> str:
    allowed = STANDARDS + ((AUTO,) if allow_auto else ())
    if standard not in allowed:
        raise ValueError(f"standard must be one of {', '.join(allowed)}, not {standard!r}")
    return standard
