"""Cell parsers that name units (牵头单位, 镇街): full name, short name or code, as people write them.

They are the import's side of the one place that knows the district's units; the district's own name and
its city's (广州市白云区 …) are read from the district unit, never written here.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ecoinspect.common.import_cells import LIST_SEPARATORS, CellProblem, Parser, display, normalise

from .choices import UnitKind
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
        hint_en = f" Did you mean '{close[0]}'?" if close else ""
        if kinds:
            return_message = _("未找到镇街“%(v)s”%(hint)s / No town or subdistrict named '%(v)s'.%(hint_en)s")
        else:
            return_message = _("未找到单位“%(v)s”%(hint)s / No unit named '%(v)s'.%(hint_en)s")
        raise CellProblem(return_message % {"v": shown, "hint": hint, "hint_en": hint_en})

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
