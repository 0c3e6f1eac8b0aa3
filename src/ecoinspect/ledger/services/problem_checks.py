"""What a problem must satisfy, and where it should go: the checks that registering, editing, the bulk
writes and the import share (dates, units, types, choices, who may give which source), and the proposals of
a lead unit, a place and a town (三管三必须, the gazetteer) shown before a problem is routed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ecoinspect.common import calendar
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import ServiceError
from ecoinspect.orgs.choices import TOWN_KINDS
from ecoinspect.orgs.models import Unit
from ecoinspect.orgs.selectors import PlaceMatch, PlaceMatcher, place_match, sector_duty_match

from .. import deadlines
from ..choices import DeadlineKind, HandlingMode, ProblemSource, Severity


@dataclass
class RoutingProposal:
    """What the system proposes for a new problem, and why."""

    lead_unit: Unit | None = None
    town: Unit | None = None
    reasons: list[str] = field(default_factory=list)
    alternatives: list[Unit] = field(default_factory=list)
    #: The place matcher's whole answer (status matched / outside / ambiguous / none, candidates, reasons).
    place: PlaceMatch | None = None
    town_reason: str = ""

    @property
    def outside_district(self) -> bool:
        return self.place is not None and self.place.is_outside

    @property
    def town_ambiguous(self) -> bool:
        return self.place is not None and self.place.status == "ambiguous"


def routing_propose(
    *, title: str, description: str = "", address: str = "", problem_types=()
) -> RoutingProposal:
    text = " ".join(filter(None, [title, description]))
    proposal = RoutingProposal()
    matches = sector_duty_match(text=text, address=address, problem_types=list(problem_types))
    if matches and matches[0].tied:
        # A tie is shown as a tie with every candidate, not broken by the matrix's sort order.
        tied = [m for m in matches if m.tied]
        proposal.alternatives = list(dict.fromkeys(m.duty.department for m in tied))
        proposal.reasons.append(
            _("三管三必须并列：%(units)s，请人工指定牵头单位（%(why)s）")
            % {"units": "、".join(str(u) for u in proposal.alternatives), "why": "；".join(m.reason for m in tied)}
        )
    elif matches:
        proposal.lead_unit = matches[0].duty.department
        proposal.reasons.append(matches[0].reason)
        proposal.alternatives = [
            m.duty.department for m in matches[1:] if m.duty.department != proposal.lead_unit
        ]
    proposal.place = place_propose(address=address, text=text)
    proposal.town = proposal.place.town
    proposal.town_reason = place_reason(proposal.place, address)
    if proposal.town_reason:
        proposal.reasons.append(proposal.town_reason)
    return proposal


def place_propose(*, address: str, text: str = "", matcher: PlaceMatcher | None = None) -> PlaceMatch:
    """Where a new problem is: ``orgs``' one place matcher over its address and its text — the town, or
    "not in the district", or "ambiguous", with the reasons. ``matcher`` lets an import load the gazetteer
    once."""
    return place_match(address=address, text=text, matcher=matcher)


def place_reason(match: PlaceMatch, address: str) -> str:
    if match.status == "matched":
        lead = _("所在镇街 %(town)s") % {"town": match.town}
    elif match.status == "outside":
        lead = _("不在%(district)s（%(d)s），请核实属地") % {
            "d": match.district,
            "district": settings.ECOINSPECT_DISTRICT_NAME,
        }
    elif match.status == "ambiguous":
        names = "、".join(str(u) for u in match.candidates) or match.district
        lead = _("镇街不明确（%(c)s），请人工确定") % {"c": names}
    elif match.reasons:
        lead = _("未能确定镇街")
    else:
        return ""
    return lead + "：" + match.reason


def town_propose(*, address: str, text: str = "", matcher: PlaceMatcher | None = None) -> tuple[Unit | None, str]:
    """The town a new problem is proposed for and the reason recorded with it (see :func:`place_propose`):
    the town is None when the place is outside the district or two towns tie, and the reason says so."""
    match = place_propose(address=address, text=text, matcher=matcher)
    return match.town, place_reason(match, address)


def validate_schedule(
    *, registered_on: dt.date, deadline_kind: str, deadline: dt.date | None
) -> dt.date | None:
    if deadline_kind not in DeadlineKind:
        raise ServiceError({"deadline_kind": _("未知的整改时限类型。")})
    calendar.check_entered_dates(registered_on=registered_on, deadline=deadline)
    if deadline_kind == DeadlineKind.LONG_TERM:
        return None
    if deadline_kind == DeadlineKind.IMMEDIATE and deadline is None:
        return deadlines.immediate_deadline(registered_on)
    if deadline is not None and deadline < registered_on:
        raise ServiceError(
            {
                "deadline": _(
                    "整改时限 %(d)s 早于登记日期 %(r)s。"
                )
                % {"d": deadline, "r": registered_on}
            }
        )
    return deadline


def validate_units(*, town, lead_unit, acceptance_unit, supervising_unit, cooperating_units) -> None:
    errors = {}
    if town is not None and town.kind not in TOWN_KINDS:
        errors["town"] = _("“%(u)s”不是镇街。") % {"u": town}
    for name, unit in (
        ("lead_unit", lead_unit),
        ("acceptance_unit", acceptance_unit),
        ("supervising_unit", supervising_unit),
    ):
        if unit is not None and not unit.is_active:
            errors[name] = _("单位“%(u)s”已停用。") % {"u": unit}
    if lead_unit is not None and any(u.pk == lead_unit.pk for u in cooperating_units):
        errors["cooperating_units"] = _("牵头单位不能同时是配合单位。")
    if errors:
        raise ServiceError(errors)


def validate_types(problem_types) -> list[str]:
    unknown = [t for t in problem_types if t not in ProblemType]
    if unknown:
        raise ServiceError(
            {
                "problem_types": _("未知问题类型：%(t)s")
                % {"t": "、".join(unknown)}
            }
        )
    return list(dict.fromkeys(problem_types))


def validate_choices(**values) -> None:
    """Source, severity and handling mode must be values of their choice sets."""
    sets = {"source": ProblemSource, "severity": Severity, "handling_mode": HandlingMode}
    errors = {
        name: _("未知的取值“%(v)s”。") % {"v": value}
        for name, value in values.items()
        if value not in sets[name]
    }
    if errors:
        raise ServiceError(errors)


def routing_reasons(*, title, description, address, problem_types, lead_unit, town, override_reason):
    """The lead unit and town to use, and why: the proposal, or the coordinator's choice and reason."""
    proposal = routing_propose(
        title=title, description=description, address=address, problem_types=problem_types
    )
    reasons = []
    if proposal.lead_unit is not None and lead_unit in (None, proposal.lead_unit):
        lead_unit = proposal.lead_unit
        reasons.append(_("系统推荐牵头单位：%(r)s") % {"r": proposal.reasons[0]})
    elif lead_unit is not None and proposal.lead_unit is not None and lead_unit != proposal.lead_unit:
        if not override_reason.strip():
            raise ServiceError(
                {
                    "override_reason": _(
                        "系统推荐的牵头单位是 %(p)s，改为 %(c)s 需填写理由。"
                    )
                    % {"p": proposal.lead_unit, "c": lead_unit}
                }
            )
        reasons.append(
            _("人工指定牵头单位 %(c)s（系统推荐 %(p)s），理由：%(why)s")
            % {"c": lead_unit, "p": proposal.lead_unit, "why": override_reason}
        )
    elif lead_unit is not None:
        reasons.append(
            _("人工指定牵头单位 %(c)s") % {"c": lead_unit}
            + (f"：{override_reason}" if override_reason else "")
        )
    if proposal.lead_unit is None and proposal.alternatives and proposal.reasons:
        reasons.append(proposal.reasons[0])  # the matrix's tie, shown as a tie
    if proposal.town is not None and town in (None, proposal.town):
        town = proposal.town
        reasons.append(proposal.town_reason)
    elif proposal.town is None and proposal.town_reason and proposal.place.status != "none":
        reasons.append(proposal.town_reason)
    return lead_unit, town, reasons, proposal.outside_district


def validate_source_for(actor, source: str, *, office: bool) -> None:
    """A unit registers (and imports) only what it found itself (自查自纠); every other source is entered by
    the inspection office (``office``: the actor holds ledger.assign)."""
    if not office and source != ProblemSource.SELF_INSPECTION:
        raise ServiceError({"source": _("单位只能登记自查自纠问题，其他来源的问题由区督察迎检办登记。")})
