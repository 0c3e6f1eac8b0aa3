"""Registering many problems at once (the Excel import) with the checks of ``problem_register``.

``problem_register`` takes about 6 ms a problem (routing proposal, number check, ChangeLog and ActionLog
per row): 10,000 rows would need a minute. This path runs the same validators on every row first, then
writes with ``bulk_create`` (1,000 rows a statement), records the ChangeLog with ``changelog_bulk`` and
appends one ActionLog entry per problem. The lead department is the one the file names (an import is a
manual designation, recorded in ``routing_reason`` with the file and row); when the file leaves the town
blank it is proposed as the form proposes it (``town_propose``, orgs' one matcher, the towns loaded once).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.changes import changelog_bulk, snapshot
from ecoinspect.audit.context import acting_as, current_request_id
from ecoinspect.audit.models import ChangeLog
from ecoinspect.audit.services import action_log_append_many
from ecoinspect.common.errors import ConcurrentEdit, NotPermitted, ServiceError
from ecoinspect.common.i18n import district_language
from ecoinspect.core.permissions import has_perm, restrict, user_scope
from ecoinspect.core.services import require
from ecoinspect.orgs.selectors import TownMatcher

from ..choices import DeadlineKind, HandlingMode, Severity
from ..models import Measure, Problem
from .problems import (
    EDITABLE_FIELDS,
    _validate_choices,
    problem_check_editable,
    town_propose,
    validate_schedule,
    validate_types,
    validate_units,
)

#: SQLite accepts 32,766 parameters a statement; stay far below it in ``IN`` lists.
CHUNK = 900

def chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_numbers(numbers: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(list(numbers)):
        found.update(Problem.objects.filter(number__in=part).values_list("number", flat=True))
    return found


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
        if town is None:
            text = " ".join(filter(None, [title, row.get("description"), row.get("address")]))
            town, reason = town_propose(address=row.get("address") or "", text=text, matcher=towns)
            if town is not None:
                reasons.append(reason)
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
    problem._import_measures = [m for m in (row.get("measures") or []) if m.strip()]
    return problem


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
        measures = [
            Measure(
                problem=p, content=text, owner_unit=p.lead_unit, deadline=p.deadline, sort_order=order
            )
            for p in problems
            for order, text in enumerate(p._import_measures, start=1)
        ]
        Measure.objects.bulk_create(measures, batch_size=1000)
        changelog_bulk(measures)
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


def _log_each(action: str, problems: list[Problem], actor, job, payloads: dict[int, dict]) -> None:
    """One ActionLog entry per problem, so that its timeline shows the import, chained in one batch."""
    job_info = {"job": job.pk if job is not None else None, "sha256": job.sha256 if job is not None else ""}
    action_log_append_many(
        action=action, actor=actor, items=[(p, {**job_info, **payloads[p.pk]}) for p in problems]
    )


def _log_imported(problems: list[Problem], actor, job) -> None:
    payloads = {
        p.pk: {"lead_unit": p.lead_unit_id, "routing": p.routing_reason, "measures": len(p._import_measures)}
        for p in problems
    }
    _log_each("ledger.problem.imported", problems, actor, job, payloads)


@transaction.atomic
def problem_bulk_update(*, actor, updates: Sequence[tuple[Problem, int, dict]], job=None) -> list[Problem]:
    """Many ``problem_update`` calls at once (the import's changed rows): the same permission and checks
    on every row first (every refused row named), then each problem's version claimed under a row lock —
    one stale version refuses everything — then ``bulk_update``, the ChangeLog before/after and the
    ActionLog ``ledger.problem.updated``. ``updates`` are (problem, the version read, changes)."""
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
    refused, plans = [], []
    for problem, version, changes in updates:
        changes = dict(changes)
        unknown = set(changes) - set(EDITABLE_FIELDS) - {"cooperating_units"}
        if unknown:
            raise TypeError(f"problem_bulk_update got fields it may not change: {sorted(unknown)}")
        try:
            problem_check_editable(problem)
            if "problem_types" in changes:
                changes["problem_types"] = validate_types(changes["problem_types"])
            _validate_choices(
                **{k: v for k, v in changes.items() if k in ("source", "severity", "handling_mode")}
            )
            cooperating = changes.pop("cooperating_units", None)
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
        plans.append((problem, version, changes, cooperating))
    if refused:
        raise ServiceError(refused)

    current: dict[int, int] = {}
    for part in chunks([p.pk for p, *_rest in plans]):
        current.update(Problem.objects.select_for_update().filter(pk__in=part).values_list("pk", "version"))
    stale = [p.number for p, version, *_rest in plans if current.get(p.pk) != version]
    if stale:
        raise ConcurrentEdit(
            _("以下问题已被他人修改，请重新校验后再导入：%(n)s / Changed by someone else meanwhile: %(n)s")
            % {"n": "、".join(stale)},
            code="conflict",
        )
    now = timezone.now()
    logs, payloads, through_add, through_remove = [], {}, [], []
    name = actor.display_name[:150] if actor is not None else "系统"
    with acting_as(actor):
        for problem, version, changes, cooperating in plans:
            before = snapshot(problem)
            changed = sorted(k for k, v in changes.items() if getattr(problem, k) != v)
            for key, value in changes.items():
                setattr(problem, key, value)
            problem._bulk_fields = sorted(changes)
            problem.version, problem.updated_at = version + 1, now
            after = snapshot(problem)
            logs.append(_changelog_row(problem, before, after, actor, name))
            if cooperating is not None:
                old = {u.pk for u in problem.cooperating_units.all()}
                new = {u.pk for u in cooperating}
                if old != new:
                    through_remove.append((problem.pk, old - new))
                    through_add += [(problem.pk, pk) for pk in new - old]
                    logs.append(
                        _changelog_row(
                            problem,
                            {"cooperating_units": sorted(old)},
                            {"cooperating_units": sorted(new)},
                            actor,
                            name,
                        )
                    )
                    changed.append("cooperating_units")
            payloads[problem.pk] = {"fields": changed}
        problems = [p for p, *_rest in plans]
        _update_rows(problems)
        through = Problem.cooperating_units.through
        for problem_id, removed in through_remove:
            if removed:
                through.objects.filter(problem_id=problem_id, unit_id__in=removed).delete()
        through.objects.bulk_create(
            [through(problem_id=p, unit_id=u) for p, u in through_add], batch_size=1000
        )
        ChangeLog.objects.bulk_create(logs, batch_size=1000)
        _log_each("ledger.problem.updated", problems, actor, job, payloads)
    return problems


def _update_rows(problems: list[Problem]) -> None:
    """UPDATE … WHERE id = … with ``executemany``, one statement per set of changed fields. Django's
    ``bulk_update`` builds CASE expressions of 200 rows each and takes ~25 s for 10,000 problems."""
    by_fields: dict[tuple[str, ...], list[Problem]] = {}
    for problem in problems:
        by_fields.setdefault((*problem._bulk_fields, "version", "updated_at"), []).append(problem)
    meta, ops = Problem._meta, connection.ops
    for names, group in by_fields.items():
        fields = [meta.get_field(name) for name in names]
        assignments = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
        sql = f"UPDATE {ops.quote_name(meta.db_table)} SET {assignments} WHERE {ops.quote_name(meta.pk.column)} = %s"
        params = [
            [f.get_db_prep_save(getattr(p, f.attname), connection=connection) for f in fields] + [p.pk]
            for p in group
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _changelog_row(problem: Problem, before: dict, after: dict, actor, name: str) -> ChangeLog:
    return ChangeLog(
        operation=ChangeLog.Operation.UPDATE,
        object_type=problem._meta.label_lower,
        object_id=str(problem.pk),
        object_repr=str(problem)[:200],
        before=before,
        after=after,
        request_id=current_request_id(),
        user=actor,
        user_name=name,
    )
