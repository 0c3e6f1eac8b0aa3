"""Exact decimal arithmetic for concentrations, vectorised.

A concentration is carried as an int64 count of 10⁻⁹ units ("scaled"): 35.5 µg/m³ -> 35_500_000_000. That
makes HJ 633's ceiling and GB/T 8170's round-half-even exact on the decimal value the monitoring system
reported, with no binary-float surprises (0.35 is not 0.35 in binary; 4.9 µg/m³ of PM2.5 must give
IAQI 7, not 8). Nine decimals is far below any measurement resolution; values with more decimals are
taken to 9 decimals (text input keeps a "sticky" bit so GB/T 8170 ties stay exact, see ``parse_text``).

GB/T 8170 (四舍六入五成双): round to nearest; only when the discarded part is exactly 5 followed by zeros,
round to the even neighbour.
"""

from __future__ import annotations

import numpy as np
import polars as pl

SCALE_DIGITS = 9
SCALE = 10**SCALE_DIGITS
# |x| * SCALE must stay well inside int64 and inside the exact-integer range of float64 (2**53 ≈ 9e15).
MAX_ABS_VALUE = 1e6


def to_scaled(values: np.ndarray) -> np.ndarray:
    """Float array -> int64 count of 10⁻⁹ (NaN -> 0; callers keep their own missing mask).

    A float stands for its shortest decimal representation, so 0.1 -> 100_000_000 exactly. Exact for
    values with at most 9 decimals and |x| < 1e6.
    """
    x = np.asarray(values, dtype=np.float64)
    out = np.rint(np.where(np.isnan(x), 0.0, x) * SCALE)
    if out.size and np.abs(out).max() > MAX_ABS_VALUE * SCALE:
        raise ValueError(f"value too large for exact decimal arithmetic (|x| must be < {MAX_ABS_VALUE:g})")
    return out.astype(np.int64)


def from_scaled(scaled: np.ndarray) -> np.ndarray:
    return np.asarray(scaled, dtype=np.int64) / SCALE


def parse_text(texts: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decimal strings -> (scaled int64, parsed mask, sticky mask), exact on the decimal text.

    Strings that are not numbers come back unparsed (mask False) for the caller to report. Digits past the
    9th decimal are cut and remembered in ``sticky`` (the true value is a bit above the scaled one), which
    is all GB/T 8170 needs to decide a tie exactly.
    """
    s = texts.cast(pl.Utf8).str.strip_chars()
    long_fraction = s.str.contains(r"^[+-]?\d*\.\d{10,}$")
    sticky = np.zeros(len(s), dtype=bool)
    if long_fraction.any():
        sticky = (long_fraction & s.str.extract(r"\.\d{9}(\d+)$").str.contains("[1-9]")).fill_null(False)
        sticky = sticky.to_numpy()
        s = pl.Series(s.name, s).str.replace(r"^([+-]?\d*\.\d{9})\d+$", "${1}")
    decimal = s.cast(pl.Decimal(38, SCALE_DIGITS), strict=False)
    physical = decimal.to_physical()  # int128 count of 10⁻⁹
    too_big = (physical.abs() > int(MAX_ABS_VALUE) * SCALE).fill_null(False)
    physical = pl.select(pl.when(too_big).then(None).otherwise(physical)).to_series()
    parsed = physical.is_not_null().to_numpy()
    scaled = physical.fill_null(0).cast(pl.Int64).to_numpy()
    # a number too large for the exact path is still a number: report it as absurd, not as text
    too_big_np = too_big.to_numpy()
    if too_big_np.any():
        scaled = scaled.copy()
        scaled[too_big_np] = int(MAX_ABS_VALUE) * SCALE
        parsed = parsed | too_big_np
    return scaled, parsed, sticky & parsed


def round_half_even_scaled(scaled: np.ndarray, decimals: int, sticky: np.ndarray | None = None) -> np.ndarray:
    """GB/T 8170 rounding of scaled values to ``decimals`` places; the result is still scaled."""
    if not 0 <= decimals <= SCALE_DIGITS:
        raise ValueError("decimals must be between 0 and 9")
    unit = 10 ** (SCALE_DIGITS - decimals)
    n = np.asarray(scaled, dtype=np.int64)
    quotient = n // unit  # floor, also for negatives
    twice_rest = 2 * (n - quotient * unit)
    tie = twice_rest == unit
    odd = quotient % 2 == 1
    # digits discarded beyond the 9th decimal make a "tie" a bit more than half: round up
    up_tie = tie & (odd | sticky) if sticky is not None else tie & odd
    return (quotient + ((twice_rest > unit) | up_tie)) * unit


def round_half_even(values, decimals: int = 0) -> np.ndarray:
    """GB/T 8170 round-half-even of decimal values (floats by their shortest repr, or strings), as floats.

    >>> round_half_even(["0.35", "0.45", "2.5", "3.5", "2.51"], 1).tolist()
    [0.4, 0.4, 2.5, 3.5, 2.5]
    >>> round_half_even([2.5, 3.5, 0.5], 0).tolist()
    [2.0, 4.0, 0.0]
    """
    if isinstance(values, pl.Series) and values.dtype == pl.Utf8 or (
        not isinstance(values, pl.Series | np.ndarray) and any(isinstance(v, str) for v in values)
    ):
        scaled, parsed, sticky = parse_text(pl.Series(values, dtype=pl.Utf8))
        out = from_scaled(round_half_even_scaled(scaled, decimals, sticky))
        return np.where(parsed, out, np.nan)
    x = values.to_numpy() if isinstance(values, pl.Series) else np.asarray(values, dtype=np.float64)
    x = x.astype(np.float64)
    out = from_scaled(round_half_even_scaled(to_scaled(x), decimals))
    return np.where(np.isnan(x), np.nan, out)


def round_float_half_even(x: np.ndarray, decimals: int) -> np.ndarray:
    """Fast GB/T 8170 rounding of a float array (NaN kept); identical to ``round_half_even``.

    For 0 decimals ``np.rint`` is already exact: a float is a decimal tie k.5 only if it equals k.5
    exactly, and ``rint`` breaks ties to even. For other precisions only the near-ties go through the
    exact scaled path.
    """
    x = np.asarray(x, dtype=np.float64)
    if decimals == 0:
        return np.rint(x)
    factor = 10.0**decimals
    y = x * factor
    out = np.rint(y) / factor
    near_tie = np.abs(y - np.floor(y) - 0.5) < 1e-6
    if near_tie.any():
        out[near_tie] = from_scaled(round_half_even_scaled(to_scaled(x[near_tie]), decimals))
    return out
