"""The gazetteer: places that are really ours, our neighbours' names, and the one place matcher.

* :func:`load_gazetteer` reads the shipped package data (``orgs/data/places.csv`` — villages, communities,
  former town names, rivers, landmarks, each with its source — and the statistical division codes of
  Baiyun's and its neighbours' towns and subdistricts, ``orgs/data/divisions_*.csv``) or a file in either
  format; idempotent, by code.
* :class:`PlaceMatcher` / :func:`place_match` read an address *and* a complaint's text and answer which
  town it is in, "not in the district", "ambiguous" or nothing — always with the words that decided it.

Sources and coverage: ``orgs/data/SOURCES.md`` and docs/places.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import PlaceKind, UnitKind
from .models import HOME_DISTRICT, Place, Unit
from .structure import SUBDISTRICTS, TOWNS

HOME_AREA_CODE = "440111"
NBS_SOURCE = "国家统计局《统计用区划代码和城乡划分代码》2023年版，代码 %(code)s（见 orgs/data/SOURCES.md）"
#: Neighbouring districts whose bare name (without 区) is too common a word to mean the district.
_NO_BARE_DISTRICT = {"南海区", "三水区", "白云区"}


# ---------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------


def _data_text(name: str) -> str:
    return resources.files("ecoinspect.orgs").joinpath("data", name).read_text(encoding="utf-8")


def _town_code_by_name() -> dict[str, str]:
    names = {}
    for code, name in SUBDISTRICTS:
        names[f"{name}街道"] = code
    for code, name in TOWNS:
        names[f"{name}镇"] = code
    return names


def _rows_from_divisions(rows: list[dict], areas: dict[str, str]) -> list[dict]:
    """Statistical-code rows (code,name,areaCode,…) as gazetteer rows: Baiyun's towns are ours, every
    other area's towns and subdistricts are a neighbour's."""
    towns = _town_code_by_name()
    out = []
    for row in rows:
        code, name, area = row["code"].strip(), row["name"].strip(), (row.get("areaCode") or "").strip()
        if not code or not name:
            continue
        ours = area == HOME_AREA_CODE
        out.append(
            {
                "code": f"nbs-{code}",
                "name": name,
                "kind": PlaceKind.TOWN if ours else PlaceKind.NEIGHBOUR_PLACE,
                "town_codes": towns.get(name, "") if ours else "",
                "district": HOME_DISTRICT if ours else areas.get(area, area),
                "aliases": "",
                "source": NBS_SOURCE % {"code": code},
                "note": "",
            }
        )
    return out


def _rows_from_areas(areas_csv: str) -> tuple[list[dict], dict[str, str]]:
    rows, names = [], {}
    for row in csv.DictReader(io.StringIO(areas_csv)):
        code, name = row["code"].strip(), row["name"].strip()
        names[code] = name
        bare = name[:-1] if name.endswith("区") and name not in _NO_BARE_DISTRICT else ""
        rows.append(
            {
                "code": f"nbs-{code}",
                "name": name,
                "kind": PlaceKind.DISTRICT,
                "town_codes": "",
                "district": name,
                "aliases": bare if len(bare) >= 2 else "",
                "source": NBS_SOURCE % {"code": code},
                "note": "",
            }
        )
    return rows, names


def gazetteer_rows(path: str | Path | None = None) -> list[dict]:
    """The rows to load: the shipped package data, or one file — the gazetteer format (code,name,kind,…) or
    the statistical-code table format (code,name,areaCode,…, like streets_guangdong.csv)."""
    area_rows, areas = _rows_from_areas(_data_text("divisions_areas.csv"))
    if path is None:
        streets = list(csv.DictReader(io.StringIO(_data_text("divisions_streets.csv"))))
        places = list(csv.DictReader(io.StringIO(_data_text("places.csv"))))
        return area_rows + _rows_from_divisions(streets, areas) + places
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        return []
    if "kind" in rows[0]:
        return rows
    if "areaCode" in rows[0]:
        return _rows_from_divisions(rows, areas)
    if "cityCode" in rows[0]:
        return _rows_from_areas(text)[0]
    raise ValueError(_("无法识别的地名表格式：需要 code,name,kind… 或 code,name,areaCode… 列。"))


FIELDS = ("name", "kind", "town_codes", "district", "aliases", "source", "note")


def load_gazetteer(path: str | Path | None = None, *, update: bool = False) -> tuple[int, int]:
    """Create the entries that are missing (by code); with ``update`` also rewrite existing ones from the
    file (an entry edited on the places page is otherwise left as edited). Returns (created, updated)."""
    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append

    created = updated = 0
    rows = gazetteer_rows(path)
    with transaction.atomic(), acting_as(None):
        existing = {p.code: p for p in Place.objects.all()}
        for row in rows:
            values = {f: (row.get(f) or "").strip() for f in FIELDS}
            values["district"] = values["district"] or HOME_DISTRICT
            if values["kind"] not in PlaceKind:
                raise ValueError(
                    _("地名“%(n)s”的类别“%(k)s”无效。") % {"n": values["name"], "k": values["kind"]}
                )
            place = existing.get(row["code"].strip())
            if place is None:
                place = Place.objects.create(code=row["code"].strip(), **values)
                existing[place.code] = place
                created += 1
            elif update and any(getattr(place, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(place, f, v)
                place.save()
                updated += 1
        if created or updated:
            action_log_append(
                action="orgs.gazetteer.loaded", payload={"created": created, "updated": updated}
            )
    return created, updated


# ---------------------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------------------

#: How much a kind of word says about where a place is: a specific place (village, community, park, road,
#: river, landmark) beats a town's name written with its 街道/镇 (or a former town's name), which beats a
#: town's bare name (a road's or a village's namesake), which beats a district's name.
RANK_PLACE, RANK_TOWN, RANK_BARE, RANK_DISTRICT = 4, 3, 2, 1
_RANK_BY_KIND = {
    PlaceKind.TOWN: RANK_TOWN,
    PlaceKind.FORMER_TOWN: RANK_TOWN,
    PlaceKind.DISTRICT: RANK_DISTRICT,
    PlaceKind.NEIGHBOUR_PLACE: RANK_TOWN,
}
_SUFFIXES = ("街道", "镇")


class Status:
    MATCHED = "matched"
    OUTSIDE = "outside"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class _Entry:
    label: str  # the entry's name
    kind: str
    rank: int
    towns: frozenset  # unit codes
    district: str
    source: str

    @property
    def home(self) -> bool:
        return self.district == HOME_DISTRICT


@dataclass(frozen=True)
class Hit:
    word: str
    where: str  # "address" | "text"
    entry: _Entry


@dataclass
class PlaceMatch:
    """The answer of :func:`place_match`: the town (when ``status`` is matched), the candidates (for
    ambiguous), the district found (for outside) and the reasons — which words matched which entry."""

    status: str = Status.NONE
    town: Unit | None = None
    candidates: list[Unit] = field(default_factory=list)
    district: str = ""
    reasons: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)

    @property
    def is_outside(self) -> bool:
        return self.status == Status.OUTSIDE


def _where_label(where: str) -> str:
    return _("地址") if where == "address" else _("问题描述")


class PlaceMatcher:
    """The district's one place matcher, with the gazetteer and the towns loaded once (an import matches
    thousands of rows with one matcher). See docs/places.md for the rules."""

    def __init__(self):
        self.units = {u.code: u for u in Unit.objects.active().towns()}
        terms: dict[str, _Entry] = {}

        def put(term: str, entry: _Entry):
            term = term.strip()
            if len(term) < 2:
                return
            old = terms.get(term)
            if old is None or entry.rank > old.rank:
                terms[term] = entry
            elif entry.rank == old.rank and entry.district == old.district and not entry.towns <= old.towns:
                # The same name in two towns (新庄社区 in 同和 and in 石井): the word names both, so that
                # alone it is ambiguous — never the first one loaded.
                terms[term] = _Entry(
                    old.label,
                    old.kind,
                    old.rank,
                    old.towns | entry.towns,
                    old.district,
                    old.source if entry.source in old.source else f"{old.source}；{entry.source}",
                )

        for place in Place.objects.active():
            rank = _RANK_BY_KIND.get(place.kind, RANK_PLACE)
            towns = frozenset(c for c in place.town_code_list())
            entry = _Entry(place.name, place.kind, rank, towns, place.district, place.source)
            for word in [place.name, *place.alias_list()]:
                put(word, entry)
            if place.kind == PlaceKind.TOWN and place.in_district:
                for suffix in _SUFFIXES:
                    if place.name.endswith(suffix):
                        bare = place.name[: -len(suffix)]
                        put(
                            bare,
                            _Entry(place.name, place.kind, RANK_BARE, towns, place.district, place.source),
                        )
        district = {"district": settings.ECOINSPECT_DISTRICT_NAME}
        source = _("%(district)s镇街（单位表）") % district
        for unit in self.units.values():
            named = _Entry(
                unit.short_name, UnitKind.TOWN, RANK_TOWN, frozenset([unit.code]), HOME_DISTRICT, source
            )
            for word in (unit.name, unit.short_name):
                if word not in terms:
                    put(word, named)
            for suffix in _SUFFIXES:
                if unit.short_name.endswith(suffix):
                    bare = unit.short_name[: -len(suffix)]
                    if bare not in terms:
                        put(
                            bare,
                            _Entry(
                                unit.short_name, UnitKind.TOWN, RANK_BARE, named.towns, HOME_DISTRICT, source
                            ),
                        )
        # Longest first: 白云湖 before 白云, 新市涌 before 新市, 钟落潭村 before 钟落潭.
        self._terms = sorted(terms.items(), key=lambda kv: -len(kv[0]))

    # -- scanning ----------------------------------------------------------------------------------------
    def hits(self, text: str, where: str) -> list[Hit]:
        if not text:
            return []
        taken: list[tuple[int, int]] = []
        found = []
        for term, entry in self._terms:
            start = text.find(term)
            while start >= 0:
                end = start + len(term)
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
                    found.append((start, Hit(term, where, entry)))
                start = text.find(term, start + 1)
        return [h for _s, h in sorted(found, key=lambda x: x[0])]

    # -- deciding ----------------------------------------------------------------------------------------
    def _explain(self, hit: Hit) -> str:
        e = hit.entry
        towns = "、".join(str(self.units[c]) for c in sorted(e.towns) if c in self.units)
        district = {"district": settings.ECOINSPECT_DISTRICT_NAME}
        if e.kind == UnitKind.TOWN or (e.kind == PlaceKind.TOWN and e.home):
            belongs = _("%(district)s镇街") % district
        elif not e.home:
            belongs = _("属%(d)s，不在%(district)s") % {"d": e.district, **district}
        elif towns:
            belongs = _("属%(t)s") % {"t": towns}
        else:
            belongs = _("在%(district)s，未对应到单一镇街") % district
        return _("%(where)s中“%(word)s”：%(kind)s“%(name)s”，%(belongs)s（来源：%(src)s）") % {
            "where": _where_label(hit.where),
            "word": hit.word,
            "kind": PlaceKind.label(e.kind) if e.kind in PlaceKind else UnitKind.label(e.kind),
            "name": e.label,
            "belongs": belongs,
            "src": e.source,
        }

    def _decide(self, hits: list[Hit]) -> PlaceMatch:
        result = PlaceMatch(hits=hits)
        if not hits:
            return result
        home = [h for h in hits if h.entry.home]
        away = [h for h in hits if not h.entry.home]
        home_rank = max((h.entry.rank for h in home), default=0)
        away_rank = max((h.entry.rank for h in away), default=0)
        if away and away_rank > home_rank:
            best = [h for h in away if h.entry.rank == away_rank]
            result.status = Status.OUTSIDE
            result.district = best[0].entry.district
            result.reasons = [self._explain(h) for h in best]
            result.reasons.append(
                _("判断：不在%(district)s（%(d)s）")
                % {"d": result.district, "district": settings.ECOINSPECT_DISTRICT_NAME}
            )
            return result
        town_hits = [h for h in home if h.entry.towns & self.units.keys()]
        candidates: set[str] = set()
        deciding: list[Hit] = []
        contradicted = False
        for rank in sorted({h.entry.rank for h in town_hits}, reverse=True):
            at_rank = [h for h in town_hits if h.entry.rank == rank]
            sets = [h.entry.towns & self.units.keys() for h in at_rank]
            if not candidates:
                common = set.intersection(*map(set, sets))
                candidates = set(common) if common else set().union(*sets)
                deciding = at_rank
                continue
            named = set().union(*sets)
            narrowed = candidates & named
            if narrowed and narrowed != candidates:
                candidates = narrowed
                deciding = deciding + [h for h in at_rank if h.entry.towns & narrowed]
            elif not narrowed and rank == RANK_TOWN:
                # A town written out (…街道, …镇) that the more specific place contradicts — an old address
                # (太和镇大源村: 大源村 is 大源街道's since 2020) or a namesake the gazetteer does not know (a
                # 田心村 of 同德 beside 太和镇's 田心村): say so instead of choosing.
                candidates |= named
                deciding = deciding + at_rank
                contradicted = True
                break
        if away and away_rank == home_rank:
            result.status = Status.AMBIGUOUS
            result.district = away[0].entry.district
            result.candidates = [self.units[c] for c in sorted(candidates)]
            result.reasons = [self._explain(h) for h in hits if h.entry.rank == home_rank]
            result.reasons.append(
                _("判断：区内、区外地名并存，无法确定是否在%(district)s")
                % {"district": settings.ECOINSPECT_DISTRICT_NAME}
            )
            return result
        if not candidates:
            result.reasons = [self._explain(h) for h in home if h.entry.rank == home_rank]
            return result
        result.candidates = sorted((self.units[c] for c in candidates), key=lambda u: u.sort_order)
        result.reasons = [self._explain(h) for h in deciding]
        if len(candidates) == 1:
            result.status = Status.MATCHED
            result.town = result.candidates[0]
        else:
            result.status = Status.AMBIGUOUS
            towns = "、".join(str(u) for u in result.candidates)
            if contradicted:
                result.reasons.append(
                    _("判断：地名所属镇街与写明的镇街不一致（%(towns)s），请人工确定") % {"towns": towns}
                )
            else:
                result.reasons.append(_("判断：%(towns)s 并列，请人工确定") % {"towns": towns})
        return result

    def match_place(self, *, address: str = "", text: str = "") -> PlaceMatch:
        first = self._decide(self.hits(address or "", "address"))
        if first.status in (Status.MATCHED, Status.OUTSIDE):
            return first
        both = self._decide(first.hits + self.hits(text or "", "text"))
        if (
            first.status == Status.AMBIGUOUS
            and both.status == Status.MATCHED
            and both.town not in first.candidates
        ):
            return first
        if first.status == Status.AMBIGUOUS and both.status in (Status.NONE, Status.OUTSIDE):
            return first
        return both

    def match(self, text: str) -> Unit | None:
        """The town named in one string, or None (outside, ambiguous or nothing found)."""
        return self.match_place(address=text).town


def place_match(*, address: str = "", text: str = "", matcher: PlaceMatcher | None = None) -> PlaceMatch:
    """Which town an address and a complaint's text place a problem in — or that it is not in the district,
    or that two towns tie — with the reasons (see :class:`PlaceMatcher`)."""
    return (matcher or PlaceMatcher()).match_place(address=address, text=text)
