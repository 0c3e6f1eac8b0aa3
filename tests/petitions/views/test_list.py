"""The case list (/petitions/): what each person sees, both due dates with their colours, the marks, the
filters (全部 first), sorting, page sizes, the export being the rows on the screen, and the selection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Assignment, Petition
from tests.factories import BatchFactory, PetitionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

LIST = "/petitions/"


def numbers_on(response) -> list[str]:
    """The 受理编号 in the list table, in screen order."""
    html = response.content.decode()
    table = html.split('data-testid="list-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-petition="([^"]+)"', table)


def link(html: str, testid: str, base: str = LIST) -> str:
    """The address of the link the page shows (a query-only link is relative to the list)."""
    href = re.search(rf'href="([^"]+)"[^>]*data-testid="{testid}"', html).group(1).replace("&amp;", "&")
    return base + href if href.startswith("?") else href


def late(petition: Petition, internal: int, external: int) -> None:
    """Move the case's due dates ``internal`` / ``external`` days from today."""
    today = timezone.localdate()
    Assignment.objects.filter(petition=petition).update(
        internal_due=today + dt.timedelta(days=internal), external_due=today + dt.timedelta(days=external)
    )


def test_a_unit_sees_the_cases_assigned_to_it_and_those_in_its_territory(as_user, people, structure):
    mine = PetitionFactory(status=S.ASSIGNED, lead="swj")
    theirs = PetitionFactory(status=S.ASSIGNED, lead="zjj", region_text="", complaint_text="工地噪声")
    in_town = PetitionFactory(status=S.ASSIGNED, lead="zjj", town=structure["sanyuanli"], region_text="")
    assert numbers_on(as_user(people["water"]).get(LIST)) == [mine.acceptance_no]
    assert set(numbers_on(as_user(people["sanyuanli"]).get(LIST))) == {in_town.acceptance_no}
    assert set(numbers_on(as_user(people["leader"]).get(LIST))) == {
        mine.acceptance_no, theirs.acceptance_no, in_town.acceptance_no
    }


def test_both_due_dates_are_shown_red_once_past_and_stop_once_reported(as_user, people):
    overdue = PetitionFactory(status=S.VERIFYING)
    late(overdue, -2, 3)
    reported = PetitionFactory(status=S.REPORTED)
    late(reported, -2, -1)
    html = as_user(people["coordinator"]).get(LIST).content.decode()

    def clocks(number):
        row = html[html.index(f'data-petition="{number}"') :]
        return re.findall(r'data-clock="(\w+)"', row[: row.index("</tr>")])

    assert clocks(overdue.acceptance_no) == ["danger", "none"]
    # the unit has reported: its clock stops; the team's runs until the office approves
    assert clocks(reported.acceptance_no) == ["none", "danger"]
    assert "区内时限" in html and "督察组时限" in html


def test_a_case_with_flags_or_undecided_suggestions_carries_the_mark(as_user, people):
    flagged = PetitionFactory(flags=[{"column": "行政区域", "raw": "某地", "reason": "未找到"}])
    suggested = PetitionFactory()
    SuggestionFactory(petition=suggested)
    plain = PetitionFactory()
    client = as_user(people["coordinator"])
    html = client.get(LIST).content.decode()
    for p, marked in ((flagged, True), (suggested, True), (plain, False)):
        row = html[html.index(f'data-petition="{p.acceptance_no}"') :]
        assert ('data-testid="flag-mark"' in row[: row.index("</tr>")]) is marked
    assert set(numbers_on(client.get(LIST, {"flagged": "on"}))) == {flagged.acceptance_no, suggested.acceptance_no}


def test_the_filters_offer_everything_first_and_narrow_the_list(as_user, people, structure):
    batch = BatchFactory()
    in_batch = PetitionFactory(batch=batch, status=S.ASSIGNED, problem_types=["air"])
    overdue = PetitionFactory(status=S.VERIFYING)
    late(overdue, -1, 5)
    coop = PetitionFactory(status=S.ASSIGNED, lead="zjj", cooperating=["swj"], region_text="")
    client = as_user(people["coordinator"])
    html = client.get(LIST).content.decode()
    filters = html.split('data-testid="petition-filters"', 1)[1].split("</form>", 1)[0]
    for name in ("due", "unit", "town", "problem_type", "batch"):
        select = re.search(rf'<select name="{name}".*?</select>', filters, re.S).group(0)
        assert re.search(r'<option value=""[^>]*>全部', select), name

    assert numbers_on(client.get(LIST, {"batch": batch.pk})) == [in_batch.acceptance_no]
    assert numbers_on(client.get(LIST, {"problem_type": "air"})) == [in_batch.acceptance_no]
    assert numbers_on(client.get(LIST, {"due": "internal_overdue"})) == [overdue.acceptance_no]
    swj = structure["swj"].pk
    assert coop.acceptance_no in numbers_on(client.get(LIST, {"unit": swj}))
    assert coop.acceptance_no not in numbers_on(client.get(LIST, {"unit": swj, "role": "lead"}))
    assert numbers_on(client.get(LIST, {"unit": swj, "role": "cooperating"})) == [coop.acceptance_no]


def test_headers_sort_and_the_page_size_is_chosen(as_user, people):
    cases = [PetitionFactory(status=S.ASSIGNED) for _ in range(12)]
    for i, p in enumerate(cases):
        late(p, 12 - i, 20)
    client = as_user(people["coordinator"])
    html = client.get(LIST).content.decode()
    sort = re.search(r'href="(\?sort=due)"[^>]*data-sort="none"', html).group(1)
    ascending = numbers_on(client.get(LIST + sort))
    assert ascending[0] == cases[-1].acceptance_no
    html = client.get(LIST + sort).content.decode()
    descending = re.search(r'href="(\?sort=-due)"', html).group(1)
    assert numbers_on(client.get(LIST + descending))[0] == cases[0].acceptance_no

    small = client.get(LIST, {"per_page": "10"})
    assert len(numbers_on(small)) == 10 and 'data-testid="page-size"' in small.content.decode()
    assert 'data-total="12"' in small.content.decode()


def test_the_export_is_the_rows_on_the_screen(as_user, people):
    air = PetitionFactory(status=S.ASSIGNED, problem_types=["air"], complaint_text="餐饮油烟扰民")
    PetitionFactory(status=S.ASSIGNED, problem_types=["water"])
    client = as_user(people["coordinator"])
    page = client.get(LIST, {"problem_type": "air"})
    on_screen = numbers_on(page)

    xlsx = client.get(link(page.content.decode(), "export-xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:3] == ["标记", "受理编号", "交办问题基本情况"] and "区内时限" in header and "督察组时限" in header
    assert [r[1] for r in rows[1:]] == on_screen == [air.acceptance_no]
    assert rows[1][header.index("交办问题基本情况")] == "餐饮油烟扰民"

    text = client.get(link(page.content.decode(), "export-csv")).content.decode("utf-8-sig")
    assert [r[1] for r in list(csv.reader(io.StringIO(text)))[1:]] == on_screen


def test_ticked_cases_are_exported_or_marked_and_cases_out_of_sight_are_ignored(as_user, people):
    mine = PetitionFactory(status=S.ASSIGNED, lead="swj")
    theirs = PetitionFactory(status=S.ASSIGNED, lead="zjj", region_text="", complaint_text="工地噪声")
    water = as_user(people["water"])
    html = water.get(LIST).content.decode()
    assert 'data-testid="bulk-export"' in html and 'data-testid="bulk-mark-key"' not in html

    response = water.post(reverse("petitions:petition_selection"), {"action": "export", "petitions": [mine.pk, theirs.pk]})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == [mine.acceptance_no]
    assert water.post(reverse("petitions:petition_selection"), {"action": "mark_key", "petitions": [mine.pk]}).status_code == 403

    office = as_user(people["coordinator"])
    response = office.post(
        reverse("petitions:petition_selection"), {"action": "mark_supervised", "petitions": [mine.pk], "next": LIST}
    )
    assert "批量标记：选中 1 项，完成 1 项" in response.content.decode()
    assert Petition.objects.get(pk=mine.pk).is_supervised
    nothing = office.post(reverse("petitions:petition_selection"), {"action": "mark_key"})
    assert nothing.status_code == 400 and "请先勾选信访件" in nothing.content.decode()


def test_the_to_do_link_lists_what_waits_for_the_person(as_user, people):
    waiting = PetitionFactory(status=S.ASSIGNED, lead="swj")
    done = PetitionFactory(status=S.REPORTED, lead="swj")
    water = as_user(people["water"])
    todo = link(water.get(LIST).content.decode(), "todo-link")
    assert numbers_on(water.get(todo)) == [waiting.acceptance_no]
    office = as_user(people["coordinator"])
    new = PetitionFactory()
    assert set(numbers_on(office.get(todo))) == {done.acceptance_no, new.acceptance_no}


def test_the_list_reads_the_same_number_of_queries_however_many_batches_there_are(as_user, people):
    """The 批次 filter names each batch by its round: read with the batches, not one query a batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PetitionFactory(status=S.ASSIGNED, lead="swj")
    office = as_user(people["coordinator"])
    office.get(LIST)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get(LIST).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        BatchFactory()
    assert queries() == before
