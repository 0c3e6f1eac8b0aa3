"""Repeat-complaint hotspots (未督先改): the places and facilities complained about again and again, across
every imported round, ranked — the list the district should fix before the next inspection.

Every case is read for what it is about (:mod:`hotspot_keys`: its facilities, its road-and-number
addresses, or else its place with what is wrong there). Cases that share a key — or that were merged as
repeats (``duplicate_of``), or that the repeat engine found to repeat one another when they came in (the
stored 疑似重复件 suggestions not dismissed, :func:`engine_links`) — are one hotspot (connected components: a
case naming both a factory and its address joins the two). A hotspot needs at least two cases. It is ranked
by the number of cases, then the number of rounds, then the latest transfer date, and says whether a ledger
problem covers it: ``Petition.problem`` set on any of its cases, or a ledger problem whose 来源编号 is one of
its cases' numbers.

The text is read in Python, one pass over the cases' ``values()`` (no model instances); the grouping is
linear in the number of cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.fields import MultiChoiceField

from . import numbers
from .hotspot_keys import ADDRESS, FACILITY, PLACE, Key, Vocabulary, case_keys, case_tag

__all__ = ["ADDRESS", "FACILITY", "PLACE", "REPEAT", "Hotspot", "Key", "Vocabulary", "case_keys", "group", "hotspots"]

#: a hotspot whose cases share no key: the same complaint, merged as a repeat or found by the repeat engine
REPEAT = "repeat"


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
    "town__short_name", "complaint_text", "region_text", "problem_types", "sub_tags", "status", "verdict",
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
        row["keys"] = case_keys(
            row["complaint_text"],
            row["region_text"],
            tag=case_tag(row["sub_tags"] or (), row["problem_types"]),
            town=row["town__short_name"] or "",
            vocabulary=vocabulary,
        )
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
        pk: {"pk": pk, "number": number, "status": ProblemStatus.text(status), "colour": ProblemStatus.colour(status), "visible": True}
        for pk, number, status in restrict(Problem.objects.all(), user, "ledger.view").values_list("pk", "number", "status")
    }
    return by_ref, visible


def engine_links(qs: QuerySet) -> list[tuple[int, int]]:
    """The repeats the engine found when the cases came in: each stored 疑似重复件 suggestion names the
    earlier case it matched (``value["petition"]``). One the coordinator dismissed (不采纳) is no link.

    The engine's own clustering of everything stored (``repeats.repeat_clusters``) is not run here: it
    compares every case again and takes about 27 s for 21,600 cases (benchmarks/petitions_figures_bench.py)
    — too slow for a page; what it found at import is the same judgement, kept."""
    from .choices import SuggestionDecision, SuggestionKind
    from .models import Suggestion

    rows = (
        Suggestion.objects.filter(kind=SuggestionKind.DUPLICATE, petition__in=qs.order_by().values("pk"))
        .exclude(decision=SuggestionDecision.DISMISSED)
        .values_list("petition_id", "value")
    )
    return [(pk, value["petition"]) for pk, value in rows if isinstance(value, dict) and value.get("petition")]


def _excerpt(text: str, length: int = 24) -> str:
    text = " ".join(text.removeprefix("【演示】").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _hotspot(cases: list[dict], problems: list[dict]) -> Hotspot:
    keys = Counter(k.key for c in cases for k in c["keys"])
    kinds = {k.key: k.kind for c in cases for k in c["keys"]}
    labels = {k.key: k.label for c in cases for k in c["keys"]}
    kind, key = _label(keys, kinds)
    if not key:  # grouped only as the same complaint (merged, or found by the engine): named by what it says
        kind = REPEAT
        label = _excerpt(min(cases, key=lambda c: (c["received_on"], c["pk"]))["complaint_text"])
    else:
        label = labels[key]
    towns = Counter(c["town__short_name"] for c in cases if c["town__short_name"])
    types = Counter(t for c in cases for t in c["problem_types"])
    chronological = sorted(cases, key=lambda c: (c["received_on"], c["pk"]))
    return Hotspot(
        rank=0,
        kind=kind,
        label=label,
        keys=[labels[k] for k, _n in keys.most_common()],
        cases=chronological[::-1],
        rounds=list(dict.fromkeys(c["round__name"] for c in chronological)),
        latest=chronological[-1]["received_on"],
        town=towns.most_common(1)[0][0] if towns else "",
        types=[ProblemType.text(t) for t, _n in types.most_common() if t in ProblemType],
        problems=problems,
    )


def hotspots(qs: QuerySet, *, user, vocabulary: Vocabulary | None = None) -> list[Hotspot]:
    """The hotspots among the cases of ``qs`` (already restricted; every round), ranked."""
    rows = list(qs.order_by("received_on", "pk").values(*CASE_FIELDS))
    for row in rows:
        row["problem_types"] = MultiChoiceField.decode(row["problem_types"])
    vocabulary = vocabulary or Vocabulary.from_database()
    clusters = group(rows, vocabulary, engine_links(qs))
    by_ref, visible = _petition_problems(user)
    found = []
    for members in clusters:
        cases = [rows[i] for i in members]
        found.append(_hotspot(cases, _problems_for(cases, user, by_ref, visible)))
    found.sort(key=lambda h: (-h.count, -len(h.rounds), -h.latest.toordinal(), h.label))
    for rank, hotspot in enumerate(found, start=1):
        hotspot.rank = rank
    return found
