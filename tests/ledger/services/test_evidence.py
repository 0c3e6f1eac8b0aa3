"""Evidence files (佐证材料): real files checked by content, hashed into the ActionLog, verified on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import EvidenceKind, ProblemStatus, ProgressStatus
from ecoinspect.ledger.models import Evidence
from tests.factories import ProblemFactory, docx_bytes, exe_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(people):
    return ProblemFactory(status=ProblemStatus.RECTIFYING)


def _add(people, problem, name, content, kind=EvidenceKind.PHOTO, who="water", **extra):
    return svc.evidence_add(
        actor=people[who], problem=problem, uploaded=upload(name, content), kind=kind, **extra
    )


def _stored_files(problem) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "evidence" / str(problem.pk)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- accepted files ---------------------------------------------------------------------------------------


def test_a_photo_is_stored_under_its_hash_with_a_thumbnail_and_logged_with_its_sha256(
    running, people, structure
):
    content = png_bytes(size=(640, 480))

    evidence = _add(people, running, "3号排水口封堵后.png", content, description="封堵后现场")

    digest = hashlib.sha256(content).hexdigest()
    assert evidence.sha256 == digest
    assert evidence.content_type == "image/png"
    assert evidence.size == len(content)
    assert evidence.original_name == "3号排水口封堵后.png"
    assert evidence.unit == structure["swj"]
    assert Path(evidence.file.path).read_bytes() == content
    assert Path(evidence.file.name).name == f"{digest}.png"
    from PIL import Image

    with Image.open(evidence.thumbnail.path) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) <= 320
    entry = ActionLog.objects.for_object(running).get(action="ledger.evidence.added")
    assert entry.payload["sha256"] == digest
    assert entry.payload["size"] == len(content)
    assert entry.payload["name"] == "3号排水口封堵后.png"


def test_a_pdf_report_is_accepted_without_a_thumbnail(running, people):
    evidence = _add(people, running, "水质监测报告.pdf", pdf_bytes(), kind=EvidenceKind.MONITORING)
    assert evidence.content_type == "application/pdf"
    assert evidence.extension == ".pdf"
    assert not evidence.thumbnail


def test_a_word_document_made_with_python_docx_is_accepted(running, people):
    evidence = _add(people, running, "整改会议纪要.docx", docx_bytes(), kind=EvidenceKind.MINUTES)
    assert evidence.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert evidence.extension == ".docx"


def test_a_jpeg_named_jpeg_is_accepted_and_stored_as_jpg(running, people):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, "JPEG")
    evidence = _add(people, running, "现场.JPEG", out.getvalue())
    assert evidence.content_type == "image/jpeg"
    assert evidence.file.name.endswith(".jpg")


def test_evidence_can_be_tied_to_a_progress_report(running, people):
    report = svc.progress_report_add(
        actor=people["water"], problem=running, text="封堵完成", progress_status=ProgressStatus.ON_SCHEDULE
    )
    evidence = _add(people, running, "封堵.png", png_bytes(), report=report)
    assert list(report.evidence.all()) == [evidence]


# --- refused files ----------------------------------------------------------------------------------------


def test_an_executable_renamed_jpg_is_refused_and_nothing_is_stored(running, people):
    with pytest.raises(ServiceError) as refused:
        _add(people, running, "现场照片.jpg", exe_bytes())

    message = refused.value.message_dict["file"][0]
    assert "现场照片.jpg" in message and "不是允许的佐证材料类型" in message
    assert not Evidence.objects.exists()
    assert _stored_files(running) == []
    assert not ActionLog.objects.filter(action="ledger.evidence.added").exists()


def test_a_png_renamed_pdf_is_refused_as_name_and_content_disagree(running, people):
    with pytest.raises(ServiceError) as refused:
        _add(people, running, "监测报告.pdf", png_bytes())
    message = refused.value.message_dict["file"][0]
    assert ".pdf" in message and "image/png" in message
    assert not Evidence.objects.exists()
    assert _stored_files(running) == []


def test_an_empty_file_is_refused(running, people):
    with pytest.raises(ServiceError) as refused:
        _add(people, running, "空文件.png", b"")
    assert "空文件" in refused.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_a_file_over_the_configured_limit_is_refused(running, people, settings):
    content = png_bytes(size=(64, 64))
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = len(content) - 1

    with pytest.raises(ServiceError) as refused:
        _add(people, running, "大图.png", content)

    assert "超过" in refused.value.message_dict["file"][0]
    assert not Evidence.objects.exists()
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = len(content)
    assert _add(people, running, "大图.png", content).size == len(content)  # exactly at the limit is fine


def test_a_truncated_image_is_refused(running, people):
    content = png_bytes(size=(200, 200))
    with pytest.raises(ServiceError) as refused:
        _add(people, running, "残缺.png", content[: len(content) // 2])
    assert "不是完整的图片" in refused.value.message_dict["file"][0]
    assert _stored_files(running) == []


def test_plain_text_is_refused(running, people):
    with pytest.raises(ServiceError):
        _add(people, running, "说明.txt", "已整改完毕".encode())
    assert not Evidence.objects.exists()


def test_the_same_file_twice_is_refused(running, people):
    content = pdf_bytes()
    _add(people, running, "监测报告.pdf", content, kind=EvidenceKind.MONITORING)

    with pytest.raises(ServiceError) as refused:
        _add(people, running, "监测报告（副本）.pdf", content, kind=EvidenceKind.MONITORING)

    assert "已上传过" in refused.value.message_dict["file"][0]
    assert Evidence.objects.filter(problem=running).count() == 1
    assert len(_stored_files(running)) == 1


def test_the_same_file_may_support_two_different_problems(running, people):
    other = ProblemFactory(status=ProblemStatus.RECTIFYING)
    content = pdf_bytes()
    a = _add(people, running, "监测报告.pdf", content, kind=EvidenceKind.MONITORING)
    b = _add(people, other, "监测报告.pdf", content, kind=EvidenceKind.MONITORING)
    assert a.sha256 == b.sha256 and a.file.name != b.file.name


def test_an_unknown_kind_is_refused(running, people):
    with pytest.raises(ServiceError) as refused:
        _add(people, running, "照片.png", png_bytes(), kind="selfie")
    assert "kind" in refused.value.message_dict


def test_a_report_of_another_problem_cannot_carry_the_file(running, people):
    other = ProblemFactory(status=ProblemStatus.RECTIFYING)
    report = svc.progress_report_add(
        actor=people["water"], problem=other, text="进展", progress_status=ProgressStatus.ON_SCHEDULE
    )
    with pytest.raises(ServiceError) as refused:
        _add(people, running, "照片.png", png_bytes(), report=report)
    assert "report" in refused.value.message_dict


@pytest.mark.parametrize("who", ["housing", "reviewer", "auditor", "nobody"])
def test_only_the_units_working_the_problem_upload(running, people, who):
    with pytest.raises(NotPermitted):
        _add(people, running, "照片.png", png_bytes(), who=who)
    assert not Evidence.objects.exists()


def test_no_uploads_once_acceptance_is_requested(people):
    problem = ProblemFactory(status=ProblemStatus.COMPLETED)
    count = Evidence.objects.count()
    with pytest.raises(ServiceError):
        _add(people, problem, "补充照片.png", png_bytes())
    assert Evidence.objects.count() == count


# --- verification -----------------------------------------------------------------------------------------


def test_verification_passes_for_the_stored_file_and_fails_once_it_is_swapped_on_disk(running, people):
    evidence = _add(people, running, "监测报告.pdf", pdf_bytes(), kind=EvidenceKind.MONITORING)
    assert svc.evidence_verify(evidence)

    Path(evidence.file.path).write_bytes(pdf_bytes())  # another PDF put in its place

    assert not svc.evidence_verify(Evidence.objects.get(pk=evidence.pk))


def test_the_logged_hash_still_names_the_original_after_a_swap(running, people):
    content = png_bytes()
    evidence = _add(people, running, "照片.png", content)
    Path(evidence.file.path).write_bytes(png_bytes())

    entry = ActionLog.objects.for_object(running).get(action="ledger.evidence.added")
    on_disk = hashlib.sha256(Path(evidence.file.path).read_bytes()).hexdigest()
    assert entry.payload["sha256"] == hashlib.sha256(content).hexdigest() != on_disk
