"""The benchmark's check of the maintained counts (issue #10): after the pages are timed, a few problems are
moved through the services (assigned, reported on, re-routed, given a later deadline, other cooperating
units, newly registered); then the counts kept by the services must equal a fresh recount, and the
dashboard and every unit list's figures built from them must equal what the scan of the problems gives.

These writes stay in the database: a later ``--reuse`` run measures it with them (a few dozen problems out
of 100,000 or 1,000,000)."""

from __future__ import annotations

import datetime as dt
import time

OPERATIONS = 6  # problems per kind of operation


def _operations(seeded) -> tuple[int, int]:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from ecoinspect.common.errors import Refusal
    from ecoinspect.ledger import services as svc
    from ecoinspect.ledger.models import Problem

    office, today = seeded.coordinator, timezone.localdate()
    units = seeded.units
    bm = Problem.objects.filter(number__startswith="BM-").order_by("-pk")

    def running(status):
        return list(bm.filter(status=status, paused_at__isnull=True)[:OPERATIONS])

    def staff(problem):
        return seeded.staff[problem.lead_unit_id]

    calls = []
    for p in running("registered"):
        calls.append(lambda p=p: svc.problem_assign(actor=office, problem=p))
    for p in running("rectifying"):
        calls.append(
            lambda p=p: svc.progress_report_add(
                actor=staff(p), problem=p, text="基准核对：进度滞后。", progress_status="behind"
            )
        )
    for i, p in enumerate(running("assigned")):
        other = units[(units.index(next(u for u in units if u.pk == p.lead_unit_id)) + 1 + i) % len(units)]
        calls.append(
            lambda p=p, other=other: svc.problem_reroute(
                actor=office, problem=p, lead_unit=other, reason="基准核对：改派", cooperating_units=[]
            )
        )
    for p in bm.filter(status="rectifying", deadline_kind="date", deadline__isnull=False)[:OPERATIONS]:
        calls.append(
            lambda p=p: svc.problem_extend_deadline(
                actor=office,
                problem=p,
                new_deadline=max(p.deadline, today) + dt.timedelta(days=45),
                reason="基准核对",
            )
        )
    for i, p in enumerate(bm.filter(status="assigned")[OPERATIONS : 2 * OPERATIONS]):
        coop = [u for u in units[i : i + 2] if u.pk != p.lead_unit_id]
        calls.append(
            lambda p=p, coop=coop: svc.problem_update(actor=office, problem=p, cooperating_units=coop)
        )
    for i in range(OPERATIONS):
        calls.append(
            lambda i=i: svc.problem_register(
                actor=office,
                title=f"基准核对：新登记问题 {i}",
                source="feedback",
                lead_unit=units[i],
                override_reason="基准核对",
                acceptance_unit=units[-1],
                deadline=today + dt.timedelta(days=60),
            )
        )
    done = refused = 0
    for call in calls:
        try:
            call()
            done += 1
        except (ValidationError, PermissionDenied, Refusal):
            refused += 1
    return done, refused


def counts_check(seeded) -> dict | None:
    try:
        from ecoinspect.ledger.tallies import PROBLEM_TALLY, unit_counts
    except ImportError:  # before the maintained counts existed
        return None
    from django.utils import timezone

    from ecoinspect.ledger import selectors, stats

    done, refused = _operations(seeded)
    t0 = time.monotonic()
    recount = PROBLEM_TALLY.recount()
    recount_s = time.monotonic() - t0
    today = timezone.localdate()
    counted = stats.district_picture(None, today=today)
    scanned = stats.district_picture(selectors.problem_queryset(user=seeded.leader, today=today), today=today)
    dashboard_differs = [part for part in counted if counted[part] != scanned[part]]
    lists_differ = [
        unit.code
        for unit in seeded.units
        if unit_counts(unit, today=today)
        != selectors.unit_queue_counts_scanned(user=seeded.leader, unit=unit, today=today)
    ]
    ok = recount.ok and not dashboard_differs and not lists_differ
    verdict = (
        f"ok — after {done} service operations ({refused} refused), the counts kept by the services equal a "
        f"recount ({recount.counted:,} buckets, recounted in {recount_s:.1f} s); the dashboard and the "
        f"{len(seeded.units)} unit lists' figures equal the scan of the problems"
        if ok
        else f"MISMATCH — {len(recount.differences)} buckets differ from the recount; dashboard parts differing: "
        f"{dashboard_differs or 'none'}; unit lists differing: {lists_differ or 'none'}"
    )
    return {
        "ok": ok,
        "verdict": verdict,
        "operations": done,
        "refused": refused,
        "buckets": recount.counted,
        "differences": len(recount.differences),
        "recount_s": round(recount_s, 1),
    }
