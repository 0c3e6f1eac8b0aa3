"""The working-day calendar page: a deadline calculator for everyone, overrides entered by the coordinator."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.models import WorkdayOverride
from tests.factories import WorkdayOverrideFactory

URL = reverse("orgs:workday_list")


def result_of(page: str) -> str:
    start = page.index('data-testid="calc-result"')
    return page[start : page.index("</div>", start)]


def test_the_calculator_counts_over_the_spring_festival(login, people):
    page = login(people["sanyuanli"]).get(URL, {"start": "2026-02-12", "days": 5}).content.decode()
    result = result_of(page)
    assert "2026年2月26日" in result  # 13, 14 (make-up Saturday), 24, 25, 26
    assert "含按周末推算的日期" not in result


def test_the_calculator_warns_when_a_day_was_estimated(login, people):
    page = login(people["sanyuanli"]).get(URL, {"start": "2026-12-30", "days": 3}).content.decode()
    result = result_of(page)
    assert "2027年1月5日" in result  # 31 Dec, then 元旦 (by law) and Monday 4, Tuesday 5 Jan (estimated)
    assert "含按周末推算的日期" in result


def test_the_page_says_from_which_year_the_schedule_is_not_known(login, people):
    page = login(people["taihe"]).get(URL).content.decode()
    year = dt.date.today().year
    while True:
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            break
        year += 1
    assert f"{year} 年起的节假日安排尚未收录" in page


def test_an_invalid_calculation_shows_the_error_and_keeps_the_input(login, people):
    page = login(people["taihe"]).get(URL, {"start": "2026-02-12", "days": 9999}).content.decode()
    assert 'data-testid="calc-result"' not in page
    assert 'value="9999"' in page and 'value="2026-02-12"' in page


def test_coordinator_enters_an_override_which_changes_the_calculation_at_once(login, people):
    client = login(people["coordinator"])
    page = client.get(URL).content.decode()
    assert '<h2 class="h6">录入调整</h2>' in page  # the coordinator has the form others lack
    assert "2026年2月14日" in result_of(client.get(URL, {"start": "2026-02-13", "days": 1}).content.decode())
    response = client.post(URL, {"date": "2026-02-14", "is_workday": "", "note": "本区调整：不调休"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get(date=dt.date(2026, 2, 14))
    assert override.is_workday is False
    entry = ActionLog.objects.get(action="common.workday.set")
    assert entry.payload == {"date": "2026-02-14", "is_workday": False, "note": "本区调整：不调休"}
    page = client.get(URL, {"start": "2026-02-13", "days": 1}).content.decode()
    assert "2026年2月24日" in result_of(page)
    assert "本区调整：不调休" in page


def test_entering_the_same_date_again_replaces_its_override(login, people):
    client = login(people["coordinator"])
    client.post(URL, {"date": "2027-01-01", "is_workday": "", "note": "元旦"})
    client.post(URL, {"date": "2027-01-01", "is_workday": "on", "note": "更正"})
    assert list(WorkdayOverride.objects.values_list("date", "is_workday", "note")) == [
        (dt.date(2027, 1, 1), True, "更正")
    ]


def test_an_override_without_a_date_is_refused_and_the_note_kept(login, people):
    response = login(people["coordinator"]).post(URL, {"date": "", "note": "缺日期的说明"})
    assert response.status_code == 400
    assert "缺日期的说明" in response.content.decode()
    assert not WorkdayOverride.objects.exists()


def test_coordinator_deletes_an_override(login, people):
    override = WorkdayOverrideFactory(date=dt.date(2026, 2, 14), is_workday=False)
    client = login(people["coordinator"])
    assert client.post(reverse("orgs:workday_delete", args=[override.pk])).status_code == 302
    assert not WorkdayOverride.objects.exists()
    assert ActionLog.objects.filter(action="common.workday.deleted").exists()
    assert "2026年2月14日" in result_of(client.get(URL, {"start": "2026-02-13", "days": 1}).content.decode())


@pytest.mark.parametrize("person", ["sanyuanli", "auditor", "leader"])
def test_others_may_calculate_but_not_change_the_calendar(login, people, person):
    override = WorkdayOverrideFactory(date=dt.date(2026, 2, 14), is_workday=False)
    client = login(people[person])
    page = client.get(URL).content.decode()
    assert (
        '<h2 class="h6">录入调整</h2>' not in page
        and reverse("orgs:workday_delete", args=[override.pk]) not in page
    )
    logs = ActionLog.objects.count()
    assert client.post(URL, {"date": "2026-02-16", "is_workday": "on"}).status_code == 403
    refused = client.post(reverse("orgs:workday_delete", args=[override.pk]), follow=True)
    assert "只有区督察迎检办" in refused.content.decode()
    assert list(WorkdayOverride.objects.values_list("date", flat=True)) == [dt.date(2026, 2, 14)]
    assert ActionLog.objects.count() == logs


def test_the_page_lists_the_statutory_holidays_prefilled_for_the_unknown_year(login, people):
    page = login(people["taihe"]).get(URL).content.decode()
    estimated = page.split('data-testid="calendar-estimated"', 1)[1].split("</div>\n", 1)[0]
    assert "调休上班日未计入" in estimated
    if "2027 年起" in estimated:  # chinesecalendar 1.11 knows up to 2026
        statutory = estimated.split('data-testid="calendar-statutory"', 1)[1]
        assert "1月1日元旦" in statutory and "2月5日春节" in statutory and "9月15日中秋节" in statutory
