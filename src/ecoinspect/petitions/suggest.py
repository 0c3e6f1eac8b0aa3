"""Suggestions for incoming cases — town, lead department, problem types, possible repeats — each with its
reasons. One ``Suggester`` is built per batch (it loads the gazetteer, the 三管三必须 matrix and the repeat
index once) and answers for many cases; it writes nothing.

This is the interface the importer, the ``petitions suggest`` command and the pages use. The repeat search
and the type classifier behind it live in their own modules (see ``Suggester.__init__``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ecoinspect.orgs.gazetteer import PlaceMatcher
from ecoinspect.orgs.models import Unit


@dataclass(frozen=True)
class CaseText:
    """What the engine reads of a case (a row of a batch, or a stored case)."""

    acceptance_no: str
    complaint_text: str
    region_text: str = ""
    type_text: str = ""


@dataclass(frozen=True)
class Repeat:
    """A possible repeat: another case of this batch (``petition_id`` None) or a stored one."""

    acceptance_no: str
    score: float
    petition_id: int | None = None
    round: str = ""
    matched: tuple[str, ...] = ()  # the shared passages, for highlighting
    signals: tuple[str, ...] = ()  # same facility, same address …


@dataclass
class CaseSuggestion:
    acceptance_no: str
    town: Unit | None = None
    town_status: str = "none"  # matched / outside / ambiguous / none (orgs.gazetteer.Status)
    town_candidates: list[Unit] = field(default_factory=list)
    town_reasons: list[str] = field(default_factory=list)
    department: Unit | None = None
    department_tied: list[Unit] = field(default_factory=list)
    department_reasons: list[str] = field(default_factory=list)
    problem_types: list[str] = field(default_factory=list)
    sub_tags: list[str] = field(default_factory=list)
    type_reasons: list[str] = field(default_factory=list)
    duplicates: list[Repeat] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [*self.town_reasons, *self.department_reasons, *self.type_reasons] + [
            r for d in self.duplicates for r in d.signals
        ]

    def as_json(self) -> dict:
        """The line ``ecoinspect petitions suggest`` prints (an exact contract: other tools read it)."""
        return {
            "acceptance_no": self.acceptance_no,
            "town": self.town.name if self.town else None,
            "department": self.department.name if self.department else None,
            "problem_types": list(self.problem_types),
            "sub_tags": list(self.sub_tags),
            "duplicates": [{"acceptance_no": d.acceptance_no, "score": round(d.score, 3)} for d in self.duplicates],
            "reasons": [str(r) for r in self.reasons],
        }


class Suggester:
    """Suggestions for a batch of cases, compared with each other and with the stored cases."""

    def __init__(self, *, compare_stored: bool = True, exclude_round=None):
        from . import classify, repeats

        self.matcher = PlaceMatcher()
        self.classifier = classify.TypeClassifier()
        self.index = repeats.RepeatIndex.from_database(exclude_round=exclude_round) if compare_stored else repeats.RepeatIndex()

    def suggest(self, cases: Sequence[CaseText]) -> list[CaseSuggestion]:
        from . import classify, repeats

        found = repeats.find_repeats(self.index, cases)
        out = []
        for case in cases:
            s = CaseSuggestion(case.acceptance_no)
            classify.place(self.matcher, case, s)
            self.classifier.classify(case, s)
            classify.department(case, s)
            s.duplicates = found.get(case.acceptance_no, [])
            out.append(s)
        return out
