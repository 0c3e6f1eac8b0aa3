"""The one writer of spreadsheet cells: every .xlsx the system writes puts its values through here.

openpyxl stores a text starting with ``=`` as a formula (``=HYPERLINK("http://…"&B3,"点此查看")`` would be a
live link, ``=cmd|' /C calc'!A0`` a DDE call), and refuses text holding control characters. Here:

* a text is always a text cell (``data_type`` "s"), shown exactly as written — never a formula;
* a text that a spreadsheet would read as a formula if someone edited the cell (starting with = + - @,
  their full-width forms, tab or carriage return) also carries Excel's quote prefix, so it stays text;
* control characters that cannot be stored in the file are dropped, and a text is cut at Excel's limit
  of 32,767 characters.

CSV has no cell types: ``common.export.csv_bytes`` writes such a text with a leading apostrophe instead.

Pure (openpyxl only, no Django): the indicators engine writes its tables through it too — the one
declared exception to that package's purity (pyproject.toml).
"""

from __future__ import annotations

import re
from copy import copy

#: A cell starting with one of these is read as a formula by spreadsheet programs (also full-width).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: What openpyxl refuses in a cell (XML 1.0 forbids it), and lone surrogates (not encodable as UTF-8).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
#: The most characters Excel holds in one cell.
EXCEL_CELL_MAX = 32767


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet program read ``text`` as a formula (a number such as -5 is not one)?"""
    if not text.startswith(FORMULA_TRIGGERS):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it: without unwritable characters, at most :data:`EXCEL_CELL_MAX`."""
    text = _UNWRITABLE.sub("", text)
    return text if len(text) <= EXCEL_CELL_MAX else text[: EXCEL_CELL_MAX - 1] + "…"


def put(cell, value) -> None:
    """Give ``cell`` the value: a text stays text (see the module docstring); other values as they are."""
    if isinstance(value, str):
        value = cell_text(value)
        cell.value = value
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    else:
        cell.value = value


def new_cell(sheet, value, style=None):
    """A cell of ``sheet`` (write-only or not) holding ``value``, for ``sheet.append``; ``style`` is
    another cell's ``_style`` to copy (styling 70,000 cells one by one is slow)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    if style is not None:
        cell._style = copy(style)
    put(cell, value)
    return cell


def row_cells(sheet, values) -> list:
    """A row for ``sheet.append``: a text that could be read as a formula becomes a cell of its own (text,
    quote prefix), other texts are cleaned; numbers, dates and empty cells pass as they are."""
    row = []
    for value in values:
        if isinstance(value, str):
            value = cell_text(value)
            if value.startswith("=") or looks_like_formula(value):
                value = new_cell(sheet, value)
        row.append(value)
    return row


def append(sheet, values) -> None:
    """Append one row of ``values`` to ``sheet`` through :func:`row_cells`."""
    sheet.append(row_cells(sheet, values))
