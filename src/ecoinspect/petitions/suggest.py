"""Suggestions for incoming cases — town, lead department, problem types, possible repeats — each with its
reasons. One ``Suggester`` is built per batch (it loads the gazetteer, the 三管三必须 matrix and the repeat
index once) and answers for many cases; it writes nothing.

This is the interface the importer, the ``petitions suggest`` command and the pages use. The rules behind
it: :mod:`.classify` (town, department, problem types — :mod:`.type_rules`) and :mod:`.repeats` (on the
text-similarity engine :mod:`ecoinspect.common.textsim`); docs/petitions/engine.md says how they work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
    def repeat_reasons(self) -> list[str]:
        """One line per possible repeat: its number, where it is from, the similarity and the signals."""
        out = []
        for d in self.duplicates:
            where = d.round or _("本批")
            out.append(
                _("疑似重复件 %(no)s（%(where)s，相似度 %(score).2f）：%(signals)s")
                % {"no": d.acceptance_no, "where": where, "score": d.score, "signals": "；".join(d.signals)}
            )
        return out

    @property
    def reasons(self) -> list[str]:
        return [*self.town_reasons, *self.department_reasons, *self.type_reasons, *self.repeat_reasons]

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
    """Suggestions for a batch of cases, compared with each other and with the stored cases.

    ``exclude_round`` leaves a round's stored cases out of the comparison; ``current_round`` is the round the
    batch belongs to (a stored case with the same number in it is the same case imported again, not a
    repeat); ``threshold`` overrides the repeat threshold (``repeats.DEFAULT_THRESHOLD``)."""

    def __init__(self, *, compare_stored: bool = True, exclude_round=None, current_round=None, threshold=None):
        from ecoinspect.orgs.selectors import active_sector_duties

        from . import classify, repeats

        self.matcher = PlaceMatcher()
        self.classifier = classify.TypeClassifier()
        self.anchors = repeats.CaseAnchors(self.matcher, self.classifier)
        self.duties = active_sector_duties()
        self.current_round = current_round
        self.threshold = threshold
        self.index = (
            repeats.RepeatIndex.from_database(exclude_round=exclude_round, anchors=self.anchors)
            if compare_stored
            else repeats.RepeatIndex(anchors=self.anchors)
        )

    def suggest(self, cases: Sequence[CaseText]) -> list[CaseSuggestion]:
        from ecoinspect.common.textsim import Doc

        from . import classify, repeats

        out, docs = [], []
        for i, case in enumerate(cases):
            s = CaseSuggestion(case.acceptance_no)
            match = classify.place(self.matcher, case, s)
            types = self.classifier.classify(case, s)
            classify.department(case, s, hints=types.duty_hints, duties=self.duties)
            docs.append(Doc(i, case.complaint_text, self.anchors(case.complaint_text, match=match, types=types)))
            out.append(s)
        found = repeats.find_repeats(
            self.index, cases, docs=docs, threshold=self.threshold, current_round=self.current_round
        )
        for s in out:
            s.duplicates = found.get(s.acceptance_no, [])
        return out
