"""Repeat-complaint hotspots (未督先改): the places and facilities complained about again and again, across
every imported round, ranked — the list the district should fix before the next inspection.

How cases are grouped
---------------------
Every case is read for the keys that name *what* is complained about:

* **facility** — a named business or site ending in 公司 / 厂 / 场 / 市场 / 站 / 酒楼 … (``FACILITY_SUFFIXES``),
  normalised: the province, city, district and town prefixes dropped, full-width made half-width, the legal
  form (有限公司, 有限责任公司, 股份有限公司) written as 公司. A name that says only what it is (五金厂,
  养猪场) is not a name: it is kept with the village or community the case names (穗丰村·五金厂), or dropped;
* **address** — a road and house number (广从五路 123 号), and a residential estate (…小区, …花园);
* **place** — only for a case naming neither: the village, community, park, river or landmark of the
  gazetteer it names, with its main problem type (穗丰村 · 大气), so that a village's dust and its
  river's smell stay apart.

Cases that share a facility or an address key — or that were merged as repeats (``duplicate_of``), or that
the repeat engine puts in one cluster (``engine_groups``) — are one hotspot (connected components: a case
naming both a factory and its address joins the two). A hotspot needs at least two cases. It is ranked by
the number of cases, then the number of rounds, then the latest transfer date, and says whether a ledger
problem covers it: ``Petition.problem`` set on any of its cases, or a ledger problem whose 来源编号 is one
of its cases' numbers.

This module reads text in Python (one pass over the cases' ``values()``, no model instances); the grouping
is linear in the number of cases.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.fields import MultiChoiceField

from . import numbers

FACILITY = "facility"
ADDRESS = "address"
PLACE = "place"

#: Longest first, so 批发市场 wins over 市场 and 有限公司 over 公司.
FACILITY_SUFFIXES = tuple(
    sorted(
        (
            "有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团",
            "污水处理厂", "垃圾处理厂", "混凝土搅拌站", "搅拌站", "加油站", "垃圾压缩站", "垃圾中转站", "中转站",
            "养殖场", "养猪场", "养鸡场", "养鸭场", "屠宰场", "洗车场", "停车场", "废品回收站", "回收站",
            "采石场", "石场", "沙场", "砂场", "货场", "堆场", "料场", "工地",
            "批发市场", "农贸市场", "肉菜市场", "菜市场", "市场", "物流园", "工业园", "产业园", "商场",
            "厂房", "工厂", "厂", "作坊", "酒楼", "酒店", "餐厅", "饭店", "食府", "大排档", "烧烤店", "码头", "仓库",
        ),
        key=len,
        reverse=True,
    )
)
_LEGAL_FORMS = (("有限责任公司", "公司"), ("股份有限公司", "公司"), ("有限公司", "公司"))
#: Words that end a name when read backwards from its suffix (the name starts after the last of them).
_BOUNDARIES = (
    "反映", "投诉", "举报", "位于", "地处", "附近", "旁边", "周边", "周围", "一带", "对面", "隔壁", "门口", "后面",
    "前面", "里面", "一家", "这家", "那家", "有个", "地址", "地点", "位置", "门牌", "以及", "还有", "其中", "存在", "导致", "影响", "群众", "居民",
    "的", "在", "被", "是", "该", "旁",
)
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]")
_MAX_NAME = 24
#: Administrative prefixes dropped from names and roads (the district's towns are added at run time).
_ADMIN = re.compile(r"^(?:广东省|广东|广州市|广州|白云区|白云)")
_ROAD = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:大道|大街|路|街|巷))(?:[东南西北中]段)?([0-9]{1,5}|[一二三四五六七八九十百]{1,4})号"
)
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{1,5}?(?:村委会|村|社区|居委会|经济社|工业区)")
_ESTATE = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:小区|花园|苑|公寓|山庄))")
_ESTATE_GENERIC = {"小区", "花园", "公寓", "山庄", "该小区", "本小区", "附近小区", "周边小区", "居民小区"}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


@dataclass(frozen=True)
class Key:
    kind: str
    key: str
    label: str


@dataclass
class Vocabulary:
    """The district's town names (dropped from the front of names) and the gazetteer's places (villages,
    communities, parks, rivers, landmarks) a case may name."""

    towns: tuple[str, ...] = ()
    places: dict[str, str] = field(default_factory=dict)  # name or alias → place name
    _places_re: re.Pattern | None = None

    @classmethod
    def from_database(cls) -> Vocabulary:
        from ecoinspect.orgs.choices import PlaceKind
        from ecoinspect.orgs.models import HOME_DISTRICT, Place, Unit

        towns = set()
        for name, short in Unit.objects.active().towns().values_list("name", "short_name"):
            towns.update({name, short})
        kinds = (PlaceKind.VILLAGE, PlaceKind.COMMUNITY, PlaceKind.PARK, PlaceKind.RIVER, PlaceKind.LANDMARK, PlaceKind.ROAD)
        places = {}
        for place in Place.objects.active().filter(kind__in=kinds, district=HOME_DISTRICT):
            for word in (place.name, *place.alias_list()):
                if len(word) >= 2:
                    places.setdefault(word, place.name)
        return cls(towns=tuple(sorted((t for t in towns if len(t) >= 2), key=len, reverse=True)), places=places)

    def _regex(self) -> re.Pattern | None:
        if self._places_re is None and self.places:
            words = sorted(self.places, key=len, reverse=True)
            self._places_re = re.compile("|".join(re.escape(w) for w in words))
        return self._places_re

    def places_in(self, text: str) -> list[str]:
        """The gazetteer places a text names, in order, each once."""
        regex = self._regex()
        if regex is None:
            return []
        return list(dict.fromkeys(self.places[m.group(0)] for m in regex.finditer(text)))

    def strip_places(self, name: str) -> tuple[str, str]:
        """穗丰村某某五金 → (某某五金, 穗丰村): the places at the front of a name go (all of it, when the name
        is only a place: 南岗村 → ("", 南岗村)); the last one is returned."""
        regex, last = self._regex(), ""
        while True:
            m = regex.match(name) if regex is not None else None
            if m is not None and m.end() > 0:
                name, last = name[m.end() :], self.places[m.group(0)]
                continue
            m = _VILLAGE.match(name)  # a village or community the gazetteer does not know yet
            if m is not None and len(name) - m.end() >= 2:
                name, last = name[m.end() :], m.group(0)
                continue
            return name, last

    def strip_prefixes(self, name: str) -> str:
        """广州市白云区太和镇穗丰村纸箱厂 → 穗丰村纸箱厂: the province, city, district and town go."""
        changed = True
        while changed:
            changed = False
            stripped = _ADMIN.sub("", name)
            for town in self.towns:
                if stripped.startswith(town):
                    stripped = stripped[len(town) :]
                    break
            if stripped != name and len(stripped) >= 2:
                name, changed = stripped, True
        return name


def _name_before(text: str, end: int) -> str:
    """The name that ends at ``end`` (exclusive of the suffix), read backwards to a boundary."""
    start = end
    while start > 0 and end - start < _MAX_NAME and _NAME_CHARS.match(text[start - 1]):
        start -= 1
    window = text[start:end]
    cut = 0
    for word in _BOUNDARIES:
        at = window.rfind(word)
        if at >= 0:
            cut = max(cut, at + len(word))
    return window[cut:]


def _generic(body: str) -> bool:
    """A name that says only what the place is (五金, 纸箱, 某某): nothing that tells one such firm from another."""
    body = body.replace("某", "")
    return len(body) <= 2


def _facility_name(body: str, suffix: str, vocabulary: Vocabulary, places: Sequence[str]) -> str:
    """The key of a facility: its name without the administrative and gazetteer prefixes, in its legal
    form's short spelling; a name that says only what the place is gets the village it is in."""
    body = vocabulary.strip_prefixes(body)
    body, named_place = vocabulary.strip_places(body)
    if (not body and not named_place) or body.isdigit():
        return ""
    name = body + suffix
    for legal, short in _LEGAL_FORMS:
        if name.endswith(legal):
            name = name[: -len(legal)] + short
    if _generic(body):
        place = named_place or (places[0] if places else "")
        return f"{place}·{name.replace('某', '')}" if place else ""
    return name if len(name) >= 3 else ""


def facility_keys(text: str, vocabulary: Vocabulary, places: Sequence[str]) -> list[Key]:
    keys: dict[str, Key] = {}
    for suffix in FACILITY_SUFFIXES:
        start = text.find(suffix)
        while start >= 0:
            end = start + len(suffix)
            longer = any(
                text.startswith(other, start - (len(other) - len(suffix)))
                for other in FACILITY_SUFFIXES
                if len(other) > len(suffix) and other.endswith(suffix)
            )
            if not longer:
                name = _facility_name(_name_before(text, start), suffix, vocabulary, places)
                if name:
                    keys.setdefault(name, Key(FACILITY, name, name))
            start = text.find(suffix, end)
    return list(keys.values())


def address_keys(text: str, vocabulary: Vocabulary) -> list[Key]:
    keys: dict[str, Key] = {}
    for m in _ROAD.finditer(text):
        road = vocabulary.strip_prefixes(_name_before(m.group(1), len(m.group(1))) or m.group(1))
        if len(road) < 2:
            continue
        label = f"{road}{m.group(2)}号"
        keys.setdefault(label, Key(ADDRESS, label, label))
    for m in _ESTATE.finditer(text):
        estate = vocabulary.strip_prefixes(_name_before(m.group(1), len(m.group(1))) or m.group(1))
        if estate in _ESTATE_GENERIC or _generic(re.sub("(小区|花园|苑|公寓|山庄)$", "", estate)):
            continue
        keys.setdefault(estate, Key(ADDRESS, estate, estate))
    return list(keys.values())


def case_keys(text: str, region: str, types: Sequence[str], vocabulary: Vocabulary) -> list[Key]:
    """The keys of one case: its facilities and addresses, or else its places with its main type."""
    text = _clean(f"{region} {text}")
    places = vocabulary.places_in(text)
    specific = facility_keys(text, vocabulary, places) + address_keys(text, vocabulary)
    if specific:
        return specific
    if not places:
        return []
    kind = types[0] if types else ProblemType.OTHER
    label = f"{places[0]} · {ProblemType.label(kind)}"
    return [Key(PLACE, f"{places[0]}|{kind}", label)]


# --- grouping ------------------------------------------------------------------------------------------


class _Components:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


CASE_FIELDS = (
    "pk", "acceptance_no", "acceptance_key", "round_id", "round__name", "received_on", "town_id",
    "town__short_name", "complaint_text", "region_text", "problem_types", "status", "verdict",
    "closure_status", "problem_id", "duplicate_of_id",
)


@dataclass
class Hotspot:
    rank: int
    kind: str
    label: str
    keys: list[str]
    cases: list[dict]
    rounds: list[str]
    latest: dt.date
    town: str
    types: list[str]
    problems: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def covered(self) -> bool:
        return bool(self.problems)


def _label(keys: Counter, kinds: dict[str, str]) -> tuple[str, str]:
    """The hotspot's name: its most named facility, else its address, else its place."""
    for kind in (FACILITY, ADDRESS, PLACE):
        named = [(n, -len(k), k) for k, n in keys.items() if kinds[k] == kind]
        if named:
            return kind, max(named)[2]
    return PLACE, ""


def group(rows: Sequence[dict], vocabulary: Vocabulary, extra_groups: Iterable[Iterable[int]] = ()) -> list[list[int]]:
    """Indexes of ``rows`` grouped into hotspots (each at least two cases); also returns nothing else."""
    index = {row["pk"]: i for i, row in enumerate(rows)}
    components = _Components(len(rows))
    first_with: dict[str, int] = {}
    for i, row in enumerate(rows):
        row["keys"] = case_keys(row["complaint_text"], row["region_text"], row["problem_types"], vocabulary)
        for key in row["keys"]:
            j = first_with.setdefault(key.key, i)
            if j != i:
                components.join(i, j)
        original = row["duplicate_of_id"]
        if original in index:
            components.join(i, index[original])
    for members in extra_groups:
        found = [index[pk] for pk in members if pk in index]
        for j in found[1:]:
            components.join(found[0], j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        clusters[components.find(i)].append(i)
    return [members for members in clusters.values() if len(members) >= 2]


def _problems_for(rows: list[dict], user, by_ref: dict[str, list[dict]], visible: dict[int, dict]) -> list[dict]:
    ids = {r["problem_id"] for r in rows if r["problem_id"]}
    for r in rows:
        for ref in (r["acceptance_no"], r["acceptance_key"]):
            ids.update(p["pk"] for p in by_ref.get(ref, ()))
    return [visible.get(pk, {"pk": pk, "number": "", "visible": False}) for pk in sorted(ids)]


def _petition_problems(user) -> tuple[dict[str, list[dict]], dict[int, dict]]:
    """Ledger problems by 来源编号 (raw and normalised), and the ones the person may open."""
    from ecoinspect.core.permissions import restrict
    from ecoinspect.ledger.public import Problem, ProblemStatus

    by_ref: dict[str, list[dict]] = defaultdict(list)
    for pk, ref in Problem.objects.exclude(source_ref="").values_list("pk", "source_ref"):
        for part in re.split(r"[、,，;；\s]+", ref):
            if part:
                by_ref[part].append({"pk": pk})
                by_ref[numbers.normalise(part)].append({"pk": pk})
    visible = {
        pk: {"pk": pk, "number": number, "status": str(ProblemStatus.label(status)), "colour": ProblemStatus.colour(status), "visible": True}
        for pk, number, status in restrict(Problem.objects.all(), user, "ledger.view").values_list("pk", "number", "status")
    }
    return by_ref, visible


def engine_groups(rows: Sequence[dict]) -> list[list[int]]:
    """The repeat engine's clusters of these cases (lists of case pks), when the engine provides them."""
    from . import repeats

    clusters = getattr(repeats, "repeat_clusters", None)
    if clusters is None:
        return []
    return [list(c) for c in clusters([r["pk"] for r in rows])]


def hotspots(qs: QuerySet, *, user, vocabulary: Vocabulary | None = None) -> list[Hotspot]:
    """The hotspots among the cases of ``qs`` (already restricted; every round), ranked."""
    rows = list(qs.order_by("received_on", "pk").values(*CASE_FIELDS))
    for row in rows:
        row["problem_types"] = MultiChoiceField.decode(row["problem_types"])
    vocabulary = vocabulary or Vocabulary.from_database()
    clusters = group(rows, vocabulary, engine_groups(rows))
    by_ref, visible = _petition_problems(user)
    found = []
    for members in clusters:
        cases = [rows[i] for i in members]
        keys = Counter(k.key for c in cases for k in c["keys"])
        kinds = {k.key: k.kind for c in cases for k in c["keys"]}
        labels = {k.key: k.label for c in cases for k in c["keys"]}
        kind, key = _label(keys, kinds)
        towns = Counter(c["town__short_name"] for c in cases if c["town__short_name"])
        types = Counter(t for c in cases for t in c["problem_types"])
        found.append(
            Hotspot(
                rank=0,
                kind=kind,
                label=labels.get(key, cases[0]["acceptance_no"]),
                keys=[labels[k] for k, _n in keys.most_common()],
                cases=sorted(cases, key=lambda c: (c["received_on"], c["pk"]), reverse=True),
                rounds=list(dict.fromkeys(c["round__name"] for c in sorted(cases, key=lambda c: c["received_on"]))),
                latest=max(c["received_on"] for c in cases),
                town=towns.most_common(1)[0][0] if towns else "",
                types=[str(ProblemType.label(t)) for t, _n in types.most_common() if t in ProblemType],
                problems=_problems_for(cases, user, by_ref, visible),
            )
        )
    found.sort(key=lambda h: (-h.count, -len(h.rounds), -h.latest.toordinal(), h.label))
    for rank, hotspot in enumerate(found, start=1):
        hotspot.rank = rank
    return found
