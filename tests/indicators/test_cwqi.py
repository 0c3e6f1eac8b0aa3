"""CWQI (环办监测〔2017〕51号): item indices, section sum, river and district aggregation, ranking,
year-on-year change — STANDARDS.md §4."""

from __future__ import annotations

import pytest

from ecoinspect.indicators.cwqi import CWQI_ITEMS, CwqiConfig, cwqi, cwqi_report, item_index
from ecoinspect.indicators.errors import IndicatorInputError

# Class III limits typed from GB 3838-2002 Table 1 (STANDARDS.md §3.1), not taken from the code.
CLASS_III = {"codmn": 6, "cod": 20, "bod5": 4, "nh3_n": 1.0, "tp": 0.2, "cu": 1.0, "zn": 1.0, "fluoride": 1.0,
             "se": 0.01, "as": 0.05, "hg": 0.0001, "cd": 0.005, "cr6": 0.05, "pb": 0.05, "cn": 0.2,
             "phenol": 0.005, "petroleum": 0.05, "las": 0.2, "sulfide": 0.2}


def test_the_21_items():
    assert len(CWQI_ITEMS) == 21
    assert {"temperature", "tn", "fecal_coliform"}.isdisjoint(CWQI_ITEMS)
    assert set(CWQI_ITEMS) == {*CLASS_III, "ph", "do"}


def test_worked_example_item_indices():
    expected = {"ph": (7.8, 0.40), "do": (4.5, 1.111), "codmn": (5.2, 0.867), "cod": (18, 0.900),
                "bod5": (3.5, 0.875), "nh3_n": (1.2, 1.200), "tp": (0.25, 1.250)}
    for item, (value, index) in expected.items():
        assert item_index(item, [value])[0] == pytest.approx(index, abs=5e-4), item
    frame = cwqi({k: [v] for k, (v, _) in expected.items()})
    assert frame["cwqi"][0] == pytest.approx(6.603, abs=5e-4)
    assert frame["n_items"][0] == 7


@pytest.mark.parametrize(("ph", "index"), [(6.0, 1.0), (6.5, 0.5), (7.0, 0.0), (8.0, 0.5), (9.0, 1.0), (5.0, 2.0)])
def test_ph_index(ph, index):
    assert item_index("ph", [ph])[0] == pytest.approx(index)


def test_do_index_is_inverted():
    assert item_index("do", [5.0, 10.0, 2.5]).tolist() == pytest.approx([1.0, 0.5, 2.0])


def test_lake_tp_uses_the_lake_class_iii_limit():
    assert item_index("tp", [0.1], "lake")[0] == pytest.approx(2.0)
    assert item_index("tp", [0.1], "river")[0] == pytest.approx(0.5)


def test_all_items_at_the_class_iii_limit_sum_to_21():
    values = {k: [v] for k, v in CLASS_III.items()} | {"ph": [9.0], "do": [5.0], "tn": [30.0],
                                                       "fecal_coliform": [1e6], "temperature": [30.0]}
    frame = cwqi(values)
    assert frame["cwqi"][0] == pytest.approx(21.0)
    assert frame["n_items"][0] == 21 and frame["missing_items"][0] == ""


def section_rows(rows, extra=None):
    """rows: (district, river, section, type, time, do, nh3_n)."""
    keys = ("district", "river", "section", "type", "time", "do", "nh3_n")
    data = {k: [str(r[i]) for r in rows] for i, k in enumerate(keys)}
    return data | (extra or {})


def test_river_cwqi_averages_concentrations_first():
    data = section_rows([("D", "R", "A", "river", "2024-03", 2.0, 0.5), ("D", "R", "B", "river", "2024-03", 8.0, 1.5)])
    rivers = cwqi_report(data)["rivers"].row(0, named=True)
    # mean DO 5 → 1.0; mean NH3-N 1.0 → 1.0
    assert rivers["cwqi"] == pytest.approx(2.0)
    by_index = cwqi_report(data, config=CwqiConfig(aggregation="mean_index"))["rivers"].row(0, named=True)
    # section CWQIs: 5/2 + 0.5 = 3.0 and 5/8 + 1.5 = 2.125 → mean 2.5625
    assert by_index["cwqi"] == pytest.approx(2.5625)


def test_district_cwqi_weights_river_and_lake_parts_by_section_count():
    data = section_rows([
        ("D", "R", "A", "river", "2024-03", 5.0, 1.0),   # 2.0
        ("D", "R", "B", "river", "2024-03", 5.0, 2.0),   # river part: DO 1.0 + NH3-N 1.5 = 2.5
        ("D", "L", "C", "lake", "2024-03", 10.0, 0.5),   # lake part: 0.5 + 0.5 = 1.0
    ])
    district = cwqi_report(data)["districts"].row(0, named=True)
    assert district["cwqi_river"] == pytest.approx(2.5)
    assert district["cwqi_lake"] == pytest.approx(1.0)
    assert district["cwqi"] == pytest.approx((2.5 * 2 + 1.0 * 1) / 3)
    assert (district["n_river_sections"], district["n_lake_sections"]) == (2, 1)


def test_ranking_is_ascending_within_each_period():
    data = section_rows([
        ("白云", "R1", "A", "river", "2024-03", 5.0, 2.0),
        ("越秀", "R2", "B", "river", "2024-03", 5.0, 0.5),
        ("荔湾", "R3", "C", "river", "2024-03", 5.0, 1.0),
        ("海珠", "R4", "D", "river", "2024-03", 5.0, 1.0),
    ])
    districts = cwqi_report(data)["districts"]
    assert dict(zip(districts["district"].to_list(), districts["rank"].to_list())) == {
        "越秀": 1, "荔湾": 2, "海珠": 2, "白云": 4}


def test_year_on_year_change():
    data = section_rows([("D", "R", "A", "river", "2023-03", 5.0, 1.5), ("D", "R", "A", "river", "2024-03", 5.0, 1.0),
                         ("E", "Q", "B", "river", "2023-03", 5.0, 1.0), ("E", "Q", "B", "river", "2024-03", 5.0, 1.5)])
    districts = cwqi_report(data)["districts"]
    now = {r["district"]: r for r in districts.iter_rows(named=True) if r["period"] == "2024-03"}
    assert now["D"]["cwqi_base"] == pytest.approx(2.5)
    assert now["D"]["cwqi_change_pct"] == pytest.approx(-20.0)  # (2.0 − 2.5) / 2.5, improved
    assert now["E"]["cwqi_change_pct"] == pytest.approx(25.0)
    assert (now["D"]["change_rank"], now["E"]["change_rank"]) == (1, 2)


def test_units_all_class_ii_in_both_years_leave_the_change_ranking():
    data = section_rows([("D", "R", "A", "river", "2023-03", 8.0, 0.1), ("D", "R", "A", "river", "2024-03", 8.0, 0.3),
                         ("E", "Q", "B", "river", "2023-03", 5.0, 1.0), ("E", "Q", "B", "river", "2024-03", 5.0, 1.5)])
    now = {r["district"]: r for r in cwqi_report(data)["districts"].iter_rows(named=True) if r["period"] == "2024-03"}
    assert now["D"]["excluded_from_change_rank"] is True and now["D"]["change_rank"] is None
    assert now["E"]["change_rank"] == 1


def test_year_to_date():
    data = section_rows([("D", "R", "A", "river", "2024-01", 5.0, 1.0), ("D", "R", "A", "river", "2024-02", 5.0, 2.0)])
    districts = cwqi_report(data, "ytd")["districts"]
    assert dict(zip(districts["period"].to_list(), districts["cwqi"].to_list())) == pytest.approx(
        {"2024-01~01": 2.0, "2024-01~02": 2.5})


def test_non_detects_enter_at_half_the_detection_limit():
    data = section_rows([("D", "R", "A", "river", "2024-03", 5.0, "<0.1")])
    assert cwqi_report(data)["sections"]["nh3_n_index"][0] == pytest.approx(0.05)


def test_do_zero_is_refused_unless_a_floor_is_configured():
    data = section_rows([("D", "R", "A", "river", "2024-03", 0.0, 1.0)])
    with pytest.raises(IndicatorInputError, match="DO"):
        cwqi_report(data)
    floored = cwqi_report(data, config=CwqiConfig(do_floor=0.1))["sections"]
    assert floored["do_index"][0] == pytest.approx(50.0)


def test_missing_items_are_flagged_or_refused():
    data = section_rows([("D", "R", "A", "river", "2024-03", 5.0, 1.0)])
    sections = cwqi_report(data)["sections"]
    assert sections["n_items"][0] == 2 and "总磷" in sections["missing_items"][0]
    with pytest.raises(IndicatorInputError):
        cwqi_report(data, config=CwqiConfig(require_all_items=True))


def test_without_district_column_the_table_is_one_district():
    data = section_rows([("D", "R", "A", "river", "2024-03", 5.0, 1.0)])
    del data["district"]
    assert cwqi_report(data)["districts"].height == 1
