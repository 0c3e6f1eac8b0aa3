"""Possible repeats (重复件) of incoming cases — among themselves, the earlier batches and the earlier rounds —
on the one text-similarity engine, :mod:`ecoinspect.common.textsim` (which knows nothing of petitions).

What this module adds: the petitions' words (the boilerplate of a complaint is dropped, colloquial words
are made one: 晚上 / 夜里 / 晚黑 → 夜间, 噪音 → 噪声 …) and the *anchors* of a case — the places the
gazetteer finds in it (village, community, river, landmark, else the town), its town, its topics (the
classifier's sub-tags), the facilities and street addresses it names. Anchors weigh more than words in the
similarity and give the candidate keys (place × topic, place × facility, town × topic, address), so a
paraphrase of the same complaint is found even when it shares few words.

Stored cases carry their signature (``Petition.repeat_signature``, written by ``petition_register``): the
index of 100,000 stored cases is built from those bytes and candidates are verified on them; texts are
read only for the passages of the matches. See docs/petitions/engine.md for the threshold and the figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ecoinspect.common import textsim, textsim_anchors
from ecoinspect.orgs.gazetteer import RANK_PLACE, PlaceMatcher

from . import numbers
from .suggest import Repeat

#: A repeat is suggested at this similarity (weighted Jaccard of words, bigrams and anchors) and above.
DEFAULT_THRESHOLD = 0.30
#: Bumped when the words or the anchors below change: stored signatures of another scheme are re-made.
SCHEME = 3
MAX_REPEATS = 10

STOP_PHRASES = (
    "群众反映", "来信反映", "来电反映", "来电人反映", "投诉人反映", "投诉人称", "信访人反映", "举报人反映",
    "反映", "投诉", "举报", "来信", "来电", "广州市", "白云区", "要求", "希望", "请求", "相关部门", "有关部门",
    "部门", "政府", "查处", "处理", "整治", "解决", "尽快", "严重影响", "严重", "影响", "周边", "附近", "旁边",
    "居民", "村民", "住户", "群众", "多次", "一直", "还是", "仍然", "仍在", "已经", "没有", "很大", "非常",
    "还在", "照样", "一家", "一间", "一个", "某", "有人", "问题", "情况", "存在", "导致", "造成", "现象", "长期",
    "经常", "每天", "多年", "至今", "无人管", "没人管", "冇人管", "扰民", "之前", "又", "再次",
)
SYNONYMS = (
    ("噪音", "噪声"), ("晚上", "夜间"), ("夜里", "夜间"), ("夜晚", "夜间"), ("深夜", "夜间"), ("半夜", "夜间"),
    ("晚黑", "夜间"), ("凌晨", "夜间"), ("臭气", "异味"), ("臭味", "异味"), ("气味", "异味"), ("味道", "异味"),
    ("泥头渣", "建筑垃圾"), ("余泥渣土", "建筑垃圾"), ("余泥", "建筑垃圾"), ("渣土", "建筑垃圾"), ("猪屎", "猪粪"),
    ("又黑又臭", "黑臭"), ("发黑发臭", "黑臭"), ("偷偷排", "偷排"), ("排进", "排入"), ("排到", "排入"),
    ("流入", "排入"), ("流进", "排入"), ("流到", "排入"), ("成日", "每天"), ("好大声", "很大声"), ("冇", "没"),
    ("抽沙", "抽砂"), ("河沙", "河砂"), ("砍树", "砍伐"), ("居委会", "社区"),
)

SETTINGS = textsim.Settings(
    num_perm=64,
    bands=16,
    weights={"place": 5, "town": 3, "topic": 5, "type": 0, "facility": 3, "company": 6, "area": 2, "address": 6},
    key_pairs=(
        ("place", "topic"),
        ("place", "type"),
        ("place", "facility"),
        ("town", "topic"),
        ("town", "type"),
        ("company",),
        ("address",),
    ),
    stop_phrases=STOP_PHRASES,
    synonyms=SYNONYMS,
    threshold=DEFAULT_THRESHOLD,
    conflicts={"town": 0.35, "place": 0.4, "facility": 0.4, "company": 0.4, "type": 0.5, "topic": 0.75},
    subset_kinds=("type", "topic"),
    containment=0.6,
    contains_kinds=("facility",),
    scheme=SCHEME,
)


# ---------------------------------------------------------------------------------------------------------
# Anchors
# ---------------------------------------------------------------------------------------------------------


def _places(match) -> tuple[list[str], list[str]]:
    """The specific places of the district a match names (villages, communities, rivers, landmarks — not
    the towns' own names), and the towns the case is in."""
    places = [h.entry.label for h in match.hits if h.entry.home and h.entry.rank >= RANK_PLACE]
    towns = [match.town.code] if match.town else [u.code for u in match.candidates]
    return list(dict.fromkeys(places)), towns


#: Sub-tags that describe a symptom shared by many problems (an odour): a topic only when there is no other.
WEAK_TOPICS = {"异味"}
#: Sub-tags naming a source of air pollution (an odour alone may be a ditch's or a dump's).
AIR_SOURCES = {"油烟", "扬尘", "工业废气", "露天焚烧", "加油站油气"}
#: Facility words that name no particular facility: they agree with any facility ending the same way.
GENERIC_FACILITIES = {"工厂": "厂", "厂家": "厂", "小作坊": "作坊", "店铺": "店", "商铺": "铺", "门店": "店"}
#: Areas holding many facilities (two factories of one park are two complaints).
AREAS = ("工业园", "物流园", "园区", "工业区", "科技园", "产业园")
_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|公司)$")
_CITY_PREFIX = re.compile(r"^(?:广东省|广州市|广州|白云区)")


def _facilities(text: str, places: Sequence[str] = ()) -> dict[str, list[str]]:
    """Facilities (generic words made one), companies and named factories (their first four characters
    after the city: 广州市宏盛皮革有限公司, 宏盛皮革公司 → 宏盛皮革), and areas (工业园 …). The places the
    gazetteer found are no part of a name (滘心嘉信橡胶厂 → 嘉信橡胶厂)."""
    out: dict[str, list[str]] = {"facility": [], "company": [], "area": []}
    for name in textsim_anchors.facilities(text):
        for word in places:
            if name.startswith(word) and len(name) > len(word) + 1:
                name = name[len(word) :]
        if name.endswith(AREAS):
            out["area"].append(name)
        elif "公司" in name or (len(name) >= 5 and name.endswith("厂")):
            core = _CITY_PREFIX.sub("", _COMPANY_SUFFIX.sub("", name))
            out["company"].append(core[:4] if len(core) >= 4 else core)
        else:
            out["facility"].append(GENERIC_FACILITIES.get(name, name))
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


class CaseAnchors:
    """The anchors of a case's text: places, town, topics, facilities, addresses."""

    def __init__(self, matcher: PlaceMatcher | None = None, classifier=None):
        from .classify import TypeClassifier

        self.matcher = matcher or PlaceMatcher()
        self.classifier = classifier or TypeClassifier()

    def __call__(self, text: str, region_text: str = "", type_text: str = "", *, match=None, types=None) -> dict:
        match = match or self.matcher.match_place(address=region_text, text=text)
        types = types or self.classifier.analyse(text, type_text)
        places, towns = _places(match)
        strong = [t for t in types.sub_tags if t not in WEAK_TOPICS]
        topics = strong or list(types.sub_tags) or [t for t in types.types if t != "other"]
        kinds = [t for t in types.types if t != "other"]
        if (
            "air" in kinds
            and not set(types.sub_tags) & AIR_SOURCES
            and "air" not in types.published
            and {"water", "solid_waste"} & set(kinds)
        ):
            kinds.remove("air")  # the smell of a ditch or a dump is that problem's, not an air problem
        return {
            "place": places,
            "town": towns,
            "topic": topics,
            "type": kinds,
            **_facilities(text, sorted({h.word for h in match.hits}, key=len, reverse=True)),
            "address": textsim_anchors.addresses(text),
        }

    def doc(self, key, text: str, region_text: str = "", type_text: str = "") -> textsim.Doc:
        return textsim.Doc(key, text, self(text, region_text, type_text))


def signature_for(
    text: str, region_text: str = "", type_text: str = "", *, anchors: CaseAnchors | None = None
) -> bytes:
    """The bytes ``Petition.repeat_signature`` stores for a case (written at registration)."""
    anchors = anchors or CaseAnchors()
    return textsim.sign(anchors.doc(None, text, region_text, type_text), SETTINGS).to_bytes(SETTINGS)


def refresh_signatures(queryset=None, *, anchors: CaseAnchors | None = None, chunk: int = 2000) -> int:
    """Write the signature of every stored case that has none or an outdated one (cases loaded around the
    services, or signed by an earlier scheme). Returns how many were written."""
    from .models import Petition

    qs = Petition.objects.all() if queryset is None else queryset
    anchors = anchors or CaseAnchors()
    stale = [
        pk
        for pk, blob in qs.order_by("pk").values_list("pk", "repeat_signature").iterator(chunk_size=5000)
        if textsim.Signature.from_bytes(blob, SETTINGS) is None
    ]
    for start in range(0, len(stale), chunk):
        rows = list(Petition.objects.filter(pk__in=stale[start : start + chunk]).only(*_TEXT_FIELDS))
        docs = [anchors.doc(p.pk, p.complaint_text, p.region_text, p.type_text) for p in rows]
        for p, sig in zip(rows, textsim.sign_many(docs, SETTINGS), strict=True):
            p.repeat_signature = sig.to_bytes(SETTINGS)
        Petition.objects.bulk_update(rows, ["repeat_signature"])
    return len(stale)


_TEXT_FIELDS = ("pk", "complaint_text", "region_text", "type_text")


# ---------------------------------------------------------------------------------------------------------
# The index of stored cases
# ---------------------------------------------------------------------------------------------------------


class RepeatIndex:
    """The stored cases' signatures in an equal index (LSH bands and anchor keys): built from the stored
    bytes, verified on them; the texts are read only for the passages of the matches."""

    def __init__(self, *, anchors: CaseAnchors | None = None):
        self.index = textsim.Index(SETTINGS)
        self._anchors = anchors
        self.unsigned = 0  # stored cases without a usable signature (signed from their text on loading)
        self.stats = textsim.Stats()

    @property
    def anchors(self) -> CaseAnchors:
        if self._anchors is None:
            self._anchors = CaseAnchors()
        return self._anchors

    @classmethod
    def from_database(cls, exclude_round=None, *, queryset=None, anchors: CaseAnchors | None = None) -> RepeatIndex:
        """Every stored case (or those of ``queryset``), oldest first; ``exclude_round`` leaves a round out.
        A case without a signature of the current scheme is signed from its text (in memory only)."""
        from .models import Petition

        index = cls(anchors=anchors)
        qs = Petition.objects.all() if queryset is None else queryset
        if exclude_round is not None:
            qs = qs.exclude(round=exclude_round)
        unsigned = []
        add = index.index.add_bytes
        for pk, blob in qs.order_by("pk").values_list("pk", "repeat_signature").iterator(chunk_size=10000):
            if not add(pk, blob):
                unsigned.append(pk)
        if unsigned:
            index.unsigned = len(unsigned)
            for start in range(0, len(unsigned), 900):
                rows = Petition.objects.filter(pk__in=unsigned[start : start + 900]).values_list(*_TEXT_FIELDS)
                docs = [index.anchors.doc(pk, text, region, type_text) for pk, text, region, type_text in rows]
                for doc, sig in zip(docs, textsim.sign_many(docs, SETTINGS), strict=True):
                    index.index.add(doc.key, sig)
        return index

    def __len__(self) -> int:
        return len(self.index)

    def texts(self, keys: Sequence[int]) -> dict[int, str]:
        """The complaint texts of stored cases (for the passages a match shares)."""
        from .models import Petition

        out = {}
        keys = list(keys)
        for start in range(0, len(keys), 900):
            out.update(Petition.objects.filter(pk__in=keys[start : start + 900]).values_list("pk", "complaint_text"))
        return out


# ---------------------------------------------------------------------------------------------------------
# Finding repeats
# ---------------------------------------------------------------------------------------------------------


def _signals(match: textsim.Match, towns: dict[str, str]) -> tuple[str, ...]:
    shared = match.shared
    out = []
    for kind, label in (
        ("place", _("同一地点")),
        ("company", _("同一企业")),
        ("facility", _("同一设施")),
        ("address", _("同一地址")),
    ):
        if shared.get(kind):
            out.append(f"{label}：{'、'.join(shared[kind])}")
    if shared.get("town") and not shared.get("place"):
        out.append(_("同一镇街：%(t)s") % {"t": "、".join(towns.get(c, c) for c in shared["town"])})
    if shared.get("topic"):
        out.append(_("同类问题：%(t)s") % {"t": "、".join(shared["topic"])})
    for kind, label in (
        ("town", _("不同镇街")),
        ("place", _("不同地点")),
        ("company", _("不同企业")),
        ("facility", _("不同设施")),
        ("type", _("问题类型不同")),
        ("topic", _("细分问题不同")),
    ):
        if kind in match.conflicts:
            out.append(_("%(what)s，相似度已降低") % {"what": label})
    if match.passages:
        out.append(_("文字重合：%(p)s") % {"p": "、".join(f"“{p}”" for p in match.passages)})
    out.append(_("文字相似度 %(t).2f，综合相似度 %(s).2f") % {"t": match.text_score, "s": match.score})
    return tuple(out)


def find_repeats(
    index: RepeatIndex,
    cases: Sequence,
    *,
    docs: Sequence[textsim.Doc] | None = None,
    threshold: float | None = None,
    current_round=None,
) -> dict[str, list[Repeat]]:
    """Possible repeats of each case (by acceptance number), best first: the other cases of the batch and
    the stored cases. ``docs`` are the cases as documents (keys 0…n-1) when the caller has their anchors
    already. A stored case with the same number in ``current_round`` (the batch imported again) is itself,
    not a repeat."""
    from .models import Petition

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if docs is None:
        docs = [index.anchors.doc(i, c.complaint_text, c.region_text, c.type_text) for i, c in enumerate(cases)]
    sigs = textsim.sign_many(docs, SETTINGS)
    stored, stats = textsim.search(index.index, docs, texts=index.texts, signatures=sigs, threshold=threshold)
    within, stats_within = textsim.search_within(docs, SETTINGS, signatures=sigs, threshold=threshold)
    stats.add(stats_within)
    index.stats = stats
    meta = {
        row["pk"]: row
        for row in Petition.objects.filter(pk__in={m.key for ms in stored.values() for m in ms}).values(
            "pk", "acceptance_no", "acceptance_key", "round_id", "round__name"
        )
    }
    towns = {u.code: u.short_name for u in index.anchors.matcher.units.values()}
    found: dict[str, list[Repeat]] = {}
    for i, case in enumerate(cases):
        key = numbers.normalise(case.acceptance_no)
        out = []
        for m in stored.get(i, ()):
            row = meta.get(m.key)
            if row is None:
                continue
            same_round = current_round is None or row["round_id"] == getattr(current_round, "pk", current_round)
            if row["acceptance_key"] == key and same_round:
                continue
            out.append(Repeat(row["acceptance_no"], m.score, m.key, row["round__name"], m.passages, _signals(m, towns)))
        for m in within.get(i, ()):
            other = cases[m.key]
            if numbers.normalise(other.acceptance_no) != key:
                out.append(Repeat(other.acceptance_no, m.score, None, "", m.passages, _signals(m, towns)))
        if out:
            found[case.acceptance_no] = sorted(out, key=lambda r: -r.score)[:MAX_REPEATS]
    return found


# ---------------------------------------------------------------------------------------------------------
# Repeat clusters of stored cases (the hotspots: places and facilities complained about again and again)
# ---------------------------------------------------------------------------------------------------------


@dataclass
class RepeatCluster:
    """Stored cases that repeat one another (connected by matches at the threshold), with what they share."""

    petition_ids: list[int]
    places: list[str] = field(default_factory=list)  # most named first
    facilities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)  # unit codes


def _most_common(docs: Iterable[textsim.Doc], kind: str) -> list[str]:
    counts = Counter(v for d in docs for v in dict.fromkeys(d.anchors.get(kind, ())))
    return [v for v, n in counts.most_common() if n >= 2]


def repeat_clusters(petitions_qs=None, *, threshold: float | None = None) -> list[RepeatCluster]:
    """The stored cases of ``petitions_qs`` (all by default) grouped into repeat clusters, biggest first —
    each with the places, facilities, topics and towns its cases share. Singletons are left out. Works on
    the stored signatures alone (no text is read)."""
    index = RepeatIndex.from_database(queryset=petitions_qs)
    sigs = [index.index.signature(row) for row in range(len(index))]
    docs = [textsim.Doc(key, "", sig.anchors) for key, sig in zip(index.index.keys, sigs, strict=True)]
    matches, index.stats = textsim.search(index.index, docs, signatures=sigs, skip_self=True, threshold=threshold)
    pairs = [(key, m.key) for key, ms in matches.items() for m in ms]
    by_key = {d.key: d for d in docs}
    out = []
    for group in textsim.clusters(pairs):
        members = [by_key[k] for k in group]
        out.append(
            RepeatCluster(
                petition_ids=sorted(group),
                places=_most_common(members, "place"),
                facilities=_most_common(members, "facility") + _most_common(members, "company"),
                topics=_most_common(members, "topic"),
                towns=_most_common(members, "town"),
            )
        )
    return out
