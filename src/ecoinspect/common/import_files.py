"""Opening an uploaded workbook (refusing anything that is not a readable .xlsx) and writing templates.

Reading uses python-calamine (fast, read-only); templates are written with openpyxl (styles, data
validation). Every refusal says what the file actually is and what to do, in Chinese and English.

An importer may accept more than .xlsx (``formats``): legacy .xls and WPS .et workbooks (the OLE2 binary
format, read by calamine) and CSV text in UTF-8 or GBK/GB18030 (the encoding is detected: a CSV saved by
Excel or WPS on a Chinese Windows is GBK). The kind is told from the content, never from the file name.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import sheets
from .errors import ServiceError

#: Compound File (OLE2) signature: legacy .xls/.doc, and password-protected .xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A workbook that inflates beyond this is refused (zip bombs; no real ledger comes close).
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024


class ImportRefused(ServiceError):
    """The file as a whole cannot be imported (wrong kind, encrypted, damaged, wrong layout)."""


def _refuse(message: str) -> ImportRefused:
    return ImportRefused(message, code="refused")


XLSX, XLS, CSV = "xlsx", "xls", "csv"
#: The encodings a CSV is tried in, in order (GB18030 reads every GBK file).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def csv_text(data: bytes) -> str | None:
    """``data`` decoded as CSV text (UTF-8 with or without BOM, else GBK/GB18030), or None when it is not
    text (binary bytes, or undecodable in both)."""
    head = data[:4096]
    if b"\x00" in head:
        return None
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def sniff(data: bytes, name: str = "", formats: tuple[str, ...] = (XLSX,)) -> str:
    """The kind of ``data`` (``"xlsx"``, ``"xls"`` or ``"csv"``) among ``formats``; raise ImportRefused
    when it is none of them (by default only an Office Open XML workbook, .xlsx / .xlsm, is taken)."""
    shown = name or _("上传的文件")
    if not data:
        raise _refuse(_("%(name)s 是空文件。") % {"name": shown})
    if data.startswith(OLE_MAGIC) and XLS in formats and not (
        "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data
    ):
        return XLS
    if not data.startswith((OLE_MAGIC, b"PK", b"%PDF")) and CSV in formats and csv_text(data) is not None:
        return CSV
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data:
            raise _refuse(
                _(
                    "%(name)s 设置了打开密码，系统无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后重新上传。"
                    ""
                )
                % {"name": shown}
            )
        raise _refuse(
            _(
                "%(name)s 是旧版 Office 文件（.xls 或 .doc），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。"
                ""
            )
            % {"name": shown}
        )
    if data.startswith(b"%PDF"):
        raise _refuse(
            _("%(name)s 是 PDF 文件，不是 Excel 工作簿。")
            % {"name": shown}
        )
    if not data.startswith(b"PK"):
        raise _refuse(
            _(
                "%(name)s 不是 Excel 工作簿（.xlsx），无法识别其内容。请使用下载的模板填写。"
                ""
            )
            % {"name": shown}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(
            _("%(name)s 已损坏，无法打开。") % {"name": shown}
        ) from exc
    if "word/document.xml" in names:
        raise _refuse(
            _(
                "%(name)s 的内容是 Word 文档，不是 Excel 工作簿（可能是改了文件后缀）。"
            )
            % {"name": shown}
        )
    if any(n.startswith("ppt/") for n in names):
        raise _refuse(
            _("%(name)s 是 PowerPoint 演示文稿，不是 Excel 工作簿。")
            % {"name": shown}
        )
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise _refuse(
            _("%(name)s 是压缩包，不是 Excel 工作簿。")
            % {"name": shown}
        )
    if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
        raise _refuse(
            _(
                "%(name)s 是二进制工作簿（.xlsb），请另存为 .xlsx 后再导入。"
            )
            % {"name": shown}
        )
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(
            _("%(name)s 解压后过大，无法导入。") % {"name": shown}
        )
    return XLSX


@dataclass
class Sheet:
    name: str
    rows: list[list]


def _csv_rows(text: str) -> list[list]:
    import csv

    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


class Workbook:
    """The visible worksheets of an .xlsx (or, when ``formats`` allow, an .xls/.et or a CSV), read lazily
    with python-calamine. ``fill_merged``: a cell merged over several rows gives its value to each of
    those rows (an official table often merges 行政区域 or 问题类型 down a group of cases)."""

    def __init__(self, data: bytes, name: str = "", *, formats: tuple[str, ...] = (XLSX,), fill_merged: bool = False):
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        self.kind = sniff(data, name, formats)
        self.name = name
        self.fill_merged = fill_merged
        self._cache: dict[str, Sheet] = {}
        if self.kind == CSV:
            stem = (name.rsplit(".", 1)[0] if name else "") or "CSV"
            self._csv = Sheet(stem, _csv_rows(csv_text(data) or ""))
            self.sheet_names = self.all_sheet_names = [stem]
            return
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            meta = self._book.sheets_metadata
        except Exception as exc:  # calamine raises its own error types for every kind of damage
            raise _refuse(
                _(
                    "%(name)s 无法读取（%(err)s）。请用 Excel 打开后重新保存为 .xlsx。"
                )
                % {"name": name or _("上传的文件"), "err": str(exc)[:200]}
            ) from exc
        self.sheet_names = [
            m.name for m in meta if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]
        self.all_sheet_names = [m.name for m in meta]

    def sheet(self, sheet_name: str, *, nrows: int | None = None) -> Sheet:
        if self.kind == CSV:
            return Sheet(self._csv.name, self._csv.rows[:nrows] if nrows else self._csv.rows)
        key = f"{sheet_name}:{nrows}"
        if key not in self._cache:
            try:
                sheet = self._book.get_sheet_by_name(sheet_name)
                rows = sheet.to_python(skip_empty_area=False, nrows=nrows)
                if self.fill_merged:
                    _fill_down(rows, sheet.merged_cell_ranges or ())
            except Exception as exc:
                raise _refuse(
                    _("工作表“%(s)s”无法读取（%(err)s）。")
                    % {"s": sheet_name, "err": str(exc)[:200]}
                ) from exc
            self._cache[key] = Sheet(sheet_name, rows)
        return self._cache[key]


def _fill_down(rows: list[list], ranges) -> None:
    """Give a vertically merged cell's value to every row of its range (the first column of the range;
    the other columns of a merged block stay blank, as one cell)."""
    for (top, left), (bottom, _right) in ranges:
        if bottom <= top or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for index in range(top + 1, min(bottom, len(rows) - 1) + 1):
            if left < len(rows[index]) and (rows[index][left] in ("", None)):
                rows[index][left] = value


def write_template(importer) -> bytes:
    """The importer's template: the data sheet (headers, dropdowns), the instructions and the lists."""
    from openpyxl import Workbook as XlsxWorkbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = XlsxWorkbook()
    data = book.active
    data.title = importer.sheet_name
    lists = book.create_sheet(str(_("选项")))
    guide = book.create_sheet(str(_("填写说明")))
    required_fill = PatternFill("solid", fgColor="FDE2E1")
    optional_fill = PatternFill("solid", fgColor="E8F1FB")
    last_row = importer.max_rows + 1
    list_column = 0
    for index, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index)
        sheets.put(cell, str(column.header))
        cell.font = Font(bold=True, color="B42318" if column.required else "1F2937")
        cell.fill = required_fill if column.required else optional_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.help:
            cell.comment = Comment(str(column.help), "ecoinspect")
        data.column_dimensions[letter].width = column.width
        if column.date:
            data.column_dimensions[letter].number_format = "yyyy-mm-dd"
        options = column.choices() if column.choices else None
        if options:
            list_column += 1
            list_letter = get_column_letter(list_column)
            heading = lists.cell(row=1, column=list_column)
            sheets.put(heading, str(column.header))
            heading.font = Font(bold=True)
            for offset, option in enumerate(options, start=2):
                sheets.put(lists.cell(row=offset, column=list_column), str(option))
            source = f"{quote_sheetname(lists.title)}!${list_letter}$2:${list_letter}${len(options) + 1}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=not column.multiple,
                errorTitle=str(_("不在可选范围内")),
                error=str(_("请从下拉列表中选择。")),
                promptTitle=str(column.header),
                prompt=str(column.help)[:250] if column.help else None,
                showInputMessage=bool(column.help),
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            data.add_data_validation(validation)
    data.freeze_panes = "B2"
    data.row_dimensions[1].height = 32
    lists.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 28
    sheets.append(guide, [str(importer.title)])
    guide["A1"].font = Font(bold=True, size=14)
    for line in importer.instructions:
        sheets.append(guide, [str(line)])
    sheets.append(guide, [])
    header_row = guide.max_row + 1
    sheets.append(guide, [str(_("列名")), str(_("是否必填")), str(_("填写要求")), str(_("示例"))])
    for cell in guide[header_row]:
        cell.font = Font(bold=True)
        cell.fill = optional_fill
    for column in importer.columns:
        aliases = "、".join(column.aliases)
        note = str(column.help or "")
        if aliases:
            note += (" " if note else "") + str(_("（旧模板列名“%(a)s”也可识别）")) % {"a": aliases}
        sheets.append(
            guide, [str(column.header), str(_("必填")) if column.required else "", note, str(column.example)]
        )
    for row in guide.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
