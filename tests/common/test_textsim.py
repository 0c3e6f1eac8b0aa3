"""The text-similarity engine on its own (no Django, no petitions): shingles, signatures as bytes, the equal
index that never compares every pair, and the scores."""

from __future__ import annotations

import random

import pytest

from ecoinspect.common import textsim
from ecoinspect.common.textsim import passages
from ecoinspect.common.textsim_anchors import addresses, facilities

SETTINGS = textsim.Settings(
    weights={"place": 5, "topic": 5, "facility": 3, "town": 3},
    key_pairs=(("place", "topic"), ("town", "topic")),
    stop_phrases=("群众反映", "反映"),
    synonyms=(("晚上", "夜间"), ("噪音", "噪声")),
    threshold=0.3,
    conflicts={"town": 0.35, "place": 0.4, "facility": 0.4},
    contains_kinds=("facility",),
    containment=0.6,
    bucket_cap=50,
    verify=10,
)
VILLAGES = ["白沙村", "米岗村", "南岗村", "横沥村", "汉塘村", "水沥村", "大田村", "蓼江村", "马沥村", "竹二村"]
TOWNS = ["钟落潭镇", "江高镇", "人和镇", "太和镇"]
PROBLEMS = [
    ("养猪场", "畜禽养殖", "猪粪水排进水沟，臭味很大"),
    ("喷漆厂", "工业废气", "喷漆没有废气处理，油漆味刺鼻"),
    ("工地", "施工噪声", "夜间打桩，吵得睡不着"),
    ("河涌", "黑臭水体", "又黑又臭，污水直排"),
    ("沙场", "采砂", "晚上偷偷抽砂，河岸崩塌"),
]


def doc(key, text, **anchors):
    return textsim.Doc(key, text, {k: list(v) for k, v in anchors.items()})


def many(n: int, seed: int = 7) -> list[textsim.Doc]:
    """n unrelated-looking complaints over a few villages and problems (each village × problem recurs)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        village, town = rng.choice(VILLAGES), rng.choice(TOWNS)
        facility, topic, said = rng.choice(PROBLEMS)
        text = f"{rng.choice(['反映', '群众反映', ''])}{town}{village}{rng.choice(['一家', '有家', ''])}{facility}{said}。"
        out.append(doc(f"s{i}", text, place=[village], town=[town], topic=[topic], facility=[facility]))
    return out


def test_a_signature_survives_bytes_and_another_scheme_is_refused():
    d = doc(1, "钟落潭镇白沙村养猪场猪粪水排进水沟，臭味很大。", place=["白沙村"], topic=["畜禽养殖"])
    sig = textsim.sign(d, SETTINGS)
    back = textsim.Signature.from_bytes(sig.to_bytes(SETTINGS), SETTINGS)
    assert back is not None
    assert (back.minhash == sig.minhash).all() and (back.keys == sig.keys).all()
    assert back.features == sig.features and back.anchors == {"place": ("白沙村",), "topic": ("畜禽养殖",)}
    other = textsim.Settings(scheme=SETTINGS.scheme + 1)
    assert textsim.Signature.from_bytes(sig.to_bytes(SETTINGS), other) is None
    assert textsim.Signature.from_bytes(b"", SETTINGS) is None
    assert textsim.Signature.from_bytes(sig.to_bytes(SETTINGS)[:-1], SETTINGS) is None


def test_synonyms_and_stop_phrases_make_paraphrases_share_shingles():
    a = textsim.text_shingles("群众反映：晚上噪音很大", SETTINGS)
    b = textsim.text_shingles("夜间噪声很大", SETTINGS)
    assert a == b


def test_a_paraphrase_is_found_through_the_index_with_its_passages_and_signals():
    stored = many(300)
    original = doc("orig", "反映钟落潭镇白沙村一家养猪场猪粪水排进水沟，臭味很大，晚上睡不着。",
                   place=["白沙村"], town=["钟落潭镇"], topic=["畜禽养殖"], facility=["养猪场"])
    index = textsim.Index(SETTINGS)
    for d in [*stored, original]:
        index.add(d.key, textsim.sign(d, SETTINGS))
    query = doc("q", "白沙村的养猪场还是把猪粪水排进水沟，臭味大。", place=["白沙村"], town=["钟落潭镇"],
                topic=["畜禽养殖"], facility=["养猪场"])
    texts = {d.key: d.text for d in [*stored, original]}
    found, stats = textsim.search(index, [query], texts=lambda keys: {k: texts[k] for k in keys})
    keys = [m.key for m in found["q"]]
    assert "orig" in keys
    match = found["q"][keys.index("orig")]
    assert match.score >= SETTINGS.threshold and match.shared["place"] == ("白沙村",)
    assert any("猪粪水排进水沟" in p for p in match.passages)
    assert stats.verified <= SETTINGS.verify


def test_the_index_never_compares_every_pair_and_finds_what_all_pairs_find():
    stored = many(1500)
    queries = many(40, seed=99)
    index = textsim.Index(SETTINGS)
    for d in stored:
        index.add(d.key, textsim.sign(d, SETTINGS))
    found, stats = textsim.search(index, queries, threshold=0.5)
    # candidates come from the buckets the query shares, capped per bucket — never the 1,500 stored
    assert stats.max_candidates <= SETTINGS.bucket_cap * (SETTINGS.bands + len(SETTINGS.key_pairs))
    assert stats.max_candidates < len(stored) / 3
    assert stats.verified <= SETTINGS.verify * len(queries)
    brute = textsim.brute_force(queries, stored, SETTINGS, threshold=0.5)
    best_brute = {k: v[0][1] for k, v in brute.items()}
    best_index = {k: v[0].score for k, v in found.items()}
    assert set(best_index) == set(best_brute)  # every query with a match above 0.5 gets one from the index
    for key, score in best_index.items():
        assert score == pytest.approx(best_brute[key], abs=0.15)


def test_a_different_town_place_or_facility_lowers_the_score():
    a = doc(1, "反映江高镇大田村一家家具厂喷漆废气很大。", place=["大田村"], town=["江高镇"], facility=["家具厂"])
    same = doc(2, "反映江高镇大田村一家家具厂喷漆废气很大。", place=["大田村"], town=["江高镇"], facility=["家具厂"])
    other_village = doc(3, "反映江高镇南岗村一家家具厂喷漆废气很大。", place=["南岗村"], town=["江高镇"],
                        facility=["家具厂"])
    other_factory = doc(4, "反映江高镇大田村一家五金厂喷漆废气很大。", place=["大田村"], town=["江高镇"],
                        facility=["五金厂"])
    assert textsim.compare(a, same, SETTINGS).score == pytest.approx(1.0)
    village = textsim.compare(a, other_village, SETTINGS)
    factory = textsim.compare(a, other_factory, SETTINGS)
    assert village.conflicts == ("place",) and village.score < SETTINGS.threshold
    assert factory.conflicts == ("facility",) and factory.score < SETTINGS.threshold


def test_a_short_follow_up_of_a_long_letter_is_scored_by_containment():
    letter = doc(1, "来信反映：1.太和镇宏盛皮革厂夜间排放刺鼻臭气，周边居民头晕恶心；2.废水通过暗管排入水沟，"
                    "水沟发黑发臭；3.车间机器噪音大，凌晨还在开工；4.厂区堆放大量皮革边角料，雨天渗出黑水；"
                    "5.工人宿舍生活垃圾乱丢。")
    follow = doc(2, "宏盛皮革厂废水通过暗管排入水沟，水沟发黑发臭。")
    plain = textsim.Settings(threshold=0.3)
    assert textsim.compare(follow, letter, plain).score < 0.3
    assert textsim.compare(follow, letter, SETTINGS).score >= 0.3


def test_related_facilities_agree_and_clusters_join_chains():
    a = doc(1, "五金作坊冲压声大", facility=["五金作坊"])
    b = doc(2, "五金加工作坊冲压声大", facility=["五金加工作坊"])
    assert textsim.compare(a, b, SETTINGS).shared["facility"] == ("五金作坊",)
    assert textsim.clusters([(1, 2), (2, 3), (5, 6)]) == [[1, 2, 3], [5, 6]]


def test_facility_and_address_words():
    assert facilities("广州市宏盛皮革有限公司在太和镇龙归路188号") == ["宏盛皮革有限公司"]
    assert facilities("反映萧岗一带城中村餐饮店油烟扰民") == ["餐饮店"]
    assert facilities("工作人员到现场检查") == []
    assert addresses("位于石井大道123号的汽修厂") == ["石井大道123号"]


def test_passages_are_the_shared_runs_as_written_never_across_punctuation():
    assert passages("白沙村的养猪场把猪粪水排到水沟，臭气熏天。", "钟落潭镇白沙村养猪场猪粪水排进水沟，臭味很大。") == (
        "白沙村", "养猪场", "猪粪水排",
    )
    assert passages("位于石井大道１２３号的汽修厂", "石井大道123号汽修厂") == ("石井大道１２３号", "汽修厂")
