"""The gazetteer and the one place matcher (docs/places.md).

These cases are the *tuning* set: the matcher's rules were written against them. The holdout set that scores
the matcher (benchmarks/data/places_holdout.csv) is read only by benchmarks/places_bench.py.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

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
    assert town_from_address(text="白云区太和镇大源村", matcher=matcher).code == "taihe"
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
