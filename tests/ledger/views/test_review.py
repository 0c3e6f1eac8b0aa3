"""Acceptance, publicity, objections, closing and reopening through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Acceptance, Problem, Publicity
from tests.factories import ProblemFactory, end_publicity, today

pytestmark = pytest.mark.django_db


def test_the_reviewer_accepts_with_date_method_and_opinion(as_user, people):
    problem = ProblemFactory(status=S.COMPLETED)
    client = as_user(people["reviewer"])
    form = client.get(reverse("ledger:problem_accept", args=[problem.pk])).content.decode()
    assert "现场核查" in form and "资料审核" in form

    response = client.post(
        reverse("ledger:problem_accept", args=[problem.pk]),
        {
            "accepted_on": today().isoformat(),
            "method": "on_site",
            "opinion": "现场核查，排水口已封堵，无污水外排。",
        },
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == S.ACCEPTED
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "验收通过，待发布销号公示" in page
    assert "现场核查，排水口已封堵，无污水外排。" in page.split('data-testid="acceptances"', 1)[1]


def test_the_reviewer_rejects_with_reasons(as_user, people):
    problem = ProblemFactory(status=S.ACCEPTING)
    response = as_user(people["reviewer"]).post(
        reverse("ledger:problem_reject", args=[problem.pk]),
        {"accepted_on": today().isoformat(), "method": "documents", "reason": "缺少第三方监测报告"},
    )
    assert response.status_code == 302
    saved = Problem.objects.get(pk=problem.pk)
    assert saved.status == S.RECTIFYING and saved.progress_status == "behind"
    assert Acceptance.objects.get(problem=problem).passed is False


def test_an_opinion_is_required_and_the_rest_is_kept(as_user, people):
    problem = ProblemFactory(status=S.COMPLETED)
    response = as_user(people["reviewer"]).post(
        reverse("ledger:problem_accept", args=[problem.pk]),
        {"accepted_on": today().isoformat(), "method": "documents", "opinion": "  "},
    )
    html = response.content.decode()
    assert response.status_code == 400
    opinion = html.split('data-field="opinion"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'data-testid="field-error"' in opinion and "is-invalid" in opinion
    assert 'value="documents" class="form-check-input" id="id_method_1" required checked' in html
    assert Problem.objects.get(pk=problem.pk).status == S.COMPLETED


def test_the_lead_unit_cannot_accept_its_own_work(as_user, people):
    problem = ProblemFactory(status=S.COMPLETED)
    client = as_user(people["water"])
    url = reverse("ledger:problem_accept", args=[problem.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"accepted_on": today().isoformat(), "method": "on_site", "opinion": "自己验收"}
    )
    assert response.status_code == 403
    assert "只有该问题的验收销号单位可以验收" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == S.COMPLETED
    assert not Acceptance.objects.exists()


def test_accepting_out_of_order_shows_the_workflows_message_and_logs_it(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["reviewer"])
    url = reverse("ledger:problem_accept", args=[problem.pk])
    assert "当前状态“整改中”下不能执行“验收通过”" in client.get(url).content.decode()  # said before typing

    response = client.post(
        url, {"accepted_on": today().isoformat(), "method": "on_site", "opinion": "提前验收"}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "当前状态“整改中”下不能执行“验收通过”" in html.split('data-testid="form-errors"', 1)[1]
    assert "提前验收</textarea>" in html
    refused = ActionLog.objects.for_object(problem).filter(action="ledger.problem.refused")
    assert [e.payload["action"] for e in refused] == ["accept"]
    assert not Acceptance.objects.exists()


def test_the_publisher_starts_the_publicity(as_user, people):
    problem = ProblemFactory(status=S.ACCEPTED)
    client = as_user(people["publisher"])
    form = client.get(reverse("ledger:publicity_start", args=[problem.pk])).content.decode()
    assert "10 个工作日" in form and "2 周" in form

    response = client.post(
        reverse("ledger:publicity_start", args=[problem.pk]),
        {
            "starts_on": today().isoformat(),
            "period": "2_weeks",
            "channel": "白云区人民政府网站",
            "objection_phone": "020-86000000",
        },
    )
    assert response.status_code == 302
    publicity = Publicity.objects.get()
    assert publicity.ends_on == today() + dt.timedelta(days=13)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert f"公示期至 {publicity.ends_on}" in page
    section = page.split('data-testid="publicities"', 1)[1]
    assert "020-86000000" in section and "（2 周）" in section


def test_a_bad_phone_is_refused_on_its_field(as_user, people):
    problem = ProblemFactory(status=S.ACCEPTED)
    response = as_user(people["publisher"]).post(
        reverse("ledger:publicity_start", args=[problem.pk]),
        {
            "starts_on": today().isoformat(),
            "period": "10_workdays",
            "channel": "区政府网站",
            "objection_phone": "12",
        },
    )
    assert response.status_code == 400
    assert "请填写有效的异议受理电话" in response.content.decode().split('data-field="objection_phone"', 1)[1]
    assert Problem.objects.get(pk=problem.pk).status == S.ACCEPTED


def test_the_reviewer_may_not_publish(as_user, people):
    problem = ProblemFactory(status=S.ACCEPTED)
    response = as_user(people["reviewer"]).get(reverse("ledger:publicity_start", args=[problem.pk]))
    assert response.status_code == 403
    assert "只有信息公开发布人可以办理公示和销号" in response.content.decode()


def test_an_upheld_objection_sends_the_problem_back(as_user, people):
    problem = ProblemFactory(status=S.PUBLICITY)
    response = as_user(people["publisher"]).post(
        reverse("ledger:publicity_objection", args=[problem.pk]),
        {"upheld": "1", "note": "群众反映仍有异味，经核实属实"},
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == S.RECTIFYING


def test_a_dismissed_objection_is_recorded_and_closing_goes_on(as_user, people):
    problem = ProblemFactory(status=S.PUBLICITY)
    client = as_user(people["publisher"])
    client.post(
        reverse("ledger:publicity_objection", args=[problem.pk]), {"upheld": "0", "note": "反映的是相邻排口"}
    )
    assert Problem.objects.get(pk=problem.pk).status == S.PUBLICITY
    assert "反映的是相邻排口" in client.get(problem.get_absolute_url()).content.decode()

    end_publicity(problem)
    client.post(reverse("ledger:problem_move", args=[problem.pk, "close"]))
    closed = Problem.objects.get(pk=problem.pk)
    assert closed.status == S.CLOSED and closed.progress_status == "accepted_closed"


def test_reopening_a_closed_problem(as_user, people):
    problem = ProblemFactory(status=S.CLOSED)
    client = as_user(people["coordinator"])
    new = today() + dt.timedelta(days=30)
    response = client.post(
        reverse("ledger:problem_reopen", args=[problem.pk]),
        {"reason": "群众再次投诉冒黑水", "new_deadline": new.isoformat()},
    )
    assert response.status_code == 302
    saved = Problem.objects.get(pk=problem.pk)
    assert (saved.status, saved.cycle, saved.deadline) == (S.RECTIFYING, 2, new)
    assert "已反弹重启，进入第 2 轮整改" in client.get(problem.get_absolute_url()).content.decode()


def test_reopening_needs_a_new_deadline(as_user, people):
    problem = ProblemFactory(status=S.CLOSED)
    response = as_user(people["coordinator"]).post(
        reverse("ledger:problem_reopen", args=[problem.pk]), {"reason": "反弹", "new_deadline": ""}
    )
    assert response.status_code == 400
    assert (
        "反弹重启须给出今天之后的新整改时限"
        in response.content.decode().split('data-field="new_deadline"', 1)[1]
    )
    assert Problem.objects.get(pk=problem.pk).status == S.CLOSED


# --- publicity dates (issue #8) ---------------------------------------------------------------------------


def _publicity_post(client, problem, **fields):
    data = {
        "starts_on": today().isoformat(),
        "period": "10_workdays",
        "channel": "白云区人民政府网站",
        "objection_phone": "020-86000000",
    } | fields
    return client.post(reverse("ledger:publicity_start", args=[problem.pk]), data, follow=True)


def test_the_publicity_form_names_the_allowed_range_and_refuses_a_past_start(as_user, people, clock):
    problem = ProblemFactory(status=S.ACCEPTED)  # accepted on START, Monday 7 Sep 2026
    clock.set(dt.date(2026, 9, 14))
    client = as_user(people["publisher"])
    form = client.get(reverse("ledger:publicity_start", args=[problem.pk])).content.decode()
    assert "可选 2026-09-14（今天）至 2026-10-14" in form
    assert "实际发布时间" in form and "实际发布位置或链接" in form

    response = _publicity_post(client, problem, starts_on="2026-09-08")
    assert response.status_code == 400
    field = response.content.decode().split('data-field="starts_on"', 1)[1]
    assert "公示开始日期须在 2026-09-14（今天）至 2026-10-14 之间。" in field
    assert not Publicity.objects.exists()


def test_a_real_publication_is_kept_and_shown_on_the_problem_page(as_user, people, clock):
    problem = ProblemFactory(status=S.ACCEPTED)
    clock.set(dt.date(2026, 9, 14))
    client = as_user(people["publisher"])
    response = _publicity_post(
        client,
        problem,
        starts_on="2026-09-08",
        published_at="2026-09-08T09:30",
        published_where="https://www.by.gov.cn/gkmlpt/content/1/1000001.html",
    )
    assert response.status_code == 200
    publicity = Publicity.objects.get()
    assert publicity.starts_on == dt.date(2026, 9, 8)
    section = response.content.decode().split('data-testid="publicities"', 1)[1]
    published = section.split('data-testid="publicity-published"', 1)[1].split("</div>", 1)[0]
    assert "2026-09-08 09:30" in published
    assert 'href="https://www.by.gov.cn/gkmlpt/content/1/1000001.html"' in published


def test_a_start_on_a_rest_day_is_accepted_with_a_warning_that_names_it(as_user, people, clock):
    problem = ProblemFactory(status=S.ACCEPTED)
    response = _publicity_post(as_user(people["publisher"]), problem, starts_on="2026-10-03")
    page = response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == S.PUBLICITY
    assert "公示开始日期 2026-10-03 为休息日（国庆节）" in page
    section = page.split('data-testid="publicities"', 1)[1]
    assert "休息日开始（国庆节）" in section.split('data-testid="publicity-rest-day"', 1)[1]


def test_a_start_on_a_working_day_shows_no_rest_day_warning(as_user, people, clock):
    problem = ProblemFactory(status=S.ACCEPTED)
    page = _publicity_post(as_user(people["publisher"]), problem).content.decode()
    assert "为休息日" not in page and 'data-testid="publicity-rest-day"' not in page
