"""Every indicator command over generated tables with the cells people really write: empty, NA, ND,
full-width digits, out-of-range numbers, wrong types. Each run ends in a result (exit 0) or a clear
message (exit 2, bilingual text on stderr) — never a Python traceback (issue #10)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoinspect.indicators import cli

VALUE_CELLS = (
    "", " ", "NA", "na", "N/A", "ND", "nd", "未检出", "/", "-", "—", "<0.01", "＜0.01", "0.01L", "０．５", "１２",
    "7.5", "0.2", "35", "-1", "0", "1e400", "inf", "nan", "abc", "1,000", "TRUE", "9999999", "2.4×10^4",
    "３５", "12,5", "0x10", "1e-400",
)
TIME_CELLS = ("2024-03-05", "2024-03", "2024/3/5", "２０２４－０３－０５", "", "NA", "abc", "9999-12-31", "0001-01-01")
HOUR_CELLS = ("2026-03-10 12:00", "2026-03-10 13:00", "2022-01-01 12:00", "", "NA", "abc", "２０２６-03-10 12:00",
              "9999-12-31 23:00")
TYPE_CELLS = ("河流", "湖库", "river", "lake", "", "NA", "sea")

WATER_HEADER = ["断面", "河流", "日期", "类型", "溶解氧", "氨氮", "总磷", "化学需氧量", "高锰酸盐指数"]
AIR_HEADER = ["time", "station", "SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


water_rows = st.lists(
    st.tuples(st.sampled_from(("A", "B", "C", "")), st.sampled_from(("R1", "R2", "")), st.sampled_from(TIME_CELLS),
              st.sampled_from(TYPE_CELLS), *[st.sampled_from(VALUE_CELLS)] * 5).map(list),
    min_size=1, max_size=6)
air_rows = st.lists(
    st.tuples(st.sampled_from(HOUR_CELLS), st.sampled_from(("1001A", "1002A", "")),
              *[st.sampled_from(VALUE_CELLS)] * 6).map(list),
    min_size=1, max_size=6)


def _run(argv: list[str], text: str, capsys) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.csv"
        path.write_text(text, encoding="utf-8")
        code = cli.main([argv[0], str(path), *argv[1:]])  # a traceback here fails the test
    err = capsys.readouterr().err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert err.strip() and "Traceback" not in err


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(rows=water_rows)
def test_water_commands_never_crash(rows, capsys):
    text = _csv(WATER_HEADER, rows)
    _run(["water"], text, capsys)
    _run(["water", "--period", "month", "--level", "river"], text, capsys)
    _run(["cwqi", "--period", "month"], text, capsys)


@FUZZ
@given(rows=air_rows)
def test_air_commands_never_crash(rows, capsys):
    text = _csv(AIR_HEADER, rows)
    _run(["aqi", "--kind", "hourly"], text, capsys)
    _run(["air-daily"], text, capsys)


def test_empty_cell_is_not_monitored(tmp_path, capsys):
    """The reported case: an empty cell used to stop `water` and `cwqi` with a TypeError."""
    path = tmp_path / "w.csv"
    path.write_text("section,river,do,nh3_n,tp,type\nA,R1,6.5,,0.1,river\nB,R1,7,０．３,0.05,river\n", encoding="utf-8")
    assert cli.main(["water", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split(",")[5] == ""  # nh3_n not monitored in row 1
    assert out[2].split(",")[5] == "0.3"  # full-width ０．３ read as 0.3
