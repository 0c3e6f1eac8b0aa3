"""Reading and writing tables for the indicator command line: CSV, Excel (.xlsx) and Parquet.

Every column is read as text. Markers such as ``NA`` (missing) and ``/`` (not monitored, HJ 633-2026
Tables 4/5) carry meaning, so the computation modules parse numbers themselves and report bad cells by
row and column instead of letting a reader guess a type.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import polars as pl

from .errors import IndicatorInputError, InputProblem

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".parquet")

# polars < 2 reads empty CSV cells as "" with missing_utf8_is_empty_string=True; polars 2 removed that
# option (empty cells come back as null). Callers must treat "" and null alike as an empty cell.
_CSV_EMPTY_AS_TEXT = (
    {"missing_utf8_is_empty_string": True}
    if "missing_utf8_is_empty_string" in inspect.signature(pl.read_csv).parameters
    else {}
)


def _unsupported(path: Path) -> IndicatorInputError:
    return IndicatorInputError(
        InputProblem(
            None,
            None,
            path.name,
            f"不支持的文件类型，请使用 {', '.join(SUPPORTED_SUFFIXES)}",
            f"unsupported file type; use {', '.join(SUPPORTED_SUFFIXES)}",
        )
    )


def read_table(path: str | Path) -> pl.DataFrame:
    """Read a CSV, .xlsx or Parquet file with every column as text (Utf8), header names stripped."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise IndicatorInputError(InputProblem(None, None, str(path), "文件不存在", "file not found"))
    try:
        if suffix == ".csv":
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy", **_CSV_EMPTY_AS_TEXT)
        elif suffix == ".xlsx":
            frame = _read_xlsx(path)
        elif suffix == ".parquet":
            frame = pl.read_parquet(path)
        else:
            raise _unsupported(path)
    except IndicatorInputError:
        raise
    except Exception as exc:  # the readers raise many types; the user needs one clear message
        raise IndicatorInputError(
            InputProblem(None, None, path.name, f"无法读取文件：{exc}", f"cannot read the file: {exc}")
        ) from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return frame.with_columns(pl.all().cast(pl.Utf8)) if suffix != ".csv" else frame


def _read_xlsx(path: Path) -> pl.DataFrame:
    """First sheet through python-calamine directly (polars' read_excel would need fastexcel, not installed);
    every cell as text, dates as ISO text, empty cells as ""."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    if not rows:
        return pl.DataFrame()
    header = [str(name) for name in rows[0]]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise IndicatorInputError(InputProblem(None, repeated[0], None, "列名重复", "duplicate column name"))
    body = [[_cell_text(value) for value in row] for row in rows[1:]]  # file input, not computation
    columns = list(zip(*body)) if body else [() for _ in header]
    return pl.DataFrame({name: pl.Series(name, list(col), dtype=pl.Utf8) for name, col in zip(header, columns)})


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return "" if value is None else str(value)


def write_table(frame: pl.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to CSV, .xlsx or Parquet by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.write_csv(path)
    elif suffix == ".xlsx":
        _write_xlsx(frame, path)
    elif suffix == ".parquet":
        frame.write_parquet(path)
    else:
        raise _unsupported(path)


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    write_xlsx_sheets({"data": frame}, path)


def write_xlsx_sheets(frames: dict[str, pl.DataFrame], path: Path) -> None:
    """One sheet per frame, every cell through the system's one cell writer (``common.sheets``: a section
    named "=…" stays text, never a formula)."""
    from openpyxl import Workbook

    from ecoinspect.common import sheets

    workbook = Workbook(write_only=True)
    for name, frame in frames.items():
        sheet = workbook.create_sheet(name)
        sheets.append(sheet, frame.columns)
        for row in frame.iter_rows():  # file output, not computation
            sheets.append(sheet, list(row))
    workbook.save(path)
