"""Real files to upload: PNG (Pillow), PDF, Word (python-docx), Excel (openpyxl), and a Windows executable.

Every call makes different bytes (a serial number is written into each file), so two uploads are never
duplicates of each other unless a test reuses the same bytes on purpose.
"""

from __future__ import annotations

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_serial = itertools.count(1)


def png_bytes(size=(16, 12)) -> bytes:
    """A real PNG made with Pillow."""
    from PIL import Image

    n = next(_serial)
    image = Image.new("RGB", size, ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    image.putpixel((0, 0), (n % 256, (n // 256) % 256, 7))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_bytes(text: str = "monitoring report") -> bytes:
    """A small all-ASCII PDF (so a test can look for ``text`` in the bytes it downloads)."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        + f"% {text} {next(_serial)}\n".encode()
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def docx_bytes(text: str = "整改工作会议纪要") -> bytes:
    """A Word document with one paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph(f"{text} {next(_serial)}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def exe_bytes() -> bytes:
    """The first bytes of a Windows executable (the MZ/PE header)."""
    header = bytearray(512)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x84] = b"PE\0\0"
    return bytes(header)


def xlsx_bytes(rows: list[list], *, sheet: str = "Sheet1", above=(), extra_sheets=()) -> bytes:
    """An .xlsx written with openpyxl: optional lines above, then the rows (the first is usually a header)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for line in [*above, *rows]:
        ws.append(list(line))
    for name in extra_sheets:
        book.create_sheet(name).append(["说明"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Put in a cell of a workbook, then :func:`excel_escaped`: the control character Excel writes as ``_x0000_``.
NUL_MARK, BELL_MARK = "[[NUL]]", "[[BEL]]"  # ASCII: openpyxl writes other text as &#…; references


def excel_escaped(content: bytes) -> bytes:
    """A workbook whose cells hold control characters, as Excel stores them (``_x0000_``, ``_x0007_``):
    openpyxl refuses to write them, so the marks :data:`NUL_MARK` and :data:`BELL_MARK` are replaced in the
    file's XML. Readers (python-calamine) give back U+0000 and U+0007."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            data = data.replace(NUL_MARK.encode(), b"_x0000_").replace(BELL_MARK.encode(), b"_x0007_")
            target.writestr(item, data)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str | None = None) -> SimpleUploadedFile:
    """A file as a form or the API receives it."""
    if content_type is None:
        return SimpleUploadedFile(name, content)
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(name: str | None = None, size=(16, 12)) -> SimpleUploadedFile:
    """A PNG photo upload (``现场照片<n>.png`` unless named)."""
    content = png_bytes(size)
    return upload(name or f"现场照片{next(_serial)}.png", content, "image/png")


def xlsx_upload(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    """Bytes uploaded as an Excel workbook (whatever they really are)."""
    return upload(name, content, XLSX)
