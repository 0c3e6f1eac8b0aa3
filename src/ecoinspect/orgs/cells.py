"""Cell parsers that name units (牵头单位, 镇街): full name, short name or code, as people write them.

They are the import's side of the one place that knows the district's units; the district's own name and
its city's (广州市白云区 …) are read from the district unit, never written here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ecoinspect.common.import_cells import LIST_SEPARATORS, CellProblem, Noted, Parser, display, normalise

from .choices import TOWN_KINDS, UnitKind
from .models import Unit

_UNIT_SUFFIXES = ("街道办事处", "街道", "镇人民政府", "镇")


def district_prefixes() -> tuple[str, ...]:
    """How addresses and unit names may start before naming a unit: 广州市白云区, 广州市, 白云区 — the
    district unit's full and short name and, when the full name is the city plus the short name, the city."""
    prefixes: list[str] = []
    for district in Unit.objects.filter(kind=UnitKind.DISTRICT, is_active=True):
        names = [n for n in (district.name, district.short_name) if n]
        if district.short_name and district.name.endswith(district.short_name) and district.name != district.short_name:
            names.append(district.name.removesuffix(district.short_name))
        prefixes += names
    return tuple(sorted(set(prefixes), key=len, reverse=True))


@dataclass(frozen=True)
class UnitLookup:
    by_name: dict[str, object]
    names: list[str]
    prefixes: tuple[str, ...]


def _unit_lookup(kinds) -> UnitLookup:
    prefixes = district_prefixes()
    units = Unit.objects.filter(is_active=True)
    if kinds:
        units = units.filter(kind__in=kinds)
    by_name: dict[str, object] = {}
    ambiguous: set[str] = set()
    names = []
    for unit in units:
        names.append(unit.short_name or unit.name)
        keys = {unit.name, unit.short_name, unit.code}
        for prefix in prefixes:
            keys |= {k.removeprefix(prefix) for k in list(keys) if k}
        for suffix in _UNIT_SUFFIXES:
            keys |= {k.removesuffix(suffix) for k in list(keys) if k and len(k) > len(suffix) + 1}
        for key in keys:
            key = normalise(key).lower()
            if not key:
                continue
            if key in by_name and by_name[key] != unit:
                ambiguous.add(key)
            by_name.setdefault(key, unit)
    for key in ambiguous:
        by_name.pop(key, None)
    return UnitLookup(by_name, names, prefixes)


def unit_names(kinds=None) -> list[str]:
    """Short names of the active units (the template's dropdown)."""
    return _unit_lookup(kinds).names


def unit(kinds=None) -> Parser:
    """An active unit by full name, short name or code (白云区水务局, 区水务局, swj); ``kinds`` restricts."""
    key = f"unit:{','.join(kinds or ())}"

    def parse(value, cache):
        lookup = cache.get(key)
        if lookup is None:
            lookup = cache[key] = _unit_lookup(kinds)
        shown = display(value)
        name = normalise(shown).lower()
        found = lookup.by_name.get(name)
        for prefix in lookup.prefixes:  # 广州市白云区太和镇 → 太和镇
            if found is None and name.startswith(prefix):
                name = name.removeprefix(prefix)
                found = lookup.by_name.get(name)
        if found is not None:
            return found
        close = difflib.get_close_matches(normalise(shown), lookup.names, n=1, cutoff=0.5)
        hint = _("，是否是“%(c)s”？") % {"c": close[0]} if close else "。"
        message = _("未找到镇街“%(v)s”%(hint)s") if kinds else _("未找到单位“%(v)s”%(hint)s")
        raise CellProblem(message % {"v": shown, "hint": hint})

    return parse


def units(kinds=None) -> Parser:
    """Several units in one cell, separated by 、 , ； or /."""
    single = unit(kinds)

    def parse(value, cache):
        found = []
        for part in LIST_SEPARATORS.split(display(value)):
            if part.strip():
                u = single(part.strip(), cache)
                if u not in found:
                    found.append(u)
        return found

    return parse


# --- 行政区域 as published ----------------------------------------------------------------------------

_BRACKETED = re.compile(r"[（(]([^()（）]*)[)）]")


@dataclass(frozen=True)
class Region:
    """行政区域 as published: the raw text, the town it names (None when it names the district itself or
    no town) and the place given in brackets (广州市白云区(和龙水库上游) → locality 和龙水库上游)."""

    raw: str
    town: object = None
    locality: str = ""

    def __str__(self) -> str:
        return self.raw


def _strip_district(name: str, prefixes) -> str:
    changed = True
    while changed and name:
        changed = False
        for prefix in prefixes:
            if prefix and name.startswith(prefix):
                name, changed = name.removeprefix(prefix), True
    return name


def parse_region(value, cache) -> Noted:
    """A published 行政区域 → :class:`Region` (noted). The district itself (广州市白云区, 白云区) means
    "no town given": the town stays empty (the import may propose one from the text, by the one matcher).
    Bracketed places are kept as the locality; 三元里街 is 三元里街道; a name that is no town is looked up
    in the text by :func:`~ecoinspect.orgs.selectors.town_from_address`. Refuses only a place outside
    the district that names no town."""
    from .selectors import TownMatcher, town_from_address

    lookup = cache.get("unit:town-region")
    if lookup is None:
        lookup = cache["unit:town-region"] = _unit_lookup(TOWN_KINDS)
    shown = display(value)
    text = normalise(shown).replace(" ", "")
    locality = "、".join(part.strip() for part in _BRACKETED.findall(text) if part.strip())
    base = _BRACKETED.sub("", text)
    notes = []
    if locality:
        notes.append(_("括号内的“%(p)s”记为具体地点。") % {"p": locality})
    name = _strip_district(base.lower(), lookup.prefixes)
    if not name:
        notes.append(_("“%(v)s”是全区，不是某个镇街：所在镇街留空（可按问题内容识别）。") % {"v": base or shown})
        return Noted(Region(shown, None, locality), *notes)
    found = lookup.by_name.get(name)
    if found is None and name.endswith("街"):  # 三元里街 → 三元里街道
        found = lookup.by_name.get(name + "道") or lookup.by_name.get(name.removesuffix("街"))
        if found is not None:
            notes.append(_("“%(v)s”按“%(u)s”计。") % {"v": base, "u": found})
    if found is None:
        matcher = cache.get("town-matcher")
        if matcher is None:
            matcher = cache["town-matcher"] = TownMatcher()
        found = town_from_address(text=base, matcher=matcher)
        if found is not None:
            notes.append(_("按地名识别为“%(u)s”。") % {"u": found})
    if found is None:
        raise CellProblem(
            _("“%(v)s”不是本区的镇街，也没有写明镇街。") % {"v": shown}
        )
    return Noted(Region(shown, found, locality), *notes)


def region() -> Parser:
    return parse_region


def town() -> Parser:
    """A town or subdistrict as :func:`parse_region` reads it (the district itself → blank, with a note;
    a bracketed place is noted and left out): the ledger template's 所在镇街 / 行政区域."""

    def parse(value, cache):
        result = parse_region(value, cache)
        notes = list(result.notes)
        if result.value.locality:
            notes[0] = _("括号内的“%(p)s”未导入，请写在问题地点列。") % {"p": result.value.locality}
        return Noted(result.value.town, *notes)

    return parse
