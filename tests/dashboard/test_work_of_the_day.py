"""我的待办 shows each entry's deadline and warning colour, most urgent first, with a link to the whole list;
leaders and discipline inspection, who have no queue, see the district's red and overdue items instead."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ecoinspect.ledger.choices import ProblemStatus as S
from tests.clock import Clock
from tests.factories import ProblemFactory

HOME = reverse("dashboard:home")


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def block(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("最新通知", start)]


@pytest.fixture
def waiting(people, clock):
    """Three problems the water bureau must work: one due in 60 days, one due in 5 (made first), one that
    will be overdue — and one of the housing bureau's, overdue too."""
    soon = ProblemFactory(title="五日后到期的问题", deadline=clock.today + dt.timedelta(days=20), status=S.ASSIGNED)
    later = ProblemFactory(title="六十日后到期的问题", deadline=clock.today + dt.timedelta(days=75), status=S.ASSIGNED)
    late = ProblemFactory(title="已逾期的问题", deadline=clock.today + dt.timedelta(days=10), status=S.ASSIGNED)
    other = ProblemFactory(
        title="住建局逾期问题",
        lead_unit=people["housing"].memberships.get().unit,
        deadline=clock.today + dt.timedelta(days=10),
        override_reason="测试指定",
        status=S.ASSIGNED,
    )
    clock.advance(days=15)
    return {"soon": soon, "later": later, "late": late, "other": other}


def test_my_queue_shows_deadlines_and_warnings_most_urgent_first(login, people, waiting, clock):
    queue = block(login(people["water"]).get(HOME).content.decode(), "my-queue")
    order = [queue.index(t) for t in ("已逾期的问题", "五日后到期的问题", "六十日后到期的问题")]
    assert order == sorted(order)
    late_row = queue[queue.rindex("<li", 0, order[0]) : queue.index("</li>", order[0])]
    assert 'data-warning="red"' in late_row and "红灯" in late_row and "已逾期" in late_row
    assert str(waiting["late"].deadline) in late_row
    assert str(waiting["later"].deadline) in queue
    assert "住建局逾期问题" not in queue


def test_the_queue_links_to_the_whole_list_of_what_waits_for_me(login, people, waiting):
    client = login(people["water"])
    queue = block(client.get(HOME).content.decode(), "my-queue")
    link = re.search(r'href="([^"]+)" data-testid="queue-all"', queue).group(1).replace("&amp;", "&")
    listed = client.get(link).content.decode()
    for title in ("已逾期的问题", "五日后到期的问题", "六十日后到期的问题"):
        assert title in listed
    assert "住建局逾期问题" not in listed
    # the coordinator's whole list of what waits for them is what awaits assignment, not what the units work
    ProblemFactory(title="待交办的问题")
    office = login(people["coordinator"])
    link = re.search(
        r'href="([^"]+)" data-testid="queue-all"', block(office.get(HOME).content.decode(), "my-queue")
    ).group(1)
    listed = office.get(link.replace("&amp;", "&")).content.decode()
    assert "待交办的问题" in listed and "已逾期的问题" not in listed


@pytest.mark.parametrize("who", ["leader", "auditor"])
def test_district_watchers_see_the_red_and_overdue_items_instead_of_an_empty_queue(login, people, waiting, who):
    client = login(people[who])
    page = client.get(HOME).content.decode()
    assert 'data-testid="my-queue"' not in page and "暂无待办事项" not in page
    alerts = block(page, "district-alerts")
    assert "全区红灯与逾期" in alerts
    assert "已逾期的问题" in alerts and "住建局逾期问题" in alerts
    assert "五日后到期的问题" not in alerts and "六十日后到期的问题" not in alerts
    link = re.search(r'href="([^"]+)" data-testid="queue-all"', alerts).group(1).replace("&amp;", "&")
    listed = client.get(link).content.decode()
    assert "已逾期的问题" in listed and "住建局逾期问题" in listed and "五日后到期的问题" not in listed


def test_unit_staff_and_the_office_keep_their_queue(login, people, waiting):
    for who in ("water", "coordinator", "publisher"):
        page = login(people[who]).get(HOME).content.decode()
        assert 'data-testid="district-alerts"' not in page and 'data-testid="my-queue"' in page
