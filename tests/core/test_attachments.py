"""core.attachments: an upload is judged by its bytes against the app's policy, hashed and thumbnailed.

Real files throughout (Pillow, python-docx, openpyxl); nothing touches the database or storage.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from ecoinspect.common.errors import ServiceError
from ecoinspect.core.attachments import (
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    AttachmentPolicy,
    FileType,
    inspect_upload,
    sha256_of,
    sniff_content_type,
    thumbnail,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PHOTOS_AND_PAPERS = AttachmentPolicy(
    types=(*IMAGE_TYPES, *DOCUMENT_TYPES), allowed_label="照片、PDF、Word、Excel"
)


def png(size=(400, 300)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("会议纪要")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def refusal(name: str, content: bytes, policy: AttachmentPolicy = PHOTOS_AND_PAPERS) -> str:
    with pytest.raises(ServiceError) as refused:
        inspect_upload(SimpleUploadedFile(name, content), policy)
    return refused.value.message_dict["file"][0]


def test_an_accepted_photo_comes_back_typed_sized_and_hashed():
    content = png()
    upload = SimpleUploadedFile("现场.JPEG.png", content)
    checked = inspect_upload(upload, PHOTOS_AND_PAPERS)
    assert (checked.content_type, checked.extension, checked.size) == ("image/png", ".png", len(content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest() and checked.is_image
    assert upload.tell() == 0  # ready to be stored


def test_the_stored_extension_comes_from_the_content_and_jpeg_may_be_named_jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    checked = inspect_upload(SimpleUploadedFile("photo.JPEG", out.getvalue()), PHOTOS_AND_PAPERS)
    assert (checked.content_type, checked.extension, checked.is_image) == ("image/jpeg", ".jpg", True)


def test_word_and_excel_are_told_apart_by_what_is_inside_the_zip():
    assert sniff_content_type(SimpleUploadedFile("a", docx())) == DOCX
    assert sniff_content_type(SimpleUploadedFile("a", xlsx())) == XLSX
    only_sheets = AttachmentPolicy(types=(FileType(XLSX, ".xlsx", (".xlsx",)),), allowed_label="Excel")
    assert inspect_upload(SimpleUploadedFile("台账.xlsx", xlsx()), only_sheets).extension == ".xlsx"
    message = refusal("台账.xlsx", docx(), only_sheets)
    assert DOCX in message and "不是允许的文件类型（Excel）" in message


def test_a_name_that_disagrees_with_the_content_is_refused():
    message = refusal("照片.jpg", pdf())
    assert "照片.jpg" in message and "application/pdf" in message
    assert "文件名与内容不符" in message
    assert "（无）" in refusal("照片", png())


def test_unrecognised_content_is_refused_in_the_apps_own_words():
    assert "无法识别的内容" in refusal("说明.pdf", "只是一段文字".encode())
    worded = AttachmentPolicy(
        types=IMAGE_TYPES,
        allowed_label="照片",
        type_message="%(name)s 不是照片（%(kind)s；可传：%(allowed)s）",
    )
    assert refusal("报告.pdf", pdf(), worded) == "报告.pdf 不是照片（application/pdf；可传：照片）"


def test_empty_and_oversized_files_are_refused(settings):
    assert "是空文件" in refusal("空.png", b"")
    content = png()
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = len(content) - 1
    assert "超过" in refusal("大.png", content)
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = len(content)
    assert inspect_upload(SimpleUploadedFile("大.png", content), PHOTOS_AND_PAPERS).size == len(content)
    small = AttachmentPolicy(types=IMAGE_TYPES, allowed_label="照片", max_bytes=100)
    assert "超过 0.0 MB 上限" in refusal("大.png", content, small)


def test_a_thumbnail_is_a_small_jpeg_and_a_broken_image_is_refused():
    from PIL import Image

    made = thumbnail(SimpleUploadedFile("大图.png", png((1200, 600))))
    with Image.open(io.BytesIO(made)) as image:
        assert image.format == "JPEG" and image.size == (320, 160)
    content = png((300, 300))
    with pytest.raises(ServiceError) as refused:
        thumbnail(SimpleUploadedFile("残缺.png", content[: len(content) // 2]))
    assert "残缺.png 不是完整的图片文件" in refused.value.message_dict["file"][0]


def test_sha256_of_reads_uploads_and_stored_files_alike():
    content = pdf() * 1000
    expected = hashlib.sha256(content).hexdigest()
    upload = SimpleUploadedFile("a.pdf", content)
    upload.read(10)
    assert sha256_of(upload) == expected and upload.tell() == 0
    assert sha256_of(ContentFile(content)) == expected
    assert sha256_of(io.BytesIO(content)) == expected
