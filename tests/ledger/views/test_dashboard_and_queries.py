"""The district picture for leaders, and the pages' database work not growing with the data."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem, ProgressReport
from tests.factories import ProblemFactory, ProgressReportFactory, recount_problems, today

pytestmark = pytest.mark.django_db


def chart_data(html: str) -> dict:
    return json.loads(
        re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


def test_leaders_see_the_district_picture(structure, as_user, people):
    u = structure
    overdue = ProblemFactory(status=S.RECTIFYING, title="逾期的排水口")
    Problem.objects.filter(pk=overdue.pk).update(deadline=today() - dt.timedelta(days=1))
    recount_problems()  # the direct write above bypassed the services that keep the counts
    ProblemFactory(status=S.CLOSED, title="已销号的排水口")
    ProblemFactory(
        status=S.ASSIGNED, title="工地扬尘", problem_types=["air"], lead_unit=u["zjj"], override_reason="测试"
    )

    response = as_user(people["leader"]).get(reverse("ledger:district_dashboard"))
    html = response.content.decode()

    assert response.status_code == 200
    totals = dict(re.findall(r'data-total="(\w+)">([\d.]+%?)<', html))
    assert totals["total"] == "3" and totals["overdue"] == "1" and totals["closed"] == "1"
    assert totals["completion_rate"] == "33.3%"
    ranking = html.split('data-testid="unit-ranking"', 1)[1].split("</table>", 1)[0]
    assert ranking.index("区水务局") < ranking.index("区住建局")  # 50 % done before 0 %
    assert reverse("ledger:unit_problems", args=[u["swj"].pk]) in ranking
    data = chart_data(html)
    assert {d["key"]: d["value"] for d in data["warning"]}["red"] == 1
    assert {d["key"]: d["value"] for d in data["type"]}["air"] == 1
    assert sum(data["trend"]["registered"]) == 3 and sum(data["trend"]["closed"]) == 1
    assert "/static/vendor/echarts-5.6.0/echarts.min.js" in html


def test_a_unit_sees_its_own_share(structure, as_user, people):
    ProblemFactory(status=S.ASSIGNED, title="排水口")
    ProblemFactory(status=S.ASSIGNED, title="工地扬尘", lead_unit=structure["zjj"], override_reason="测试")
    html = as_user(people["water"]).get(reverse("ledger:district_dashboard")).content.decode()
    assert dict(re.findall(r'data-total="(\w+)">([\d.]+%?)<', html))["total"] == "1"
    assert "区住建局" not in html.split('data-testid="unit-ranking"', 1)[1]


def _queries(client, url, **params) -> int:
    client.get(url, params)  # the first request after logging in renews the idle session (a write)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _many(n: int, **fields):
    for i in range(n):
        ProblemFactory(status=S.ASSIGNED, title=f"排水口 {i}", **fields)


def test_a_units_list_costs_the_same_few_queries_whatever_its_size(
    structure, as_user, people, django_assert_max_num_queries
):
    client = as_user(people["water"])
    url = reverse("ledger:unit_problems", args=[structure["swj"].pk])
    _many(3, cooperating_units=[structure["taihe"]])
    small = _queries(client, url, per_page=100)
    _many(37, cooperating_units=[structure["taihe"], structure["sanyuanli"]])
    large = _queries(client, url, per_page=100)

    assert large == small
    with django_assert_max_num_queries(15):
        assert client.get(url, {"per_page": 100}).status_code == 200


def test_the_whole_ledger_for_the_office_does_not_grow_with_rows(
    structure, as_user, people, django_assert_max_num_queries
):
    client = as_user(people["coordinator"])
    url = reverse("ledger:problem_list")
    _many(2)
    small = _queries(client, url)
    _many(20, cooperating_units=[structure["taihe"]])
    assert _queries(client, url) == small
    with django_assert_max_num_queries(15):
        client.get(url)


def test_a_problem_page_with_fifty_reports_costs_the_same_queries_as_with_two(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])

    def add_reports(n):
        ProgressReport.objects.bulk_create(
            ProgressReportFactory.build(
                problem=problem,
                cycle=1,
                reported_on=today(),
                text=f"第 {i} 次报送",
                progress_status="on_schedule",
                unit=problem.lead_unit,
                reporter=people["water"],
            )
            for i in range(n)
        )

    add_reports(2)
    small = _queries(client, problem.get_absolute_url())
    add_reports(48)
    large = _queries(client, problem.get_absolute_url())
    assert large == small
    html = client.get(problem.get_absolute_url()).content.decode()
    assert html.split('data-testid="reports"', 1)[1].split("</ul>", 1)[0].count("次报送") == 50


@pytest.mark.parametrize("who", ["leader", "water"])
def test_the_dashboard_costs_the_same_few_queries_whatever_the_number_of_problems(
    structure, as_user, people, django_assert_max_num_queries, who
):
    """The district (a leader: the maintained counts) and a unit's share (its problems) alike."""
    client = as_user(people[who])
    url = reverse("ledger:district_dashboard")
    _many(2)
    small = _queries(client, url)
    _many(15, cooperating_units=[structure["taihe"]])
    ProblemFactory(status=S.CLOSED, title="已销号")
    assert _queries(client, url) == small
    with django_assert_max_num_queries(12):
        client.get(url)
