"""The suggestion engine behind ``Suggester``: problem types and sub-tags with the words that gave them, the
town and the department said as such, and repeats found in the batch, the earlier batches and the earlier
rounds — from the signatures ``petition_register`` stores."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ecoinspect.audit.models import ChangeLog
from ecoinspect.common import textsim
from ecoinspect.petitions import repeats
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.classify import TypeClassifier
from ecoinspect.petitions.models import Petition
from ecoinspect.petitions.suggest import CaseText, Suggester
from tests.factories import PetitionFactory, RoundFactory

PIGS = "反映钟落潭镇白沙村有多家养猪场，猪粪臭味很大，晚上臭到睡不着，猪粪水还排到旁边水沟。"
PIGS_AGAIN = "群众反映：白沙村的养猪场还在养猪，臭气熏天，猪粪水流进水沟，多年投诉没有结果。"


@pytest.fixture
def earlier_round(people):
    return svc.round_create(
        actor=people["coordinator"], name="第二轮中央生态环境保护督察（测试）", number=2,
        stationed_on=dt.date(2021, 8, 26),
    )


def suggest(*cases, **kwargs):
    return Suggester(**kwargs).suggest([CaseText(*c) if isinstance(c, tuple) else c for c in cases])


# --- problem types --------------------------------------------------------------------------------------


def test_types_and_sub_tags_come_with_the_words_that_gave_them(db):
    result = TypeClassifier().analyse("高增村农田被泥头车倒泥头渣，晚上成日有车来倒，冇人管。")
    assert result.types == ["solid_waste"]
    assert result.sub_tags == ["建筑垃圾", "非法倾倒"]
    why = "\n".join(result.reasons)
    assert "细分标签“建筑垃圾”（固废）：问题描述中有“泥头渣”" in why
    assert "问题类型“固废”：细分标签“建筑垃圾”" in why


@pytest.mark.parametrize(
    ("text", "types", "tags"),
    [
        ("三元里街道某建筑工地夜晚打桩，十一点后还在施工。", ["noise"], ["施工噪声"]),
        ("有人在空地烧垃圾，黑烟很臭。", ["air"], ["露天焚烧", "异味"]),
        ("大田村河涌又黑又臭，出租屋污水直排。", ["water"], ["黑臭水体", "污水直排", "河涌污染"]),
        ("嘉禾街道某楼顶装了通信基站，担心辐射。", ["radiation"], ["辐射/基站"]),
        ("流溪河蓼江村河段晚上有采砂船偷偷抽砂。", ["ecology"], ["采砂"]),
        ("太和镇帽峰山脚下有人砍伐林木、挖山建厂房。", ["ecology"], ["毁林/占用林地", "挖山取土"]),
    ],
)
def test_complaint_words_give_types_and_sub_tags(db, text, types, tags):
    result = TypeClassifier().analyse(text)
    assert result.types == types
    assert result.sub_tags == tags


def test_the_published_label_is_kept_and_said_how_it_was_read(db):
    result = TypeClassifier().analyse("某工地泥头车进出，尘土飞扬。", "扬尘污染")
    assert result.types == ["air"]
    assert any("按原表问题类型“扬尘污染”" in r and "扬尘属大气污染" in r for r in result.reasons)
    mixed = TypeClassifier().analyse("工厂废水直排，夜间机器噪音大。", "综合类")
    assert set(mixed.types) == {"water", "noise"}
    assert any("涉及多种类型，按问题描述判断" in r for r in mixed.reasons)
    other = TypeClassifier().analyse("楼顶装了通信基站。", "其他")
    assert other.types == ["radiation"]
    nothing = TypeClassifier().analyse("反映某地有人违规。")
    assert nothing.types == ["other"] and "请人工确认" in nothing.reasons[-1]


# --- town and department ----------------------------------------------------------------------------------


def test_town_outside_and_ambiguous_are_said_as_such(structure):
    outside, ambiguous, found = suggest(
        ("A1", "花都区新华街道一家铸造厂冒黑烟。", "广州市花都区"),
        ("A2", "人和镇和太和镇交界处的一条水沟有人偷排废水。", "广州市白云区"),
        ("A3", "钟落潭镇良田村山边有人倾倒工业垃圾。", "广州市白云区"),
        compare_stored=False,
    )
    assert outside.town is None and outside.town_status == "outside"
    assert outside.town_reasons[0].startswith("不在本区：花都区")
    assert ambiguous.town is None and ambiguous.town_status == "ambiguous"
    assert ambiguous.town_reasons[0].startswith("多个镇街都有可能")
    assert found.town.code == "zhongluotan" and "良田村" in found.town_reasons[0]


def test_the_department_comes_from_the_sub_tags_when_the_text_has_no_keyword_of_the_matrix(structure):
    (s,) = suggest(("A1", "白云湖街道兵房社区一家炒货店炒瓜子的烟很大，熏得周边住户开不了窗。"), compare_stored=False)
    assert "油烟" in s.sub_tags
    assert s.department.code == "cgzf"
    assert "按细分标签对应的行业" in s.department_reasons[0]
    (k,) = suggest(("A2", "鹤边村一间电镀厂疑似偷排工业废水。"), compare_stored=False)
    assert k.department.code == "sthj" and "关键词" in k.department_reasons[0]


# --- repeats ----------------------------------------------------------------------------------------------


def test_registering_a_case_stores_its_signature_outside_the_change_log(people):
    petition = PetitionFactory(complaint_text=PIGS)
    stored = Petition.objects.get(pk=petition.pk).repeat_signature
    sig = textsim.Signature.from_bytes(stored, repeats.SETTINGS)
    assert sig is not None and sig.anchors["place"] == ("白沙村",)
    entry = ChangeLog.objects.filter(object_type="petitions.petition", object_id=str(petition.pk), operation="create").get()
    assert "repeat_signature" not in (entry.after or {})


def test_a_paraphrase_in_a_later_round_is_found_with_its_passages_and_signals(people, earlier_round):
    old = PetitionFactory(round=earlier_round, complaint_text=PIGS, acceptance_no="D2GD202109010031")
    RoundFactory()
    (s,) = suggest(("D3GD202605120003", PIGS_AGAIN, "广州市白云区", "农业农村"))
    (dup,) = s.duplicates
    assert dup.petition_id == old.pk and dup.acceptance_no == "D2GD202109010031"
    assert dup.round == earlier_round.name and dup.score >= repeats.DEFAULT_THRESHOLD
    assert "同一地点：白沙村" in dup.signals and any(sig.startswith("同类问题") for sig in dup.signals)
    assert dup.matched == ("白沙村", "养猪场", "猪粪水")  # as they appear in the new text, for highlighting
    line = s.as_json()
    assert line["duplicates"] == [{"acceptance_no": "D2GD202109010031", "score": round(dup.score, 3)}]
    assert any(r.startswith("疑似重复件 D2GD202109010031（第二轮中央生态环境保护督察（测试）") for r in line["reasons"])
    json.dumps(line, ensure_ascii=False)


def test_repeats_in_the_same_batch_and_an_earlier_batch(people):
    rnd = RoundFactory()
    first = svc.batch_create(actor=people["coordinator"], round=rnd, number=1, received_on=dt.date(2026, 5, 12))
    earlier = PetitionFactory(round=rnd, batch=first, complaint_text="三元里街道某建筑工地每天夜晚打桩到十一二点，施工噪音严重扰民。")
    a, b, c = suggest(
        ("D3-2-1", "反映三元里街道工地夜间打桩施工扰民，夜晚打桩声音很大。"),
        ("D3-2-2", "来信反映：三元里街道那个建筑工地夜晚打桩到十一点后，吵得小孩睡不着。"),
        ("D3-2-3", "均禾街道石马桶一家洗水厂把蓝色废水排入市政管网。"),
        current_round=rnd,
    )
    assert {d.acceptance_no for d in a.duplicates} == {earlier.acceptance_no, "D3-2-2"}
    assert {d.acceptance_no for d in b.duplicates} == {earlier.acceptance_no, "D3-2-1"}
    within = next(d for d in a.duplicates if d.acceptance_no == "D3-2-2")
    assert within.petition_id is None and within.round == ""
    assert c.duplicates == []


def test_the_same_complaint_about_another_village_is_not_a_repeat(people, earlier_round):
    PetitionFactory(round=earlier_round, complaint_text="反映江高镇高塘社区一家酒吧每晚音乐声很大，吵到凌晨。")
    (s,) = suggest(("X1", "反映江高镇松岗社区一家酒吧每晚音乐声很大，吵到凌晨。"))
    assert s.duplicates == []


def test_a_batch_imported_again_is_not_its_own_repeat_but_the_same_number_of_another_round_is(people, earlier_round):
    rnd = RoundFactory()
    PetitionFactory(round=rnd, acceptance_no="D3GD202605120003", complaint_text=PIGS)
    PetitionFactory(round=earlier_round, acceptance_no="D3GD202605120003", complaint_text=PIGS)
    (s,) = suggest(("D3GD202605120003", PIGS), current_round=rnd)
    assert [(d.acceptance_no, d.round) for d in s.duplicates] == [("D3GD202605120003", earlier_round.name)]


def test_cases_stored_without_a_signature_are_still_found_and_can_be_signed(people, earlier_round):
    Petition.objects.create(
        round=earlier_round, acceptance_no="1544", acceptance_key="1544", complaint_text=PIGS,
        received_on=dt.date(2021, 9, 1),
    )
    index = repeats.RepeatIndex.from_database()
    assert index.unsigned == 1
    (s,) = suggest(("N1", PIGS_AGAIN))
    assert [d.acceptance_no for d in s.duplicates] == ["1544"]
    assert repeats.refresh_signatures() == 1
    assert repeats.RepeatIndex.from_database().unsigned == 0
    assert repeats.refresh_signatures() == 0


def test_repeat_clusters_group_stored_cases_with_what_they_share(people, earlier_round):
    ids = [
        PetitionFactory(round=earlier_round, complaint_text=text).pk
        for text in (PIGS, PIGS_AGAIN, "钟落潭镇白沙村养猪场仍未清拆，猪屎臭味熏天，粪水流入水沟。")
    ]
    PetitionFactory(round=earlier_round, complaint_text="反映黄石街道某饭店的抽风机噪声很大，晚上也不关。")
    (cluster,) = repeats.repeat_clusters(Petition.objects.all())
    assert cluster.petition_ids == sorted(ids)
    assert cluster.places == ["白沙村"] and "畜禽养殖" in cluster.topics and cluster.towns == ["zhongluotan"]
