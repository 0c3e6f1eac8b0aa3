"""GB 3838-2002 Table 1 re-typed from STANDARDS.md §3.1, a slow scalar reference written straight from it,
boundary values at every class limit, and property tests (hypothesis) against the vectorised engine."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoinspect.indicators.water import classify, exceedance_multiple, item_class

# Typed by hand from the standard (not imported from the code under test). Classes I..V, mg/L.
LE_LIMITS = {
    "codmn": (2, 4, 6, 10, 15),
    "cod": (15, 15, 20, 30, 40),
    "bod5": (3, 3, 4, 6, 10),
    "nh3_n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),
    "cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "fluoride": (1.0, 1.0, 1.0, 1.5, 1.5),
    "se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "as": (0.05, 0.05, 0.05, 0.1, 0.1),
    "hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "cr6": (0.01, 0.05, 0.05, 0.05, 0.1),
    "pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "cn": (0.005, 0.05, 0.2, 0.2, 0.2),
    "phenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "petroleum": (0.05, 0.05, 0.05, 0.5, 1.0),
    "las": (0.2, 0.2, 0.2, 0.3, 0.3),
    "sulfide": (0.05, 0.1, 0.2, 0.5, 1.0),
}
TP_LAKE = (0.01, 0.025, 0.05, 0.1, 0.2)
DO_LIMITS = (7.5, 6, 5, 3, 2)


def reference_class(item: str, c: float, lake: bool = False) -> int:
    """Straight from the table: the best class whose limit the value meets; 6 = 劣Ⅴ; 0 = no value."""
    if c is None or math.isnan(c):
        return 0
    if item == "ph":
        return 1 if 6 <= c <= 9 else 6
    if item == "do":
        for k, limit in enumerate(DO_LIMITS, start=1):
            if c >= limit:
                return k
        return 6
    limits = TP_LAKE if item == "tp" and lake else LE_LIMITS[item]
    for k, limit in enumerate(limits, start=1):
        if c <= limit:
            return k
    return 6


BOUNDARY_CASES = [
    (item, k, limit, limits.index(limit) + 1)  # equal limits (e.g. COD I = II = 15): the best class, I
    for item, limits in LE_LIMITS.items()
    for k, limit in enumerate(limits, start=1)
]


@pytest.mark.parametrize(("item", "k", "limit", "expected"), BOUNDARY_CASES)
def test_value_exactly_at_a_limit_meets_that_class(item, k, limit, expected):
    assert item_class(item, [limit]).tolist() == [expected]
    assert expected <= k


@pytest.mark.parametrize("item", sorted(LE_LIMITS))
def test_just_above_class_v_is_worse_than_v(item):
    above = np.nextafter(LE_LIMITS[item][-1], np.inf)
    assert item_class(item, [above]).tolist() == [6]


@pytest.mark.parametrize(("item", "k"), [(i, k) for i in LE_LIMITS for k in range(5)])
def test_just_above_a_limit_falls_to_the_next_distinct_limit(item, k):
    limits = LE_LIMITS[item]
    above = float(np.nextafter(limits[k], np.inf))
    expected = next((j + 1 for j, limit in enumerate(limits) if limit >= above), 6)
    assert item_class(item, [above]).tolist() == [expected]


def test_identical_class_i_and_ii_limits_give_class_i():
    assert item_class("cod", [15.0]).tolist() == [1]
    assert item_class("bod5", [3.0]).tolist() == [1]
    assert item_class("pb", [0.01]).tolist() == [1]
    assert item_class("cod", [15.01]).tolist() == [3]  # above I/II: next class is III


def test_examples_from_the_table():
    assert item_class("hg", [0.00005, 0.0001, 0.001]).tolist() == [1, 3, 4]
    assert item_class("cd", [0.005]).tolist() == [2]
    assert item_class("cu", [1.0, 1.01]).tolist() == [2, 6]
    assert item_class("zn", [2.0]).tolist() == [4]
    assert item_class("cn", [0.2, 0.21]).tolist() == [3, 6]


def test_dissolved_oxygen_is_higher_is_better_with_inclusive_limits():
    values = [20, 7.5, 7.49, 6, 5.99, 5, 4.99, 3, 2.99, 2, 1.99, 0]
    assert item_class("do", values).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]


def test_ph_inside_6_to_9_meets_every_class_outside_is_worse_than_v():
    assert item_class("ph", [6.0, 7.0, 9.0, 5.99, 9.01, 3.0]).tolist() == [1, 1, 1, 6, 6, 6]


def test_tp_uses_the_lake_column_for_lakes():
    values = [0.01, 0.025, 0.05, 0.1, 0.2, 0.21]
    assert item_class("tp", values, "lake").tolist() == [1, 2, 3, 4, 5, 6]
    assert item_class("tp", values, "river").tolist() == [1, 2, 2, 2, 3, 4]
    assert item_class("tp", [0.05, 0.05], np.array(["river", "lake"])).tolist() == [2, 3]


def test_missing_values_are_not_classified():
    assert item_class("nh3_n", [np.nan]).tolist() == [0]
    assert item_class("temperature", [30.0]).tolist() == [0]


def test_exceedance_multiple_against_class_iii():
    assert exceedance_multiple("nh3_n", [1.0, 1.5, 0.5]).tolist()[1] == pytest.approx(0.5)
    assert np.isnan(exceedance_multiple("nh3_n", [1.0])[0])  # at the limit: not exceeding
    assert exceedance_multiple("tp", [0.1], "lake")[0] == pytest.approx(1.0)  # (0.1 − 0.05) / 0.05
    assert exceedance_multiple("tp", [0.25], "river")[0] == pytest.approx(0.25)


@pytest.mark.parametrize("item", ["temperature", "ph", "do"])
def test_no_exceedance_multiple_for_temperature_ph_do(item):
    assert np.isnan(exceedance_multiple(item, [0.5, 12.0, 40.0])).all()


finite = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(item=st.sampled_from(sorted(LE_LIMITS)), a=finite, b=finite, lake=st.booleans())
def test_class_is_monotone_in_each_le_item(item, a, b, lake):
    low, high = sorted((a, b))
    kind = "lake" if lake else "river"
    assert item_class(item, [low], kind)[0] <= item_class(item, [high], kind)[0]


@settings(max_examples=200, deadline=None)
@given(a=finite, b=finite)
def test_class_is_reversed_monotone_for_do(a, b):
    low, high = sorted((a, b))
    assert item_class("do", [low])[0] >= item_class("do", [high])[0]


ITEMS = ["ph", "do", *sorted(LE_LIMITS)]


def _value(item):
    if item == "ph":
        return st.floats(min_value=4.0, max_value=11.0, allow_nan=False)
    top = 20.0 if item == "do" else 3 * (LE_LIMITS[item][-1])
    near = st.sampled_from(DO_LIMITS if item == "do" else LE_LIMITS[item])  # exact limits are frequent
    return st.one_of(st.floats(min_value=0.0, max_value=top, allow_nan=False), near, st.just(float("nan")))


@st.composite
def samples(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    chosen = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=len(ITEMS), unique=True))
    columns = {item: draw(st.lists(_value(item), min_size=n, max_size=n)) for item in chosen}
    types = draw(st.lists(st.sampled_from(["river", "lake"]), min_size=n, max_size=n))
    return columns, types


@settings(max_examples=150, deadline=None)
@given(data=samples())
def test_vectorised_classification_equals_the_scalar_reference(data):
    columns, types = data
    frame = pl.DataFrame({**columns, "type": types}, schema_overrides=dict.fromkeys(columns, pl.Float64))
    result = classify(frame)
    n = len(types)
    for item, values in columns.items():
        got = item_class(item, np.asarray(values), np.asarray(types)).tolist()
        assert got == [reference_class(item, v, t == "lake") for v, t in zip(values, types)]
    expected_worst = [max(reference_class(i, columns[i][r], types[r] == "lake") for i in columns) for r in range(n)]
    got_worst = result["class_code"].fill_null(0).to_list()
    assert got_worst == expected_worst


@settings(max_examples=100, deadline=None)
@given(item=st.sampled_from(sorted(LE_LIMITS)), data=st.data())
def test_text_input_gives_the_reference_class(item, data):
    from ecoinspect.indicators.water import WaterConfig, classify_samples

    top = 3 * LE_LIMITS[item][-1]
    values = data.draw(st.lists(st.one_of(st.floats(min_value=0.0, max_value=top, allow_nan=False),
                                          st.sampled_from(LE_LIMITS[item])), min_size=1, max_size=20))
    table = {"section": [f"S{i}" for i in range(len(values))], item: [repr(v) for v in values],
             "type": ["river"] * len(values)}
    out = classify_samples(table, config=WaterConfig(check_units=False))  # µg/L heuristic off: raw values
    assert out["class_code"].to_list() == [reference_class(item, v) for v in values]


def test_numpy_arrays_in():
    result = classify({"nh3_n": np.array([0.15, 1.2, np.nan]), "do": np.array([7.5, 4.5, 8.0])})
    assert result["class"].to_list() == ["Ⅰ类", "Ⅳ类", "Ⅰ类"]
