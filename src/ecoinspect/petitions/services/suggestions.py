"""What the system proposed for a case at import, kept with its reasons (DESIGN.md §5: 导入建议): the town,
the lead department, the problem types and each possible repeat become :class:`~..models.Suggestion` rows
that the coordinator accepts or corrects later; the case itself takes what is accepted by default — the town
only when the place matcher found exactly one, never a guess."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.core.bulk import bulk_create_logged
from ecoinspect.core.services import require
from ecoinspect.orgs.gazetteer import Status

from ..choices import SuggestionDecision, SuggestionKind
from ..models import Petition, Suggestion
from ..suggest import CaseSuggestion


def _unit(unit) -> dict | None:
    return {"unit": unit.pk, "name": str(unit)} if unit is not None else None


def suggestion_rows(petition: Petition, suggestion: CaseSuggestion, repeats: dict[str, int] | None = None) -> list[Suggestion]:
    """The Suggestion rows of one case (unsaved). ``repeats`` maps a repeat's 受理编号 to its case when the
    repeat is another case of the same batch (the engine knows it only by its number)."""
    rows = [
        Suggestion(
            petition=petition,
            kind=SuggestionKind.TOWN,
            value={
                **(_unit(suggestion.town) or {"unit": None, "name": ""}),
                "status": suggestion.town_status,
                "candidates": [_unit(u) for u in suggestion.town_candidates],
            },
            score=1.0 if suggestion.town_status == Status.MATCHED else None,
            reasons=[str(r) for r in suggestion.town_reasons],
        )
    ]
    if suggestion.department is not None:
        rows.append(
            Suggestion(
                petition=petition,
                kind=SuggestionKind.DEPARTMENT,
                value={**_unit(suggestion.department), "tied": [_unit(u) for u in suggestion.department_tied]},
                reasons=[str(r) for r in suggestion.department_reasons],
            )
        )
    if suggestion.problem_types or suggestion.sub_tags:
        rows.append(
            Suggestion(
                petition=petition,
                kind=SuggestionKind.TYPES,
                value={"problem_types": list(suggestion.problem_types), "sub_tags": list(suggestion.sub_tags)},
                reasons=[str(r) for r in suggestion.type_reasons],
            )
        )
    for repeat in suggestion.duplicates:
        other = repeat.petition_id or (repeats or {}).get(repeat.acceptance_no)
        if other == petition.pk:
            continue
        rows.append(
            Suggestion(
                petition=petition,
                kind=SuggestionKind.DUPLICATE,
                value={
                    "acceptance_no": repeat.acceptance_no,
                    "petition": other,
                    "round": repeat.round,
                    "matched": list(repeat.matched),
                    "signals": [str(s) for s in repeat.signals],
                },
                score=round(float(repeat.score), 4),
                reasons=[str(s) for s in repeat.signals]
                or [_("与受理编号“%(n)s”的内容相似（相似度 %(s).2f）。") % {"n": repeat.acceptance_no, "s": repeat.score}],
            )
        )
    return rows


@transaction.atomic
def suggestions_store(
    *, actor, petition: Petition, suggestion: CaseSuggestion, repeats: dict[str, int] | None = None
) -> list[Suggestion]:
    """Keep the suggestions made for ``petition`` (replacing those still pending from an earlier import;
    the coordinator's decisions stay). Returns the rows written."""
    require(actor, "petitions.assign", petition)
    rows = suggestion_rows(petition, suggestion, repeats)
    with acting_as(actor):
        decided = set(
            petition.suggestions.exclude(decision=SuggestionDecision.PENDING).values_list("kind", flat=True)
        )
        petition.suggestions.filter(decision=SuggestionDecision.PENDING).delete()
        rows = [r for r in rows if r.kind == SuggestionKind.DUPLICATE or r.kind not in decided]
        bulk_create_logged(rows)
        action_log_append(
            action="petitions.suggestion.stored",
            actor=actor,
            obj=petition,
            payload={
                "kinds": sorted({r.kind for r in rows}),
                "town": suggestion.town.pk if suggestion.town else None,
                "town_status": suggestion.town_status,
                "department": suggestion.department.pk if suggestion.department else None,
                "problem_types": list(suggestion.problem_types),
                "duplicates": [r.value["acceptance_no"] for r in rows if r.kind == SuggestionKind.DUPLICATE],
            },
        )
    return rows


def accepted_fields(suggestion: CaseSuggestion, published_types=()) -> dict:
    """The case's fields as the suggestions set them by default: the town only when exactly one matched
    (its reasons as the town's reason), "outside the district" when the place is elsewhere, the types the
    classifier found (else the published ones) and the sub-tags."""
    reasons = "；".join(str(r) for r in suggestion.town_reasons)
    return {
        "town": suggestion.town if suggestion.town_status == Status.MATCHED else None,
        "town_reason": reasons or _("未能确定属地镇街，请人工确认。"),
        "outside_district": suggestion.town_status == Status.OUTSIDE,
        "problem_types": list(suggestion.problem_types) or list(published_types or ()),
        "sub_tags": list(suggestion.sub_tags),
    }
