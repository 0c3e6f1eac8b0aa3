"""Files that are not a filled-in template are refused as a whole, with one clear message, and nothing is
stored or written."""

from __future__ import annotations

import io
import zipfile

import pytest

from ecoinspect.common.import_files import ImportRefused
from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.core.import_jobs import import_job_create, import_job_validate
from ecoinspect.ledger.importers import LedgerImporter
from ecoinspect.ledger.models import Problem
from tests.factories import IMPORT_HEADERS, docx_bytes, import_row, import_workbook, xlsx_upload

# the import/export tests run on a pinned clock with their own media root (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock", "media_root")


def refused(people, data: bytes, name: str = "台账.xlsx") -> str:
    with pytest.raises(ImportRefused) as info:
        import_job_create(
            actor=people["coordinator"], kind=LedgerImporter.kind, uploaded=xlsx_upload(data, name)
        )
    assert ImportJob.objects.count() == 0
    return " ".join(info.value.messages)


def validated(people, data: bytes):
    job = import_job_create(actor=people["coordinator"], kind=LedgerImporter.kind, uploaded=xlsx_upload(data))
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert Problem.objects.count() == 0
    return job


def test_a_word_document_renamed_xlsx(people, structure):
    message = refused(people, docx_bytes(), "台账.xlsx")
    assert "Word 文档" in message


def test_random_bytes(people, structure):
    message = refused(people, b"\x00\x01garbage that is not a workbook" * 20)
    assert "不是 Excel 工作簿" in message


def test_a_csv_file(people, structure):
    assert "不是 Excel 工作簿" in refused(people, "问题编号,整改任务\nBY-1,x\n".encode(), "台账.csv")


def test_an_empty_file(people, structure):
    assert "空文件" in refused(people, b"")


def test_a_damaged_zip(people, structure):
    data = import_workbook([import_row()])
    assert "已损坏" in refused(people, data[: len(data) // 2])


def test_a_zip_that_is_not_a_workbook(people, structure):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "压缩包" in refused(people, out.getvalue())


def test_a_password_protected_workbook(people, structure):
    # Excel saves an encrypted workbook as an OLE compound file holding EncryptionInfo and EncryptedPackage.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    ole += (
        "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 50
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 2000
    )
    message = refused(people, ole)
    assert "密码" in message


def test_a_legacy_xls(people, structure):
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 2000
    )
    message = refused(people, ole, "台账.xls")
    assert ".xls" in message and "另存为" in message


def test_a_pdf(people, structure):
    assert "PDF" in refused(people, b"%PDF-1.4\n%%EOF\n")


def test_a_foreign_workbook(people, structure):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "年龄", "电话"])
    book.active.append(["张三", 30, "13800000000"])
    out = io.BytesIO()
    book.save(out)
    job = validated(people, out.getvalue())
    assert len(job.errors) == 1
    reason = job.errors[0]["reason"]
    assert "没有找到本模板的表头行" in reason and "Sheet" in reason


def test_the_data_on_another_sheet_is_found_by_its_header(people, structure):
    data = import_workbook([import_row()], sheet="Sheet1", extra_sheets=["说明"])
    job = import_job_create(actor=people["coordinator"], kind=LedgerImporter.kind, uploaded=xlsx_upload(data))
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID and job.result["sheet"] == "Sheet1"


def test_wrong_sheets_only(people, structure):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "汇总"
    book.active.append(["合计", 12])
    book.create_sheet("图表").append(["x"])
    out = io.BytesIO()
    book.save(out)
    job = validated(people, out.getvalue())
    assert "汇总、图表" in job.errors[0]["reason"]


def test_missing_required_columns_are_listed_in_one_message(people, structure):
    headers = [h for h in IMPORT_HEADERS if h not in ("问题来源", "整改时限", "牵头单位")]
    job = validated(people, import_workbook([import_row()], headers=headers))
    assert len(job.errors) == 1
    reason = job.errors[0]["reason"]
    assert "问题来源、牵头单位、整改时限" in reason


def test_a_column_twice(people, structure):
    job = validated(people, import_workbook([import_row()], headers=[*IMPORT_HEADERS, "责任单位"]))
    assert "出现了两次" in job.errors[0]["reason"]


def test_too_many_rows(people, structure, settings):
    settings.ECOINSPECT_IMPORT_MAX_ROWS = 3
    job = validated(people, import_workbook([import_row(f"BY-{i}") for i in range(4)]))
    assert "超过单次导入 3 行的上限" in job.errors[0]["reason"]


def test_oversized_upload(people, structure, settings):
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 1000
    message = refused(people, import_workbook([import_row()]))
    assert "超过" in message


def test_blank_rows_and_empty_workbook(people, structure):
    job = import_job_create(
        actor=people["coordinator"], kind=LedgerImporter.kind, uploaded=xlsx_upload(import_workbook([]))
    )
    import_job_validate(job)
    job.refresh_from_db()
    assert (job.status, job.total_rows) == (ImportStatus.VALID, 0)


def test_the_stored_file_is_checked_against_its_hash(people, structure):
    job = import_job_create(
        actor=people["coordinator"],
        kind=LedgerImporter.kind,
        uploaded=xlsx_upload(import_workbook([import_row()])),
    )
    with open(job.file.path, "ab") as handle:
        handle.write(b"tampered")
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and "SHA-256" in job.errors[0]["reason"]


def test_template_round_trip(people, structure):
    """The downloaded template, filled in with openpyxl, imports cleanly; it carries the instructions
    sheet and dropdowns for the choice columns and the unit names."""
    from openpyxl import load_workbook

    template = LedgerImporter(actor=people["coordinator"]).template()
    book = load_workbook(io.BytesIO(template))
    assert book.sheetnames == ["整改问题", "选项", "填写说明"]
    assert book["选项"].sheet_state == "hidden"
    sheet = book["整改问题"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["问题编号", "整改任务", "问题描述"] and "整改时限" in headers
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    source_col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[headers.index("问题来源")]
    lead_col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[headers.index("牵头单位")]
    assert source_col in lists and lead_col in lists
    options = [c.value for c in book["选项"]["A"]][1:]
    assert options[:3] == ["典型案例对照", "历次督察反馈", "交办信访件"]
    all_options = {c.value for col in book["选项"].iter_cols() for c in col}
    assert {"区水务局", "石井街道", "太和镇"} <= all_options
    guide = [r[0] for r in book["填写说明"].iter_rows(values_only=True) if r[0]]
    assert "问题编号" in guide and any("再次导入" in str(line) for line in guide)

    values = import_row("T-1")
    for column, header in enumerate(headers, start=1):
        if header in values:
            sheet.cell(row=2, column=column, value=values[header])
    out = io.BytesIO()
    book.save(out)
    job = import_job_create(
        actor=people["coordinator"], kind=LedgerImporter.kind, uploaded=xlsx_upload(out.getvalue())
    )
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    assert job.created_count == 1
