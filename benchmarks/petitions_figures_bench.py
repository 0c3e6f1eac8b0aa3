"""Petitions demo month, daily figures and repeat hotspots: how long they take.

    .venv/bin/python benchmarks/petitions_figures_bench.py              # the full demo month (1,500 cases)
    .venv/bin/python benchmarks/petitions_figures_bench.py --cases 300 --scale 20000

1. A fresh SQLite database under benchmarks/out/, migrated; Baiyun's structure and the demo people loaded;
   then ``ecoinspect.petitions.demo.load`` — the demo inspection month, every case walked through the
   services — timed (wall and CPU), with the number of cases, service-written ActionLog entries and
   ChangeLog rows.
2. The figures page's numbers (``stats.round_figures``: the day and since stationing) and the hotspots
   (``hotspots.hotspots``) over the demo month, as the leader sees them, median of 5 runs, with their
   query counts.
3. The hotspots again over ``--scale`` more cases: the demo's texts copied under new numbers into an
   earlier round with ``bulk_create`` — **seeding bypasses the services** — to show how the list grows with
   the whole history: the first request (every new text read) and the next ones (the keys of a text are
   remembered in the process until the gazetteer changes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT = BENCH_DIR / "out"


def _timed(fn, runs: int = 5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result, queries = [], None, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - began)
        queries = len(captured)
    return statistics.median(times), queries, result


def _seed_history(scale: int) -> int:
    """Copies of the demo's complaints under new numbers in one more round (bulk, no services)."""
    import datetime as dt

    from ecoinspect.petitions import numbers, repeats
    from ecoinspect.petitions.models import InspectionRound, Petition

    rows = list(Petition.objects.values("complaint_text", "region_text", "problem_types", "sub_tags", "town_id"))
    rnd = InspectionRound.objects.create(name="基准测试历史轮次", number=1, stationed_on=dt.date(2017, 5, 1))
    batch = []
    for i in range(scale):
        row = rows[i % len(rows)]
        number = f"X1GD20170601{i:06d}"
        text = f"{row['complaint_text']}（第{i}次反映）"  # a text of its own: read afresh, not remembered
        batch.append(Petition(round=rnd, acceptance_no=number, acceptance_key=numbers.normalise(number),
                              received_on=dt.date(2017, 6, 1) + dt.timedelta(days=i % 30),
                              **(row | {"complaint_text": text})))
    Petition.objects.bulk_create(batch, batch_size=2000)
    repeats.refresh_signatures()  # the repeat engine's signatures, as registration writes them
    return Petition.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1500, help="cases of the demo month (default 1500)")
    parser.add_argument("--scale", type=int, default=20000, help="history cases for the hotspots at scale")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    path = OUT / "petitions-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    import django

    django.setup()
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from ecoinspect.audit.models import ActionLog, ChangeLog
    from ecoinspect.core.demo import load_people
    from ecoinspect.orgs.models import User
    from ecoinspect.petitions import demo, hotspots, stats
    from ecoinspect.petitions.models import InspectionRound, Petition
    from ecoinspect.petitions.selectors import figures_queryset

    call_command("migrate", verbosity=0)
    call_command("orgs", "load-structure", stdout=io.StringIO())
    load_people()
    logged, changes = ActionLog.objects.count(), ChangeLog.objects.count()
    wall, cpu = time.perf_counter(), time.process_time()
    demo.load(io.StringIO(), cases=args.cases)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    cases = Petition.objects.count()
    print(f"demo month: {cases} cases in {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({1000 * cpu / cases:.0f} ms CPU a case); "
          f"{ActionLog.objects.count() - logged} ActionLog entries, {ChangeLog.objects.count() - changes} ChangeLog rows")

    leader = User.objects.get(username="leader")
    current = InspectionRound.objects.get(is_current=True)
    today = timezone.localdate()
    seconds, queries, _rf = _timed(lambda: stats.round_figures(figures_queryset(user=leader), rnd=current, day=today))
    print(f"figures (day + since stationing, {cases} cases): {1000 * seconds:.0f} ms, {queries} queries")
    seconds, queries, found = _timed(lambda: hotspots.hotspots(figures_queryset(user=leader), user=leader))
    print(f"hotspots over {cases} cases: {1000 * seconds:.0f} ms, {queries} queries, {len(found)} hotspots")
    if args.scale:
        total = _seed_history(args.scale)
        first, _q, _f = _timed(lambda: hotspots.hotspots(figures_queryset(user=leader), user=leader), runs=1)
        seconds, queries, found = _timed(lambda: hotspots.hotspots(figures_queryset(user=leader), user=leader), runs=3)
        print(f"hotspots over {total} cases: first {1000 * first:.0f} ms (new texts read), then {1000 * seconds:.0f} ms"
              f" (keys remembered), {queries} queries, {len(found)} hotspots")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
