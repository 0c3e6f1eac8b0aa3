"""我的待办 on the home page: a unit's cases with both clocks, most urgent first; the office's cases to
assign and to review; the link to the whole list of them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Assignment
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def due_in(petition, internal: int, external: int) -> None:
    today = timezone.localdate()
    Assignment.objects.filter(petition=petition).update(
        internal_due=today + dt.timedelta(days=internal), external_due=today + dt.timedelta(days=external)
    )


def queue_items(html: str) -> list[str]:
    """The petition group's items (受理编号) in the order shown."""
    group = html.split("信访件 <span", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li [^>]*data-testid="queue-item"[^>]*>\s*<a href="/petitions/\d+/">([^<]+)</a>', group)


def test_a_unit_sees_its_cases_with_both_clocks_most_urgent_first(as_user, people):
    later = PetitionFactory(status=S.VERIFYING)
    due_in(later, 4, 9)
    late = PetitionFactory(status=S.ASSIGNED)
    due_in(late, -1, 2)
    past_both = PetitionFactory(status=S.VERIFYING)
    due_in(past_both, -3, -1)
    PetitionFactory(status=S.REPORTED)  # reported: waits for the office, not for the unit

    html = as_user(people["water"]).get("/").content.decode()

    assert queue_items(html) == [past_both.acceptance_no, late.acceptance_no, later.acceptance_no]
    group = html.split("信访件 <span", 1)[1].split("</ul>", 1)[0]
    items = group.split('data-testid="queue-item"')[1:]
    assert 'data-warning="red"' in group and "超过督察组时限" in items[0]
    assert "区内时限" in items[1] and "督察组时限" in items[1] and "已逾期" in items[1]
    today = timezone.localdate()
    assert (today + dt.timedelta(days=9)).isoformat() in items[2]
    more = re.search(r'href="([^"]+)"[^>]*data-testid="queue-all"', html.split("信访件 <span", 1)[1]).group(1)
    listed = as_user(people["water"]).get(more.replace("&amp;", "&")).content.decode()
    assert re.findall(r'<tr data-petition="([^"]+)"', listed) == queue_items(html)


def test_the_office_sees_cases_to_assign_and_to_review(as_user, people):
    new = PetitionFactory()
    reported = PetitionFactory(status=S.REPORTED)
    PetitionFactory(status=S.VERIFYING)
    html = as_user(people["coordinator"]).get("/").content.decode()
    assert set(queue_items(html)) == {new.acceptance_no, reported.acceptance_no}
