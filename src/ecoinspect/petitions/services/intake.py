"""Taking a batch: which round a batch belongs to (made when the first batch of a round arrives), and a case
that a batch imported again has changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.official_layouts import INSPECTION, chinese_number, number_of, round_of
from ecoinspect.core.services import bump_version, require
from ecoinspect.core.submissions import once

from ..choices import RoundKind
from ..models import InspectionRound, Petition
from .rounds import round_create


@dataclass(frozen=True)
class RoundSpec:
    """A round as named on the command line or in the form: an existing round, or the one to make."""

    existing: InspectionRound | None
    name: str
    number: int
    kind: str

    @property
    def is_new(self) -> bool:
        return self.existing is None


def standard_round_name(number: int, kind: str = RoundKind.CENTRAL) -> str:
    """3 → 第三轮中央生态环境保护督察 (the name a round made from its number gets)."""
    who = "中央" if kind == RoundKind.CENTRAL else "广东省"
    return f"第{chinese_number(number)}轮{who}{INSPECTION}"


def round_spec(text) -> RoundSpec:
    """The round that ``text`` names — its name, or its number (3, "3", 三) — found among the rounds, or
    what would be made from it. Raises ServiceError when it names nothing usable or several rounds."""
    text = str(text or "").strip()
    if not text:
        raise ServiceError({"round": _("请指定督察轮次（名称或轮次，如 3）。")})
    found = InspectionRound.objects.filter(name=text).first()
    if found is not None:
        return RoundSpec(found, found.name, found.number, found.kind)
    number = number_of(text.removeprefix("第").removesuffix("轮"))
    if number is not None:
        if not 1 <= number <= 20:
            raise ServiceError({"round": _("轮次应在 1 到 20 之间。")})
        standard = standard_round_name(number)
        same = InspectionRound.objects.filter(number=number, kind=RoundKind.CENTRAL)
        chosen = same.filter(name=standard).first() or same.filter(is_current=True).first()
        if chosen is None and same.count() == 1:
            chosen = same.get()
        if chosen is None and same.exists():
            names = "、".join(same.values_list("name", flat=True))
            raise ServiceError({"round": _("第 %(n)s 轮有多个督察轮次（%(names)s），请写明名称。") % {"n": number, "names": names}})
        if chosen is not None:
            return RoundSpec(chosen, chosen.name, chosen.number, chosen.kind)
        return RoundSpec(None, standard, number, RoundKind.CENTRAL)
    named = round_of(text)
    number = number_of(named[1 : named.index("轮")]) if named else None
    if number is None:
        raise ServiceError(
            {"round": _("“%(t)s”不是已有的督察轮次，也没有写明第几轮（如“第三轮中央生态环境保护督察”或 3）。") % {"t": text}}
        )
    kind = RoundKind.PROVINCIAL if "省" in text else RoundKind.CENTRAL
    return RoundSpec(None, text, number, kind)


@transaction.atomic
def round_for_batch(*, actor, spec: RoundSpec, stationed_on: dt.date) -> InspectionRound:
    """The round of a batch: the existing one, or one made now from ``spec`` (stationed on the batch's date;
    the current round when no round is current)."""
    if spec.existing is not None:
        return spec.existing
    current = not InspectionRound.objects.filter(is_current=True).exists()
    return round_create(
        actor=actor, name=spec.name, number=spec.number, kind=spec.kind, stationed_on=stationed_on, is_current=current
    )


#: The fields a batch imported again may change on a case, in the table's order.
REIMPORTED = (
    "seq",
    "complaint_text",
    "region_text",
    "type_text",
    "channel",
    "responsible_unit_text",
    "responsible_person_text",
    "remark",
)
#: The handling results: changed by import only on a case that is an earlier round's record (history);
#: a live case's results are the units' to report.
RESULTS = ("investigation", "verdict", "closure_target", "handling", "closure_status", "accountability")


def _shown(value) -> object:
    return value if isinstance(value, (int, float, bool, type(None))) else str(value)


@transaction.atomic
def petition_reimport(
    *, actor, petition: Petition, changes: dict, flags: list | None = None, raw: dict | None = None,
    expected_version: int | None = None, batch_file: str = "",
) -> Petition:
    """Apply what a batch imported again says differently about a case (the import's preview showed each
    field before → after). Only :data:`REIMPORTED` fields, and :data:`RESULTS` on a history case; the
    ActionLog entry keeps before and after."""
    require(actor, "petitions.assign", petition)
    allowed = set(REIMPORTED) | (set(RESULTS) if petition.origin == "history" else set())
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ServiceError(_("导入不能修改这些字段：%(f)s") % {"f": "、".join(unknown)})
    bump_version(petition, expected_version)
    before = {name: _shown(getattr(petition, name)) for name in changes}
    with acting_as(actor):
        for name, value in changes.items():
            setattr(petition, name, value)
        fields = [*changes, "version", "updated_at"]
        if flags is not None:
            petition.flags = flags
            fields.append("flags")
        if raw is not None:
            petition.raw = raw
            fields.append("raw")
        petition.save(update_fields=fields)
        action_log_append(
            action="petitions.petition.reimported",
            actor=actor,
            obj=petition,
            payload={
                "before": before,
                "after": {name: _shown(value) for name, value in changes.items()},
                "file": batch_file,
            },
        )
    return petition


@once("petitions.petition")
@transaction.atomic
def petition_intake(
    *,
    actor,
    round: InspectionRound,
    acceptance_no: str,
    complaint_text: str,
    received_on: dt.date,
    region_text: str = "",
    type_text: str = "",
    problem_types=(),
    channel: str = "",
    batch=None,
) -> Petition:
    """Type one case in (the register form): registered with the suggestions an import would make —
    compared with the stored cases — stored with their reasons; the case takes the town only when it
    matched, the types given or else suggested."""
    from ..suggest import CaseText, Suggester
    from .cases import petition_register
    from .suggestions import accepted_fields, suggestions_store

    require(actor, "petitions.assign")
    case = CaseText(
        acceptance_no=(acceptance_no or "").strip(),
        complaint_text=complaint_text or "",
        region_text=region_text or "",
        type_text=type_text or "",
    )
    suggester = Suggester(compare_stored=True, current_round=round)
    suggestion = suggester.suggest([case])[0] if case.acceptance_no and case.complaint_text.strip() else None
    defaults = accepted_fields(suggestion) if suggestion is not None else {}
    if problem_types:
        defaults["problem_types"] = list(problem_types)
    extra = {"channel": channel} if channel else {}
    petition = petition_register(
        actor=actor,
        round=round,
        batch=batch,
        acceptance_no=acceptance_no,
        complaint_text=complaint_text,
        received_on=received_on,
        region_text=region_text,
        type_text=type_text,
        **defaults,
        **extra,
    )
    if suggestion is not None:
        suggestions_store(actor=actor, petition=petition, suggestion=suggestion)
    return petition
