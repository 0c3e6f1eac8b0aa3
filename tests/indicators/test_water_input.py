"""Reading sample tables: names, units, non-detects, and every kind of bad input named by row and column."""

from __future__ import annotations

import polars as pl
import pytest

from ecoinspect.indicators.errors import IndicatorInputError
from ecoinspect.indicators.water import WaterConfig, classify_samples
from ecoinspect.indicators.water_input import parse_samples


def problems(data, **kwargs):
    with pytest.raises(IndicatorInputError) as info:
        parse_samples(data, **kwargs)
    return info.value.problems


def test_chinese_and_mixed_case_headers_are_accepted():
    data = {"断面名称": ["A"], "DO": ["5"], "NH3-N": ["1"], "高锰酸盐指数": ["4"], "铬（六价）": ["0.01"],
            "Total_Phosphorus": ["0.1"], "类型": ["河流"]}
    samples = parse_samples(data)
    assert samples.items == ("do", "codmn", "nh3_n", "tp", "cr6")
    assert samples.frame["type"].to_list() == ["river"]


def test_units_in_the_header_convert_exactly():
    frame = parse_samples({"section": ["A"], "氨氮(µg/L)": ["150"], "粪大肠菌群(MPN/100mL)": ["250"]}).frame
    assert frame["nh3_n"].to_list() == [0.15]
    assert frame["fecal_coliform"].to_list() == [2500.0]


def test_unknown_unit_in_header_is_refused():
    p = next(p for p in problems({"section": ["A"], "氨氮(g/L)": ["1"]}) if p.column == "氨氮(g/L)")
    assert p.column == "氨氮(g/L)" and "单位" in p.reason_zh and "unit" in p.reason_en


def test_non_detect_forms():
    frame = parse_samples({"section": ["A", "B", "C", "D"], "nh3_n": ["<0.02", "0.02L", "＜0.02", "0.5"]}).frame
    assert frame["nh3_n"].to_list() == [0.01, 0.01, 0.01, 0.5]
    assert frame["nh3_n_nd"].to_list() == [True, True, True, False]


def test_bare_nd_needs_a_detection_limit():
    (p,) = problems({"section": ["A", "B"], "nh3_n": ["0.5", "ND"]})
    assert (p.row, p.column, p.value) == (2, "nh3_n", "ND")
    assert "检出限" in p.reason_zh and "detection limit" in p.reason_en
    configured = parse_samples({"section": ["A"], "nh3_n": ["未检出"]},
                               config=WaterConfig(detection_limits={"nh3_n": 0.025})).frame
    assert configured["nh3_n"].to_list() == [0.0125]
    missing = parse_samples({"section": ["A"], "nh3_n": ["ND"], "do": ["6"]}, config=WaterConfig(bare_nd="missing"))
    assert missing.frame["nh3_n"].to_list() == [None]


def test_missing_markers_mean_not_monitored():
    frame = parse_samples({"section": ["A", "B", "C"], "nh3_n": ["", "/", "—"], "do": ["5", "5", "5"]}).frame
    assert frame["nh3_n"].to_list() == [None, None, None]


def test_negative_value_is_an_error_naming_row_and_column():
    (p,) = problems({"section": ["A", "B"], "氨氮": ["0.5", "-0.1"]})
    assert (p.row, p.column, p.value) == (2, "氨氮", "-0.1")
    assert "不能为负数" in str(p) and "must not be negative" in str(p)
    assert "第 2 行" in str(p) and "row 2" in str(p)


def test_non_numeric_value_is_an_error():
    (p,) = problems({"section": ["A"], "do": ["five"]})
    assert (p.row, p.column) == (1, "do") and "不是数值" in p.reason_zh and "not a number" in p.reason_en


@pytest.mark.parametrize(("column", "value"), [("ph", "15"), ("nh3_n", "5000"), ("do", "80"), ("temperature", "90")])
def test_absurd_values_are_errors(column, value):
    (p,) = problems({"section": ["A"], "cod": ["10"], column: [value]})
    assert p.column == column and "单位" in p.reason_zh and "unit" in p.reason_en


def test_microgram_values_in_a_milligram_column_are_detected():
    (p,) = problems({"section": ["A", "B", "C"], "pb": ["5", "8", "3"]})  # µg/L typed as mg/L
    assert p.column == "pb" and "µg/L" in p.reason_zh and "µg/L" in p.reason_en


def test_all_problems_are_reported_together():
    found = problems({"section": ["A", "B"], "do": ["x", "5"], "nh3_n": ["1", "-1"]})
    assert {(p.row, p.column) for p in found} == {(1, "do"), (2, "nh3_n")}


def test_unknown_column_is_refused_unless_ignored():
    (p,) = problems({"section": ["A"], "do": ["5"], "magic": ["1"]})
    assert p.column == "magic" and "未知" in p.reason_zh and "unknown" in p.reason_en
    ok = parse_samples({"section": ["A"], "do": ["5"], "magic": ["1"]}, config=WaterConfig(ignore_unknown_columns=True))
    assert ok.items == ("do",)


def test_known_non_item_columns_pass_through():
    out = classify_samples({"section": ["A"], "do": ["5"], "电导率": ["300"], "备注": ["ok"]})
    assert out["电导率"].to_list() == ["300"] and out["备注"].to_list() == ["ok"]


def test_same_item_twice_is_refused():
    (p,) = problems({"section": ["A"], "do": ["5"], "溶解氧": ["5"]})
    assert p.column == "溶解氧"


def test_missing_section_column():
    found = problems({"do": ["5"]})
    assert any(p.column == "section" for p in found)


def test_no_item_column():
    (p,) = problems({"section": ["A"], "tn": ["1"]})  # TN alone is not assessed
    assert "项目" in p.reason_zh


def test_tp_needs_a_water_type():
    (p,) = problems({"section": ["A"], "tp": ["0.1"]})
    assert p.column == "type"
    assert parse_samples({"section": ["A"], "tp": ["0.1"]}, water_type="lake").frame["type"].to_list() == ["lake"]
    (blank,) = problems({"section": ["A", "B"], "tp": ["0.1", "0.1"], "type": ["lake", ""]})
    assert (blank.row, blank.column) == (2, "type")
    filled = parse_samples({"section": ["A", "B"], "tp": ["0.1", "0.1"], "type": ["lake", ""]}, water_type="river")
    assert filled.frame["type"].to_list() == ["lake", "river"]


def test_bad_type_and_target_cells():
    found = problems({"section": ["A", "B"], "do": ["5", "5"], "type": ["sea", "river"], "target": ["Ⅲ", "VI"]})
    assert {(p.row, p.column) for p in found} == {(1, "type"), (2, "target")}


def test_bad_time_cell():
    (p,) = problems({"section": ["A"], "time": ["yesterday"], "do": ["5"]})
    assert (p.row, p.column) == (1, "time")


def test_time_formats():
    frame = parse_samples({"section": list("ABCDE"), "日期": ["2024/3/5", "2024-03", "2024年3月5日", "20240305",
                                                            "2024-03-05 10:30"], "do": ["5"] * 5}).frame
    assert frame["time"].dt.strftime("%Y-%m-%d").to_list() == ["2024-03-05", "2024-03-01", "2024-03-05",
                                                                "2024-03-05", "2024-03-05"]


def test_duplicate_section_and_time_is_refused_naming_both_rows():
    (p,) = problems({"section": ["A", "B", "A"], "time": ["2024-03-01"] * 3, "do": ["5", "5", "6"]})
    assert p.value == "A" and "1, 3" in p.reason_zh and "1, 3" in p.reason_en


def test_duplicate_section_without_time_is_refused():
    (p,) = problems({"section": ["A", "A"], "do": ["5", "6"]})
    assert "1, 2" in p.reason_en


def test_empty_section_and_river_cells():
    found = problems({"section": ["A", ""], "river": [None, "R"], "do": ["5", "5"]})
    assert {(p.row, p.column) for p in found} == {(2, "section"), (1, "river")}


def test_numeric_frames_are_accepted():
    frame = pl.DataFrame({"section": ["A"], "nh3_n": [1.2], "do": [4.5]})
    assert classify_samples(frame)["class"].to_list() == ["Ⅳ类"]


def test_parent_river_conflict_is_refused():
    found = problems({"section": ["A", "B"], "river": ["T", "T"], "parent_river": ["R1", "R2"], "do": ["5", "5"]})
    assert found[0].column == "parent_river"
