"""The whole ledger and each unit's own list (一部门一清单、一镇街一清单): what a person sees, the counts,
the filters, and the Excel export being exactly the rows on the screen."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem
from tests.factories import MembershipFactory, ProblemFactory, recount_problems, today

pytestmark = pytest.mark.django_db


def numbers_on(response) -> list[str]:
    """The problem numbers in the list table, in screen order."""
    table = response.content.decode().split('data-testid="list-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r">(ZG-\d{4}-\d{4})</a>", table)


def test_unit_staff_see_what_their_unit_is_named_on_and_nothing_else(structure, as_user, people):
    u = structure
    led = ProblemFactory(status=S.ASSIGNED, title="区水务局牵头的排水口")
    cooperating = ProblemFactory(
        status=S.ASSIGNED,
        title="区住建局牵头、水务配合",
        lead_unit=u["zjj"],
        cooperating_units=[u["swj"]],
        override_reason="测试",
    )
    foreign = ProblemFactory(status=S.ASSIGNED, title="与水务无关的工地扬尘", lead_unit=u["zjj"], override_reason="测试")

    response = as_user(people["water"]).get(reverse("ledger:problem_list"))

    assert response.status_code == 200
    assert set(numbers_on(response)) == {led.number, cooperating.number}
    assert foreign.title not in response.content.decode()


def test_district_roles_see_the_whole_ledger(structure, as_user, people):
    made = {
        ProblemFactory(status=S.REGISTERED).number,
        ProblemFactory(status=S.ASSIGNED, lead_unit=structure["zjj"], override_reason="测试").number,
    }
    for role in ("coordinator", "leader", "auditor", "publisher"):
        assert set(numbers_on(as_user(people[role]).get(reverse("ledger:problem_list")))) == made


def test_only_people_who_may_register_get_the_button(as_user, people):
    url = reverse("ledger:problem_list")
    assert reverse("ledger:problem_create") in as_user(people["coordinator"]).get(url).content.decode()
    assert reverse("ledger:problem_create") in as_user(people["water"]).get(url).content.decode()  # 自查自纠
    assert reverse("ledger:problem_create") not in as_user(people["leader"]).get(url).content.decode()
    assert reverse("ledger:problem_create") not in as_user(people["reviewer"]).get(url).content.decode()


def test_filters_narrow_the_list(structure, as_user, people):
    air = ProblemFactory(
        status=S.ASSIGNED,
        title="工地扬尘",
        problem_types=["air"],
        lead_unit=structure["zjj"],
        override_reason="测试",
    )
    water = ProblemFactory(status=S.ASSIGNED, title="排水口直排", problem_types=["water"])
    client = as_user(people["coordinator"])

    assert numbers_on(client.get(reverse("ledger:problem_list"), {"problem_type": "air"})) == [air.number]
    assert numbers_on(client.get(reverse("ledger:problem_list"), {"q": "排水口"})) == [water.number]
    page = client.get(reverse("ledger:problem_list"), {"unit": structure["zjj"].pk, "involvement": "lead"})
    assert numbers_on(page) == [air.number]


def test_a_unit_opens_its_own_list_with_its_counts(structure, as_user, people):
    u = structure
    overdue = ProblemFactory(status=S.RECTIFYING, title="逾期的排水口")
    Problem.objects.filter(pk=overdue.pk).update(deadline=today() - dt.timedelta(days=3))
    recount_problems()  # the direct write above bypassed the services that keep the counts
    ProblemFactory(status=S.ASSIGNED, title="按期推进的管网")
    ProblemFactory(
        status=S.ASSIGNED,
        title="配合住建的工地",
        lead_unit=u["zjj"],
        cooperating_units=[u["swj"]],
        override_reason="测试",
    )
    ProblemFactory(status=S.ASSIGNED, title="与水务无关", lead_unit=u["zjj"], override_reason="测试")

    response = as_user(people["water"]).get(reverse("ledger:unit_problems", args=[u["swj"].pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "白云区水务局 整改清单" in html
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts == {
        "lead": "2",
        "cooperating": "1",
        "open": "3",
        "red": "1",
        "yellow": "0",
        "blue": "0",
        "closed": "0",
    }
    assert len(numbers_on(response)) == 3
    assert "与水务无关" not in html
    assert 'text-bg-danger">红灯</span>' in html


def test_a_units_list_says_how_many_rows_it_holds_and_pages_through_all_of_them(structure, as_user, people):
    """The unfiltered list takes its total from the unit's counts; a filtered one counts its own rows.
    A problem the unit both leads and co-handles is one row, counted once."""
    u = structure
    led = [ProblemFactory(status=S.ASSIGNED, title=f"水务牵头 {i}") for i in range(11)]
    ProblemFactory(status=S.ASSIGNED, title="配合住建", lead_unit=u["zjj"], cooperating_units=[u["swj"]], override_reason="测试")
    led[0].cooperating_units.add(u["swj"])  # led and co-handled at once (kept by an earlier re-routing)
    Problem.objects.filter(pk=led[1].pk).update(deadline=today() - dt.timedelta(days=1))
    ProblemFactory(status=S.ASSIGNED, title="与水务无关", lead_unit=u["zjj"], override_reason="测试")
    url = reverse("ledger:unit_problems", args=[u["swj"].pk])
    client = as_user(people["water"])

    first = client.get(url, {"per_page": 10})
    assert "共 12 条" in first.content.decode()
    assert len(numbers_on(first)) == 10
    second = numbers_on(client.get(url, {"per_page": 10, "page": 2}))
    assert len(second) == 2 and not set(second) & set(numbers_on(first))

    red = client.get(url, {"per_page": 10, "warning": "red"})
    assert "共 1 条" in red.content.decode() and numbers_on(red) == [led[1].number]
    lead_only = client.get(url, {"per_page": 10, "involvement": "lead"})
    assert "共 11 条" in lead_only.content.decode()

    # the whole ledger narrowed to the unit, as the office sees it: the same total, from the same counts
    office = as_user(people["coordinator"])
    ledger = reverse("ledger:problem_list")
    assert "共 12 条" in office.get(ledger, {"unit": u["swj"].pk, "per_page": 10}).content.decode()
    assert "共 1 条" in office.get(ledger, {"unit": u["swj"].pk, "warning": "red"}).content.decode()


def test_filtering_the_ledger_by_a_unit_one_cannot_see_shows_nothing(structure, as_user, people):
    """The unit filter narrows inside one's scope; it never stands in for the scope of another unit."""
    theirs = ProblemFactory(status=S.ASSIGNED, title="住建牵头的工地", lead_unit=structure["zjj"], override_reason="测试")
    url = reverse("ledger:problem_list")

    assert numbers_on(as_user(people["water"]).get(url, {"unit": structure["zjj"].pk})) == []
    assert numbers_on(as_user(people["coordinator"]).get(url, {"unit": structure["zjj"].pk})) == [theirs.number]


def test_the_red_count_links_to_exactly_the_overdue_rows(structure, as_user, people):
    overdue = ProblemFactory(status=S.RECTIFYING, title="逾期的排水口")
    Problem.objects.filter(pk=overdue.pk).update(deadline=today() - dt.timedelta(days=3))
    ProblemFactory(status=S.ASSIGNED, title="按期推进的管网")
    url = reverse("ledger:unit_problems", args=[structure["swj"].pk])
    client = as_user(people["water"])

    assert f'href="{url}?warning=red"' in client.get(url).content.decode()
    assert numbers_on(client.get(url, {"warning": "red"})) == [overdue.number]
    assert numbers_on(client.get(url, {"due": "overdue"})) == [overdue.number]


def test_a_town_sees_problems_in_its_territory_when_it_asks_for_them(structure, as_user, people):
    in_town = ProblemFactory(
        status=S.ASSIGNED,
        title="三元里辖区内的工地",
        lead_unit=structure["zjj"],
        town=structure["sanyuanli"],
        override_reason="测试",
    )
    url = reverse("ledger:unit_problems", args=[structure["sanyuanli"].pk])
    client = as_user(people["sanyuanli"])

    assert numbers_on(client.get(url)) == []  # by default: what it leads or co-handles
    assert numbers_on(client.get(url, {"involvement": "town"})) == [in_town.number]


def test_another_units_list_is_not_found(structure, as_user, people):
    response = as_user(people["housing"]).get(reverse("ledger:unit_problems", args=[structure["swj"].pk]))
    assert response.status_code == 404


def test_the_export_is_exactly_the_filtered_rows_on_the_screen(structure, as_user, people):
    u = structure
    for i in range(4):
        ProblemFactory(status=S.ASSIGNED, title=f"排水口 {i}", problem_types=["water"])
    ProblemFactory(
        status=S.ASSIGNED,
        title="扬尘（配合）",
        problem_types=["air"],
        lead_unit=u["zjj"],
        cooperating_units=[u["swj"]],
        override_reason="测试",
    )
    ProblemFactory(status=S.ASSIGNED, title="与水务无关", lead_unit=u["zjj"], override_reason="测试")
    url = reverse("ledger:unit_problems", args=[u["swj"].pk])
    query = {"problem_type": "water", "sort": "number"}
    client = as_user(people["water"])

    screen = client.get(url, query)
    export = client.get(url, {**query, "format": "xlsx"})

    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in export["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("问题编号", "整改任务", "问题来源")
    assert [r[0] for r in rows[1:]] == numbers_on(screen)
    assert len(rows) - 1 == 4
    assert {r[3] for r in rows[1:]} == {"水"}  # problem types as people read them, not codes
    assert all(r[4] == "区水务局" for r in rows[1:])


def test_the_export_button_keeps_the_filters(structure, as_user, people):
    url = reverse("ledger:unit_problems", args=[structure["swj"].pk])
    html = as_user(people["water"]).get(url, {"warning": "red"}).content.decode()
    assert 'href="?warning=red&amp;format=xlsx"' in html  # one "?": "??warning=…" would export everything


def test_my_list_takes_a_unit_person_straight_to_their_unit(structure, as_user, people):
    response = as_user(people["water"]).get(reverse("ledger:my_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:unit_problems", args=[structure["swj"].pk])


def test_my_list_lets_the_office_choose_any_unit(structure, as_user, people):
    ProblemFactory(status=S.ASSIGNED)
    response = as_user(people["coordinator"]).get(reverse("ledger:my_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("ledger:unit_problems", args=[structure["swj"].pk]) in html
    assert reverse("ledger:unit_problems", args=[structure["taihe"].pk]) in html


def test_a_person_of_two_units_chooses_between_their_own(structure, as_user, people):
    MembershipFactory(user=people["water"], unit=structure["taihe"], role="staff")
    html = as_user(people["water"]).get(reverse("ledger:my_list")).content.decode()
    assert reverse("ledger:unit_problems", args=[structure["swj"].pk]) in html
    assert reverse("ledger:unit_problems", args=[structure["taihe"].pk]) in html
    assert reverse("ledger:unit_problems", args=[structure["zjj"].pk]) not in html


def test_the_home_page_links_to_the_units_own_list(structure, as_user, people):
    html = as_user(people["taihe"]).get(reverse("dashboard:home")).content.decode()
    assert reverse("ledger:unit_problems", args=[structure["taihe"].pk]) in html


def test_the_navigation_offers_the_own_list_and_notices(as_user, people):
    html = as_user(people["water"]).get(reverse("ledger:problem_list")).content.decode()
    for name in ("ledger:my_list", "ledger:notice_list", "ledger:district_dashboard"):
        assert f'href="{reverse(name)}"' in html


def test_the_official_tables_are_offered_for_the_same_selection(structure, as_user, people):
    url = reverse("ledger:unit_problems", args=[structure["swj"].pk])
    html = as_user(people["water"]).get(url, {"warning": "red"}).content.decode()
    unit = structure["swj"].pk
    assert f'href="{reverse("ledger:export_progress")}?warning=red&amp;unit={unit}"' in html
    assert f'href="{reverse("ledger:export_closing_notice")}?warning=red&amp;unit={unit}"' in html
    # Unit staff import their own unit's problems (自查自纠); those who work nothing are not offered it.
    assert reverse("ledger:import_upload") in html
    assert reverse("ledger:import_upload") in as_user(people["coordinator"]).get(url).content.decode()
    assert reverse("ledger:import_upload") not in as_user(people["leader"]).get(url).content.decode()
