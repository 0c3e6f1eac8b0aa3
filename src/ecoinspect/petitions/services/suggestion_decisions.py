"""The coordinator's decisions on the suggestions made for a case at import: accept, correct, dismiss.

Every decision records who decided and when (``decided_by``/``decided_at``) and, for a correction, the
corrected value — so the batch page can count how often each kind of suggestion was right. A decision also
does what it says to the case:

* 属地镇街 (town) — accepting sets the case's town (or marks it 疑似不在本区 when the suggestion said so);
  a correction names another town or subdistrict (``{"unit": id}``) or ``{"outside": true}``;
* 牵头部门 (department) — nothing changes on the case: the accepted (or corrected) department is who the
  batch is assigned to (``accepted_lead``);
* 问题类型 (types) — the case's normalised types and sub-tags become the accepted (or corrected) ones;
* 疑似重复件 (duplicate) — accepting merges the case into the original it names (``petition_merge``); a
  correction names another original (``{"petition": id}``); dismissing says it is not a repeat.

The values the importer stores (``suggestions_store``), one JSON object per suggestion:

=========== ======================================================================================
town        ``{"unit": id | null, "name": str, "status": "matched|outside|ambiguous|none",
            "candidates": [{"unit": id, "name": str}, …]}``
department  ``{"unit": id | null, "name": str, "tied": [{"unit": id, "name": str}, …]}``
types       ``{"problem_types": [value, …], "sub_tags": [str, …]}``
duplicate   ``{"petition": id | null, "acceptance_no": str, "round": str, "matched": [passage, …],
            "signals": [str, …]}`` with the similarity in ``Suggestion.score``
=========== ======================================================================================

A suggestion may be decided again (a wrong acceptance corrected) until it has merged a case: a merge is
not undone here.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import bump_version, require
from ecoinspect.orgs.choices import TOWN_KINDS
from ecoinspect.orgs.models import Unit

from .. import numbers
from ..choices import PetitionStatus, SuggestionDecision, SuggestionKind
from ..models import Petition, Suggestion
from .cases import ASSIGNABLE_KINDS, petition_merge

__all__ = [
    "accepted_lead",
    "suggested_original",
    "suggested_unit",
    "suggestion_accept",
    "suggestion_correct",
    "suggestion_dismiss",
]


# --- reading a stored value -------------------------------------------------------------------------------


def _unit_id(value) -> int | None:
    if isinstance(value, dict):
        for key in ("unit", "unit_id", "id"):
            raw = value.get(key)
            if isinstance(raw, dict):
                raw = raw.get("id")
            if raw not in (None, ""):
                try:
                    return int(raw)
                except (TypeError, ValueError):
                    return None
    return None


def suggested_unit(value) -> Unit | None:
    """The unit a town or department suggestion (or correction) names, if it still exists."""
    pk = _unit_id(value)
    if pk is None:
        name = value.get("name") if isinstance(value, dict) else None
        return Unit.objects.filter(name=name, is_active=True).first() if name else None
    return Unit.objects.filter(pk=pk).first()


def suggested_types(value) -> tuple[list[str], list[str]]:
    if isinstance(value, list):
        return [t for t in value if t in ProblemType], []
    value = value or {}
    types = value.get("problem_types") or value.get("types") or []
    return [t for t in types if t in ProblemType], [str(t) for t in value.get("sub_tags") or []]


def suggested_original(suggestion: Suggestion, value=None) -> Petition | None:
    """The stored case a duplicate suggestion (or its correction) points at: by id, else by its number in
    the case's own round (a repeat within the same batch is stored before its id is known)."""
    value = suggestion.value if value is None else value
    value = value or {}
    pk = value.get("petition") or value.get("petition_id")
    if isinstance(pk, dict):
        pk = pk.get("id")
    if pk:
        return Petition.objects.filter(pk=pk).first()
    number = value.get("acceptance_no")
    if number:
        return Petition.objects.filter(
            round=suggestion.petition.round, acceptance_key=numbers.normalise(number)
        ).exclude(pk=suggestion.petition_id).first()
    return None


def _decided_value(suggestion: Suggestion):
    if suggestion.decision == SuggestionDecision.CORRECTED:
        return suggestion.corrected_value
    if suggestion.decision == SuggestionDecision.ACCEPTED:
        return suggestion.value
    return None


def accepted_lead(petition: Petition) -> Unit | None:
    """The lead department the coordinator accepted or corrected for ``petition`` (None if not decided).
    Reads the prefetched ``suggestions`` when the caller has them."""
    for s in petition.suggestions.all():
        if s.kind == SuggestionKind.DEPARTMENT and s.decision in (
            SuggestionDecision.ACCEPTED,
            SuggestionDecision.CORRECTED,
        ):
            return suggested_unit(_decided_value(s))
    return None


# --- what a decision does to the case ---------------------------------------------------------------------


def _apply_town(*, actor, petition: Petition, value: dict, corrected: bool) -> None:
    if value.get("outside") or (not corrected and value.get("status") == "outside"):
        petition.town = None
        petition.outside_district = True
        petition.town_reason = _("区督察迎检办确认：不在本区。")
        return
    unit = suggested_unit(value)
    if unit is None:
        raise ServiceError({"value": _("该建议没有指明镇街，请选择正确的镇街（更正）或不采纳。")})
    if unit.kind not in TOWN_KINDS:
        raise ServiceError({"value": _("“%(u)s”不是镇街。") % {"u": unit}})
    petition.town = unit
    petition.outside_district = False
    petition.town_reason = (
        _("区督察迎检办更正为 %(u)s。") % {"u": unit} if corrected else _("区督察迎检办确认建议：%(u)s。") % {"u": unit}
    )


def _check_department(value: dict) -> None:
    unit = suggested_unit(value)
    if unit is None:
        raise ServiceError({"value": _("该建议没有指明牵头单位，请选择正确的单位（更正）或不采纳。")})
    if unit.kind not in ASSIGNABLE_KINDS or not unit.is_active:
        raise ServiceError({"value": _("只能交办给区直部门或镇街：%(names)s") % {"names": unit}})


def _apply_types(*, petition: Petition, value) -> None:
    raw = value.get("problem_types") if isinstance(value, dict) else value
    unknown = [t for t in (raw or []) if t not in ProblemType]
    if unknown:
        raise ServiceError({"value": _("未知问题类型：%(t)s") % {"t": "、".join(map(str, unknown))}})
    types, tags = suggested_types(value)
    if not types:
        raise ServiceError({"value": _("请至少选择一个问题类型。")})
    petition.problem_types = list(dict.fromkeys(types))
    petition.sub_tags = tags


def _merge(*, actor, suggestion: Suggestion, value) -> None:
    original = suggested_original(suggestion, value)
    if original is None:
        raise ServiceError({"value": _("找不到该疑似重复件的原件，请核对受理编号。")})
    petition_merge(
        actor=actor,
        petition=suggestion.petition,
        original=original,
        reason=_("按疑似重复件建议合并（相似度 %(s)s）") % {"s": _score(suggestion)},
    )


def _score(suggestion: Suggestion) -> str:
    return f"{suggestion.score:.2f}" if suggestion.score is not None else "—"


# --- the services -----------------------------------------------------------------------------------------


def _locked(suggestion: Suggestion, actor) -> Suggestion:
    fresh = Suggestion.objects.select_for_update().select_related("petition", "petition__round").get(pk=suggestion.pk)
    require(actor, "petitions.assign", fresh.petition)
    if fresh.kind == SuggestionKind.DUPLICATE and fresh.decision in (
        SuggestionDecision.ACCEPTED,
        SuggestionDecision.CORRECTED,
    ):
        raise ServiceError({"__all__": _("该重复件已按此建议合并，不能再更改。")})
    return fresh


def _record(*, actor, suggestion: Suggestion, decision: str, corrected_value=None, verb: str) -> Suggestion:
    before = suggestion.decision
    with acting_as(actor):
        suggestion.decision = decision
        suggestion.corrected_value = corrected_value
        suggestion.decided_by = actor
        suggestion.decided_at = timezone.now()
        suggestion.save()
        payload = {"kind": SuggestionKind.text(suggestion.kind), "suggestion": suggestion.pk}
        if before != SuggestionDecision.PENDING:
            payload["before"] = SuggestionDecision.text(before)
        if corrected_value is not None:
            payload["corrected_value"] = corrected_value
        action_log_append(
            action=f"petitions.suggestion.{verb}", actor=actor, obj=suggestion.petition, payload=payload
        )
    return suggestion


def _apply(*, actor, suggestion: Suggestion, value, corrected: bool) -> None:
    petition = suggestion.petition
    kind = suggestion.kind
    if kind == SuggestionKind.DUPLICATE:
        _merge(actor=actor, suggestion=suggestion, value=value)
        suggestion.petition = Petition.objects.get(pk=petition.pk)
        return
    if kind == SuggestionKind.DEPARTMENT:
        _check_department(value)
        return
    if kind == SuggestionKind.TOWN:
        _apply_town(actor=actor, petition=petition, value=value, corrected=corrected)
    elif kind == SuggestionKind.TYPES:
        _apply_types(petition=petition, value=value)
    bump_version(petition)
    with acting_as(actor):
        petition.save()


@transaction.atomic
def suggestion_accept(*, actor, suggestion: Suggestion) -> Suggestion:
    """采纳: the suggestion was right; the case takes it (a repeat is merged into its original)."""
    suggestion = _locked(suggestion, actor)
    _apply(actor=actor, suggestion=suggestion, value=suggestion.value or {}, corrected=False)
    return _record(actor=actor, suggestion=suggestion, decision=SuggestionDecision.ACCEPTED, verb="accepted")


def _normalise_correction(suggestion: Suggestion, value) -> dict:
    if not isinstance(value, dict) or not value:
        raise ServiceError({"value": _("请填写更正后的内容。")})
    kind = suggestion.kind
    if kind in (SuggestionKind.TOWN, SuggestionKind.DEPARTMENT):
        if kind == SuggestionKind.TOWN and value.get("outside"):
            return {"outside": True}
        unit = suggested_unit(value)
        if unit is None:
            raise ServiceError({"value": _("请选择单位。")})
        return {"unit": unit.pk, "name": unit.name}
    if kind == SuggestionKind.TYPES:
        raw = value.get("problem_types") or []
        return {"problem_types": list(raw), "sub_tags": [str(t) for t in value.get("sub_tags") or []]}
    original = suggested_original(suggestion, value)
    if original is None:
        raise ServiceError({"value": _("找不到该疑似重复件的原件，请核对受理编号。")})
    return {"petition": original.pk, "acceptance_no": original.acceptance_no}


@transaction.atomic
def suggestion_correct(*, actor, suggestion: Suggestion, value: dict) -> Suggestion:
    """更正: the suggestion was wrong; ``value`` is the right one (same shape as the stored value: a town
    or unit ``{"unit": id}``, types ``{"problem_types": [...]}``, an original ``{"petition": id}``)."""
    suggestion = _locked(suggestion, actor)
    corrected = _normalise_correction(suggestion, value)
    if suggestion.kind == SuggestionKind.DUPLICATE and suggestion.petition.status not in (
        PetitionStatus.RECEIVED,
        PetitionStatus.ASSIGNED,
    ):
        raise ServiceError({"__all__": _("只有尚未签收的信访件可以合并为重复件。")})
    _apply(actor=actor, suggestion=suggestion, value=corrected, corrected=True)
    return _record(
        actor=actor,
        suggestion=suggestion,
        decision=SuggestionDecision.CORRECTED,
        corrected_value=corrected,
        verb="corrected",
    )


@transaction.atomic
def suggestion_dismiss(*, actor, suggestion: Suggestion) -> Suggestion:
    """不采纳: the suggestion does not apply (not a repeat; no town to be named); the case is left as is."""
    suggestion = _locked(suggestion, actor)
    return _record(actor=actor, suggestion=suggestion, decision=SuggestionDecision.DISMISSED, verb="dismissed")
