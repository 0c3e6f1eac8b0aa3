"""The home page (工作台): one's own units, 我的待办, the latest notifications, today on the working calendar."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from tests.factories import NotificationFactory, TicketFactory
from tests.testapp.models import Ticket

HOME = reverse("dashboard:home")


def queue_block(page: str) -> str:
    start = page.index('data-testid="my-queue"')
    return page[start : page.index("最新通知", start)]


def test_subdistrict_staff_see_their_own_unit_and_an_empty_queue(login, people):
    page = login(people["sanyuanli"]).get(HOME).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "白云区三元里街道" in page and "单位经办人" in page
    assert "我的待办" in page
    assert 'data-testid="queue-empty"' in page and "暂无待办事项" in page
    assert "白云区景泰街道" not in page


def test_the_queue_lists_what_the_unit_must_act_on_with_its_state(login, people, structure, ticket_queue):
    TicketFactory(title="三元里大道油烟扰民", status=Ticket.ASSIGNED, lead_unit=structure["sanyuanli"])
    TicketFactory(
        title="景泰涌黑臭",
        status=Ticket.WORKING,
        lead_unit=structure["jingtai"],
        cooperating=[structure["sanyuanli"]],
    )
    TicketFactory(title="景泰独办事项", status=Ticket.WORKING, lead_unit=structure["jingtai"])
    TicketFactory(
        title="三元里待验收",
        status=Ticket.DONE,
        lead_unit=structure["sanyuanli"],
        acceptance_unit=structure["sthj"],
    )
    block = queue_block(login(people["sanyuanli"]).get(HOME).content.decode())
    assert "三元里大道油烟扰民" in block and "景泰涌黑臭" in block
    assert "景泰独办事项" not in block and "三元里待验收" not in block
    assert "测试工单" in block  # the count per kind of record
    assert "已交办" in block and "办理中" in block
    assert "暂无待办事项" not in block

    reviewer_block = queue_block(login(people["reviewer"]).get(HOME).content.decode())
    assert "三元里待验收" in reviewer_block and "三元里大道油烟扰民" not in reviewer_block


def test_people_with_nothing_to_act_on_see_the_empty_state_even_when_others_are_busy(
    login, people, structure, ticket_queue
):
    TicketFactory(title="三元里大道油烟扰民", status=Ticket.ASSIGNED, lead_unit=structure["sanyuanli"])
    block = queue_block(login(people["taihe"]).get(HOME).content.decode())
    assert "暂无待办事项" in block and "三元里大道油烟扰民" not in block


@pytest.mark.parametrize("person", ["leader", "auditor"])
def test_district_watchers_get_the_red_and_overdue_panel_instead_of_a_queue(
    login, people, structure, ticket_queue, person
):
    TicketFactory(title="三元里大道油烟扰民", status=Ticket.ASSIGNED, lead_unit=structure["sanyuanli"])
    page = login(people[person]).get(HOME).content.decode()
    assert 'data-testid="my-queue"' not in page and "三元里大道油烟扰民" not in page
    assert "全区红灯与逾期" in page


def test_district_wide_roles_see_the_districts_unit_counts(login, people):
    page = login(people["leader"]).get(HOME).content.decode()
    assert "全区单位" in page
    counts = page[page.index("全区单位") :]
    for number, label in ((12, "区直部门"), (20, "街道"), (4, "镇")):
        assert (
            f'<div class="eco-stat">{number}</div><div class="small text-body-secondary">{label}</div>'
            in counts
        )
    assert "全区单位" not in login(people["sanyuanli"]).get(HOME).content.decode()


def test_the_latest_notifications_are_ones_own(login, people):
    NotificationFactory(recipient=people["sanyuanli"], title="请于今日报送进展")
    NotificationFactory(recipient=people["jingtai"], title="景泰专属通知")
    page = login(people["sanyuanli"]).get(HOME).content.decode()
    assert "请于今日报送进展" in page and "景泰专属通知" not in page


@pytest.mark.parametrize(
    ("today", "kind", "next_day"),
    [
        (dt.date(2026, 2, 16), "休息日", "2月24日"),  # Spring Festival
        (dt.date(2026, 2, 13), "工作日", "2月14日"),  # the make-up Saturday is next
        (dt.date(2026, 10, 10), "工作日", "10月12日"),  # a make-up Saturday itself
    ],
)
def test_the_home_page_says_whether_today_is_a_working_day_and_when_the_next_one_is(
    login, people, today, kind, next_day
):
    with mock.patch("ecoinspect.dashboard.selectors.timezone.localdate", return_value=today):
        page = login(people["sanyuanli"]).get(HOME).content.decode()
    header = page[page.index("工作台</h1>") : page.index('class="row g-3 mb-3"')]
    assert kind in header and f"下一个工作日 {next_day}" in header
    assert "按周末推算" not in header


def test_the_home_page_warns_when_today_is_only_estimated(login, people):
    with mock.patch("ecoinspect.dashboard.selectors.timezone.localdate", return_value=dt.date(2027, 3, 1)):
        page = login(people["sanyuanli"]).get(HOME).content.decode()
    assert "按周末推算" in page


def test_the_language_switch_turns_the_page_to_english_and_back(login, people):
    client = login(people["sanyuanli"])
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert 'value="zh-hans" type="submit" data-testid="language-switch">中文</button>' in page
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME}, follow=True)
    assert '<html lang="zh-hans">' in response.content.decode()
