"""GB/T 8170 rounding (四舍六入五成双) on the decimal value, as HJ 633-2026 §4.2.2-4.2.3 requires."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoinspect.indicators.rounding import parse_text, round_float_half_even, round_half_even


@pytest.mark.parametrize(
    ("text", "decimals", "expected"),
    [
        ("2.5", 0, 2.0), ("3.5", 0, 4.0), ("0.5", 0, 0.0), ("1.5", 0, 2.0), ("2.51", 0, 3.0), ("2.49", 0, 2.0),
        ("0.35", 1, 0.4), ("0.45", 1, 0.4), ("0.25", 1, 0.2), ("0.251", 1, 0.3), ("1.05", 1, 1.0),
        ("1.15", 1, 1.2), ("35.5", 0, 36.0), ("36.5", 0, 36.0), ("60.49999", 0, 60.0),
        # digits past the 9th decimal still count: just above a tie rounds up, just below rounds down
        ("2.5000000001", 0, 3.0), ("3.4999999999", 0, 3.0), ("0.35000000000001", 1, 0.4),
        ("0.45000000000001", 1, 0.5), ("1e-1", 0, 0.0), (" 7 ", 0, 7.0),
    ],
)  # fmt: skip
def test_gbt_8170_examples(text, decimals, expected):
    assert round_half_even([text], decimals)[0] == expected


def test_floats_stand_for_their_decimal_value():
    # 0.35 and 0.45 are not exact in binary; GB/T 8170 applies to the decimal values 0.35 and 0.45
    assert round_half_even(np.array([0.35, 0.45, 2.675, 1.005]), 1).tolist() == [0.4, 0.4, 2.7, 1.0]
    assert round_half_even(np.array([0.35, 0.45, 2.675, 1.005]), 2).tolist() == [0.35, 0.45, 2.68, 1.0]
    assert round_float_half_even(np.array([0.35, 0.45, 0.25, np.nan]), 1)[:3].tolist() == [0.4, 0.4, 0.2]


def test_non_numbers_are_reported_as_unparsed():
    scaled, parsed, _ = parse_text(__import__("polars").Series(["1.5", "abc", "", "/"]))
    assert parsed.tolist() == [True, False, False, False] and scaled[0] == 1_500_000_000


decimal_text = st.decimals(min_value=0, max_value=5000, places=12, allow_nan=False, allow_infinity=False)


@given(st.lists(decimal_text, min_size=1, max_size=30), st.integers(0, 3))
def test_text_rounding_equals_the_decimal_module(values, decimals):
    texts = [format(v, "f") for v in values]
    expected = [float(Decimal(t).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)) for t in texts]
    assert round_half_even(texts, decimals).tolist() == expected


@given(st.lists(st.decimals(min_value=0, max_value=5000, places=4), min_size=1, max_size=30), st.integers(0, 2))
def test_float_rounding_equals_the_decimal_module_on_the_shortest_repr(values, decimals):
    floats = np.array([float(v) for v in values])
    expected = [float(Decimal(repr(float(f))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)) for f in floats]
    assert round_half_even(floats, decimals).tolist() == expected
    assert round_float_half_even(floats, decimals).tolist() == expected
