"""Writing tables to CSV and Excel (openpyxl). No cell ever becomes a formula: Excel cells go through the
one cell writer (:mod:`.sheets`: text stays text, shown as written), CSV cells that a spreadsheet would read
as a formula get a leading apostrophe (CSV has no cell types)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone

from .sheets import FORMULA_TRIGGERS, looks_like_formula, new_cell, row_cells  # noqa: F401  (the writer)


def safe_cell(value) -> str:
    """Text for a CSV cell; a leading formula character is neutralised with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Sheet1")
    sheet.freeze_panes = "A2"
    header_cells = [new_cell(sheet, str(h)) for h in headers]
    for cell in header_cells:
        cell.font = Font(bold=True)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(row_cells(sheet, [xlsx_value(v) for v in row]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_value(value):
    """A value for an Excel cell: aware datetimes in local time (Excel has no time zones); the cell itself
    is written by :mod:`.sheets` (``new_cell``, ``row_cells``), which keeps text text."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def download(content: bytes, filename: str, kind: str) -> HttpResponse:
    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = HttpResponse(content, content_type=content_types[kind])
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
