"""``ecoinspect indicators aqi | air-daily | air-period`` end to end: files in and out, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import polars as pl
import pytest

from ecoinspect.indicators import cli
from ecoinspect.indicators.io import read_table, write_table

HOURLY_CSV = """time,station,SO2,NO2,CO,O3,PM10,PM2.5,note
2026-03-10 12:00,1001A,5,49,0.7,54,81,58,万寿西宫
2022-01-01 12:00,1345A,13,46,1.1,37,93,51,广雅中学
2026-03-10 12:00,1957A,/,19,/,87,194,47,棉纺厂
"""


@pytest.fixture
def hourly_csv(tmp_path):
    path = tmp_path / "hourly.csv"
    path.write_text(HOURLY_CSV, encoding="utf-8")
    return path


def run(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_aqi_to_stdout_with_auto_standard(hourly_csv, capsys):
    code, out, err = run(["aqi", str(hourly_csv), "--kind", "hourly"], capsys)
    assert code == 0 and err == ""
    frame = pl.read_csv(out.encode(), infer_schema=False)
    assert frame["note"].to_list() == ["万寿西宫", "广雅中学", "棉纺厂"]  # extra columns kept
    assert frame["aqi"].to_list() == ["96", "72", "129"]  # the published CNEMC values
    assert frame["standard"].to_list() == ["HJ633-2026", "HJ633-2012", "HJ633-2026"]
    assert frame["category"].to_list() == ["良", "良", "轻度污染"]
    assert frame["primary_pollutants"].to_list() == ["pm2_5", "pm10", "pm10"]
    assert frame["publishable"].to_list() == ["true", "true", "true"]


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_aqi_reads_and_writes_excel_and_parquet(hourly_csv, tmp_path, capsys, suffix):
    source = tmp_path / f"in{suffix}"
    write_table(read_table(hourly_csv), source)
    target = tmp_path / f"out{suffix}"
    code, _, err = run(["aqi", str(source), "--kind", "hourly", "-o", str(target)], capsys)
    assert code == 0 and err == ""
    back = read_table(target)
    assert back["aqi"].to_list() == ["96", "72", "129"]
    assert back["category"].to_list() == ["良", "良", "轻度污染"]


def test_explicit_standard_and_rounding_options(hourly_csv, capsys):
    code, out, _ = run(["aqi", str(hourly_csv), "--kind", "hourly", "--standard", "HJ633-2012"], capsys)
    assert code == 0 and pl.read_csv(out.encode())["aqi"].to_list() == [79, 72, 122]
    code, out, _ = run(["aqi", str(hourly_csv), "--kind", "hourly", "--standard", "HJ633-2012",
                        "--round-inputs", "always"], capsys)  # fmt: skip
    assert code == 0 and pl.read_csv(out.encode())["aqi"].to_list() == [79, 72, 122]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HOURLY_CSV.replace("0.7,54", "-0.7,54"), ["第 1 行", "row 1", "CO", "负值", "negative"]),
        (HOURLY_CSV.replace(",58,", ",abc,"), ["第 1 行", "row 1", "PM2.5", "不是数值", "not a number"]),
        (HOURLY_CSV.replace("0.7,54", "700,54").replace("1.1,37", "1100,37"), ["µg/m³", "--co-unit ug"]),
        (HOURLY_CSV.replace(",O3,", ",OZONE,"), ["o3", "缺少必需的列", "required column is missing"]),
        (HOURLY_CSV + "2026-03-10 12:00,1001A,5,49,0.7,54,81,58,again\n", ["第 4 行", "重复", "duplicate"]),
    ],
)
def test_bad_input_exits_2_with_a_bilingual_message(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(["aqi", str(path), "--kind", "hourly"], capsys)
    assert code == 2 and out == ""
    assert "Traceback" not in err and "输入有误 / bad input" in err
    for text in expected:
        assert text in err


def test_missing_file_and_bad_option_exit_2(tmp_path, capsys):
    code, _, err = run(["aqi", str(tmp_path / "none.csv"), "--kind", "hourly"], capsys)
    assert code == 2 and "file not found" in err
    code, _, err = run(["aqi", str(tmp_path / "none.csv"), "--kind", "weekly"], capsys)
    assert code == 2 and "invalid choice" in err


def beijing_like_csv(path, days: int = 40) -> None:
    """UCI Beijing layout: year, month, day, hour 0-23 (interval start), CO in µg/m³."""
    rows = ["No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,station"]
    start = date(2016, 1, 1)
    for i in range(days * 24):
        day = start + timedelta(days=i // 24)
        pm = 70 if day.month == 1 else 20
        rows.append(f"{i + 1},{day.year},{day.month},{day.day},{i % 24},{pm},{pm + 30},8,40,900,{50 + i % 24},Dongsi")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_air_daily_then_air_period_through_files(tmp_path, capsys):
    hourly = tmp_path / "beijing.csv"
    beijing_like_csv(hourly)
    daily = tmp_path / "daily.csv"
    code, _, err = run(["air-daily", str(hourly), "--hour-label", "start", "--co-unit", "ug", "-o", str(daily)], capsys)
    assert code == 0, err
    frame = pl.read_csv(daily)
    assert frame.height == 40 and frame["pm2_5"].to_list()[:2] == [70.0, 70.0]
    assert frame["co"][0] == pytest.approx(0.9) and frame["standard"][0] == "HJ633-2012"
    assert frame["aqi"][0] == 94 and frame["category"][0] == "良"  # PM2.5 70 under HJ 633-2012
    period = tmp_path / "period.csv"
    code, _, err = run(["air-period", str(daily), "--period", "month", "-o", str(period)], capsys)
    assert code == 0, err
    months = pl.read_csv(period)
    assert months["period"].to_list() == ["2016-01", "2016-02"]
    assert months["pm2_5_valid"].to_list() == [True, False]  # February: 9 days only
    assert months["pm2_5_mean"][0] == pytest.approx(70.0) and months["good_days"][0] == 31


def test_air_period_composite_options(tmp_path, capsys):
    rows = ["date,station,so2,no2,co,pm10,pm2_5,o3_8h"]
    for i in range(30):
        rows.append(f"2027-11-{i + 1:02d},GZ,9,56,1.1,64,42,145")
    path = tmp_path / "daily.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(["air-period", str(path), "--period", "month"], capsys)
    assert code == 0, err
    default = pl.read_csv(out.encode()).row(0, named=True)
    assert default["limits"] == "GB3095-2026-transition"
    assert default["composite_index"] == pytest.approx(5.198, abs=5e-4)  # STANDARDS.md §7.4, transition S
    code, out, err = run(["air-period", str(path), "--period", "month", "--composite-limits",
                          "pm2_5=35,pm10=70,so2=60,no2=40,co=4,o3_8h=160"], capsys)  # fmt: skip
    assert code == 0 and pl.read_csv(out.encode())["composite_index"][0] == pytest.approx(4.8455, abs=5e-5)
    code, out, err = run(["air-period", str(path), "--period", "month", "--composite-limits", "pm2_5=35"], capsys)
    assert code == 2 and "missing" in err


def test_the_console_script_routes_to_the_indicators(hourly_csv):
    result = subprocess.run([sys.executable, "-m", "ecoinspect", "indicators", "aqi", str(hourly_csv), "--kind",
                             "hourly"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "HJ633-2026" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "ecoinspect", "indicators", "aqi", str(hourly_csv), "--kind",
                          "daily"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "required column is missing" in bad.stderr
