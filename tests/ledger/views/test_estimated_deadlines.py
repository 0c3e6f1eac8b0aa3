"""A deadline counted into a year whose holiday schedule is not published yet is an estimate, and every page
that shows it says so with a small 预估 marker (the calendar page is not the only place)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ecoinspect.ledger import deadlines
from ecoinspect.ledger.choices import ProblemStatus as S
from tests.factories import ProblemFactory, SupervisionNoticeFactory

pytestmark = pytest.mark.django_db

MARK = 'data-testid="deadline-estimated"'
IN_2027 = dt.date(2027, 2, 26)  # chinesecalendar knows 2026; the 2027 schedule is not published


@pytest.fixture
def problems(clock):
    return {
        "estimated": ProblemFactory(status=S.RECTIFYING, title="跨年整改的排水口", deadline=IN_2027),
        "known": ProblemFactory(
            status=S.RECTIFYING, title="年内整改的排水口", deadline=dt.date(2026, 12, 31)
        ),
        "long_term": ProblemFactory(status=S.RECTIFYING, title="长效管控", deadline_kind="long_term"),
    }


def test_only_a_deadline_counted_into_an_unpublished_year_is_an_estimate(problems):
    assert deadlines.deadline_estimated(problems["estimated"])
    assert not deadlines.deadline_estimated(problems["known"])
    assert not deadlines.deadline_estimated(problems["long_term"])


def _row(page: str, title: str) -> str:
    return page.split(title, 1)[1].split("</tr>", 1)[0]


def test_the_list_pages_mark_the_estimated_deadline(as_user, people, problems):
    client = as_user(people["coordinator"])
    unit = problems["estimated"].lead_unit
    for url in (reverse("ledger:problem_list"), reverse("ledger:unit_problems", args=[unit.pk])):
        page = client.get(url).content.decode()
        assert MARK in _row(page, "跨年整改的排水口"), url
        assert MARK not in _row(page, "年内整改的排水口"), url
        assert "放假安排尚未公布" in _row(page, "跨年整改的排水口")


def test_the_problem_page_marks_the_estimated_deadline(as_user, people, problems):
    client = as_user(people["coordinator"])
    page = client.get(problems["estimated"].get_absolute_url()).content.decode()
    record = page.split('data-testid="problem-deadline"', 1)[1].split("</dd>", 1)[0]
    assert "2027-02-26" in record and MARK in record
    known = client.get(problems["known"].get_absolute_url()).content.decode()
    assert MARK not in known


def test_a_form_about_the_problem_and_a_supervision_notice_mark_it_too(as_user, people, problems):
    client = as_user(people["coordinator"])
    form = client.get(reverse("ledger:problem_pause", args=[problems["estimated"].pk])).content.decode()
    assert MARK in form.split('data-testid="problem-summary"', 1)[1]
    notice = SupervisionNoticeFactory(problems=[problems["estimated"], problems["known"]])
    page = client.get(reverse("ledger:notice_detail", args=[notice.pk])).content.decode()
    assert MARK in _row(page, "跨年整改的排水口") and MARK not in _row(page, "年内整改的排水口")
