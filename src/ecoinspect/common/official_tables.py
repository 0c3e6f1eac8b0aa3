"""Official tables as Word (.docx) and Excel (.xlsx) documents: a title, a date line, notes, and one or
more real tables with the header row repeated on every printed page, on landscape A4.

The table rows of a Word document are written as WordprocessingML directly (python-docx's ``add_row``
takes ~13 s for 10,000 rows; this takes well under one); the page, title and notes go through python-docx.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from .export import xlsx_value
from .sheets import new_cell
from .text_bounds import strip_control

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADER_FONT = "黑体"
LATIN_FONT = "Times New Roman"
_TWIPS_PER_MM = 56.6929


def chinese_date(value: dt.date | None) -> str:
    """2024年6月3日, as official documents write dates."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 28 → 二十八, 105 → 一百零五 (for 第二十八批; 1 to 9999, otherwise the digits)."""
    if not 0 < n < 10000:
        return str(n)
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


@dataclass
class TableGroup:
    """Rows under one note (e.g. one publicity period); ``note`` may be empty."""

    rows: list[list[str]]
    note: str = ""


@dataclass
class OfficialTable:
    title: str
    headers: list[str]
    widths_mm: list[float]  # Word column widths; Excel widths follow from them
    groups: list[TableGroup]
    date_line: str = ""
    intro: list[str] = field(default_factory=list)
    outro: list[str] = field(default_factory=list)
    sheet_name: str = "Sheet1"
    centred_columns: tuple[int, ...] = (0,)  # 序号 and other short columns


# --- Word ---------------------------------------------------------------------------------------


def _run_props(font: str, size_half_points: int, bold: bool = False) -> str:
    return (
        f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}"/>'
        + ("<w:b/>" if bold else "")
        + f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/></w:rPr>'
    )


def _cell_xml(text: str, *, centred: bool, head: str = "") -> str:
    """A table cell; ``head`` is the header cells' tcPr and run properties (body cells need none)."""
    lines = strip_control(str(text if text is not None else "")).split(
        "\n"
    )  # XML holds no control characters
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centred else ""
    paragraphs = "".join(
        f"<w:p>{ppr}"
        + (f'<w:r>{head}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in lines
    )
    return f"<w:tc>{paragraphs}</w:tc>"


def _table_xml(table: OfficialTable, rows: list[list[str]]) -> str:
    """A fixed-layout table: the grid carries the widths, the header row repeats on every page
    (``w:tblHeader``), rows never split across pages, body text takes the Normal style."""
    widths = [round(w * _TWIPS_PER_MM) for w in table.widths_mm]
    border = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side=s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    header_props = _run_props(HEADER_FONT, 22, bold=True)
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/><w:vAlign w:val="center"/>'
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>'
            + _cell_xml(h, centred=True, head=header_props)[len("<w:tc>") :]
            for h, w in zip(table.headers, widths)
        ),
        "</w:tr>",
    ]
    centred = [i in table.centred_columns for i in range(len(widths))]
    for row in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.extend(_cell_xml(value, centred=c) for value, c in zip(row, centred))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def set_fonts(run, font: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


_PLACEHOLDER = "@@ECOINSPECT-TABLE-%d@@"


def to_docx(table: OfficialTable) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    set_fonts(title.add_run(table.title), TITLE_FONT, 18, bold=True)
    if table.date_line:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_fonts(line.add_run(table.date_line), BODY_FONT, 12)
    for text in table.intro:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        set_fonts(paragraph.add_run(text), BODY_FONT, 12)
    tables = []
    for index, group in enumerate(table.groups):
        if group.note:
            note = document.add_paragraph()
            note.paragraph_format.space_before = Pt(6)
            set_fonts(note.add_run(group.note), BODY_FONT, 12, bold=True)
        document.add_paragraph(_PLACEHOLDER % index)
        tables.append(_table_xml(table, group.rows))
    for text in table.outro:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_fonts(paragraph.add_run(text), BODY_FONT, 12)
    out = io.BytesIO()
    document.save(out)
    return _insert_tables(out.getvalue(), tables)


def _insert_tables(package: bytes, tables: list[str]) -> bytes:
    """Put each table's XML where its placeholder paragraph is. Splicing text takes milliseconds; moving a
    parsed tree of a million nodes into python-docx's document takes seconds (lxml re-homes every node)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(package))
    xml = source.read("word/document.xml").decode("utf-8")
    for index, table_xml in enumerate(tables):
        marker = re.escape(_PLACEHOLDER % index)
        pattern = r"<w:p>(?:(?!<w:p>).)*?" + marker + r".*?</w:p>"
        xml, found = re.subn(pattern, lambda _match, t=table_xml: t, xml, count=1, flags=re.DOTALL)
        if not found:
            raise RuntimeError(f"table placeholder {index} not found")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml.encode("utf-8") if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


# --- Excel --------------------------------------------------------------------------------------


def to_xlsx(table: OfficialTable) -> bytes:
    """One sheet: title (merged), date line, notes, then the header row (frozen, printed on every page)
    and the rows with wrapped text. Several groups follow one another, each under its note.
    Written in openpyxl's write-only mode (10,000 rows × 7 styled cells in about two seconds)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.sheet_name[:31])
    width = len(table.headers)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header_font = Font(name=HEADER_FONT, bold=True)
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    body_font = Font(name=BODY_FONT)
    for index, mm in enumerate(table.widths_mm, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(6, round(mm / 2.1))
    # Write-only sheets take the frozen pane and print titles before the first row.
    first_header = 2 + bool(table.date_line) + len(table.intro) + bool(table.groups and table.groups[0].note)
    if table.groups:
        sheet.freeze_panes = f"A{first_header + 1}"
        sheet.print_title_rows = f"{first_header}:{first_header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    current = 0

    def full_width_line(text: str, *, font: Font, align: Alignment) -> None:
        nonlocal current
        current += 1
        cell = new_cell(sheet, xlsx_value(text))
        cell.font, cell.alignment = font, align
        sheet.append([cell])
        sheet.merged_cells.add(f"A{current}:{get_column_letter(width)}{current}")

    def styled(font, alignment, fill=None):
        # Setting a style hashes it (slow on 70,000 cells): style one cell, then copy its style indices.
        model = new_cell(sheet, None)
        model.font, model.alignment, model.border = font, alignment, border
        if fill is not None:
            model.fill = fill
        return model._style

    header_style = styled(header_font, centred, header_fill)
    centred_style, wrap_style = styled(body_font, centred), styled(body_font, wrap)
    column_styles = [centred_style if i in table.centred_columns else wrap_style for i in range(width)]

    full_width_line(
        table.title, font=Font(name=TITLE_FONT, bold=True, size=16), align=Alignment(horizontal="center")
    )
    if table.date_line:
        full_width_line(table.date_line, font=body_font, align=Alignment(horizontal="right"))
    for text in table.intro:
        full_width_line(text, font=body_font, align=Alignment(wrap_text=True, vertical="top"))
    for group in table.groups:
        if group.note:
            full_width_line(group.note, font=Font(name=BODY_FONT, bold=True), align=Alignment(wrap_text=True))
        sheet.append([new_cell(sheet, xlsx_value(h), header_style) for h in table.headers])
        current += 1
        for values in group.rows:
            # "=…" stays text, shown as written (common.sheets)
            sheet.append([new_cell(sheet, xlsx_value(v), style) for v, style in zip(values, column_styles)])
            current += 1
    for text in table.outro:
        full_width_line(text, font=body_font, align=Alignment(wrap_text=True, vertical="top"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
