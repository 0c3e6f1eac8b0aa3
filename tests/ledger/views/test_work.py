"""The unit's work on a problem, through the pages: measures, progress reports, evidence files, special
plans and joint enforcement — as the right role, as the wrong one, and with bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse

from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Evidence, JointAction, Measure, Problem, ProgressReport, SpecialPlan
from tests.factories import ProblemFactory, pdf_bytes, png_bytes, today, upload

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# ---- measures ----------------------------------------------------------------------------------------


def test_adding_a_measure_with_its_own_owner_and_deadline(structure, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    due = today() + dt.timedelta(days=10)
    client = as_user(people["water"])
    response = client.post(
        reverse("ledger:measure_add", args=[problem.pk]),
        {
            "content": "封堵排水口，接驳市政管网",
            "owner_unit": structure["swj"].pk,
            "owner_person": "黄工",
            "deadline": due.isoformat(),
        },
    )

    assert response.status_code == 302
    measure = Measure.objects.get(problem=problem)
    assert (measure.owner_person, measure.deadline) == ("黄工", due)
    table = client.get(problem.get_absolute_url()).content.decode().split('data-testid="measures"', 1)[1]
    assert "封堵排水口，接驳市政管网" in table and "黄工" in table and due.isoformat() in table


def test_a_measure_without_content_keeps_the_rest(structure, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    response = as_user(people["water"]).post(
        reverse("ledger:measure_add", args=[problem.pk]),
        {"content": "", "owner_unit": structure["swj"].pk, "owner_person": "黄工"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="content"' in html and 'value="黄工"' in html
    assert not Measure.objects.exists()


def test_completing_a_measure(structure, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    client.post(
        reverse("ledger:measure_add", args=[problem.pk]),
        {"content": "封堵", "owner_unit": structure["swj"].pk},
    )
    measure = Measure.objects.get()
    response = client.post(
        reverse("ledger:measure_complete", args=[measure.pk]), {"done_on": today().isoformat()}
    )
    assert response.status_code == 302
    assert Measure.objects.get().done_on == today()


def test_a_future_completion_date_is_refused(structure, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    client.post(
        reverse("ledger:measure_add", args=[problem.pk]),
        {"content": "封堵", "owner_unit": structure["swj"].pk},
    )
    measure = Measure.objects.get()
    client.post(
        reverse("ledger:measure_complete", args=[measure.pk]),
        {"done_on": (today() + dt.timedelta(days=3)).isoformat()},
    )
    assert Measure.objects.get().done_on is None
    assert "完成日期不能晚于今天" in client.get(problem.get_absolute_url()).content.decode()


def test_the_acceptance_unit_may_look_but_not_work(structure, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["reviewer"])
    assert client.get(problem.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("ledger:measure_add", args=[problem.pk]),
        {"content": "验收单位代写", "owner_unit": structure["sthj"].pk},
    )
    assert response.status_code == 403
    assert "只有该问题的牵头或配合单位可以办理" in response.content.decode()
    assert not Measure.objects.exists()


# ---- progress reports -----------------------------------------------------------------------------------


def test_a_report_with_a_photo_becomes_the_problems_progress(as_user, people, media_root):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    response = client.post(
        reverse("ledger:report_add", args=[problem.pk]),
        {
            "reported_on": today().isoformat(),
            "progress_status": "on_schedule",
            "text": "管网接驳完成 60%",
            "kind": "photo",
            "file": upload("施工现场.png", png_bytes()),
        },
    )

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert Problem.objects.get(pk=problem.pk).progress_status == "on_schedule"
    assert report.evidence.get().original_name == "施工现场.png"
    page = client.get(problem.get_absolute_url()).content.decode()
    reports = page.split('data-testid="reports"', 1)[1].split("</ul>", 1)[0]
    assert "管网接驳完成 60%" in reports and "达到时序进度" in reports and "施工现场.png" in reports


def test_a_report_whose_file_is_refused_is_not_saved_either(as_user, people, media_root):
    problem = ProblemFactory(status=S.RECTIFYING)
    response = as_user(people["water"]).post(
        reverse("ledger:report_add", args=[problem.pk]),
        {
            "progress_status": "on_schedule",
            "text": "管网接驳完成 60%",
            "kind": "photo",
            "file": upload("照片.jpg", b"MZ" + b"\0" * 600),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "不是允许的佐证材料类型" in html.split('data-field="file"', 1)[1]
    assert "管网接驳完成 60%</textarea>" in html
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_a_report_in_the_future_is_refused_on_its_date(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    response = as_user(people["water"]).post(
        reverse("ledger:report_add", args=[problem.pk]),
        {
            "reported_on": (today() + dt.timedelta(days=1)).isoformat(),
            "progress_status": "behind",
            "text": "滞后",
        },
    )
    assert response.status_code == 400
    assert "报送日期不能晚于今天" in response.content.decode().split('data-field="reported_on"', 1)[1]


# ---- evidence files -----------------------------------------------------------------------------------


def test_the_evidence_form_offers_this_rounds_reports_newest_first_and_links_the_file(as_user, people):
    """The select is filled from the reports the page has already read (no second query), as the database
    would order them; a report of an earlier round of rectification is not offered."""
    from tests.factories import ProgressReportFactory

    problem = ProblemFactory(status=S.RECTIFYING, registered_on=today() - dt.timedelta(days=10))
    older = ProgressReportFactory(problem=problem, text="第一次调度：排水口已封堵。", reported_on=today() - dt.timedelta(days=3))
    newer = ProgressReportFactory(problem=problem, text="第二次调度：清淤完成。", reported_on=today() - dt.timedelta(days=1))
    earlier_round = ProgressReportFactory(problem=problem, text="上一轮的报送。")
    ProgressReport.objects.filter(pk=earlier_round.pk).update(cycle=problem.cycle - 1)
    client = as_user(people["water"])
    page = client.get(problem.get_absolute_url()).content.decode()
    select = page.split('id="evidence_report"', 1)[1].split("</select>", 1)[0]
    offered = [int(v) for v in re.findall(r'<option value="(\d+)"', select)]
    assert offered == [newer.pk, older.pk] and "上一轮的报送" not in select
    response = client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("清淤.png", png_bytes()), "kind": "photo", "report": str(older.pk)},
    )
    assert response.status_code == 302 and Evidence.objects.get().report == older
    refused = client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("旧.png", png_bytes()), "kind": "photo", "report": str(earlier_round.pk)},
    )
    assert refused.status_code == 400 and Evidence.objects.count() == 1  # the queryset still checks


def test_uploading_a_photo_shows_its_thumbnail_hash_and_size(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    content = png_bytes((120, 90))
    client = as_user(people["water"])
    response = client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("封堵后.png", content), "kind": "photo", "description": "排水口已封堵"},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    digest = hashlib.sha256(content).hexdigest()
    assert evidence.sha256 == digest
    page = client.get(problem.get_absolute_url()).content.decode()
    gallery = page.split('data-testid="evidence"', 1)[1]
    assert f"SHA-256 {digest}" in gallery
    assert f'src="{evidence.get_absolute_url()}?thumb=1"' in gallery
    assert "排水口已封堵" in gallery and (" B<" in gallery or " KB<" in gallery)


def test_a_file_that_is_not_what_its_name_says_gets_the_services_message(as_user, people, media_root):
    problem = ProblemFactory(status=S.RECTIFYING)
    response = as_user(people["water"]).post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("监测报告.jpg", pdf_bytes()), "kind": "monitoring", "description": "第三方监测"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    field = html.split('data-field="file"', 1)[1].split('data-field="', 1)[0]
    assert "文件名与内容不符" in field
    assert 'value="第三方监测"' in html
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_an_oversized_upload_is_refused_before_it_is_read(as_user, people, settings, media_root):
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 1024 * 1024
    problem = ProblemFactory(status=S.RECTIFYING)
    big = png_bytes() + b"\0" * (2 * 1024 * 1024)
    response = as_user(people["water"]).post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("大照片.png", big), "kind": "photo"},
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert (
        "超过单个文件 1 MB 的上限，未保存任何内容" in html
    )
    assert not Evidence.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize("url_name", ["ledger:evidence_add", "ledger:report_add"])
def test_a_200_mb_upload_gets_413_without_the_body_being_read(url_name, as_user, people, media_root):
    """The declared length alone decides: had anything read the body (the CSRF check reads request.POST),
    the test client's payload — far shorter than declared — would have raised."""
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse(url_name, args=[problem.pk]),
        {"file": upload("航拍视频.mp4", b"\0" * 1024), "kind": "photo"},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert "上传内容 200.0 MB，超过单个文件 50 MB 的上限" in html
    assert problem.number in html  # the page is the form of this problem, with the message
    assert not Evidence.objects.exists() and not ProgressReport.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_to_someone_elses_problem_is_still_not_found(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    response = as_user(people["housing"]).post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"kind": "photo"},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 404


def test_a_normal_upload_is_still_csrf_checked(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("照片.png", png_bytes()), "kind": "photo"},
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_the_file_is_served_with_its_type_name_and_hash(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    content = pdf_bytes("SO2 24h 0.02 mg/m3")
    client = as_user(people["water"])
    client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("监测报告 2026.pdf", content), "kind": "monitoring"},
    )
    evidence = Evidence.objects.get()

    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert response.content == content
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == "inline; filename*=UTF-8''%E7%9B%91%E6%B5%8B%E6%8A%A5%E5%91%8A%202026.pdf"
    )
    assert response["X-Evidence-SHA256"] == hashlib.sha256(content).hexdigest()
    assert response["X-Content-Type-Options"] == "nosniff"
    download = client.get(evidence.get_absolute_url(), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_photo_has_a_jpeg_thumbnail(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("现场.png", png_bytes((800, 600))), "kind": "photo"},
    )
    evidence = Evidence.objects.get()
    thumb = client.get(evidence.get_absolute_url(), {"thumb": "1"})
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb.content[:3] == b"\xff\xd8\xff"
    assert len(thumb.content) < evidence.size or evidence.size < 4000


def test_a_big_file_is_streamed(as_user, people, settings, monkeypatch):
    from ecoinspect.ledger.views import evidence as view

    monkeypatch.setattr(view, "WHOLE_RESPONSE_BYTES", 100)
    problem = ProblemFactory(status=S.RECTIFYING)
    content = pdf_bytes("x" * 500)
    client = as_user(people["water"])
    client.post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("报告.pdf", content), "kind": "monitoring"},
    )
    response = client.get(Evidence.objects.get().get_absolute_url())
    assert response.streaming
    assert b"".join(response.streaming_content) == content


def test_outsiders_cannot_fetch_the_file(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    desk_evidence = as_user(people["water"]).post(
        reverse("ledger:evidence_add", args=[problem.pk]),
        {"file": upload("照片.png", png_bytes()), "kind": "photo"},
    )
    assert desk_evidence.status_code == 302
    evidence = Evidence.objects.get()
    client = as_user(people["housing"])
    assert client.get(evidence.get_absolute_url()).status_code == 404
    assert client.get(evidence.get_absolute_url(), {"thumb": "1"}).status_code == 404
    assert as_user(people["reviewer"]).get(evidence.get_absolute_url()).status_code == 200  # acceptance unit


# ---- special plans and joint enforcement ---------------------------------------------------------------


def plan_data(**extra) -> dict:
    data = {
        "goals": "年底前消除旱季直排",
        "measures": "排查、封堵、接驳三步走",
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-date": (today() + dt.timedelta(days=20)).isoformat(),
        "milestones-0-content": "完成排查",
        "milestones-1-date": (today() + dt.timedelta(days=50)).isoformat(),
        "milestones-1-content": "完成封堵接驳",
        "milestones-2-date": "",
        "milestones-2-content": "",
    }
    data.update(extra)
    return data


def test_submitting_a_special_plan_with_milestone_rows(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED, is_key=True)
    client = as_user(people["water"])
    form = client.get(reverse("ledger:plan_submit", args=[problem.pk])).content.decode()
    assert 'data-testid="add-milestone"' in form and "milestones-TOTAL_FORMS" in form

    response = client.post(reverse("ledger:plan_submit", args=[problem.pk]), plan_data())
    assert response.status_code == 302
    plan = SpecialPlan.objects.get()
    assert [m["content"] for m in plan.milestones] == ["完成排查", "完成封堵接驳"]
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "完成封堵接驳" in page.split('id="plans"', 1)[1] and "已提交" in page


def test_a_milestone_without_a_date_keeps_every_row(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED, is_key=True)
    response = as_user(people["water"]).post(
        reverse("ledger:plan_submit", args=[problem.pk]), plan_data(**{"milestones-1-date": ""})
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="完成排查"' in html and 'value="完成封堵接驳"' in html
    assert "年底前消除旱季直排</textarea>" in html
    assert not SpecialPlan.objects.exists()


def test_approving_the_plan_lets_a_key_problem_start(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED, is_key=True)
    as_user(people["water"]).post(reverse("ledger:plan_submit", args=[problem.pk]), plan_data())
    plan = SpecialPlan.objects.get()

    assert (
        as_user(people["water"])
        .post(reverse("ledger:plan_decide", args=[plan.pk]), {"decision": "approve"})
        .status_code
        == 403
    )
    client = as_user(people["coordinator"])
    page = client.get(problem.get_absolute_url()).content.decode()
    assert reverse("ledger:plan_decide", args=[plan.pk]) in page
    client.post(reverse("ledger:plan_decide", args=[plan.pk]), {"decision": "approve", "note": "同意"})
    assert SpecialPlan.objects.get().status == "approved"

    water = as_user(people["water"])
    water.post(reverse("ledger:problem_move", args=[problem.pk, "start"]))
    assert Problem.objects.get(pk=problem.pk).status == S.RECTIFYING


def test_returning_a_plan_needs_a_note(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED, is_key=True)
    as_user(people["water"]).post(reverse("ledger:plan_submit", args=[problem.pk]), plan_data())
    plan = SpecialPlan.objects.get()
    client = as_user(people["coordinator"])
    client.post(reverse("ledger:plan_decide", args=[plan.pk]), {"decision": "reject", "note": ""})
    assert SpecialPlan.objects.get().status == "submitted"
    assert "退回修改须填写意见" in client.get(problem.get_absolute_url()).content.decode()


def test_recording_joint_enforcement(structure, as_user, people):
    problem = ProblemFactory(
        status=S.RECTIFYING, is_complex=True, lead_unit=structure["zjj"], override_reason="测试"
    )
    client = as_user(people["coordinator"])
    units = [structure["zjj"].pk, structure["swj"].pk, structure["gaj"].pk]
    response = client.post(
        reverse("ledger:joint_action_add", args=[problem.pk]),
        {
            "acted_on": today().isoformat(),
            "units": units,
            "findings": "夜间偷排",
            "actions": "查封设备，立案调查",
        },
    )
    assert response.status_code == 302
    assert JointAction.objects.get().units.count() == 3
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "查封设备，立案调查" in page.split('id="joint-actions"', 1)[1]


def test_joint_enforcement_needs_two_units(structure, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING, is_complex=True)
    response = as_user(people["water"]).post(
        reverse("ledger:joint_action_add", args=[problem.pk]),
        {
            "acted_on": today().isoformat(),
            "units": [structure["swj"].pk],
            "findings": "夜间偷排",
            "actions": "查封",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "联合执法至少需要两个参加部门" in html.split('data-field="units"', 1)[1]
    assert "夜间偷排</textarea>" in html
