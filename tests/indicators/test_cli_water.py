"""``ecoinspect indicators water`` / ``cwqi``: the handlers through argparse, files in and out, exit codes."""

from __future__ import annotations

import argparse
import importlib

import polars as pl
import pytest

from ecoinspect.indicators import cli_water
from ecoinspect.indicators.io import read_table

CSV = """断面,河流,日期,类型,pH值,溶解氧,高锰酸盐指数,化学需氧量,五日生化需氧量,氨氮,总磷,水质目标
A,R,2024-03-05,河流,7.8,4.5,5.2,18,3.5,1.2,0.25,Ⅲ
B,R,2024-03-05,河流,7.1,7.5,2,15,3,0.15,0.02,Ⅱ
"""


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ecoinspect indicators")
    cli_water.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def samples(tmp_path):
    path = tmp_path / "samples.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_water_per_sample_to_stdout(samples, capsys):
    assert run(["water", str(samples)]) == 0
    out = pl.read_csv(capsys.readouterr().out.encode())
    first = out.row(0, named=True)
    assert (first["class"], first["rating"], first["main_pollutants"]) == ("Ⅳ类", "轻度污染", "总磷(0.25)、氨氮(0.2)、溶解氧")
    assert first["time"] == "2024-03-05"
    assert out["meets_target"].to_list() == [False, True]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_water_output_formats(samples, tmp_path, suffix):
    target = tmp_path / f"out{suffix}"
    assert run(["water", str(samples), "--period", "month", "-o", str(target)]) == 0
    frame = read_table(target)
    assert frame["section"].to_list() == ["A", "B"]
    assert frame["class"].to_list() == ["Ⅳ类", "Ⅰ类"]


def test_water_rivers(samples, capsys):
    assert run(["water", str(samples), "--period", "month", "--level", "river"]) == 0
    out = pl.read_csv(capsys.readouterr().out.encode())
    assert out["method"].to_list() == ["item_mean"]


def test_cwqi_three_tables_in_one_workbook(samples, tmp_path):
    target = tmp_path / "cwqi.xlsx"
    assert run(["cwqi", str(samples), "--decimals", "3", "-o", str(target)]) == 0
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(target))
    assert workbook.sheet_names == ["sections", "rivers", "districts"]
    rows = workbook.get_sheet_by_name("sections").to_python()
    record = dict(zip(rows[0], next(r for r in rows[1:] if r[rows[0].index("section")] == "A")))
    assert record["cwqi"] == pytest.approx(6.603)


def test_cwqi_one_level_as_csv_files(samples, tmp_path):
    target = tmp_path / "cwqi.csv"
    assert run(["cwqi", str(samples), "--level", "district", "-o", str(target)]) == 0
    assert pl.read_csv(target).height == 1


def test_bad_input_exits_2_with_bilingual_message_and_no_traceback(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("section,do,nh3_n\nA,5,-1\nB,x,1\n", encoding="utf-8")
    assert run(["water", str(path)]) == 2
    err = capsys.readouterr().err
    assert "第 1 行" in err and "row 1" in err and "nh3_n" in err and "不能为负数" in err and "must not be negative" in err
    assert "第 2 行" in err and "do" in err
    assert "Traceback" not in err


def test_missing_file_and_bad_options_exit_2(tmp_path, samples, capsys):
    assert run(["water", str(tmp_path / "nope.csv")]) == 2
    assert run(["water", str(samples), "--level", "river"]) == 2  # rivers need a period
    assert "bad option" in capsys.readouterr().err


def test_detection_limit_option(tmp_path, capsys):
    path = tmp_path / "nd.csv"
    path.write_text("section,nh3_n\nA,ND\n", encoding="utf-8")
    assert run(["water", str(path)]) == 2
    capsys.readouterr()
    assert run(["water", str(path), "--detection-limit", "氨氮=0.025"]) == 0
    assert pl.read_csv(capsys.readouterr().out.encode())["nh3_n"].to_list() == [0.0125]


def test_registered_in_the_indicators_command_when_present(samples):
    cli = importlib.import_module("ecoinspect.indicators.cli")
    assert "ecoinspect.indicators.cli_water" in cli.SUBCOMMAND_MODULES
    assert cli.main(["water", str(samples)]) == 0


def test_xlsx_input_with_numeric_and_date_cells(tmp_path, capsys):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["断面", "采样日期", "溶解氧", "氨氮", "总磷"])
    sheet.append(["A", datetime(2024, 3, 5), 4.5, 1.2, 0.25])
    sheet.append(["B", datetime(2024, 3, 5), 7.5, "0.02L", 0.02])
    path = tmp_path / "samples.xlsx"
    workbook.save(path)
    assert run(["water", str(path), "--type", "river"]) == 0
    out = pl.read_csv(capsys.readouterr().out.encode())
    assert out["class"].to_list() == ["Ⅳ类", "Ⅰ类"]
    assert out["nd_items"].to_list() == ["", "nh3_n"]


def test_cwqi_river_level_without_river_column_exits_2(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_text("section,time,do,nh3_n\nA,2024-03-01,5,1\n", encoding="utf-8")
    assert run(["cwqi", str(path), "--level", "river"]) == 2
    assert "river" in capsys.readouterr().err
    assert run(["cwqi", str(path)]) == 0
