"""督办单 through the pages: the office issues one to a unit for its overdue or lagging problems, the unit
replies, the office closes it or returns it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ecoinspect.ledger.choices import NoticeStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem, SupervisionNotice
from tests.factories import ProblemFactory, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def lagging(people, structure):
    """Two open problems of the water bureau (one overdue) and one of the housing bureau."""
    overdue = ProblemFactory(status=S.RECTIFYING, title="逾期的排水口")
    Problem.objects.filter(pk=overdue.pk).update(deadline=today() - dt.timedelta(days=5))
    other = ProblemFactory(status=S.ASSIGNED, title="未启动的管网改造")
    housing = ProblemFactory(
        status=S.ASSIGNED, title="住建的工地", lead_unit=structure["zjj"], override_reason="测试"
    )
    return overdue, other, housing


def issue(client, unit, problems, **extra):
    data = {
        "unit": unit.pk,
        "problems": [p.pk for p in problems],
        "requirements": "请于期限内报送整改推进情况",
        "reply_due": (today() + dt.timedelta(days=5)).isoformat(),
    }
    data.update(extra)
    return client.post(reverse("ledger:notice_create"), data)


def test_choosing_a_unit_lists_its_open_problems(lagging, structure, as_user, people):
    overdue, other, housing = lagging
    html = (
        as_user(people["coordinator"])
        .get(reverse("ledger:notice_problems"), {"unit": structure["swj"].pk}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert overdue.number in html and other.number in html
    assert housing.number not in html
    assert html.index(overdue.number) < html.index(other.number)  # the overdue one first
    assert 'data-warning="red"' in html


def test_the_form_opened_from_a_problem_has_it_ticked(lagging, structure, as_user, people):
    overdue, other, _ = lagging
    url = f"{reverse('ledger:notice_create')}?unit={structure['swj'].pk}&problems={overdue.pk}"
    html = as_user(people["coordinator"]).get(url).content.decode()
    assert f'value="{overdue.pk}" id="notice-problem-{overdue.pk}" checked' in html
    assert f'value="{other.pk}" id="notice-problem-{other.pk}">' in html


def test_issuing_a_notice(lagging, structure, as_user, people):
    overdue, other, _ = lagging
    client = as_user(people["coordinator"])
    response = issue(client, structure["swj"], [overdue, other])

    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert set(notice.problems.all()) == {overdue, other}
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert notice.number in page.split('id="notices"', 1)[1]
    assert "下发督办单" in page.split('data-testid="timeline"', 1)[1]


def test_a_problem_of_another_unit_is_refused_and_the_form_kept(lagging, structure, as_user, people):
    overdue, _, housing = lagging
    response = issue(as_user(people["coordinator"]), structure["swj"], [overdue, housing])
    html = response.content.decode()
    assert response.status_code == 400
    assert f"以下问题不由 区水务局 牵头或配合：{housing.number}" in html
    assert "请于期限内报送整改推进情况</textarea>" in html
    assert f'value="{overdue.pk}" id="notice-problem-{overdue.pk}" checked' in html
    assert not SupervisionNotice.objects.exists()


def test_unit_staff_cannot_issue_notices(lagging, structure, as_user, people):
    client = as_user(people["water"])
    assert client.get(reverse("ledger:notice_create")).status_code == 403
    assert client.get(reverse("ledger:notice_problems"), {"unit": structure["swj"].pk}).status_code == 403
    assert issue(client, structure["swj"], lagging[:1]).status_code == 403
    assert not SupervisionNotice.objects.exists()


def test_the_unit_replies_and_the_office_closes(lagging, structure, as_user, people):
    issue(as_user(people["coordinator"]), structure["swj"], lagging[:2])
    notice = SupervisionNotice.objects.get()

    water = as_user(people["water"])
    listing = water.get(reverse("ledger:notice_list")).content.decode()
    assert notice.number in listing and "已督办" in listing
    page = water.get(notice.get_absolute_url()).content.decode()
    assert reverse("ledger:notice_reply", args=[notice.pk]) in page
    water.post(reverse("ledger:notice_reply", args=[notice.pk]), {"reply": "已增派施工队，月底前完成接驳"})
    assert SupervisionNotice.objects.get().status == NoticeStatus.REPLIED

    office = as_user(people["coordinator"])
    page = office.get(notice.get_absolute_url()).content.decode()
    assert "已增派施工队，月底前完成接驳" in page
    office.post(reverse("ledger:notice_move", args=[notice.pk, "close"]))
    assert SupervisionNotice.objects.get().status == NoticeStatus.CLOSED


def test_the_office_returns_an_unsatisfying_reply(lagging, structure, as_user, people):
    issue(as_user(people["coordinator"]), structure["swj"], lagging[:1])
    notice = SupervisionNotice.objects.get()
    as_user(people["water"]).post(reverse("ledger:notice_reply", args=[notice.pk]), {"reply": "在推进"})

    office = as_user(people["coordinator"])
    assert office.post(reverse("ledger:notice_return", args=[notice.pk]), {"reason": ""}).status_code == 400
    office.post(reverse("ledger:notice_return", args=[notice.pk]), {"reason": "回复过于笼统，请列明时间节点"})
    assert SupervisionNotice.objects.get().status == NoticeStatus.ISSUED
    timeline = office.get(notice.get_absolute_url()).content.decode().split('data-testid="timeline"', 1)[1]
    assert "回复过于笼统，请列明时间节点" in timeline


def test_replying_twice_shows_the_workflows_message(lagging, structure, as_user, people):
    issue(as_user(people["coordinator"]), structure["swj"], lagging[:1])
    notice = SupervisionNotice.objects.get()
    water = as_user(people["water"])
    water.post(reverse("ledger:notice_reply", args=[notice.pk]), {"reply": "在推进"})
    response = water.post(reverse("ledger:notice_reply", args=[notice.pk]), {"reply": "再补充一句"})
    assert response.status_code == 409
    assert "当前状态“已回复”下不能执行“回复督办”" in response.content.decode()
    assert SupervisionNotice.objects.get().reply == "在推进"


def test_the_unit_may_not_close_its_own_notice(lagging, structure, as_user, people):
    issue(as_user(people["coordinator"]), structure["swj"], lagging[:1])
    notice = SupervisionNotice.objects.get()
    water = as_user(people["water"])
    water.post(reverse("ledger:notice_reply", args=[notice.pk]), {"reply": "在推进"})
    response = water.post(reverse("ledger:notice_move", args=[notice.pk, "close"]))
    assert response.status_code == 403
    assert SupervisionNotice.objects.get().status == NoticeStatus.REPLIED


def test_other_units_do_not_see_the_notice(lagging, structure, as_user, people):
    issue(as_user(people["coordinator"]), structure["swj"], lagging[:1])
    notice = SupervisionNotice.objects.get()
    housing = as_user(people["housing"])
    assert notice.number not in housing.get(reverse("ledger:notice_list")).content.decode()
    assert housing.get(notice.get_absolute_url()).status_code == 404
    assert housing.get(reverse("ledger:notice_reply", args=[notice.pk])).status_code == 404


def test_the_unit_list_offers_the_office_a_notice(structure, as_user, people):
    url = reverse("ledger:unit_problems", args=[structure["swj"].pk])
    link = f"{reverse('ledger:notice_create')}?unit={structure['swj'].pk}"
    assert link in as_user(people["coordinator"]).get(url).content.decode()
    assert link not in as_user(people["water"]).get(url).content.decode()
