"""Town, lead department and problem types of a case, each with its reasons (docs/petitions/engine.md).

* **Town**: the gazetteer's one matcher (orgs) on the published region and the complaint text; "not in the
  district" and "ambiguous" are said as such, with the words that decided.
* **Problem types**: deterministic rules (:mod:`.type_rules`) — the published label (问题类型/污染类型,
  normalised by ``common.import_cells.published_types``) and the complaint's words; every type and sub-tag
  comes with the words that gave it.
* **Lead department**: the 三管三必须 matrix (orgs) on the complaint text; when the text holds none of the
  matrix's keywords, the sub-tags' sectors (油烟 → 餐饮油烟 …), then the problem types.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.import_cells import LIST_SEPARATORS, CellProblem, published_types, unwrap
from ecoinspect.orgs.gazetteer import PlaceMatcher, Status
from ecoinspect.orgs.selectors import sector_duty_match

from .type_rules import MIXED_LABELS, SUB_TAG_LABELS, SUB_TAG_RULES, TYPE_RULES

_PUBLISHED = published_types(ProblemType)
_MASK = "\u3000"


# ---------------------------------------------------------------------------------------------------------
# Town
# ---------------------------------------------------------------------------------------------------------


def place(matcher: PlaceMatcher, case, s):
    """The town with its reasons; outside the district and ambiguous are said first, then the words.
    Returns the gazetteer's match (its hits are the case's places)."""
    match = matcher.match_place(address=case.region_text, text=case.complaint_text)
    s.town_status = match.status
    s.town = match.town if match.status == Status.MATCHED else None
    s.town_candidates = list(match.candidates)
    if match.status == Status.OUTSIDE:
        s.town_reasons = [_("不在本区：%(d)s，请核实后退回或转办。") % {"d": match.district}, *match.reasons]
    elif match.status == Status.AMBIGUOUS:
        names = "、".join(str(u) for u in match.candidates) or match.district
        s.town_reasons = [_("多个镇街都有可能：%(names)s，请人工确认。") % {"names": names}, *match.reasons]
    elif match.status == Status.NONE:
        s.town_reasons = [_("行政区域和问题描述中未找到本区的地名，请人工确认。")]
    else:
        s.town_reasons = list(match.reasons)
    return match


# ---------------------------------------------------------------------------------------------------------
# Problem types
# ---------------------------------------------------------------------------------------------------------


@dataclass
class TypeResult:
    types: list[str] = field(default_factory=list)
    sub_tags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    #: 三管三必须 keywords of the sub-tags' sectors, for the lead department
    duty_hints: list[str] = field(default_factory=list)
    #: the types the published label gave
    published: list[str] = field(default_factory=list)


def _quote(words) -> str:
    return "、".join(f"“{w}”" for w in dict.fromkeys(words))


def _short(word: str) -> str:
    return word if len(word) <= 12 else word[:12] + "…"


class TypeClassifier:
    """Problem types and sub-tags of a complaint, each with the words that gave it. One classifier reads a
    batch: the published labels, which repeat, are understood once."""

    def __init__(self):
        self._labels: dict[str, tuple[list[str], list[str], bool]] = {}

    def analyse(self, text: str, type_text: str = "") -> TypeResult:
        result = TypeResult()
        if type_text not in self._labels:
            self._labels[type_text] = self._published(type_text)
        published, published_reasons, drop_other = self._labels[type_text]
        published, published_reasons = list(published), list(published_reasons)
        result.published = list(published)
        found_types: dict[str, list[str]] = {}
        masked = unicodedata.normalize("NFKC", text or "")
        for rule in SUB_TAG_RULES:
            hits = [m for m in rule.pattern.finditer(masked) if m.group().strip(_MASK)]
            if not hits:
                continue
            words = [_short(m.group()) for m in hits]
            result.sub_tags.append(rule.tag)
            if rule.duty_hint:
                result.duty_hints.append(rule.duty_hint)
            if rule.type:
                found_types.setdefault(rule.type, []).append(str(SUB_TAG_LABELS[rule.tag]))
            label = ProblemType.label(rule.type) if rule.type else _("不单列类型")
            result.reasons.append(
                _("细分标签“%(tag)s”（%(type)s）：问题描述中有%(words)s")
                % {"tag": SUB_TAG_LABELS[rule.tag], "type": label, "words": _quote(words)}
            )
            if rule.masks:
                for m in hits:
                    masked = masked[: m.start()] + _MASK * (m.end() - m.start()) + masked[m.end() :]
        own_words: dict[str, list[str]] = {}
        for rule in TYPE_RULES:
            words = [m.group() for m in rule.pattern.finditer(masked)]
            if words:
                own_words[rule.type] = words
        result.reasons[:0] = published_reasons
        for value in ProblemType.values():
            if value in published:
                result.types.append(value)
                continue
            if value == "other" and drop_other:
                continue
            tags, words = found_types.get(value), own_words.get(value)
            if tags:
                why = _("细分标签%(tags)s") % {"tags": _quote(tags)}
            elif words:
                why = _("问题描述中有%(words)s") % {"words": _quote(words)}
            else:
                continue
            result.types.append(value)
            result.reasons.append(_("问题类型“%(t)s”：%(why)s") % {"t": ProblemType.label(value), "why": why})
        self._settle_other(result, published, drop_other)
        return result

    @staticmethod
    def _settle_other(result: TypeResult, published: list[str], drop_other: bool) -> None:
        specific = [t for t in result.types if t != "other"]
        if "other" in result.types and specific and "other" in published and drop_other:
            result.types.remove("other")
        if not result.types:
            result.types.append("other")
            result.reasons.append(_("问题类型“其他”：原表和问题描述都未显示具体的污染类型，请人工确认。"))

    def _published(self, type_text: str) -> tuple[list[str], list[str], bool]:
        """The published label's types, its reasons, and whether a published 其他 yields to the text."""
        values: list[str] = []
        reasons: list[str] = []
        drop_other = False
        for part in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", type_text or "")):
            part = part.strip()
            if not part:
                continue
            if MIXED_LABELS.match(part):
                reasons.append(_("原表问题类型“%(t)s”涉及多种类型，按问题描述判断。") % {"t": part})
                continue
            try:
                found, notes = unwrap(_PUBLISHED(part, {}))
            except CellProblem:
                reasons.append(_("原表问题类型“%(t)s”无法对应到规范类型，按问题描述判断。") % {"t": part})
                continue
            for value in found:
                if value == "other":
                    drop_other = True  # 其他 is the inspectors' "none of the above": the text may say which
                if value not in values:
                    values.append(value)
            labels = "、".join(ProblemType.text(v) for v in found)
            reasons.append(
                _("问题类型“%(t)s”：按原表问题类型“%(raw)s”%(notes)s")
                % {"t": labels, "raw": part, "notes": ("（" + "".join(notes) + "）") if notes else ""}
            )
        if drop_other:
            values = [v for v in values if v != "other"]
        return values, reasons, drop_other

    def classify(self, case, s) -> TypeResult:
        result = self.analyse(case.complaint_text, case.type_text)
        s.problem_types = result.types
        s.sub_tags = result.sub_tags
        s.type_reasons = result.reasons
        return result


# ---------------------------------------------------------------------------------------------------------
# Lead department
# ---------------------------------------------------------------------------------------------------------


def department(case, s, *, hints=(), duties=None) -> None:
    """The lead department by the 三管三必须 matrix: the text's keywords; else the sub-tags' sectors; else the
    problem types. Departments of the same score are shown side by side (``department_tied``)."""
    matches = sector_duty_match(text=case.complaint_text, problem_types=s.problem_types, duties=duties)
    by_keyword = [m for m in matches if m.matched_keywords]
    if by_keyword:
        _take(s, matches, [matches[0].reason])
        return
    hints = " ".join(hints)
    hinted = sector_duty_match(text=hints, problem_types=s.problem_types, duties=duties) if hints else []
    hinted = [m for m in hinted if m.matched_keywords]
    if hinted:
        top = hinted[0]
        why = _("问题描述未含三管三必须关键词；按细分标签对应的行业「%(sector)s」→ %(dept)s") % {
            "sector": top.duty.sector,
            "dept": top.duty.department,
        }
        _take(s, hinted, [why])
        return
    if matches:
        top = matches[0]
        why = _("问题描述未含三管三必须关键词；按问题类型“%(t)s”对应的行业「%(sector)s」→ %(dept)s") % {
            "t": top.duty.get_problem_type_display(),
            "sector": top.duty.sector,
            "dept": top.duty.department,
        }
        _take(s, matches, [why])
        return
    s.department_reasons = [_("三管三必须清单中没有对应的行业，请人工指定牵头部门。")]


def _take(s, matches, reasons) -> None:
    top = matches[0]
    s.department = top.duty.department
    s.department_reasons = list(reasons)
    if top.tied:
        tied = list(dict.fromkeys(m.duty.department for m in matches if m.tied))
        s.department_tied = tied
        s.department_reasons.append(
            _("并列：%(names)s，请人工确定。") % {"names": "、".join(str(d) for d in tied)}
        )
