"""The maintained counts of problems (ledger.tallies): kept by the services, equal to a recount whatever the
services do, and — read by the dashboard and the unit lists — showing exactly what the scan of the problems
shows, on the day of the writes and on later days without any write.

Runs on the suite's database: SQLite by default, PostgreSQL with ``DATABASE_URL`` (the concurrency test
runs on PostgreSQL only).
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from ecoinspect.common.errors import Refusal
from ecoinspect.ledger import selectors, stats, tallies
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod, DeadlineKind, ProgressStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem, ProblemTally
from ecoinspect.ledger.services.bulk import problem_bulk_register, problem_bulk_update
from ecoinspect.ledger.tallies import PROBLEM_TALLY
from ecoinspect.orgs.roles import Role
from tests.factories import (
    PATH,
    ProblemFactory,
    advance,
    end_publicity,
    person,
    recount_problems,
    reload,
    staff_of,
)

LEADS = ("swj", "zjj", "sthj", "jingtai", "taihe")
COOPERATING = ("swj", "zjj", "sanyuanli", "jingtai", "taihe", "cgzf")
SOURCES = ("self_inspection", "petition", "feedback", "monitoring")
TYPES = (["water"], ["air"], ["water", "air"], ["noise"], [])
REFUSED = (ValidationError, PermissionDenied, Refusal)


def _differences(result) -> str:
    return "; ".join(
        f"{tallies.describe_bucket(b)}: stored {was}, counted {now}"
        for b, (was, now) in sorted(result.differences.items())[:10]
    )


def assert_counts_right() -> None:
    result = PROBLEM_TALLY.recount()
    assert result.ok, _differences(result)


def assert_pages_agree(leader, units, day: dt.date) -> None:
    """On ``day``, the dashboard and every unit's figures from the counts equal those from the problems."""
    counted = stats.district_picture(None, today=day)
    scanned = stats.district_picture(selectors.problem_queryset(user=leader, today=day), today=day)
    for part in counted:
        assert counted[part] == scanned[part], (day, part)
    for unit in units:
        assert tallies.unit_counts(unit, today=day) == selectors.unit_queue_counts_scanned(
            user=leader, unit=unit, today=day
        ), (day, unit.code)
    through = Problem.cooperating_units.through.objects.exclude(problem__lead_unit=F("unit"))
    assert tallies.cooperating_totals() == dict(Counter(through.values_list("unit_id", flat=True)))


class Ledger:
    """A small district worked at random through the services."""

    def __init__(self, structure, people, clock, rng: random.Random):
        self.u, self.people, self.clock, self.rng = structure, people, clock, rng
        self.office = people["coordinator"]
        self.rows = 0

    def pick(self, states=None) -> Problem | None:
        qs = Problem.objects.order_by("pk")
        if states:
            qs = qs.filter(status__in=states)
        pks = list(qs.values_list("pk", flat=True))
        return reload(Problem(pk=self.rng.choice(pks))) if pks else None

    def units(self, codes, k):
        return [self.u[c] for c in self.rng.sample(codes, k)]

    # --- the operations -----------------------------------------------------------------------------------

    def register(self):
        lead = self.u[self.rng.choice(LEADS)]
        kind = self.rng.choice(
            [DeadlineKind.DATE, DeadlineKind.DATE, DeadlineKind.LONG_TERM, DeadlineKind.IMMEDIATE]
        )
        coop = [c for c in self.units(COOPERATING, self.rng.randint(0, 2)) if c != lead]
        ProblemFactory(
            status=self.rng.choice([S.REGISTERED, S.ASSIGNED, S.RECTIFYING, S.RECTIFYING, S.CLOSED]),
            title=f"随机问题 {self.rng.random():.6f}",
            source=self.rng.choice(SOURCES),
            problem_types=self.rng.choice(TYPES),
            is_key=self.rng.random() < 0.3,
            lead_unit=lead,
            cooperating_units=coop,
            deadline_kind=kind,
            deadline=None
            if kind != DeadlineKind.DATE
            else self.clock.today + dt.timedelta(self.rng.randint(3, 90)),
            registered_on=self.clock.today - dt.timedelta(days=self.rng.randint(0, 30)),
            override_reason="测试",
        )

    def advance(self):
        problem = self.pick([S.REGISTERED, S.ASSIGNED, S.RECTIFYING, S.COMPLETED, S.ACCEPTING, S.ACCEPTED])
        if problem is not None:
            later = [s for s in PATH[PATH.index(problem.status) + 1 :] if s != S.PUBLICITY]
            advance(problem, self.rng.choice(later))

    def report(self):
        problem = self.pick([S.ASSIGNED, S.RECTIFYING])
        if problem is not None:
            span = max((self.clock.today - problem.registered_on).days, 0)
            svc.progress_report_add(
                actor=staff_of(problem.lead_unit),
                problem=problem,
                text="推进情况",
                progress_status=self.rng.choice(
                    [
                        ProgressStatus.NOT_STARTED,
                        ProgressStatus.BEHIND,
                        ProgressStatus.ON_SCHEDULE,
                        ProgressStatus.COMPLETED,
                    ]
                ),
                reported_on=problem.registered_on + dt.timedelta(days=self.rng.randint(0, span)),
            )

    def review(self):
        problem = self.pick([S.ACCEPTING])
        if problem is None:
            return
        reviewer = person(Role.REVIEWER, problem.acceptance_unit)
        if self.rng.random() < 0.5:
            svc.problem_reject(
                actor=reviewer,
                problem=problem,
                accepted_on=self.clock.today,
                method=AcceptanceMethod.ON_SITE,
                reason="不合格",
            )
        else:
            svc.problem_accept(
                actor=reviewer,
                problem=problem,
                accepted_on=self.clock.today,
                method=AcceptanceMethod.ON_SITE,
                opinion="合格",
            )

    def objection_or_close(self):
        problem = self.pick([S.PUBLICITY])
        if problem is None:
            return
        if self.rng.random() < 0.5:
            svc.publicity_objection(
                actor=person(Role.PUBLISHER), problem=problem, note="仍有异味", upheld=True
            )
        else:
            end_publicity(problem)
            svc.problem_close(actor=person(Role.PUBLISHER), problem=problem)

    def reopen(self):
        problem = self.pick([S.CLOSED])
        if problem is not None:
            svc.problem_reopen(
                actor=self.office,
                problem=problem,
                reason="反弹",
                new_deadline=self.clock.today + dt.timedelta(days=30),
            )

    def reroute(self):
        problem = self.pick([S.REGISTERED, S.ASSIGNED, S.RECTIFYING])
        if problem is not None:
            lead = self.u[self.rng.choice(LEADS)]
            svc.problem_reroute(
                actor=self.office,
                problem=problem,
                lead_unit=lead,
                reason="职责调整",
                cooperating_units=[c for c in self.units(COOPERATING, self.rng.randint(0, 2)) if c != lead],
            )

    def update(self):
        problem = self.pick()
        if problem is not None:
            svc.problem_update(
                actor=self.office,
                problem=problem,
                source=self.rng.choice(SOURCES),
                is_key=self.rng.random() < 0.5,
                problem_types=self.rng.choice(TYPES),
                cooperating_units=[
                    c for c in self.units(COOPERATING, self.rng.randint(0, 3)) if c.pk != problem.lead_unit_id
                ],
            )

    def extend(self):
        problem = self.pick([S.ASSIGNED, S.RECTIFYING])
        if problem is not None and problem.deadline is not None:
            svc.problem_extend_deadline(
                actor=self.office,
                problem=problem,
                new_deadline=problem.deadline + dt.timedelta(days=self.rng.randint(1, 60)),
                reason="工程量大",
            )

    def pause_or_resume(self):
        problem = self.pick([S.ASSIGNED, S.RECTIFYING])
        if problem is None:
            return
        if problem.paused_at is None:
            svc.problem_pause(actor=self.office, problem=problem, reason="等待裁定")
        else:
            svc.problem_resume(actor=self.office, problem=problem)

    def bulk_register(self):
        rows = []
        for _ in range(self.rng.randint(1, 4)):
            self.rows += 1
            lead = self.u[self.rng.choice(LEADS)]
            rows.append(
                {
                    "number": f"IMP-{self.rows:04d}",
                    "title": f"导入问题 {self.rows}",
                    "source": self.rng.choice(SOURCES),
                    "problem_types": self.rng.choice(TYPES),
                    "lead_unit": lead,
                    "cooperating_units": [c for c in self.units(COOPERATING, 1) if c != lead],
                    "acceptance_unit": self.u["sthj"],
                    "deadline": self.clock.today + dt.timedelta(days=self.rng.randint(5, 60)),
                    "origin": f"测试 {self.rows}",
                }
            )
        problem_bulk_register(actor=self.office, rows=rows)

    def bulk_update(self):
        problems = list(Problem.objects.exclude(status=S.CLOSED).order_by("?")[:3])
        problem_bulk_update(
            actor=self.office,
            updates=[
                (
                    p,
                    p.version,
                    {
                        "source": self.rng.choice(SOURCES),
                        "is_key": self.rng.random() < 0.5,
                        "cooperating_units": [
                            c for c in self.units(COOPERATING, 2) if c.pk != p.lead_unit_id
                        ],
                    },
                )
                for p in problems
            ],
        )

    def time_passes(self):
        self.clock.advance(days=self.rng.choice([1, 3, 10]))


OPERATIONS = (
    ("register", 4),
    ("advance", 3),
    ("report", 4),
    ("review", 2),
    ("objection_or_close", 2),
    ("reopen", 1),
    ("reroute", 2),
    ("update", 2),
    ("extend", 2),
    ("pause_or_resume", 2),
    ("bulk_register", 1),
    ("bulk_update", 1),
    ("time_passes", 2),
)


@pytest.mark.parametrize("seed", [10, 20260914])
def test_the_counts_equal_a_recount_after_a_random_series_of_service_operations(
    structure, people, clock, seed
):
    rng = random.Random(seed)
    ledger = Ledger(structure, people, clock, rng)
    names, weights = zip(*OPERATIONS, strict=True)
    done: Counter = Counter()
    for step in range(76):
        name = "register" if step < 6 else rng.choices(names, weights)[0]
        try:
            getattr(ledger, name)()
        except REFUSED:
            done[f"{name} refused"] += 1  # a refused write leaves the counts as they were
        else:
            done[name] += 1
        assert_counts_right()
    assert Problem.objects.count() >= 10 and ProblemTally.objects.exclude(n=0).exists()
    assert {"register", "report", "reroute", "update", "bulk_update"} <= set(done), done
    units = [structure[c] for c in sorted(set(LEADS + COOPERATING))]
    for later in (0, 5, 30, 120, 400):  # the colours move with the days, without a write
        assert_pages_agree(people["leader"], units, clock.today + dt.timedelta(days=later))


def test_what_a_rolled_back_write_counted_is_rolled_back_with_it(structure, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    before = PROBLEM_TALLY.stored()
    with pytest.raises(RuntimeError), PROBLEM_TALLY.tracking([problem]):
        Problem.objects.filter(pk=problem.pk).update(status=S.RECTIFYING)
        raise RuntimeError("the service fails after writing")
    assert PROBLEM_TALLY.stored() == before
    assert_counts_right()


def test_nested_trackings_count_a_write_once(structure, people):
    problem = ProblemFactory(status=S.ASSIGNED, cooperating_units=[structure["taihe"]])
    with PROBLEM_TALLY.tracking([problem]):
        with PROBLEM_TALLY.tracking([problem]):
            svc.problem_start(actor=staff_of(problem.lead_unit), problem=problem)
        problem.cooperating_units.add(structure["jingtai"])
    assert_counts_right()


def test_a_direct_write_is_found_by_the_command_and_repaired(structure, people, capsys):
    problem = ProblemFactory(status=S.RECTIFYING, title="逾期的排水口")
    Problem.objects.filter(pk=problem.pk).update(status=S.CLOSED)  # bypasses the services

    with pytest.raises(CommandError, match="不一致"):
        call_command("ledger", "recount")
    listed = capsys.readouterr().out
    assert "区水务局（牵头） 状态“已销号”、来源“自查自纠”：记录为 0，重新计数为 1" in listed

    call_command("ledger", "recount", "--repair")
    assert "已修复" in capsys.readouterr().out
    call_command("ledger", "recount")
    assert "一致" in capsys.readouterr().out
    assert_counts_right()


def test_the_migration_counts_the_problems_of_an_existing_database(structure, people):
    """0007 initialises the counts from the problems an existing database already holds (its function, run
    on the migrated schema: the schema editor cannot step back inside a test's transaction on SQLite)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("ecoinspect.ledger.migrations.0007_problem_tally_initial")
    ProblemFactory(status=S.RECTIFYING, cooperating_units=[structure["taihe"]])
    ProblemFactory(status=S.CLOSED, lead_unit=structure["zjj"], override_reason="测试")
    ProblemTally.objects.all().delete()  # as before the counts existed
    assert not PROBLEM_TALLY.recount().ok

    migration.initialise(apps, None)
    assert ProblemTally.objects.exclude(n=0).count() > 5
    assert_counts_right()
    assert [op.code for op in migration.Migration.operations] == [migration.initialise]


def test_direct_rows_counted_by_the_recount_give_the_hand_counted_dashboard(structure, people):
    """The rows of test_stats (counted by hand) through the counts: the same picture as through the scan."""
    from tests.ledger.test_stats import ROWS, TODAY, _insert

    _insert(ROWS, structure)
    recount_problems()
    assert_pages_agree(people["leader"], [structure[c] for c in ("swj", "zjj", "jingtai")], TODAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_no_count(structure, people):
    """Eight people register and report on problems of the same unit at the same moment: every count lands
    (``n = n + delta`` in the database, never a read-modify-write in Python)."""
    from django.db import connections

    problems = [ProblemFactory(status=S.RECTIFYING, title=f"并发 {i}") for i in range(8)]
    worker = staff_of(problems[0].lead_unit)
    office = people["coordinator"]
    start = threading.Barrier(len(problems))
    errors = []

    def work(i: int) -> None:
        try:
            start.wait()
            ProblemFactory(actor=office, status=S.REGISTERED, title=f"同时登记 {i}")
            svc.progress_report_add(
                actor=worker,
                problem=reload(problems[i]),
                text="同时报送",
                progress_status=ProgressStatus.BEHIND,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(problems))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Problem.objects.count() == 16
    assert_counts_right()
