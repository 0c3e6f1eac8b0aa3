"""Registering and updating many problems at once (the Excel import) with the checks of ``problem_register``
and ``problem_update``.

``problem_register`` takes about 6 ms a problem (routing proposal, number check, ChangeLog and ActionLog
per row): 10,000 rows would need a minute. This path runs the same validators on every row first, then
writes through ``core.bulk`` — ``bulk_create`` / ``bulk_update`` with the ChangeLog and one ActionLog entry
per problem that a save would leave. The lead department is the one the file names (an import is a manual
designation, recorded in ``routing_reason`` with the file and row); the town is proposed as the form
proposes it (``place_propose``, orgs' one matcher; a place outside the district is flagged), with the towns loaded once for the whole file.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.common.i18n import district_language
from ecoinspect.core.bulk import BulkRow, bulk_create_logged, bulk_update_logged
from ecoinspect.core.permissions import has_perm, restrict, user_scope
from ecoinspect.core.services import CHUNK, notifications_withdraw_unreachable, require
from ecoinspect.orgs.selectors import TownMatcher

from ..choices import DeadlineKind, HandlingMode, Severity
from ..models import Measure, Problem
from ..tallies import PROBLEM_TALLY
from .problem_checks import (
    place_propose,
    place_reason,
    validate_choices,
    validate_schedule,
    validate_source_for,
    validate_types,
    validate_units,
)
from .problems import EDITABLE_FIELDS, SCOPE_FIELDS, problem_check_editable


def chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_numbers(numbers: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(list(numbers)):
        found.update(Problem.objects.filter(number__in=part).values_list("number", flat=True))
    return found


def _row_problem(*, actor, row: dict, towns: TownMatcher, today) -> BulkRow:
    """One unsaved Problem from ``row`` after the checks of ``problem_register`` (raises ServiceError)."""
    source = row.get("source")
    severity = row.get("severity") or Severity.GENERAL
    handling_mode = row.get("handling_mode") or HandlingMode.DEADLINE
    validate_choices(source=source, severity=severity, handling_mode=handling_mode)
    title = (row.get("title") or "").strip()
    if not title:
        raise ServiceError({"title": _("请填写整改任务。")})
    registered_on = row.get("registered_on") or today
    deadline_kind = row.get("deadline_kind") or DeadlineKind.DATE
    deadline = validate_schedule(
        registered_on=registered_on, deadline_kind=deadline_kind, deadline=row.get("deadline")
    )
    problem_types = validate_types(row.get("problem_types") or [])
    lead_unit = row.get("lead_unit")
    cooperating = list(row.get("cooperating_units") or [])
    town = row.get("town")
    with district_language():  # stored with the problem
        reasons = [
            _("导入指定牵头单位 %(u)s（%(origin)s）") % {"u": lead_unit, "origin": row.get("origin", "")}
        ]
        # The place is matched on every row: a row outside the district is flagged even when it names a town.
        text = " ".join(filter(None, [title, row.get("description")]))
        place = place_propose(address=row.get("address") or "", text=text, matcher=towns)
        if town is None and place.town is not None:
            town = place.town
            reasons.append(place_reason(place, row.get("address") or ""))
        elif place.status in ("outside", "ambiguous"):
            reasons.append(place_reason(place, row.get("address") or ""))
    validate_units(
        town=town,
        lead_unit=lead_unit,
        acceptance_unit=row.get("acceptance_unit"),
        supervising_unit=row.get("supervising_unit"),
        cooperating_units=cooperating,
    )
    problem = Problem(
        number=row["number"],
        title=title,
        description=row.get("description") or "",
        source=source,
        source_ref=row.get("source_ref") or "",
        source_round=row.get("source_round") or "",
        problem_types=problem_types,
        severity=severity,
        is_key=bool(row.get("is_key")),
        is_complex=bool(row.get("is_complex")),
        handling_mode=handling_mode,
        address=row.get("address") or "",
        town=town,
        lead_unit=lead_unit,
        supervising_unit=row.get("supervising_unit"),
        acceptance_unit=row.get("acceptance_unit"),
        routing_reason="；".join(reasons),
        outside_district=place.is_outside,
        responsible_leader=row.get("responsible_leader") or "",
        responsible_person=row.get("responsible_person") or "",
        contact_phone=row.get("contact_phone") or "",
        target=row.get("target") or "",
        deadline_kind=deadline_kind,
        deadline=deadline,
        registered_on=registered_on,
        registered_by=actor,
    )
    problem._import_measures = [m for m in (row.get("measures") or []) if m.strip()]
    return BulkRow(problem, {"cooperating_units": cooperating} if cooperating else {})


@transaction.atomic
def problem_bulk_register(*, actor, rows: Sequence[dict], job=None) -> list[Problem]:
    """Register every row or none. Each row holds ``problem_register``'s keyword arguments (``number``
    required), an ``origin`` (file and row, for the routing reason) and optionally ``measures`` (texts: each
    becomes a Measure of the lead unit, due with the problem). Unit staff may register only
    problems their own unit leads. Raises ServiceError naming every refused row."""
    if not (has_perm(actor, "ledger.assign") or has_perm(actor, "ledger.work")):
        require(actor, "ledger.assign")
    office = user_scope(actor, "ledger.assign").everything
    work_units = user_scope(actor, "ledger.work").unit_ids
    today = timezone.localdate()
    towns = TownMatcher()
    taken = existing_numbers([r["number"] for r in rows])
    seen: set[str] = set()
    planned: list[BulkRow] = []
    refused: list[str] = []
    for row in rows:
        label = row.get("origin") or row["number"]
        try:
            if not row.get("number"):
                raise ServiceError({"number": _("请填写问题编号。")})
            if row["number"] in taken or row["number"] in seen:
                raise ServiceError(
                    {
                        "number": _("问题编号“%(n)s”已存在。")
                        % {"n": row["number"]}
                    }
                )
            seen.add(row["number"])
            validate_source_for(actor, row.get("source"), office=office)
            lead = row.get("lead_unit")
            if not office and (lead is None or lead.pk not in work_units):
                raise ServiceError(
                    {
                        "lead_unit": _(
                            "单位只能登记本单位牵头的问题。"
                        )
                    }
                )
            planned.append(_row_problem(actor=actor, row=row, towns=towns, today=today))
        except ServiceError as exc:
            refused.append(f"{label}：{'；'.join(exc.messages)}")
    if refused:
        raise ServiceError(refused)

    job_info = _job_info(job)
    with PROBLEM_TALLY.tracking() as tally:
        bulk_create_logged(
            planned,
            action="ledger.problem.imported",
            actor=actor,
            payload=lambda r: {
                **job_info,
                "lead_unit": r.obj.lead_unit_id,
                "routing": r.obj.routing_reason,
                "measures": len(r.obj._import_measures),
            },
        )
        tally.include(r.obj for r in planned)
    problems = [r.obj for r in planned]
    measures = [
        Measure(problem=p, content=text, owner_unit=p.lead_unit, deadline=p.deadline, sort_order=order)
        for p in problems
        for order, text in enumerate(p._import_measures, start=1)
    ]
    bulk_create_logged(measures, actor=actor)
    return problems


def _job_info(job) -> dict:
    """What each problem's ActionLog entry says of the import it came from."""
    return {"job": job.pk if job is not None else None, "sha256": job.sha256 if job is not None else ""}


@transaction.atomic
def problem_bulk_update(*, actor, updates: Sequence[tuple[Problem, int, dict]], job=None) -> list[Problem]:
    """Many ``problem_update`` calls at once (the import's changed rows): the same permission and checks
    on every row first (every refused row named), then each problem's version claimed under a row lock —
    one stale version refuses everything — then the rows, the ChangeLog before/after and the ActionLog
    ``ledger.problem.updated`` (``core.bulk.bulk_update_logged``). ``updates`` are (problem, the version
    read, changes)."""
    if not updates:
        return []
    scope = user_scope(actor, "ledger.assign")
    if not scope.everything:
        ids = [p.pk for p, _v, _c in updates]
        allowed = set()
        for part in chunks(ids):
            allowed |= set(
                restrict(Problem.objects.filter(pk__in=part), actor, "ledger.assign").values_list(
                    "pk", flat=True
                )
            )
        if set(ids) - allowed:
            raise NotPermitted()
    refused, planned = [], []
    for problem, version, changes in updates:
        changes = dict(changes)
        unknown = set(changes) - set(EDITABLE_FIELDS) - {"cooperating_units"}
        if unknown:
            raise TypeError(f"problem_bulk_update got fields it may not change: {sorted(unknown)}")
        try:
            problem_check_editable(problem)
            if "problem_types" in changes:
                changes["problem_types"] = validate_types(changes["problem_types"])
            validate_choices(
                **{k: v for k, v in changes.items() if k in ("source", "severity", "handling_mode")}
            )
            cooperating = changes.get("cooperating_units")
            validate_units(
                town=changes.get("town", problem.town),
                lead_unit=problem.lead_unit,
                acceptance_unit=changes.get("acceptance_unit", problem.acceptance_unit),
                supervising_unit=changes.get("supervising_unit", problem.supervising_unit),
                cooperating_units=cooperating if cooperating is not None else [],
            )
        except ServiceError as exc:
            refused.append(f"{problem.number}：{'；'.join(exc.messages)}")
            continue
        planned.append(BulkRow(problem, changes, version=version))
    if refused:
        raise ServiceError(refused)

    job_info = _job_info(job)
    with PROBLEM_TALLY.tracking(r.obj for r in planned):
        bulk_update_logged(
            planned,
            action="ledger.problem.updated",
            actor=actor,
            payload=lambda r: {**job_info, "fields": r.changed},
            conflict_message=_(
                "以下问题已被他人修改，请重新校验后再导入：%(n)s"
            ),
            describe=lambda p: p.number,
        )
    moved = [r.obj for r in planned if set(r.changed) & SCOPE_FIELDS]
    notifications_withdraw_unreachable(actor=actor, objects=moved)
    return [r.obj for r in planned]
