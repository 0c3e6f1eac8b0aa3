"""Shared fixtures for the indicator tests: the public data folder and an independent AQI reference.

The reference below is written straight from HJ 633 formula (1) with ``fractions.Fraction`` and its own
copy of the breakpoint tables (typed from STANDARDS.md §1.1, not imported from the code under test), so a
wrong number in either place makes the comparison tests fail.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    return Path(os.environ.get("ECOINSPECT_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"public test data not found at {path} (set ECOINSPECT_SHARED_DATA to the shared/data folder)")
    return path


@pytest.fixture(scope="session")
def cnemc_dir(shared_data: Path) -> Path:
    path = shared_data / "cnemc"
    if not path.is_dir():
        pytest.skip(f"CNEMC publications not found at {path}")
    return path


@pytest.fixture(scope="session")
def beijing_dir(shared_data: Path) -> Path:
    path = shared_data / "beijing_multisite"
    if not path.is_dir() or not list(path.glob("PRSA_Data_*.csv")):
        pytest.skip(f"UCI Beijing data not found at {path}")
    return path


# --- independent reference (HJ 633-2012 Table 1, HJ 633-2026 Table 3) ---------------------------------
STEPS = (0, 50, 100, 150, 200, 300, 400, 500)
REFERENCE_TABLES = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800),
    ("pm10_24h", "HJ633-2012"): (0, 50, 150, 250, 350, 420, 500, 600),
    ("pm10_24h", "HJ633-2026"): (0, 50, 120, 250, 350, 420, 500, 600),
    ("pm2_5_24h", "HJ633-2012"): (0, 35, 75, 115, 150, 250, 350, 500),
    ("pm2_5_24h", "HJ633-2026"): (0, 35, 60, 115, 150, 250, 350, 500),
}
TABLE_NAMES = ("so2_24h", "so2_1h", "no2_24h", "no2_1h", "co_24h", "co_1h", "o3_1h", "o3_8h", "pm10_24h", "pm2_5_24h")


def reference_breakpoints(table: str, standard: str) -> tuple[int, ...]:
    return REFERENCE_TABLES.get(table) or REFERENCE_TABLES[(table, standard)]


def reference_iaqi(table: str, concentration, standard: str) -> int | None:
    """IAQI by formula (1), rounded up; above the table: HJ 633-2026 notes b/c, None for the 2012 notes,
    500 elsewhere (the documented project choice)."""
    c = Fraction(str(concentration)) if not isinstance(concentration, Fraction) else concentration
    bp = reference_breakpoints(table, standard)
    if c > bp[-1]:
        if table == "so2_1h":
            return 200 if standard == "HJ633-2026" else None
        if table == "o3_8h":
            return 300 if standard == "HJ633-2026" else None
        return 500
    for i in range(len(bp) - 1):
        if bp[i] <= c <= bp[i + 1]:
            value = Fraction(STEPS[i + 1] - STEPS[i], bp[i + 1] - bp[i]) * (c - bp[i]) + STEPS[i]
            return math.ceil(value)
    raise AssertionError("negative concentration")


def half_even(concentration, decimals: int) -> Fraction:
    """GB/T 8170 on the decimal value, via the decimal module."""
    from decimal import ROUND_HALF_EVEN, Decimal

    quantum = Decimal(1).scaleb(-decimals)
    return Fraction(Decimal(str(concentration)).quantize(quantum, rounding=ROUND_HALF_EVEN))
