"""Town, lead department and problem types of a case, each with its reasons (first version: the
published label and a few keywords; see docs/petitions.md for the rules)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.import_cells import CellProblem, published_types, unwrap
from ecoinspect.orgs.gazetteer import PlaceMatcher, Status
from ecoinspect.orgs.selectors import sector_duty_match

_PUBLISHED = published_types(ProblemType)


def place(matcher: PlaceMatcher, case, s) -> None:
    match = matcher.match_place(address=case.region_text, text=case.complaint_text)
    s.town_status = match.status
    s.town = match.town if match.status == Status.MATCHED else None
    s.town_candidates = list(match.candidates)
    if match.status == Status.AMBIGUOUS:
        names = "、".join(str(u) for u in match.candidates)
        s.town_reasons = [_("多个镇街都有可能：%(names)s，请人工确认。") % {"names": names}]
    elif match.status == Status.NONE:
        s.town_reasons = [_("行政区域和问题描述中未找到本区的地名，请人工确认。")]
    else:
        s.town_reasons = list(match.reasons)


def department(case, s) -> None:
    matches = sector_duty_match(text=case.complaint_text, problem_types=s.problem_types)
    if not matches:
        return
    top = matches[0]
    s.department = top.duty.department
    s.department_reasons = [top.reason]
    if top.tied:
        s.department_tied = [m.duty.department for m in matches if m.tied]


class TypeClassifier:
    def classify(self, case, s) -> None:
        if case.type_text:
            try:
                values, notes = unwrap(_PUBLISHED(case.type_text, {}))
            except CellProblem as problem:
                s.type_reasons.append(str(problem))
            else:
                s.problem_types = list(values)
                s.type_reasons.extend(notes or [_("按原表问题类型“%(t)s”。") % {"t": case.type_text}])
