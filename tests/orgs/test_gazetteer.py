"""The gazetteer and the one place matcher (docs/places.md).

These cases are the *tuning* set: the matcher's rules were written against them. The holdout set that scores
the matcher (benchmarks/data/places_holdout.csv) is read only by benchmarks/places_bench.py.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.gazetteer import PlaceMatcher, gazetteer_rows, load_gazetteer, place_match
from ecoinspect.orgs.models import Place
from ecoinspect.orgs.selectors import town_from_address

TUNING = [
    # (address, text, status, town code or district)
    ("", "钟落潭镇长沙埗村一工厂夜间排放废气", "matched", "zhongluotan"),
    ("广州市白云区", "竹料一带有人偷倒建筑垃圾", "matched", "zhongluotan"),  # a former town's name
    (
        "广州市白云区",
        "蚌湖社区附近河涌发黑发臭",
        "matched",
        "renhe",
    ),  # the text is read, not only the address
    ("白云区鸦岗", "", "matched", "shimen"),
    ("白云区", "新市涌有污水直排", "none", ""),  # a river without one town — not 新市街道
    ("佛山市南海区九江镇", "", "outside", "南海区"),
    ("", "花都区新华街道某厂废气扰民", "outside", "花都区"),
    (
        "",
        "九佛镇一养猪场",
        "outside",
        "黄埔区",
    ),  # merged into 钟落潭 in 2004, moved to 萝岗 (now 黄埔) in 2005
    ("荔湾区、白云区交界处", "", "ambiguous", ""),  # two district names tie
    ("", "江高镇与人和镇交界的河涌", "ambiguous", ""),  # two towns tie
    ("白云区江高镇", "流溪河边有采砂船", "matched", "jianggao"),
    ("", "流溪河人和段有采砂", "matched", "renhe"),  # river of several towns narrowed by the bare town name
    ("", "", "none", ""),
]


@pytest.mark.parametrize(("address", "text", "status", "where"), TUNING)
def test_the_matcher_on_the_tuning_set(structure, address, text, status, where):
    match = place_match(address=address, text=text)
    assert match.status == status, match.reasons
    if status == "matched":
        assert match.town.code == where
    if status == "outside":
        assert match.district == where
    if status != "none":
        assert match.reasons


def test_the_answer_explains_which_words_matched_which_entry_from_which_source(structure):
    match = place_match(address="白云区", text="钟落潭镇长沙埗村路边焚烧垃圾")
    assert match.status == "matched"
    reason = match.reason
    assert "问题描述中“长沙埗村”" in reason and "属钟落潭镇" in reason and "来源" in reason
    assert "sseuu" in reason  # the entry's recorded source


def test_the_most_specific_place_wins_and_a_tie_is_not_guessed(structure):
    # a village names its town even where the text also names another town's bare namesake
    assert place_match(text="良田村旁边的石井路").town.code == "zhongluotan"
    tie = place_match(text="江村村和蚌湖社区之间")
    assert tie.status == "ambiguous"
    assert {u.code for u in tie.candidates} == {"jianggao", "renhe"}


def test_town_from_address_is_a_thin_wrapper(structure):
    matcher = PlaceMatcher()
    assert town_from_address(text="白云区太和镇穗丰村", matcher=matcher).code == "taihe"
    assert town_from_address(text="佛山市南海区九江镇") is None  # outside: no town


def test_every_entry_has_a_source_and_the_shipped_data_loads(structure):
    rows = gazetteer_rows()
    assert rows and all(r["source"].strip() for r in rows)
    assert Place.objects.count() == len({r["code"] for r in rows})  # the data migration loaded it
    assert not Place.objects.filter(source="").exists()


def test_load_gazetteer_is_idempotent_and_reads_the_statistical_code_table(structure, tmp_path):
    before = Place.objects.count()
    assert load_gazetteer() == (0, 0)
    assert Place.objects.count() == before
    table = tmp_path / "streets.csv"
    table.write_text(
        'code,name,areaCode,provinceCode,cityCode\n440999001,"测试街道",440999,44,4409\n', encoding="utf-8"
    )
    call_command("orgs", "load-gazetteer", str(table))
    place = Place.objects.get(code="nbs-440999001")
    assert place.kind == "neighbour_place" and "440999001" in place.source
    call_command("orgs", "load-gazetteer", str(table))
    assert Place.objects.filter(code="nbs-440999001").count() == 1
    assert ActionLog.objects.filter(action="orgs.gazetteer.loaded").count() == 1


# --- the villages and communities of the statistical division codes (2020), parks and roads ------------------

NEW_PLACES = [
    # (address, text, town, the word the reason names)
    ("", "握山社区居委会旁小作坊夜间喷漆，气味刺鼻", "tonghe", "握山社区"),
    ("广州市白云区", "景泰东社区一餐馆油烟直排扰民", "jingtai", "景泰东社区"),
    ("", "棠溪南社区附近河涌发黑发臭", "tangjing", "棠溪南社区"),
    ("广州市白云区金御苑北社区", "工地夜间施工噪音", "jinsha", "金御苑北社区"),
    ("", "京鹏社区垃圾收集点污水横流", "jingxi", "京鹏社区"),
    ("", "大源村石场粉尘很大", "dayuan", "大源村"),
    ("", "神山工业园一家五金厂废水直排", "jianggao", "神山工业园"),  # a village industrial park
    ("", "嘉禾街道106国道旁洗车场污水直排", "jiahe", "106国道"),  # a road of four towns, narrowed
]


@pytest.mark.parametrize(("address", "text", "town", "word"), NEW_PLACES)
def test_a_complaint_naming_a_new_community_resolves_to_its_town_and_says_why(
    structure, address, text, town, word
):
    match = place_match(address=address, text=text)
    assert match.status == "matched", match.reasons
    assert match.town.code == town
    named = next(r for r in match.reasons if f"“{word}”" in r)  # the reason names the place and its town(s)
    assert str(match.town) in named and "来源" in named


def test_a_community_reason_names_the_statistical_code_it_was_copied_from(structure):
    match = place_match(text="握山社区居委会旁小作坊夜间喷漆")
    assert "问题描述中“握山社区”：社区“握山社区”，属同和街道" in match.reason
    assert "440111009001" in match.reason and "统计用区划代码" in match.reason


def test_a_name_two_towns_share_is_ambiguous_until_a_town_is_written(structure):
    # 新庄社区 is a community of 石井街道 and one of 同和街道 (统计用区划代码 2020)
    assert set(Place.objects.filter(name="新庄社区").values_list("town_codes", flat=True)) == {"shijing", "tonghe"}
    tie = place_match(text="新庄社区有人焚烧垃圾")
    assert tie.status == "ambiguous" and tie.town is None
    assert {u.code for u in tie.candidates} == {"shijing", "tonghe"}
    assert "属石井街道、同和街道" in tie.reason and "并列" in tie.reason
    assert place_match(address="白云区同和街道新庄社区").town.code == "tonghe"
    assert place_match(address="石井街道", text="新庄社区有人焚烧垃圾").town.code == "shijing"


def test_the_same_name_in_two_towns_is_ambiguous_whichever_is_loaded_first(structure):
    Place.objects.create(
        code="test-renhe-wo", name="握山社区", kind="community", town_codes="renhe", source="测试：同名地名"
    )
    tie = place_match(text="握山社区门口")
    assert tie.status == "ambiguous"
    assert {u.code for u in tie.candidates} == {"tonghe", "renhe"}


def test_a_town_written_beside_a_place_of_another_town_is_not_overruled(structure):
    # 大源村 belongs to 大源街道 since 2020 (统计用区划代码 440111021200); an address still written 太和镇大源村
    # names two towns: the officer decides, the matcher does not choose one.
    match = place_match(address="白云区太和镇大源村")
    assert match.status == "ambiguous"
    assert {u.code for u in match.candidates} == {"taihe", "dayuan"}
    assert "“大源村”" in match.reason and "“白云区太和镇”" in match.reason and "不一致" in match.reason
    # agreeing words decide as before
    assert place_match(address="白云区太和镇穗丰村").town.code == "taihe"


def test_the_data_migration_brings_places_added_later_to_an_existing_database(structure):
    """A database that ran 0004 before these places were shipped gets them from 0006 (the same idempotent
    loader); entries it already has, edited or not, are left alone."""
    from importlib import import_module

    from django.apps import apps

    load = import_module("ecoinspect.orgs.migrations.0006_load_more_places").load
    total = Place.objects.count()
    Place.objects.filter(code__startswith="nbs-440111009").delete()  # 同和街道's communities, as before
    Place.objects.filter(code="road-g106").update(note="编辑过")
    load(apps, None)
    assert Place.objects.count() == total
    assert Place.objects.get(code="nbs-440111009001").name == "握山社区"
    assert Place.objects.get(code="road-g106").note == "编辑过"
    load(apps, None)
    assert Place.objects.count() == total


def test_the_reasons_and_the_places_page_name_the_configured_district(structure, login, people, settings):
    settings.ECOINSPECT_DISTRICT_NAME = "测试区"
    outside = place_match(address="佛山市南海区九江镇")
    assert outside.status == "outside"
    assert "属南海区，不在测试区" in outside.reason and "判断：不在测试区（南海区）" in outside.reason
    assert "在测试区，未对应到单一镇街" in place_match(text="新市涌有污水直排").reason
    assert "测试区镇街" in place_match(text="同和街道有人焚烧垃圾").reason
    assert "无法确定是否在测试区" in place_match(address="荔湾区、白云区交界处").reason
    client = login(people["coordinator"])
    page = client.get(reverse("orgs:place_list"), {"try_address": "佛山市南海区九江镇"}).content.decode()
    assert "测试区的镇街、村居" in page and "不在测试区（南海区）" in page
    refused = client.post(
        reverse("orgs:place_create"),
        {"code": "t-x", "name": "某村", "kind": "village", "town_codes": "tonghe", "district": "南海区",
         "source": "测试"},
    ).content.decode()
    assert "区外地名不能属于测试区的镇街。" in refused

