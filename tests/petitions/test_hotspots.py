"""Repeat hotspots: the same facility, address or place complained about again and again across rounds,
ranked, with its cases and whether a ledger problem covers it; the page, its filters and its export."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ecoinspect.ledger.public import ProblemSource
from ecoinspect.petitions import hotspots as hs
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import Origin
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.selectors import figures_queryset
from tests.factories import PetitionFactory, ProblemFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _case(rnd, number, text, day, *, town, types=("air",), status=S.RECEIVED, lead="swj", **kwargs):
    return PetitionFactory(
        round=rnd, acceptance_no=number, complaint_text=text, region_text="", received_on=day,
        town=town, problem_types=list(types), status=status, lead=lead, **kwargs,
    )


@pytest.fixture
def history(structure, people):
    u = structure
    old = RoundFactory(name="第二轮中央生态环境保护督察", number=2, stationed_on=dt.date(2021, 9, 1), is_current=False)
    rnd = RoundFactory(stationed_on=dt.date.today() - dt.timedelta(days=20))
    then, day = dt.date(2021, 9, 10), rnd.stationed_on + dt.timedelta(days=2)
    h1 = _case(old, "X2GD202109100012", "反映白云区太和镇穗丰村恒晟塑料厂夜间焚烧废料，烟味刺鼻。", then,
               town=u["taihe"], origin=Origin.HISTORY)
    _case(old, "D2GD202109100013", "江高镇南岗村某某养猪场粪水直排巴江河，臭味大。", then,
          town=u["jianggao"], types=("agriculture",), origin=Origin.HISTORY)
    c1 = _case(rnd, "D3GD202606010001", "太和镇穗丰村恒晟塑料厂又在焚烧，臭味很大。", day, town=u["taihe"], status=S.ASSIGNED)
    _case(rnd, "D3GD202606010002", "恒晟塑料厂，地址广从五路88号，废气扰民。", day, town=u["taihe"], status=S.ASSIGNED)
    _case(rnd, "D3GD202606010003", "广从五路88号厂房夜间噪声扰民。", day, town=u["taihe"], types=("noise",),
          status=S.ASSIGNED, lead="zjj")
    _case(rnd, "D3GD202606010004", "南岗村养猪场臭味扰民。", day - dt.timedelta(days=1), town=u["jianggao"],
          types=("agriculture",), status=S.ASSIGNED)
    c5 = _case(rnd, "D3GD202606010005", "沙坑涌发黑发臭。", day, town=u["tonghe"], types=("water",), status=S.REPORTED)
    _case(rnd, "D3GD202606010006", "沙坑涌黑臭，夏天更严重。", day, town=u["tonghe"], types=("water",), status=S.ASSIGNED)
    _case(rnd, "D3GD202606010007", "同和路某工地夜间施工扬尘，车辆带泥上路。", day, town=u["tonghe"], types=("air",), status=S.ASSIGNED)
    original = _case(rnd, "D3GD202606010008", "夜间噪声扰民，无法入睡。", day - dt.timedelta(days=3),
                     town=u["jingxi"], types=("noise",), status=S.ASSIGNED)
    repeat = _case(rnd, "D3GD202606010009", "晚上很吵，睡不着。", day - dt.timedelta(days=3), town=u["jingxi"], types=("noise",))
    svc.petition_merge(actor=people["coordinator"], petition=repeat, original=original)
    _case(rnd, "D3GD202606010010", "鑫瑞五金厂噪声扰民。", day, town=u["taihe"], types=("noise",), status=S.ASSIGNED)
    # coverage: a ledger problem naming the old round's number, and a problem opened from a case
    ProblemFactory(
        title="【测试】恒晟塑料厂废气整治", source=ProblemSource.PETITION, source_ref=h1.acceptance_no,
        problem_types=["air"], override_reason="测试",
    )
    svc.petition_open_problem(actor=people["coordinator"], petition=c5)
    return {"round": rnd, "old": old, "c1": c1, "c5": c5}


def test_hotspots_are_ranked_by_cases_then_rounds_then_latest_date(history, people):
    found = hs.hotspots(figures_queryset(user=people["leader"]), user=people["leader"])
    assert [(h.label, h.count, len(h.rounds)) for h in found] == [
        ("恒晟塑料厂", 4, 2),  # two rounds; 广从五路88号 joins through the case naming both
        ("南岗村·养猪场", 2, 2),  # the generic name keeps its village; 某某 dropped
        ("沙坑涌（同和街道） · 水", 2, 1),
        ("夜间噪声扰民，无法入睡。", 2, 1),  # merged as a repeat: named by what the first one says
    ]
    first = found[0]
    assert first.kind == hs.FACILITY and "广从五路88号" in first.keys and first.town == "太和镇"
    assert first.rounds == ["第二轮中央生态环境保护督察", str(history["round"])]
    assert first.covered and first.problems[0]["number"]  # by 来源编号 = the 2021 case's number
    assert not found[1].covered
    assert found[2].covered and found[2].problems[0]["pk"] == history["c5"].problem_id
    assert found[2].latest == history["round"].stationed_on + dt.timedelta(days=2)
    # a single complaint is no hotspot
    assert not any("鑫瑞" in k for h in found for k in h.keys)


def test_the_district_sees_the_list_clicks_a_case_and_exports_it(history, client, people):
    client.force_login(people["leader"])
    html = client.get(reverse("petitions:hotspots")).content.decode()
    ranks = re.findall(r'data-testid="hotspot" data-rank="(\d+)">.*?<strong>(.*?)</strong>', html, re.S)
    assert [(int(r), unescape(label)) for r, label in ranks] == [
        (1, "恒晟塑料厂"), (2, "南岗村·养猪场"), (3, "沙坑涌（同和街道） · 水"), (4, "夜间噪声扰民，无法入睡。")
    ]
    assert 'data-total="uncovered">2<' in html and 'data-total="hotspots">4<' in html
    assert reverse("ledger:problem_detail", args=[history["c5"].problem_id]) in html
    case_link = reverse("petitions:petition_detail", args=[history["c1"].pk])
    assert case_link in html
    assert client.get(case_link).status_code == 200

    link = unescape(re.search(r'href="([^"]+)" data-testid="export-xlsx"', html).group(1))
    book = load_workbook(io.BytesIO(client.get(reverse("petitions:hotspots") + link).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("排名", "热点", "类别", "属地镇街", "件数")
    assert [(r[0], r[1], r[4], r[5]) for r in rows[1:]] == [
        (1, "恒晟塑料厂", 4, 2), (2, "南岗村·养猪场", 2, 2), (3, "沙坑涌（同和街道） · 水", 2, 1), (4, "夜间噪声扰民，无法入睡。", 2, 1)
    ]
    assert rows[2][9] == "未纳入整改台账" and "X2GD202109100012" in rows[1][10]


def test_the_filters_pick_the_uncovered_and_refuse_a_single_case(history, client, people):
    client.force_login(people["leader"])
    html = client.get(reverse("petitions:hotspots"), {"covered": "no"}).content.decode()
    assert re.findall(r"<strong>(.*?)</strong>", html) == ["南岗村·养猪场", "夜间噪声扰民，无法入睡。"]
    csv = client.get(reverse("petitions:hotspots"), {"covered": "no", "format": "csv"}).content.decode("utf-8-sig")
    assert csv.count("\n") == 3 and "恒晟" not in csv
    bad = client.get(reverse("petitions:hotspots"), {"min_cases": "1"}).content.decode()
    assert "“至少几件”最小为 2：一件投诉不构成重复。" in bad
    town = client.get(reverse("petitions:hotspots"), {"town": "太和镇", "q": "广从五路"}).content.decode()
    assert re.findall(r"<strong>(.*?)</strong>", town) == ["恒晟塑料厂"]


def test_a_unit_sees_hotspots_among_its_own_cases(history, people):
    housing = hs.hotspots(figures_queryset(user=people["housing"]), user=people["housing"])
    assert housing == []  # it has one case: no repeat of its own
    water = hs.hotspots(figures_queryset(user=people["water"]), user=people["water"])
    assert [(h.label, h.count) for h in water] == [("沙坑涌（同和街道） · 水", 2), ("恒晟塑料厂", 2)] or [
        (h.label, h.count) for h in water
    ] == [("恒晟塑料厂", 2), ("沙坑涌（同和街道） · 水", 2)]
    assert all("X2GD202109100012" not in c["acceptance_no"] for h in water for c in h.cases)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("广州市白云区太和镇穗丰村某某五金厂夜间生产噪声扰民。", ["穗丰村·五金厂"]),
        ("反映广州市鑫瑞五金制品有限公司排放废气。", ["鑫瑞五金制品公司"]),
        ("投诉白云区江高镇南岗村的恒晟塑料厂焚烧垃圾", ["恒晟塑料厂"]),
        ("位于广从五路123号的餐厅油烟扰民", ["广从五路123号"]),
        ("三元里街道松柏东街１８号一家烧烤店油烟大", ["松柏东街18号"]),
        ("金碧雅苑小区附近有一家鑫瑞汽修厂喷漆异味", ["鑫瑞汽修厂"]),  # an estate is a place, not a key
        ("有人在山边违法占用林地搭建厂房", []),  # 厂房 is a building, not a facility's name
        ("某某花园小区旁边工地夜间施工噪声", []),
        ("太和镇草塘村经济社旁鑫瑞塑料厂焚烧", ["鑫瑞塑料厂"]),  # a village the gazetteer does not know
    ],
)
def test_facility_and_address_keys(text, keys):
    vocabulary = hs.Vocabulary.of(
        ("三元里街道", "太和镇", "江高镇", "三元里", "太和", "江高"),
        {"穗丰村": "穗丰村", "南岗村": "南岗村"},
        rivers=("沙河涌",),
    )
    assert [k.key for k in hs.case_keys(text, "", tag="大气", vocabulary=vocabulary)] == keys


@pytest.mark.parametrize(
    ("text", "town", "key"),
    [
        ("沙河涌发黑发臭", "同和街道", "沙河涌（同和街道）|水"),  # a river: its stretch in the case's town
        ("南岗村附近的沙河涌发黑发臭", "江高镇", "南岗村|水"),  # a village is more precise than a river
        ("金碧雅苑小区旁空地焚烧垃圾", "", "金碧雅苑|水"),  # an estate the gazetteer does not know
        ("夜间噪声扰民", "", None),
    ],
)
def test_a_case_naming_no_facility_is_keyed_by_its_place_and_problem(text, town, key):
    vocabulary = hs.Vocabulary.of((), {"南岗村": "南岗村"}, rivers=("沙河涌",))
    keys = hs.case_keys(text, "", tag="水", town=town, vocabulary=vocabulary)
    assert [k.key for k in keys] == ([key] if key else [])


def test_the_repeats_the_engine_found_at_registration_join_cases_that_share_no_key(structure, people):
    """The same burning complained about twice in other words: the place keys differ (穗丰村 · 大气 for the
    first, typed as air; 穗丰村 · 露天焚烧, the sub-tag the engine gave the second when it was typed in), but the
    engine found the second a repeat of the first (its stored 疑似重复件 suggestion); once the coordinator
    dismisses that suggestion, they part."""
    from ecoinspect.petitions.choices import SuggestionDecision, SuggestionKind

    rnd = RoundFactory()
    PetitionFactory(round=rnd, acceptance_no="D3GD20260602001", status=S.ASSIGNED, region_text="",
                    complaint_text="白云区太和镇穗丰村路边每天晚上都有人焚烧废旧电线，黑烟很大，气味刺鼻。",
                    problem_types=["air"])
    second = svc.petition_intake(
        actor=people["coordinator"], round=rnd, acceptance_no="D3GD20260603002", received_on=rnd.stationed_on,
        complaint_text="太和镇穗丰村晚上又有人在路边烧电线，黑烟呛人，气味刺鼻。", problem_types=["solid_waste"],
    )
    found = hs.hotspots(figures_queryset(user=people["leader"]), user=people["leader"])
    assert [(h.count, sorted(h.keys)) for h in found] == [(2, ["穗丰村 · 大气", "穗丰村 · 露天焚烧"])]

    second.suggestions.filter(kind=SuggestionKind.DUPLICATE).update(decision=SuggestionDecision.DISMISSED)
    assert hs.hotspots(figures_queryset(user=people["leader"]), user=people["leader"]) == []
