"""Registering many problems at once (the Excel import) with the checks of ``problem_register``.

``problem_register`` takes about 6 ms a problem (routing proposal, number check, ChangeLog and ActionLog
per row): 10,000 rows would need a minute. This path runs the same validators on every row first, then
writes with ``bulk_create`` (1,000 rows a statement), records the ChangeLog with ``changelog_bulk`` and
appends one ActionLog entry per problem. The lead department is the one the file names (an import is a
manual designation, recorded in ``routing_reason`` with the file and row); the town is proposed from the
address when the file leaves it blank, as the form does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.changes import changelog_bulk
from ecoinspect.audit.context import acting_as, current_request_id
from ecoinspect.audit.models import ChangeLog
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.permissions import has_perm, user_scope
from ecoinspect.orgs.models import Unit

from ..choices import DeadlineKind, HandlingMode, Severity
from ..models import Problem
from ._base import require
from .problems import _validate_choices, _validate_schedule, _validate_types, _validate_units

#: Up to this many new problems, each gets its own ``ledger.problem.imported`` ActionLog entry (its
#: timeline shows the import); above it, one entry on the import job lists them all. The ActionLog is
#: serialised (one hash chain): 10,000 entries cost 6 s on SQLite and 14 s on PostgreSQL.
LOG_EACH_UP_TO = 500

#: SQLite accepts 32,766 parameters a statement; stay far below it in ``IN`` lists.
CHUNK = 900

_TOWN_SUFFIX = re.compile(r"(街道|街|镇)$")


def chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_numbers(numbers: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(list(numbers)):
        found.update(Problem.objects.filter(number__in=part).values_list("number", flat=True))
    return found


class TownMatcher:
    """``orgs.selectors.town_from_address`` with the towns loaded once instead of once per row."""

    def __init__(self):
        towns = sorted(Unit.objects.active().towns(), key=lambda u: -len(u.short_name))
        self.names = [
            (
                unit,
                [
                    n
                    for n in {unit.name, unit.short_name, _TOWN_SUFFIX.sub("", unit.short_name)}
                    if len(n) >= 2
                ],
            )
            for unit in towns
        ]

    def match(self, text: str) -> Unit | None:
        if not text:
            return None
        for unit, names in self.names:
            if any(name in text for name in names):
                return unit
        return None


def _row_problem(*, actor, row: dict, towns: TownMatcher, today) -> Problem:
    """One unsaved Problem from ``row`` after the checks of ``problem_register`` (raises ServiceError)."""
    source = row.get("source")
    severity = row.get("severity") or Severity.GENERAL
    handling_mode = row.get("handling_mode") or HandlingMode.DEADLINE
    _validate_choices(source=source, severity=severity, handling_mode=handling_mode)
    title = (row.get("title") or "").strip()
    if not title:
        raise ServiceError({"title": _("请填写整改任务。 / The task is required.")})
    registered_on = row.get("registered_on") or today
    deadline_kind = row.get("deadline_kind") or DeadlineKind.DATE
    deadline = _validate_schedule(
        registered_on=registered_on, deadline_kind=deadline_kind, deadline=row.get("deadline")
    )
    problem_types = _validate_types(row.get("problem_types") or [])
    lead_unit = row.get("lead_unit")
    cooperating = list(row.get("cooperating_units") or [])
    town = row.get("town")
    reasons = [_("导入指定牵头单位 %(u)s（%(origin)s）") % {"u": lead_unit, "origin": row.get("origin", "")}]
    if town is None:
        town = towns.match(row.get("address") or "")
        if town is not None:
            reasons.append(_("地址“%(addr)s”位于 %(town)s") % {"addr": row.get("address"), "town": town})
    _validate_units(
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
        responsible_leader=row.get("responsible_leader") or "",
        responsible_person=row.get("responsible_person") or "",
        contact_phone=row.get("contact_phone") or "",
        target=row.get("target") or "",
        deadline_kind=deadline_kind,
        deadline=deadline,
        registered_on=registered_on,
        registered_by=actor,
    )
    problem._import_cooperating = cooperating
    return problem


@transaction.atomic
def problem_bulk_register(*, actor, rows: Sequence[dict], job=None) -> list[Problem]:
    """Register every row or none. Each row holds ``problem_register``'s keyword arguments (``number``
    required) and an ``origin`` (file and row, for the routing reason). Unit staff may register only
    problems their own unit leads. Raises ServiceError naming every refused row."""
    if not (has_perm(actor, "ledger.assign") or has_perm(actor, "ledger.work")):
        require(actor, "ledger.assign")
    office = user_scope(actor, "ledger.assign").everything
    work_units = user_scope(actor, "ledger.work").unit_ids
    today = timezone.localdate()
    towns = TownMatcher()
    taken = existing_numbers([r["number"] for r in rows])
    seen: set[str] = set()
    problems: list[Problem] = []
    refused: list[str] = []
    for row in rows:
        label = row.get("origin") or row["number"]
        try:
            if not row.get("number"):
                raise ServiceError({"number": _("请填写问题编号。 / The number is required.")})
            if row["number"] in taken or row["number"] in seen:
                raise ServiceError(
                    {
                        "number": _("问题编号“%(n)s”已存在。 / Problem number '%(n)s' already exists.")
                        % {"n": row["number"]}
                    }
                )
            seen.add(row["number"])
            lead = row.get("lead_unit")
            if not office and (lead is None or lead.pk not in work_units):
                raise ServiceError(
                    {
                        "lead_unit": _(
                            "单位只能登记本单位牵头的问题。 / A unit may register only problems it leads."
                        )
                    }
                )
            problems.append(_row_problem(actor=actor, row=row, towns=towns, today=today))
        except ServiceError as exc:
            refused.append(f"{label}：{'；'.join(exc.messages)}")
    if refused:
        raise ServiceError(refused)

    with acting_as(actor):
        Problem.objects.bulk_create(problems, batch_size=1000)
        through = Problem.cooperating_units.through
        links = [through(problem_id=p.pk, unit_id=u.pk) for p in problems for u in p._import_cooperating]
        through.objects.bulk_create(links, batch_size=1000)
        changelog_bulk(problems)
        _changelog_cooperating(problems, actor)
        _log_imported(problems, actor, job)
    return problems


def _changelog_cooperating(problems: list[Problem], actor) -> None:
    """The many-to-many half of the ChangeLog (what the m2m signal writes one row at a time)."""
    name = actor.display_name[:150] if actor is not None else "系统"
    rows = [
        ChangeLog(
            operation=ChangeLog.Operation.UPDATE,
            object_type=p._meta.label_lower,
            object_id=str(p.pk),
            object_repr=str(p)[:200],
            before={"cooperating_units": []},
            after={"cooperating_units": sorted(u.pk for u in p._import_cooperating)},
            request_id=current_request_id(),
            user=actor,
            user_name=name,
        )
        for p in problems
        if p._import_cooperating
    ]
    ChangeLog.objects.bulk_create(rows, batch_size=1000)


def _log_imported(problems: list[Problem], actor, job) -> None:
    job_info = {"job": job.pk if job is not None else None, "sha256": job.sha256 if job is not None else ""}
    if len(problems) <= getattr(settings, "LEDGER_IMPORT_LOG_EACH_UP_TO", LOG_EACH_UP_TO):
        for p in problems:
            action_log_append(
                action="ledger.problem.imported",
                actor=actor,
                obj=p,
                payload={**job_info, "lead_unit": p.lead_unit_id, "routing": p.routing_reason},
            )
        return
    action_log_append(
        action="ledger.problem.imported",
        actor=actor,
        obj=job,
        payload={**job_info, "count": len(problems), "problems": [[p.pk, p.number] for p in problems]},
    )
