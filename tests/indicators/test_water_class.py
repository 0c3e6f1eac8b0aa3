"""Sample class, rating, main pollutants, target compliance, period means — STANDARDS.md §3 and §4."""

from __future__ import annotations

import pytest

from ecoinspect.indicators.water import WaterConfig, aggregate, classify_samples

WORKED = {"section": ["S1"], "ph": ["7.8"], "do": ["4.5"], "codmn": ["5.2"], "cod": ["18"], "bod5": ["3.5"],
          "nh3_n": ["1.2"], "tp": ["0.25"]}


def one(result, column):
    return result[column].to_list()[0]


def test_worked_example_of_standards_section_4():
    out = classify_samples(WORKED, water_type="river")
    expected_classes = {"do": "Ⅳ类", "codmn": "Ⅲ类", "cod": "Ⅲ类", "bod5": "Ⅲ类", "nh3_n": "Ⅳ类", "tp": "Ⅳ类"}
    assert {k: one(out, f"{k}_class") for k in expected_classes} == expected_classes
    assert one(out, "class") == "Ⅳ类"
    assert one(out, "class_code") == 4
    assert one(out, "rating") == "轻度污染"
    assert one(out, "tp_multiple") == pytest.approx(0.25)
    assert one(out, "nh3_n_multiple") == pytest.approx(0.2)
    assert one(out, "do_multiple") is None
    assert one(out, "main_pollutants") == "总磷(0.25)、氨氮(0.2)、溶解氧"
    assert set(one(out, "deciding_items").split("、")) == {"溶解氧", "氨氮", "总磷"}


@pytest.mark.parametrize(("nh3_n", "label", "rating"), [
    (0.1, "Ⅰ类", "优"), (0.5, "Ⅱ类", "优"), (1.0, "Ⅲ类", "良好"), (1.5, "Ⅳ类", "轻度污染"),
    (2.0, "Ⅴ类", "中度污染"), (2.01, "劣Ⅴ类", "重度污染"),
])
def test_class_labels_and_ratings(nh3_n, label, rating):
    out = classify_samples({"section": ["S"], "nh3_n": [nh3_n]})
    assert (one(out, "class"), one(out, "rating")) == (label, rating)


def test_tn_fecal_coliform_and_temperature_do_not_decide_the_class():
    out = classify_samples({"section": ["S"], "nh3_n": ["0.1"], "tn": ["10"], "fecal_coliform": ["1000000"],
                            "temperature": ["35"]})
    assert one(out, "class") == "Ⅰ类"
    assert "tn_class" not in out.columns and "fecal_coliform_class" not in out.columns
    assert one(out, "main_pollutants") == ""
    assert one(out, "tn") == 10.0  # still reported


def test_no_main_pollutants_at_class_iii_or_better():
    out = classify_samples({"section": ["S"], "nh3_n": ["1.0"], "do": ["5"]})
    assert one(out, "class") == "Ⅲ类"
    assert one(out, "main_pollutants") == ""


def test_main_pollutants_worst_class_first_then_largest_multiple_at_most_three():
    # COD 劣Ⅴ (1.5), NH3-N 劣Ⅴ (2.0), TP Ⅴ (1.0), CODMn Ⅳ (0.5), DO Ⅴ (no multiple)
    out = classify_samples({"section": ["S"], "cod": ["50"], "nh3_n": ["3"], "tp": ["0.4"], "codmn": ["9"],
                            "do": ["2.5"]}, water_type="river")
    assert one(out, "class") == "劣Ⅴ类"
    assert one(out, "main_pollutants") == "氨氮(2)、化学需氧量(1.5)、总磷(1)"


def test_cyanide_and_heavy_metals_that_exceed_are_listed_first():
    out = classify_samples({"section": ["S"], "pb": ["0.06"], "nh3_n": ["3"], "cod": ["50"], "tp": ["0.5"]},
                           water_type="river")
    assert one(out, "main_pollutants") == "铅(0.2)、氨氮(2)、化学需氧量(1.5)"


def test_ph_outside_range_is_a_main_pollutant_without_multiple():
    out = classify_samples({"section": ["S"], "ph": ["9.5"], "nh3_n": ["0.1"]})
    assert (one(out, "class"), one(out, "main_pollutants")) == ("劣Ⅴ类", "pH值")


@pytest.mark.parametrize(("rounding", "text"), [("half_even", "氨氮(0.12)"), ("half_up", "氨氮(0.13)")])
def test_written_multiple_rounding_is_configurable(rounding, text):
    out = classify_samples({"section": ["S"], "nh3_n": ["1.125"]}, config=WaterConfig(rounding=rounding))
    assert one(out, "main_pollutants") == text


def test_do_multiple_only_as_local_convention():
    plain = classify_samples({"section": ["S"], "do": ["4"]})
    local = classify_samples({"section": ["S"], "do": ["4"]}, config=WaterConfig(do_multiple=True))
    assert one(plain, "do_multiple") is None
    assert one(local, "do_multiple") == pytest.approx(0.25)  # (5 − 4) / 4


def test_target_compliance():
    out = classify_samples({"section": ["A", "B", "C"], "nh3_n": ["1.0", "1.2", "0.3"], "do": ["6", "6", "4"],
                            "target_class": ["Ⅲ", "III类", "2"]})
    assert out["target_class"].to_list() == ["Ⅲ类", "Ⅲ类", "Ⅱ类"]
    assert out["meets_target"].to_list() == [True, False, False]
    assert out["items_over_target"].to_list() == ["", "氨氮", "溶解氧"]


def test_lake_rows_use_the_lake_tp_limits():
    out = classify_samples({"section": ["A", "B"], "type": ["湖库", "河流"], "tp": ["0.06", "0.06"]})
    assert out["class"].to_list() == ["Ⅳ类", "Ⅱ类"]
    assert out["tp_multiple"].to_list()[0] == pytest.approx(0.2)  # (0.06 − 0.05) / 0.05
    assert out["tp_multiple"].to_list()[1] is None


def test_do_saturation_rule_is_opt_in():
    data = {"section": ["S"], "do": ["7.2"], "temperature": ["30"]}  # saturation 468 / 61.6 = 7.597 mg/L
    assert one(classify_samples(data), "do_class") == "Ⅱ类"
    assert one(classify_samples(data, config=WaterConfig(do_saturation_class_i=True)), "do_class") == "Ⅰ类"


def test_monthly_mean_then_class():
    data = {"section": ["A", "A", "A"], "time": ["2024-03-01", "2024-03-20", "2024-04-02"],
            "nh3_n": ["0.9", "1.1", "3"], "do": ["6", "4", "7"]}
    out = aggregate(data, "month")
    assert out["period"].to_list() == ["2024-03", "2024-04"]
    assert out["n_samples"].to_list() == [2, 1]
    assert out["nh3_n"].to_list()[0] == 1.0  # exactly, so the inclusive class III limit is met
    assert out["class"].to_list() == ["Ⅲ类", "劣Ⅴ类"]


def test_quarter_year_and_year_to_date_periods():
    data = {"section": ["A"] * 3, "time": ["2024-01-10", "2024-02-10", "2024-04-10"], "nh3_n": ["0.2", "0.4", "1.2"]}
    assert aggregate(data, "quarter")["period"].to_list() == ["2024Q1", "2024Q2"]
    year = aggregate(data, "year")
    assert year["nh3_n"].to_list() == [pytest.approx(0.6)]
    ytd = aggregate(data, "ytd")
    assert ytd["period"].to_list() == ["2024-01~01", "2024-01~02", "2024-01~03", "2024-01~04"]
    assert ytd["nh3_n"].to_list() == [pytest.approx(v) for v in (0.2, 0.3, 0.3, 0.6)]


def test_non_detects_enter_means_at_half_the_detection_limit():
    data = {"section": ["A", "A"], "time": ["2024-03-01", "2024-03-15"], "nh3_n": ["<0.1", "0.3"]}
    assert aggregate(data, "month")["nh3_n"].to_list() == [pytest.approx(0.175)]
    zero = aggregate(data, "month", config=WaterConfig(nd_fraction=0.0))
    assert zero["nh3_n"].to_list() == [pytest.approx(0.15)]


def test_an_item_not_monitored_in_a_period_is_not_called_a_non_detect():
    data = {"section": ["A", "A"], "time": ["2024-03-01", "2024-04-01"], "nh3_n": ["<0.1", ""], "do": ["6", "6"]}
    assert aggregate(data, "month")["nd_items"].to_list() == ["nh3_n", ""]
