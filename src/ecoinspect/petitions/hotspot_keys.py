"""What a complaint is about, as keys that another complaint about the same thing shares (see
:mod:`hotspots` for how they group cases).

* **facility** — a named business or site ending in 公司 / 厂 / 场 / 市场 / 站 / 店 / 工地 … (``FACILITY_SUFFIXES``),
  normalised: the province, city, district, town and village in front of it dropped, full-width made
  half-width, the legal form (有限公司, 有限责任公司, 股份有限公司) written 公司. A name that only says what the
  place is (五金厂, 某某养猪场) is kept with its village (穗丰村·五金厂), or dropped when no village is named;
* **address** — a road and house number (广从五路 123 号);
* **place** — only for a case naming neither: the village, community, park or landmark of the gazetteer it
  names, else a residential estate (…小区, …花园), else a river with the case's town — with the case's
  sub-tag or main problem type (穗丰村 · 油烟), so that a village's fumes and its river's smell stay apart.

Facilities and addresses are specific: two cases sharing one are about the same thing. A place is not: it
only groups cases that name nothing more specific, and it never joins a facility's cases to another's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ecoinspect.common.choices import ProblemType

FACILITY = "facility"
ADDRESS = "address"
PLACE = "place"

FACILITY_SUFFIXES = (
    "有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团",
    "污水处理厂", "垃圾处理厂", "混凝土搅拌站", "搅拌站", "加油站", "垃圾压缩站", "垃圾中转站", "中转站",
    "养殖场", "养猪场", "养鸡场", "养鸭场", "屠宰场", "洗车场", "停车场", "废品回收站", "回收站",
    "采石场", "石场", "沙场", "砂场", "货场", "堆场", "料场", "项目工地", "工地",
    "批发市场", "农贸市场", "肉菜市场", "菜市场", "市场", "物流园", "工业园", "产业园", "商场",
    "工厂", "厂", "作坊", "酒楼", "酒店", "餐厅", "饭店", "食府", "大排档", "烧烤店", "店", "码头", "仓库",
)
#: Matched like suffixes so that the 厂 in them is not taken for a facility, but name none.
_NOT_FACILITIES = ("厂房", "厂区", "厂界", "店铺", "商店", "门店", "小店", "店面")
_LEGAL_FORMS = (("有限责任公司", "公司"), ("股份有限公司", "公司"), ("有限公司", "公司"))
#: Words that end a name when read backwards from its suffix (the name starts after the last of them).
_BOUNDARIES = (
    "反映", "投诉", "举报", "位于", "地处", "附近", "旁边", "周边", "周围", "一带", "对面", "隔壁", "门口", "后面",
    "前面", "里面", "一家", "这家", "那家", "有个", "地址", "地点", "位置", "门牌", "以及", "还有", "其中", "存在",
    "导致", "影响", "群众", "居民", "搭建", "占用", "违法", "偷排", "排放", "直排", "经营", "生产", "焚烧", "堆放",
    "倾倒", "开设", "开办", "新建", "开了", "建了", "还在", "仍在", "每天", "夜间", "晚上", "凌晨",
    "的", "在", "被", "是", "该", "旁",
)
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]")
_MAX_NAME = 24
#: The province, dropped from the front of names and roads with the district's own names (广州市白云区, 广州市,
#: 白云区: ``orgs.cells.district_prefixes``) and its towns.
_PROVINCE_WORDS = ("广东省", "广东")
_ROAD = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:大道|大街|路|街|巷))(?:[东南西北中]段)?([0-9]{1,5}|[一二三四五六七八九十百]{1,4})号"
)
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{1,5}?(?:村委会|村|社区|居委会|经济社|工业区)")
_ESTATE = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:小区|花园|苑|公寓|山庄))")
_ESTATE_GENERIC = re.compile(r"^(?:该|本|附近|周边|居民|某+)?(?:小区|花园|苑|公寓|山庄)$")
RIVER = "river"


_current: Vocabulary | None = None
_CACHE_LIMIT = 300_000


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


@dataclass(frozen=True)
class Key:
    kind: str
    key: str
    label: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str
    kind: str


@dataclass
class Vocabulary:
    """The district's town names (dropped from the front of names) and the gazetteer's places — villages,
    communities, parks, landmarks, roads, rivers — a case may name (``places``: word → (name, kind))."""

    towns: tuple[str, ...] = ()
    places: dict[str, tuple[str, str]] = field(default_factory=dict)
    prefixes: tuple[str, ...] = _PROVINCE_WORDS
    _regex: re.Pattern | None = None
    _prefix_re: re.Pattern | None = None
    #: keys already worked out, by (text, region, tag, town): the page is opened again and again
    keys_cache: dict = field(default_factory=dict)

    @classmethod
    def from_database(cls) -> Vocabulary:
        from ecoinspect.orgs.cells import district_prefixes
        from ecoinspect.orgs.choices import PlaceKind
        from ecoinspect.orgs.models import HOME_DISTRICT, Place, Unit

        towns = set()
        for name, short in Unit.objects.active().towns().values_list("name", "short_name"):
            towns.update({name, short})
        kinds = (PlaceKind.VILLAGE, PlaceKind.COMMUNITY, PlaceKind.PARK, PlaceKind.RIVER, PlaceKind.LANDMARK, PlaceKind.ROAD)
        places: dict[str, tuple[str, str]] = {}
        for place in Place.objects.active().filter(kind__in=kinds, district=HOME_DISTRICT).order_by("pk"):
            for word in (place.name, *place.alias_list()):
                if len(word) >= 2:
                    places.setdefault(word, (place.name, place.kind))
        towns = tuple(sorted((t for t in towns if len(t) >= 2), key=len, reverse=True))
        prefixes = (*_PROVINCE_WORDS, *district_prefixes())
        global _current
        if _current is None or (_current.towns, _current.places, _current.prefixes) != (towns, places, prefixes):
            _current = cls(towns=towns, places=places, prefixes=prefixes)  # keys are worked out afresh
        return _current

    @classmethod
    def of(cls, towns: Sequence[str], places: dict[str, str] | None = None, rivers: Sequence[str] = ()) -> Vocabulary:
        """A small vocabulary (tests): town names, villages ``{word: name}`` and rivers."""
        words = {w: (n, "village") for w, n in (places or {}).items()} | {r: (r, RIVER) for r in rivers}
        prefixes = (*_PROVINCE_WORDS, "广州市白云区", "广州市", "白云区")
        return cls(towns=tuple(sorted(towns, key=len, reverse=True)), places=words, prefixes=prefixes)

    def regex(self) -> re.Pattern | None:
        if self._regex is None and self.places:
            self._regex = re.compile("|".join(re.escape(w) for w in sorted(self.places, key=len, reverse=True)))
        return self._regex

    def spans(self, text: str) -> list[Span]:
        """The gazetteer places a text names, where."""
        regex = self.regex()
        if regex is None:
            return []
        return [Span(m.start(), m.end(), *self.places[m.group(0)]) for m in regex.finditer(text)]

    def strip_places(self, name: str) -> tuple[str, str]:
        """穗丰村某某五金 → (某某五金, 穗丰村): the places at the front of a name go (all of it when the name is
        only a place: 南岗村 → ("", 南岗村)); the last one is returned."""
        regex, last = self.regex(), ""
        while True:
            m = regex.match(name) if regex is not None else None
            if m is not None and m.end() > 0:
                name, last = name[m.end() :], self.places[m.group(0)][0]
                continue
            m = _VILLAGE.match(name)  # a village or community the gazetteer does not know yet
            if m is not None and len(name) - m.end() >= 2:
                name, last = name[m.end() :], m.group(0)
                continue
            return name, last

    def strip_prefixes(self, name: str) -> str:
        """广州市白云区太和镇穗丰村纸箱厂 → 穗丰村纸箱厂: the province, city, district and town go."""
        if self._prefix_re is None:
            words = sorted((*self.prefixes, *self.towns), key=len, reverse=True)
            self._prefix_re = re.compile("^(?:" + "|".join(re.escape(w) for w in words) + ")")
        while (m := self._prefix_re.match(name)) is not None and len(name) - m.end() >= 2:
            name = name[m.end() :]
        return name


def _name_before(text: str, end: int) -> str:
    """The name that ends at ``end`` (where its suffix starts), read backwards to a boundary."""
    start = end
    while start > 0 and end - start < _MAX_NAME and _NAME_CHARS.match(text[start - 1]):
        start -= 1
    window = text[start:end]
    cut = 0
    for m in _BOUNDARY_RE.finditer(window):
        cut = m.end()
    return window[cut:]


def _generic(body: str) -> bool:
    """A name that says only what the place is (五金, 纸箱, 某某): nothing tells one such firm from another."""
    return len(body.replace("某", "")) <= 2


_SUFFIX_RE = re.compile("|".join(sorted((*FACILITY_SUFFIXES, *_NOT_FACILITIES), key=len, reverse=True)))
_BOUNDARY_RE = re.compile("|".join(sorted(_BOUNDARIES, key=len, reverse=True)))


def _suffixes(text: str, places: list[Span]) -> list[tuple[int, int, str]]:
    """Where facility suffixes end names, left to right, the longest at each place (厂房 before 厂), never
    inside a place's name (大朗货场社区 is no 货场)."""
    found = []
    for m in _SUFFIX_RE.finditer(text):
        start, end = m.span()
        if m.group(0) in _NOT_FACILITIES or any(s.start < end and start < s.end for s in places):
            continue
        found.append((start, end, m.group(0)))
    return found


def _facility(body: str, suffix: str, vocabulary: Vocabulary, place: str) -> str:
    body = vocabulary.strip_prefixes(body)
    body, named_place = vocabulary.strip_places(body)
    if (not body and not named_place) or body.isdigit():
        return ""
    name = body + suffix
    for legal, short in _LEGAL_FORMS:
        if name.endswith(legal):
            name = name[: -len(legal)] + short
    if _generic(body):
        place = named_place or place
        return f"{place}·{name.replace('某', '')}" if place else ""
    return name if len(name) >= 3 else ""


def facility_keys(text: str, vocabulary: Vocabulary, places: list[Span]) -> list[Key]:
    village = next((s.name for s in places if s.kind != RIVER), "")
    keys: dict[str, Key] = {}
    for start, _end, suffix in _suffixes(text, places):
        name = _facility(_name_before(text, start), suffix, vocabulary, village)
        if name:
            keys.setdefault(name, Key(FACILITY, name, name))
    return list(keys.values())


def address_keys(text: str, vocabulary: Vocabulary) -> list[Key]:
    keys: dict[str, Key] = {}
    for m in _ROAD.finditer(text):
        road = vocabulary.strip_prefixes(_name_before(m.group(1), len(m.group(1))) or m.group(1))
        if len(road) >= 2:
            label = f"{road}{m.group(2)}号"
            keys.setdefault(label, Key(ADDRESS, label, label))
    return list(keys.values())


def _estate(text: str, vocabulary: Vocabulary, places: list[Span]) -> str:
    for m in _ESTATE.finditer(text):
        if any(s.start < m.end() and m.start() < s.end for s in places):
            continue
        estate = vocabulary.strip_prefixes(_name_before(m.group(1), len(m.group(1))) or m.group(1))
        if not _ESTATE_GENERIC.match(estate) and len(estate) > 3:
            return estate
    return ""


def place_key(text: str, vocabulary: Vocabulary, places: list[Span], tag: str, town: str) -> Key | None:
    """The place of a case that names no facility and no address, with what is wrong there."""
    named = next((s.name for s in places if s.kind != RIVER), "") or _estate(text, vocabulary, places)
    if not named:
        river = next((s.name for s in places if s.kind == RIVER), "")
        if not river:
            return None
        named = f"{river}（{town}）" if town else river
    return Key(PLACE, f"{named}|{tag}", f"{named} · {tag}")


def case_keys(
    text: str, region: str = "", *, tag: str = "", town: str = "", vocabulary: Vocabulary
) -> list[Key]:
    """The keys of one case: its facilities and addresses, or else its place with ``tag`` (its sub-tag or
    main problem type) — ``town`` names the stretch of a river. Remembered by the vocabulary."""
    cache = vocabulary.keys_cache
    found = cache.get((text, region, tag, town))
    if found is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        found = cache[(text, region, tag, town)] = _case_keys(text, region, tag, town, vocabulary)
    return found


def _case_keys(text: str, region: str, tag: str, town: str, vocabulary: Vocabulary) -> list[Key]:
    text = clean(f"{region} {text}")
    places = vocabulary.spans(text)
    specific = facility_keys(text, vocabulary, places) + address_keys(text, vocabulary)
    if specific:
        return specific
    key = place_key(text, vocabulary, places, tag or ProblemType.text(ProblemType.OTHER), town)
    return [key] if key else []


def case_tag(sub_tags: Sequence[str], problem_types: Sequence[str]) -> str:
    """What is wrong at a place: the first sub-tag (油烟, 黑臭水体), else the main type's name."""
    if sub_tags:
        return str(sub_tags[0])
    return ProblemType.text(problem_types[0] if problem_types else ProblemType.OTHER)
