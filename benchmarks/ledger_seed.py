"""Seeding the ledger benchmark's database.

**This bypasses the services on purpose**: 100,000 problems and 500,000 progress reports written through
``problem_register`` / ``progress_report_add`` would take hours; the benchmark measures reads. Rows are
written with ``bulk_create`` with the values the services would have produced (warning milestones counted
on the Chinese working-day calendar exactly as ``deadlines.milestones`` counts them, stage timestamps,
completion status, the ``,air,water,`` encoding of problem types, one hash-chained ActionLog entry per
problem). Only the problems whose page is timed get their detail (measures, evidence rows, a plan, an
acceptance, a publicity and an ActionLog timeline) through the real services' audit path
(``action_log_append``).

Called from ``ledger_bench.py`` inside a configured Django process (``django.setup()`` done).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import time
from dataclasses import dataclass

from seeding import spread_children

TOWN_KINDS = ("town", "subdistrict")
WORKING_KINDS = ("department", *TOWN_KINDS)
RIVERS = ("流溪河", "石井河", "新市涌", "景泰涌", "白海面涌", "沙河涌", "巴江河", "白坭河")
TOPICS = (
    ("雨水排口旱季污水直排", ["water"], "swj"),
    ("内河涌黑臭反弹", ["water"], "swj"),
    ("家具厂喷涂废气直排", ["air"], "sthj"),
    ("在建工地扬尘管控不到位", ["air"], "zjj"),
    ("夜间施工噪声扰民", ["noise"], "zjj"),
    ("沿街餐饮油烟扰民", ["air"], "cgzf"),
    ("建筑垃圾违规堆放", ["solid_waste"], "cgzf"),
    ("养殖场粪污直排", ["agriculture", "water"], "nync"),
    ("“散乱污”企业反弹", ["air", "solid_waste"], "gxj"),
    ("泥头车带泥上路", ["air"], "jtys"),
    ("加油站油气回收失效", ["air"], "scjg"),
    ("违法取土破坏山体", ["ecology"], "ghzy"),
    ("诊所医疗废物混入生活垃圾", ["solid_waste"], "wsjk"),
    ("林地被违法占用", ["ecology"], "lyyl"),
    ("跨区非法倾倒工业固废", ["solid_waste", "soil"], "gaj"),
)
STATUS_WEIGHTS = {
    "registered": 5,
    "assigned": 8,
    "rectifying": 45,
    "completed": 5,
    "accepting": 3,
    "accepted": 3,
    "publicity": 4,
    "closed": 27,
}


class FastCalendar:
    """The project's working-day calendar as a sorted list, for counting milestones of 100,000 rows."""

    def __init__(self, start: dt.date, end: dt.date):
        from ecoinspect.common.calendar import default_calendar

        cal = default_calendar()
        days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
        self.days = [d for d in days if cal.is_workday(d)]

    def count(self, day: dt.date) -> int:
        return bisect.bisect_right(self.days, day)

    def add(self, day: dt.date, n: int) -> dt.date:
        return day if n == 0 else self.days[self.count(day) + n - 1]

    def milestones(self, start: dt.date, deadline: dt.date | None):
        from ecoinspect.ledger.deadlines import rule

        if deadline is None:
            return None, None
        total = max(self.count(deadline) - self.count(start), 0)
        r = rule()
        return self.add(start, math.ceil(total * r["blue"])), self.add(start, math.ceil(total * r["yellow"]))


@dataclass
class Seeded:
    units: list
    staff: dict  # unit pk → user
    leader: object
    coordinator: object
    detail_ids: list[int]
    counts: dict
    seconds: float
    reused: bool = False
    #: seconds the recount took to initialise the maintained counts of the bulk-created rows
    tallies_seconds: float | None = None


def _say(out, text):
    if out is not None:
        out(text)


def _aware(day: dt.date, hour: int = 10):
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hour), ZoneInfo("Asia/Shanghai"))


def seed(
    *, problems: int, reports: int, detail_pages: int = 20, detail_reports: int = 50, out=None
) -> Seeded:
    from django.db import connection, transaction

    from ecoinspect.audit.hashing import GENESIS
    from ecoinspect.audit.models import ActionLog
    from ecoinspect.ledger import deadlines
    from ecoinspect.ledger.choices import ProblemSource
    from ecoinspect.ledger.models import Problem, ProgressReport
    from ecoinspect.orgs.models import Membership, Unit, User
    from ecoinspect.orgs.structure import load_structure

    began = time.monotonic()
    rng = random.Random(20260914)
    sources = ProblemSource.values()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark database
    load_structure()
    units = list(Unit.objects.filter(kind__in=WORKING_KINDS).order_by("sort_order"))
    by_code = {u.code: u for u in Unit.objects.all()}
    towns = [u for u in units if u.kind in TOWN_KINDS]

    def person(username, unit, role):
        user = User(username=username, full_name=username)
        user.set_unusable_password()  # the pages are requested with force_login; hashing costs a second
        user.save()
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    staff = {u.pk: person(f"bench_{u.code}", u, "staff") for u in units}
    leader = person("bench_leader", by_code["baiyun"], "leader")
    coordinator = person("bench_coordinator", by_code["yingjianban"], "coordinator")
    reviewer = person("bench_reviewer", by_code["sthj"], "reviewer")
    _say(out, f"  units and people: {len(units)} working units, {len(staff) + 3} people")

    today = dt.date.today()
    cal = FastCalendar(today - dt.timedelta(days=900), today + dt.timedelta(days=500))
    for start, end in ((today - dt.timedelta(days=100), today + dt.timedelta(days=40)), (today, today)):
        assert cal.milestones(start, end) == deadlines.milestones(start, end), "calendar mismatch"

    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    batch: list = []
    cooperating: list = []
    through = Problem.cooperating_units.through

    def flush():
        with transaction.atomic():
            created = Problem.objects.bulk_create(batch, batch_size=2000)
            links = []
            for problem, coop in zip(created, cooperating, strict=True):
                links.extend(through(problem_id=problem.pk, unit_id=u.pk) for u in coop)
            through.objects.bulk_create(links, batch_size=5000)
        batch.clear()
        cooperating.clear()

    t0 = time.monotonic()
    for i in range(problems):
        lead = units[i % len(units)]
        town = lead if lead.kind in TOWN_KINDS else towns[rng.randrange(len(towns))]
        topic, types, dept = TOPICS[rng.randrange(len(TOPICS))]
        status = rng.choices(statuses, weights)[0]
        registered = today - dt.timedelta(days=rng.randint(0, 720))
        kind = rng.choices(["date", "long_term", "immediate"], [85, 8, 7])[0]
        assigned = (
            None if status == "registered" else min(registered + dt.timedelta(days=rng.randint(1, 5)), today)
        )
        start = assigned or registered
        deadline = None
        if kind == "date":
            deadline = start + dt.timedelta(days=rng.randint(20, 200))
        elif kind == "immediate":
            deadline = cal.add(registered, 5)
        blue_on, yellow_on = cal.milestones(start, deadline) if status != "registered" else (None, None)
        if status == "rectifying" and kind == "long_term":
            pass
        elif kind == "long_term":
            status = rng.choice(["assigned", "rectifying"]) if status != "registered" else status
        progress = {
            "registered": "not_started",
            "assigned": "not_started",
            "rectifying": rng.choice(["not_started", "behind", "on_schedule", "on_schedule", "completed"]),
            "closed": "accepted_closed",
        }.get(status, "completed")
        done = status not in ("registered", "assigned", "rectifying")
        is_key = rng.random() < 0.05
        is_complex = not is_key and rng.random() < 0.05
        river = RIVERS[rng.randrange(len(RIVERS))]
        coop = []
        if rng.random() < 0.3:
            other = towns[rng.randrange(len(towns))] if lead.kind == "department" else by_code[dept]
            if other.pk != lead.pk:
                coop.append(other)
        stamp = _aware(start, 9)
        batch.append(
            Problem(
                number=f"BM-{registered:%Y}-{i + 1:06d}",
                title=f"【基准】{town.short_name}{river}沿线{topic}",
                description=f"{town.short_name}{river}沿线发现{topic}问题，群众反映强烈，需限期整改到位。",
                source=sources[rng.randrange(len(sources))],
                source_ref=f"BM-REF-{i:06d}",
                problem_types=types,
                severity=rng.choices(["general", "serious", "major"], [7, 2, 1])[0],
                is_key=is_key,
                is_complex=is_complex,
                handling_mode="special_plan"
                if is_key
                else "joint_enforcement"
                if is_complex
                else "immediate"
                if kind == "immediate"
                else "deadline",
                address=f"广州市白云区{town.short_name}{river}沿线",
                town=town,
                lead_unit=lead,
                acceptance_unit=by_code["sthj"] if rng.random() < 0.6 else by_code[dept],
                routing_reason=f"三管三必须 → {by_code[dept].short_name}",
                target=f"{topic}问题整改到位，群众满意。",
                deadline_kind=kind,
                deadline=deadline,
                blue_on=blue_on,
                yellow_on=yellow_on,
                paused_at=today - dt.timedelta(days=3)
                if status == "rectifying" and rng.random() < 0.01
                else None,
                status=status,
                progress_status=progress,
                last_reported_on=None
                if status in ("registered",)
                else min(start + dt.timedelta(days=10), today),
                registered_on=registered,
                registered_by=coordinator,
                assigned_at=stamp if assigned else None,
                rectifying_at=stamp if status not in ("registered", "assigned") else None,
                completed_at=_aware(min(start + dt.timedelta(days=60), today), 11) if done else None,
                accepted_at=_aware(min(start + dt.timedelta(days=65), today), 11)
                if status in ("accepted", "publicity", "closed")
                else None,
                publicity_at=_aware(min(start + dt.timedelta(days=67), today), 11)
                if status in ("publicity", "closed")
                else None,
                closed_at=_aware(min(start + dt.timedelta(days=85), today), 15)
                if status == "closed"
                else None,
            )
        )
        cooperating.append(coop)
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()
    _say(out, f"  {problems:,} problems (bulk_create) in {time.monotonic() - t0:.1f} s")

    # Problems whose page is timed: spread over the units, each with exactly ``detail_reports`` reports.
    worked = list(
        Problem.objects.exclude(status="registered")
        .order_by("pk")
        .values_list("pk", "lead_unit_id", "registered_on")
    )
    step = max(len(worked) // max(detail_pages, 1), 1)
    detail = [worked[i * step] for i in range(min(detail_pages, len(worked)))]
    detail_ids = [pk for pk, _lead, _reg in detail]
    detail_set = set(detail_ids)
    others = [row for row in worked if row[0] not in detail_set]

    t0 = time.monotonic()
    texts = (
        "已完成现场排查，建立问题清单，制定整改方案。",
        "整改工程已进场施工，完成总工程量的 40%。",
        "受征地协调影响，部分工程进度滞后，已提请区政府协调。",
        "主体工程完工，正在开展第三方监测。",
        "整改完成，监测结果达标，准备申请验收。",
    )
    report_statuses = ("on_schedule", "on_schedule", "behind", "on_schedule", "completed")

    def reports_for(pk, lead_id, registered, n):
        span = max((today - registered).days, 1)
        for k in range(n):
            day = registered + dt.timedelta(days=min(span, 1 + (k * span) // max(n, 1)))
            j = k % len(texts)
            yield ProgressReport(
                problem_id=pk,
                cycle=1,
                reported_on=min(day, today),
                text=texts[j],
                progress_status=report_statuses[j],
                unit_id=lead_id,
                reporter_id=staff[lead_id].pk,
            )

    def write_reports(batch: list) -> None:
        with transaction.atomic():
            ProgressReport.objects.bulk_create(batch, batch_size=5000)

    written = spread_children(
        detail,
        others,
        total=reports,
        per_detail=detail_reports,
        make=lambda parent, n: reports_for(*parent, n),
        write=write_reports,
    )
    _say(out, f"  {written:,} progress reports (bulk_create) in {time.monotonic() - t0:.1f} s")

    # One hash-chained ActionLog entry per problem, as registration writes it.
    t0 = time.monotonic()
    prev, seq = GENESIS, ActionLog.objects.count()
    last = ActionLog.objects.order_by("-seq").values_list("seq", "hash").first()
    if last:
        seq, prev = last
    entries = []
    created_at = _aware(today, 8)
    for pk, number, title in (
        Problem.objects.order_by("pk").values_list("pk", "number", "title").iterator(5000)
    ):
        seq += 1
        entry = ActionLog(
            seq=seq,
            created_at=created_at,
            actor_id=coordinator.pk,
            actor_name=coordinator.display_name,
            request_id="",
            action="ledger.problem.registered",
            object_type="ledger.problem",
            object_id=str(pk),
            object_repr=f"{number} {title}"[:200],
            payload={"source": "benchmark"},
            prev_hash=prev,
        )
        entry.hash = prev = entry.computed_hash()
        entries.append(entry)
        if len(entries) >= 5000:
            with transaction.atomic():
                ActionLog.objects.bulk_create(entries)
            entries = []
    if entries:
        with transaction.atomic():
            ActionLog.objects.bulk_create(entries)
    _say(out, f"  {problems:,} ActionLog entries (hash chain computed) in {time.monotonic() - t0:.1f} s")

    t0 = time.monotonic()
    _detail_extras(detail_ids, coordinator=coordinator, reviewer=reviewer, staff=staff, today=today)
    _say(out, f"  detail of {len(detail_ids)} timed problem pages in {time.monotonic() - t0:.1f} s")
    tallies_seconds = initialise_counts(out)
    if connection.vendor == "postgresql":
        # What autovacuum does to a table after a bulk load: statistics, and the visibility map that lets
        # the statistics' covering indexes be read without visiting the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA synchronous = FULL")
    counts = {
        "problems": Problem.objects.count(),
        "reports": ProgressReport.objects.count(),
        "actionlog": ActionLog.objects.count(),
    }
    return Seeded(
        units,
        staff,
        leader,
        coordinator,
        detail_ids,
        counts,
        time.monotonic() - began,
        tallies_seconds=tallies_seconds,
    )


def initialise_counts(out=None) -> float | None:
    """The rows above bypassed the services, so the counts they keep are set by the recount, as
    ``ecoinspect ledger recount --repair`` (or the migration that created them) does for a database."""
    try:
        from ecoinspect.ledger.tallies import PROBLEM_TALLY
    except ImportError:  # before the maintained counts existed
        return None
    t0 = time.monotonic()
    result = PROBLEM_TALLY.recount(repair=True)
    seconds = time.monotonic() - t0
    _say(
        out, f"  maintained counts initialised by the recount: {result.counted:,} buckets in {seconds:.1f} s"
    )
    return seconds


def seeded_database(*, problems: int, reports: int) -> Seeded | None:
    """The benchmark's seed found in the database (``--reuse``), or None when it holds another size."""
    from ecoinspect.audit.models import ActionLog
    from ecoinspect.ledger.models import Problem, ProgressReport, SpecialPlan
    from ecoinspect.orgs.models import Unit, User

    counts = {
        "problems": Problem.objects.filter(number__startswith="BM-").count(),
        "reports": ProgressReport.objects.count(),
        "actionlog": ActionLog.objects.count(),
    }
    if counts["problems"] != problems or counts["reports"] < reports:
        return None
    units = list(Unit.objects.filter(kind__in=WORKING_KINDS).order_by("sort_order"))
    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    staff = {u.pk: users[f"bench_{u.code}"] for u in units}
    detail_ids = sorted(
        SpecialPlan.objects.filter(problem__number__startswith="BM-").values_list("problem_id", flat=True)
    )
    return Seeded(
        units,
        staff,
        users["bench_leader"],
        users["bench_coordinator"],
        detail_ids,
        counts,
        0.0,
        reused=True,
    )


def _detail_extras(detail_ids, *, coordinator, reviewer, staff, today):
    """What a worked problem's page shows besides its reports, and its timeline in the ActionLog."""
    from django.db import transaction

    from ecoinspect.audit.services import action_log_append
    from ecoinspect.ledger.models import (
        Acceptance,
        Evidence,
        Measure,
        Problem,
        ProgressReport,
        Publicity,
        SpecialPlan,
    )

    for problem in Problem.objects.filter(pk__in=detail_ids).select_related("lead_unit"):
        worker = staff[problem.lead_unit_id]
        with transaction.atomic():
            Measure.objects.bulk_create(
                Measure(
                    problem=problem,
                    content=f"第 {k} 项整改措施：排查、施工、监测。",
                    owner_unit=problem.lead_unit,
                    deadline=problem.deadline,
                    done_on=today if k < 3 else None,
                    sort_order=k,
                )
                for k in range(1, 6)
            )
            reports = list(ProgressReport.objects.filter(problem=problem).order_by("pk")[:6])
            Evidence.objects.bulk_create(
                Evidence(
                    problem=problem,
                    report=report,
                    kind="photo" if k % 2 else "monitoring",
                    description="现场照片" if k % 2 else "监测报告",
                    file=f"evidence/{problem.pk}/{k:064d}.{'png' if k % 2 else 'pdf'}",
                    thumbnail=f"evidence/{problem.pk}/thumbs/{k:064d}.jpg" if k % 2 else "",
                    original_name=f"现场照片{k}.png" if k % 2 else f"监测报告{k}.pdf",
                    content_type="image/png" if k % 2 else "application/pdf",
                    extension=".png" if k % 2 else ".pdf",
                    size=120_000,
                    sha256=f"{problem.pk:032d}{k:032d}",
                    uploaded_by=worker,
                    unit=problem.lead_unit,
                )
                for k, report in enumerate(reports, start=1)
            )
            SpecialPlan.objects.create(
                problem=problem,
                goals="按期完成整改。",
                measures="排查、施工、监测。",
                milestones=[{"date": str(today), "content": "完成整改"}],
                status="approved",
                submitted_by=worker,
                decided_by=coordinator,
            )
            Acceptance.objects.create(
                problem=problem,
                passed=False,
                accepted_on=today,
                method="on_site",
                opinion="整改不彻底，退回。",
                reviewer=reviewer,
            )
            Publicity.objects.create(
                problem=problem,
                starts_on=today,
                ends_on=today + dt.timedelta(days=13),
                period_rule="2_weeks",
                channel="白云区政府网站",
                objection_phone="020-00000000",
                published_by=coordinator,
            )
            for report in ProgressReport.objects.filter(problem=problem).order_by("reported_on", "pk"):
                action_log_append(
                    action="ledger.progress.reported",
                    actor=worker,
                    obj=problem,
                    payload={"report": report.pk, "progress_status": report.progress_status},
                )
