"""边督边改 figures against a hand-counted fixture; the page, its Word report opened with python-docx and
compared with the page; a unit sees its own cases' figures."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoinspect.common.official_tables import chinese_number
from ecoinspect.petitions import services as svc
from ecoinspect.petitions import stats
from ecoinspect.petitions.choices import ClosureStatus, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Petition
from ecoinspect.petitions.selectors import figures_queryset
from tests.factories import BatchFactory, PetitionFactory, RoundFactory
from tests.factories.petitions import advance_petition

pytestmark = pytest.mark.django_db

TRUE_CLOSED = {
    "investigation": "经现场核查，情况属实。",
    "verdict": Verdict.TRUE,
    "closure_target": "完成整改。",
    "handling": "责令整改并立案处罚。",
    "closure_status": ClosureStatus.CLOSED,
    "accountability": "约谈2人。",
}


def _case(number: str, *, day, batch, town, types, text="夜间噪声扰民。", **kwargs):
    return PetitionFactory(
        acceptance_no=number, received_on=day, batch=batch, town=town, problem_types=types,
        complaint_text=text, region_text="", **kwargs,
    )


def _handled(petition, lead, handling, cooperating=()):
    return advance_petition(petition, S.REPORTED, lead=lead, cooperating=cooperating, handling=handling)


@pytest.fixture
def inspection(structure, people):
    """Two batches of a round stationed ten days ago (hand-counted in the tests below):

    batch 1 (day 1): A 来电 水, 属实 已办结 (责令整改1 立案处罚1 罚款2.5 约谈2), 水务局, 新市
                     B 来信 大气+噪声, 部分属实 阶段性办结 (责令整改2 罚款0.5 问责1), 住建局 + 景泰(配合), 景泰
                     C 来电 大气, 核查中 (草稿: 不属实, 责令整改5 — not reported, not counted), 水务局, 三元里
                     D 来电 水, merged into A (a repeat), 新市
    batch 2 (day 2): E 来信 噪声, not assigned, town unknown
                     F 来电 水, 不属实 已办结 (立案侦查1 行政拘留2 刑事拘留1), 水务局, 太和
    """
    u = structure
    rnd = RoundFactory(stationed_on=dt.date.today() - dt.timedelta(days=10))
    day1, day2 = rnd.stationed_on + dt.timedelta(days=1), rnd.stationed_on + dt.timedelta(days=2)
    b1 = BatchFactory(round=rnd, number=1, received_on=day1)
    b2 = BatchFactory(round=rnd, number=2, received_on=day2)
    a = _case("D3GD202606010001", day=day1, batch=b1, town=u["xinshi"], types=["water"])
    _handled(a, u["swj"], TRUE_CLOSED | {"rectify_orders": 1, "penalty_cases": 1, "fine_amount": Decimal("2.5"), "interviews": 2})
    b = _case("X3GD202606010002", day=day1, batch=b1, town=u["jingtai"], types=["air", "noise"])
    _handled(b, u["zjj"], TRUE_CLOSED | {"verdict": Verdict.PARTLY_TRUE, "closure_status": ClosureStatus.STAGE_CLOSED,
                                          "rectify_orders": 2, "fine_amount": Decimal("0.5"), "accountable_people": 1},
             cooperating=[u["jingtai"]])
    c = _case("D3GD202606010003", day=day1, batch=b1, town=u["sanyuanli"], types=["air"], status=S.VERIFYING)
    svc.petition_save_handling(actor=people["water"], petition=c, verdict=Verdict.FALSE, rectify_orders=5)
    d = _case("D3GD202606010004", day=day1, batch=b1, town=u["xinshi"], types=["water"])
    svc.petition_merge(actor=people["coordinator"], petition=d, original=a)
    _case("X3GD202606020001", day=day2, batch=b2, town=None, types=["noise"])
    f = _case("D3GD202606020002", day=day2, batch=b2, town=u["taihe"], types=["water"])
    _handled(f, u["swj"], TRUE_CLOSED | {"verdict": Verdict.FALSE, "criminal_cases": 1, "admin_detentions": 2,
                                          "criminal_detentions": 1})
    return {"round": rnd, "day1": day1, "day2": day2}


def _by_key(rows):
    return {r["key"]: r["count"] for r in rows}


def test_the_figures_of_the_day_and_since_stationing_match_the_hand_count(inspection, people):
    rf = stats.round_figures(figures_queryset(user=people["leader"]), rnd=inspection["round"], day=inspection["day2"])

    day = rf.today
    assert (day.received, day.handled, day.unassigned, day.repeats) == (2, 1, 1, 0)
    assert _by_key(day.channels) == {"phone": 1, "letter": 1, "other": 0}
    assert _by_key(day.types)["noise"] == 1 and _by_key(day.types)["water"] == 1
    assert _by_key(day.verdicts)["false"] == 1 and day.verdicts[-1]["rate"] == 100.0
    assert day.enforcement["criminal_cases"] == 1 and day.enforcement["admin_detentions"] == 2
    assert day.enforcement["criminal_detentions"] == 1 and day.enforcement["rectify_orders"] == 0

    total = rf.total
    assert (total.received, total.handled, total.unassigned, total.repeats) == (6, 3, 1, 1)
    assert _by_key(total.channels) == {"phone": 4, "letter": 2, "other": 0}
    # multi-label: B counts for 大气 and for 噪声
    types = _by_key(total.types)
    assert (types["water"], types["air"], types["noise"], types["soil"]) == (3, 2, 2, 0)
    assert _by_key(total.verdicts) == {"true": 1, "basically_true": 0, "partly_true": 1, "false": 1}
    assert total.substantiated == 2 and total.substantiated_rate == 66.7
    assert _by_key(total.closures) == {"closed": 2, "stage_closed": 1, "in_progress": 0}
    assert [r["rate"] for r in total.closures] == [66.7, 33.3, 0.0]
    # C's draft (责令整改 5) is not reported, so not counted
    assert total.enforcement == {
        "rectify_orders": 3, "penalty_cases": 1, "fine_amount": Decimal("3.00"), "fine_cases": 2,
        "criminal_cases": 1, "admin_detentions": 2, "criminal_detentions": 1, "interviews": 2, "accountable_people": 1,
    }
    units = {r["label"]: (r["count"], r["lead"]) for r in total.units}
    assert units == {"区水务局": (3, 3), "区住建局": (1, 1), "景泰街道": (1, 0)}
    towns = {r["label"]: r["count"] for r in total.towns}
    assert towns == {"新市街道": 2, "景泰街道": 1, "三元里街道": 1, "太和镇": 1, "属地未确定": 1}
    assert [(b["number"], b["received"], b["phone"], b["letter"], b["handled"], b["closed"], b["stage_closed"])
            for b in rf.batches] == [(1, 4, 3, 1, 2, 1, 1), (2, 2, 1, 1, 1, 1, 0)]
    assert [d["count"] for d in rf.days][:3] == [0, 4, 2] and rf.days[-1]["total"] == 6


def test_the_day_before_the_second_batch_counts_only_the_first(inspection, people):
    rf = stats.round_figures(figures_queryset(user=people["leader"]), rnd=inspection["round"], day=inspection["day1"])
    assert rf.today.received == rf.total.received == 4
    assert [b["number"] for b in rf.batches] == [1]


def test_a_unit_sees_the_figures_of_its_own_cases(inspection, people):
    rf = stats.round_figures(figures_queryset(user=people["water"]), rnd=inspection["round"], day=inspection["day2"])
    assert rf.total.received == 3  # A, C, F: assigned to the water bureau
    assert rf.total.handled == 2 and rf.total.enforcement["fine_amount"] == Decimal("2.50")
    assert {r["label"] for r in rf.total.units} == {"区水务局"}
    town = stats.round_figures(figures_queryset(user=people["jingtai"]), rnd=inspection["round"], day=inspection["day2"])
    assert town.total.received == 1 and town.total.count("verdicts", "partly_true") == 1  # B, in and assigned to 景泰


def test_the_figures_are_counted_in_a_fixed_number_of_queries(inspection, people):
    qs = figures_queryset(user=people["leader"])
    with CaptureQueriesContext(connection) as few:
        stats.round_figures(qs, rnd=inspection["round"], day=inspection["day2"])
    for n in range(20):
        PetitionFactory(received_on=inspection["day2"], acceptance_no=f"D3GD2026060299{n:02d}", status=S.ASSIGNED)
    with CaptureQueriesContext(connection) as many:
        stats.round_figures(qs, rnd=inspection["round"], day=inspection["day2"])
    assert len(many) == len(few) <= 12


def test_chinese_numerals_of_batches():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 26, 30, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十六", "三十", "一百", "一百零五", "一百一十"
    ]


# --- the page and its Word report ----------------------------------------------------------------------


def _page_tables(html: str) -> list[list[list[str]]]:
    tables = []
    for n in range(1, 7):
        part = html.split(f'data-testid="figures-table-{n}"', 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr>(.*?)</tr>", part, re.S)
        tables.append([[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
                       for r in rows])
    return tables


def _text(html: str, testid: str) -> str:
    return unescape(re.search(rf'data-testid="{testid}">(.*?)</p>', html, re.S).group(1)).strip()


def test_the_page_shows_the_province_wording_and_the_word_report_says_the_same(inspection, client, people):
    client.force_login(people["leader"])
    query = {"round": inspection["round"].pk, "day": inspection["day2"].isoformat()}
    response = client.get(reverse("petitions:figures"), query)
    html = response.content.decode()
    assert response.status_code == 200
    day_text, total_text = _text(html, "day-text"), _text(html, "total-text")
    assert "督察组向我区转办第二批群众信访举报件2件（来电1件，来信1件）" in day_text
    assert "太和镇1件" in day_text and "属地未确定1件" in day_text
    assert "截至" in total_text and "第1—2批群众信访举报件6件（来电4件，来信2件），其中重复件1件" in total_text
    assert "已办结2件、阶段性办结1件、正在办理0件" in total_text
    assert "责令整改3家，立案处罚1家，罚款3.00万元，立案侦查1件，行政拘留2人，刑事拘留1人，约谈2人，问责1人" in total_text
    assert "/static/vendor/echarts-5.6.0/echarts.min.js" in html and "ecoinspect/charts.js" in html
    page_tables = _page_tables(html)

    # the user clicks the link the page shows
    link = unescape(re.search(r'href="([^"]+)" data-testid="report-link"', html).group(1))
    report = client.get(link)
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = docx.Document(io.BytesIO(report.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "白云区交办信访件边督边改情况"
    assert day_text in paragraphs and total_text in paragraphs
    word_tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert word_tables == page_tables
    assert page_tables[5][3] == ["罚款（万元）", "0.00", "3.00"]
    assert page_tables[0][-1] == ["合计", "", "6", "4", "2", "3", "2", "1", "0"]


def test_a_units_page_and_report_hold_only_its_cases(inspection, client, people):
    client.force_login(people["water"])
    query = {"round": inspection["round"].pk, "day": inspection["day2"].isoformat()}
    html = client.get(reverse("petitions:figures"), query).content.decode()
    assert "督察组共向区水务局转办第1—2批群众信访举报件3件" in _text(html, "total-text")
    assert "区住建局" not in html.split('data-testid="figures-table-2"', 1)[1].split("</table>", 1)[0]
    report = docx.Document(io.BytesIO(client.get(reverse("petitions:figures_report"), query).content))
    assert report.paragraphs[0].text == "区水务局交办信访件边督边改情况"
    assert "区住建局" not in "\n".join(c.text for t in report.tables for r in t.rows for c in r.cells)


def test_a_bad_day_is_said_in_the_users_words_and_the_default_used(inspection, client, people):
    client.force_login(people["leader"])
    response = client.get(reverse("petitions:figures"), {"day": "2026-13-45"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "统计日期应写成 2026-06-01 这样的日期。" in html
    assert 'data-total="received">6<' in html  # today, the whole round so far
    future = client.get(reverse("petitions:figures"), {"day": (dt.date.today() + dt.timedelta(days=3)).isoformat()})
    assert "统计日期不能晚于今天。" in future.content.decode()


def test_without_any_round_the_page_says_what_to_do(client, people):
    client.force_login(people["leader"])
    html = client.get(reverse("petitions:figures")).content.decode()
    assert "还没有督察轮次" in html and "report-link" not in html
    assert Petition.objects.count() == 0
