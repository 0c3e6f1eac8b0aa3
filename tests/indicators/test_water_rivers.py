"""Rivers and basins: class-proportion method (≥ 5 sections) and item means (< 5) — STANDARDS.md §3.3."""

from __future__ import annotations

import numpy as np
import pytest

from ecoinspect.indicators.errors import IndicatorInputError
from ecoinspect.indicators.water import WaterConfig
from ecoinspect.indicators.water_rivers import assess_rivers, proportion_rating

# NH3-N values whose section class is known from the table: Ⅰ, Ⅳ, 劣Ⅴ
GOOD, FOUR, WORSE_V = "0.1", "1.2", "3.0"


def river(values, name="R", kind="river"):
    n = len(values)
    return {"section": [f"{name}{i}" for i in range(n)], "river": [name] * n, "time": ["2024-03-01"] * n,
            "type": [kind] * n, "nh3_n": list(values)}


def rating_of(values):
    out = assess_rivers(river(values), "month")
    return out.filter(out["scope"] == "river").row(0, named=True)


@pytest.mark.parametrize(("good", "four", "worse", "expected"), [
    (9, 1, 0, "优"),          # Ⅰ–Ⅲ = 90 %
    (18, 1, 1, "优"),         # 90 %
    (8, 2, 0, "良好"),        # 80 %
    (15, 5, 0, "良好"),       # 75 % exactly
    (14, 3, 3, "轻度污染"),   # 70 %, 劣Ⅴ 15 %
    (14, 2, 4, "中度污染"),   # 劣Ⅴ 20 % exactly
    (12, 1, 7, "中度污染"),   # 劣Ⅴ 35 %
    (12, 0, 8, "重度污染"),   # 劣Ⅴ 40 % exactly
    (4, 0, 1, "良好"),        # 5 sections: 80 %
])
def test_class_proportion_method_thresholds(good, four, worse, expected):
    result = rating_of([GOOD] * good + [FOUR] * four + [WORSE_V] * worse)
    assert result["method"] == "class_proportion"
    assert result["rating"] == expected
    assert result["class"] is None  # the proportion method gives a rating, not a class
    assert result["n_sections"] == good + four + worse


def test_proportion_rating_function_uses_exact_fractions():
    assert proportion_rating([10, 20, 20, 20, 20], [9, 15, 14, 14, 14], [0, 0, 3, 4, 8]).tolist() == [
        "优", "良好", "轻度污染", "中度污染", "重度污染"]


def test_fewer_than_five_sections_use_item_means():
    result = rating_of(["0.5", "0.5", "1.0", "2.0"])  # mean 1.0 → Ⅲ, although one section is Ⅴ
    assert result["method"] == "item_mean"
    assert (result["class"], result["rating"]) == ("Ⅲ类", "良好")
    assert result["nh3_n"] == 1.0


def test_item_mean_method_reports_main_pollutants():
    result = rating_of(["3.0", "1.0"])  # mean 2.0 → Ⅴ, multiple 1.0
    assert (result["class"], result["rating"], result["main_pollutants"]) == ("Ⅴ类", "中度污染", "氨氮(1)")


def test_five_sections_switch_to_proportion_and_threshold_is_configurable():
    values = [GOOD, GOOD, GOOD, WORSE_V, WORSE_V]
    assert assess_rivers(river(values), "month")["method"].to_list() == ["class_proportion"]
    six = assess_rivers(river(values), "month", config=WaterConfig(min_sections_for_proportion=6))
    assert six["method"].to_list() == ["item_mean"]


def test_lakes_use_point_means_with_the_lake_tp_column():
    data = river(["0.1"] * 6, name="L", kind="lake")
    data["tp"] = ["0.04", "0.04", "0.06", "0.06", "0.05", "0.05"]
    result = assess_rivers(data, "month").row(0, named=True)
    assert result["method"] == "item_mean"
    assert result["class"] == "Ⅲ类"  # mean TP 0.05 = lake class III limit (river Ⅱ)


def test_sections_are_averaged_over_the_period_first():
    data = {"section": ["A", "A", "B"], "river": ["R"] * 3, "time": ["2024-03-01", "2024-03-15", "2024-03-01"],
            "nh3_n": ["0.5", "1.5", "0.4"]}
    result = assess_rivers(data, "month").row(0, named=True)
    assert result["n_sections"] == 2
    assert result["nh3_n"] == pytest.approx(0.7)  # (1.0 + 0.4) / 2, each section weighs the same


def test_basin_includes_tributaries_of_any_depth():
    main = river([GOOD] * 3, name="M")
    trib = river([WORSE_V], name="T")
    sub = river([WORSE_V, WORSE_V], name="S")
    data = {k: main[k] + trib[k] + sub[k] for k in main}
    data["parent_river"] = [""] * 3 + ["M"] + ["T", "T"]
    out = assess_rivers(data, "month")
    basins = {r["river"]: r for r in out.filter(out["scope"] == "basin").iter_rows(named=True)}
    assert set(basins) == {"M", "T"}
    assert basins["M"]["n_sections"] == 6 and basins["M"]["method"] == "class_proportion"
    assert basins["M"]["rating"] == "重度污染"  # Ⅰ–Ⅲ 50 %, 劣Ⅴ 50 %
    assert basins["T"]["n_sections"] == 3
    rivers = out.filter(out["scope"] == "river")
    assert dict(zip(rivers["river"].to_list(), rivers["n_sections"].to_list())) == {"M": 3, "S": 2, "T": 1}


def test_parent_cycle_is_refused():
    data = {"section": ["A", "B"], "river": ["X", "Y"], "parent_river": ["Y", "X"], "nh3_n": ["1", "1"],
            "time": ["2024-03-01"] * 2}
    with pytest.raises(IndicatorInputError, match="cycle"):
        assess_rivers(data, "month")


def test_river_column_is_required():
    with pytest.raises(IndicatorInputError, match="river"):
        assess_rivers({"section": ["A"], "nh3_n": ["1"], "time": ["2024-03-01"]}, "month")


def test_many_rivers_are_assessed_at_once():
    n = 3000
    rng = np.random.default_rng(1)
    data = {"section": [f"S{i}" for i in range(n)], "river": [f"R{i % 300}" for i in range(n)],
            "time": ["2024-03-01"] * n, "nh3_n": [f"{v:.3f}" for v in rng.uniform(0, 3, n)]}
    out = assess_rivers(data, "month")
    assert out.height == 300 and set(out["method"].to_list()) == {"class_proportion"}
