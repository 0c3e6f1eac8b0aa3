"""Ledger benchmark (issues #4 and #10): list, dashboard and problem pages at 100,000 problems — and at
1,000,000 with ``--scale 100k,1m`` —, import and export, against django-helpdesk 2.6.1 seeded the same way
on the same machine.

    .venv/bin/python benchmarks/ledger_bench.py                 # the issue's figures: both databases + peer
    .venv/bin/python benchmarks/ledger_bench.py --db sqlite --quick --no-peer
    .venv/bin/python benchmarks/ledger_bench.py --db postgres --scale 100k,1m --skip-io   # how pages grow

Targets (issue #4): with 100,000 problems, 500,000 progress reports and 24 + 12 units, a unit's list page
≤ 70 ms and the district dashboard ≤ 150 ms at the 95th percentile (server time, ≥ 200 requests each), at
most 15 queries a page whatever the page size or the number of rows; a problem's page with 50 progress
reports ≤ 100 ms; importing a 10,000-row Excel ledger (validate + commit) < 20 s, exporting it < 10 s.
Issue #10: the unit list ≤ 30 ms at 100,000 (5× ahead of the peer's queue list) and ≤ 70 ms at 1,000,000
problems / 5,000,000 reports over the same 36 units, the dashboard ≤ 150 ms at 1,000,000; queries unchanged.

Each database runs in its own process (``--worker``): a fresh database (SQLite file under
benchmarks/out/, PostgreSQL ``ecoinspect_bench`` on 127.0.0.1:5432 as postgres), migrated, seeded with
``bulk_create`` — **seeding bypasses the services** (see ledger_seed.py) — then every page is requested
through Django's test ``Client`` (server time: middleware, view, queries and template rendering, no
network), with ``CaptureQueriesContext`` counting the queries. The peer runs in its own virtualenv
(benchmarks/out/peer-venv) with a project generated under benchmarks/out/peer-project (see ledger_peer.py).
After the pages, the maintained counts are checked (ledger_checks.py) and the report (ledger_report.py)
prints every figure, the targets, the ratio to the peer and, with several scale points, each page's growth.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out"
sys.path.insert(0, str(BENCH_DIR))

from ledger_timing import fmt_ms, summary, time_calls  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_DB = "ecoinspect_bench"


def sqlite_file(label: str = "") -> Path:
    return OUT / (f"ledger-bench-{label}.sqlite3" if label else "ledger-bench.sqlite3")


def pg_name(base: str, label: str = "") -> str:
    """The PostgreSQL database of a scale point: ``base`` for the issue's 100 k, ``base_1m`` for 1 M."""
    return f"{base}_{label}" if label else base


def database_url(db: str, name: str = PG_DB, label: str = "") -> str:
    if db == "sqlite":
        return f"sqlite:///{sqlite_file(label)}"
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def fresh_database(db: str, name: str | None = None, sqlite_path: Path | None = None) -> None:
    """Drop and re-create the benchmark database (SQLite: delete the file and its WAL)."""
    if db == "sqlite":
        path = sqlite_path or OUT / "ledger-bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name or PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name or PG_DB}"')


# --- the worker: one database, in its own process ---------------------------------------------------------


def worker(args) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    django.setup()
    from django.core.management import call_command

    from ledger_seed import seed, seeded_database

    tag = f"{args.db} {args.label}"
    say = lambda text: print(f"[{tag}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    results: dict = {"db": args.db, "label": args.label, "problems": args.problems}
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    say(f"migrated in {time.monotonic() - t0:.1f} s")
    seeded = seeded_database(problems=args.problems, reports=args.reports) if args.reuse else None
    if seeded is None:
        say(f"seeding {args.problems:,} problems (bulk_create, bypassing the services)")
        seeded = seed(problems=args.problems, reports=args.reports, out=say)
        say(f"seeded in {seeded.seconds:.1f} s: {seeded.counts}")
    else:
        say(f"kept the seeded database (--reuse): {seeded.counts}")
    results["seed"] = {
        **seeded.counts,
        "seconds": round(seeded.seconds, 1),
        "units": len(seeded.units),
        "reused": seeded.reused,
        "tallies_seconds": seeded.tallies_seconds,
    }
    if args.seed_only:
        return results
    results["pages"] = pages(args, seeded, say)
    if args.no_checks:  # a later round: the pages only
        return results
    results["counts_check"] = check_counts(seeded, say)
    if not args.skip_io:
        results["io"] = import_export(args, seeded, say)
    return results


def check_counts(seeded, say) -> dict | None:
    """The maintained counts against a recount and the dashboard against the scan it replaced, after a few
    service operations on the seeded data (see ledger_checks.py)."""
    from ledger_checks import counts_check

    result = counts_check(seeded)
    if result is not None:
        say(f"counts check: {result['verdict']}")
    return result


def _unit_rows(units) -> dict[int, int]:
    from django.db.models import Q

    from ecoinspect.ledger.models import Problem

    through = Problem.cooperating_units.through
    rows = {}
    for unit in units:
        coop = through.objects.filter(unit=unit).values("problem_id")
        rows[unit.pk] = Problem.objects.filter(Q(lead_unit=unit) | Q(pk__in=coop)).count()
    return rows


def pages(args, seeded, say) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    results = {}
    clients = {}

    def client_for(user):
        if user.pk not in clients:
            client = Client()
            client.force_login(user)
            clients[user.pk] = client
        return clients[user.pk]

    def get(user, url, expect=b""):
        response = client_for(user).get(url)
        if response.status_code != 200 or (expect and expect not in response.content):
            raise RuntimeError(f"{url} as {user}: HTTP {response.status_code}")
        return response

    def count_queries(user, url) -> tuple[int, list]:
        get(user, url)  # a session idle for ECOINSPECT_SESSION_REFRESH_SECONDS is renewed (a write) here
        with CaptureQueriesContext(connection) as ctx:
            get(user, url)
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
        return len(ctx.captured_queries), [(float(q["time"]) * 1000, q["sql"][:160]) for q in slowest]

    units = seeded.units
    rows = _unit_rows(units)
    # -- a unit's own list, as that unit's staff, going round all 36 units
    urls = [(seeded.staff[u.pk], reverse("ledger:unit_problems", args=[u.pk])) for u in units]
    cpu: list = []
    samples = time_calls(
        lambda i: get(*urls[i % len(urls)], b"BM-"), requests=args.requests, warmup=len(urls), cpu_out=cpu
    )
    smallest = min(units, key=lambda u: rows[u.pk])
    largest = max(units, key=lambda u: rows[u.pk])
    counts = {}
    for unit in (smallest, largest):
        base = reverse("ledger:unit_problems", args=[unit.pk])
        for per_page in (10, 50, 200, 500):
            last = -(-rows[unit.pk] // per_page)
            for page in (1, last):
                n, slow = count_queries(seeded.staff[unit.pk], f"{base}?per_page={per_page}&page={page}")
                counts[f"{unit.code} ({rows[unit.pk]} rows) per_page={per_page} page={page}"] = n
    _, slowest = count_queries(seeded.staff[largest.pk], reverse("ledger:unit_problems", args=[largest.pk]))
    results["unit_list"] = {
        **summary(samples, cpu),
        "queries": counts,
        "rows_per_unit": [min(rows.values()), max(rows.values())],
        "slowest_queries": slowest,
    }
    say(f"unit list: p95 {fmt_ms(results['unit_list']['p95'])}")

    # -- the district list filtered to one unit, as a leader (the same filter, district-wide scope)
    leader_urls = [f"{reverse('ledger:problem_list')}?unit={u.pk}" for u in units]
    cpu = []
    samples = time_calls(
        lambda i: get(seeded.leader, leader_urls[i % len(leader_urls)], b"BM-"),
        requests=args.requests,
        warmup=5,
        cpu_out=cpu,
    )
    n, _ = count_queries(seeded.leader, leader_urls[0])
    results["district_list_unit_filter"] = {**summary(samples, cpu), "queries": {"leader ?unit=": n}}

    # -- the leaders' dashboard
    url = reverse("ledger:district_dashboard")
    cpu = []
    samples = time_calls(lambda i: get(seeded.leader, url), requests=args.requests, warmup=3, cpu_out=cpu)
    n, slowest = count_queries(seeded.leader, url)
    results["dashboard"] = {**summary(samples, cpu), "queries": {"leader": n}, "slowest_queries": slowest}
    say(f"dashboard: p95 {fmt_ms(results['dashboard']['p95'])}")

    # -- a problem's page with 50 progress reports, as the inspection office
    detail_urls = [reverse("ledger:problem_detail", args=[pk]) for pk in seeded.detail_ids]
    cpu = []
    samples = time_calls(
        lambda i: get(seeded.coordinator, detail_urls[i % len(detail_urls)]),
        requests=args.requests,
        warmup=5,
        cpu_out=cpu,
    )
    n, slowest = count_queries(seeded.coordinator, detail_urls[0])
    results["detail"] = {**summary(samples, cpu), "queries": {"coordinator": n}, "slowest_queries": slowest}
    say(f"problem page: p95 {fmt_ms(results['detail']['p95'])}")
    reset_queries()
    return results


# --- import and export of 10,000 rows -----------------------------------------------------------------------


def _ledger_xlsx(importer_cls, rows: int, units, today, prefix: str = "IMP") -> bytes:
    """A 10,000-row ledger in the importer's own column layout (Chinese headers), as a unit would fill it;
    its numbers are ``<prefix>-<year>-<row>``."""
    import io
    import random

    from django.utils import translation
    from openpyxl import Workbook

    from ecoinspect.common.choices import ProblemType
    from ecoinspect.ledger.choices import HandlingMode, ProblemSource, Severity
    from ledger_seed import RIVERS, TOPICS

    rng = random.Random(4)
    towns = [u for u in units if u.kind in ("town", "subdistrict")]
    by_code = {u.code: u for u in units}
    with translation.override("zh-hans"):
        headers = [str(c.header) for c in importer_cls.columns]
        keys = [c.key for c in importer_cls.columns]
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(importer_cls.sheet_name or "整改台账"))
        sheet.append(headers)
        for i in range(rows):
            topic, types, dept = TOPICS[i % len(TOPICS)]
            town = towns[i % len(towns)]
            river = RIVERS[rng.randrange(len(RIVERS))]
            lead = town if i % 3 == 0 else by_code[dept]
            values = {
                "number": f"{prefix}-{today:%Y}-{i + 1:05d}",
                "title": f"{town.short_name}{river}沿线{topic}",
                "description": f"导入测试：{town.short_name}{river}沿线{topic}，需限期整改。",
                "source": str(ProblemSource.label(ProblemSource.values()[i % 7])),
                "source_ref": f"{prefix}-REF-{i:05d}",
                "problem_types": "、".join(str(ProblemType.label(t)) for t in types),
                "severity": str(Severity.label("general")),
                "is_key": "否",
                "is_complex": "否",
                "handling_mode": str(HandlingMode.label("deadline")),
                "address": f"广州市白云区{town.short_name}{river}沿线",
                "town": town.short_name,
                "lead_unit": lead.short_name,
                "cooperating_units": by_code[dept].short_name if lead is town else town.short_name,
                "acceptance_unit": by_code["sthj"].short_name,
                "responsible_leader": "分管领导",
                "responsible_person": "经办人",
                "contact_phone": f"020-0000{i % 10000:04d}",
                "target": f"{topic}问题整改到位。",
                "deadline": (today + __import__("datetime").timedelta(days=30 + i % 200)).isoformat(),
                "registered_on": today.isoformat(),
            }
            sheet.append([values.get(key, "") for key in keys])
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def import_export(args, seeded, say) -> dict:
    try:
        from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
        from ecoinspect.ledger import exporters
        from ecoinspect.ledger.importers import LedgerImporter
    except ImportError as exc:
        return {"skipped": f"import/export functions not available: {exc}"}
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from ecoinspect.common.models import ImportStatus
    from ecoinspect.ledger import selectors

    rows = args.io_rows
    data = _ledger_xlsx(LedgerImporter, rows, list(seeded.units) + list(_all_units()), dt.date.today())
    actor = seeded.coordinator
    t0 = time.perf_counter()
    job = import_job_create(
        actor=actor, kind=LedgerImporter.kind, uploaded=SimpleUploadedFile("台账导入.xlsx", data)
    )
    import_job_validate(job)
    job.refresh_from_db()
    validate_s = time.perf_counter() - t0
    if job.status != ImportStatus.VALID:
        return {"failed": f"validation: {job.status}, {job.error_count} errors, first: {job.errors[:3]}"}
    t1 = time.perf_counter()
    summary_ = import_job_commit(actor=actor, job=job)
    commit_s = time.perf_counter() - t1
    say(f"import {rows:,} rows: validate {validate_s:.1f} s + commit {commit_s:.1f} s")

    qs = selectors.problem_list(user=actor).filter(number__startswith="IMP-")
    exported = qs.count()
    t2 = time.perf_counter()
    xlsx = exporters.progress_table_xlsx(qs)
    xlsx_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    docx = exporters.progress_table_docx(qs)
    docx_s = time.perf_counter() - t3
    client = Client()
    client.force_login(actor)
    t4 = time.perf_counter()
    response = _list_export(client, f"{reverse('ledger:problem_list')}?q=IMP-&format=xlsx")
    list_s = time.perf_counter() - t4
    say(
        f"[{args.db}] export {exported:,} rows: xlsx {xlsx_s:.1f} s, docx {docx_s:.1f} s, list page xlsx {list_s:.1f} s"
    )
    return {
        "rows": rows,
        "validate_s": validate_s,
        "commit_s": commit_s,
        "import_s": validate_s + commit_s,
        "created": summary_.get("created", summary_) if isinstance(summary_, dict) else summary_,
        "exported_rows": exported,
        "export_xlsx_s": xlsx_s,
        "export_xlsx_bytes": len(xlsx),
        "export_docx_s": docx_s,
        "export_docx_bytes": len(docx),
        "list_page_xlsx_s": list_s,
        "list_page_xlsx_status": response.status_code,
    }


def _list_export(client, url: str):
    """The list page's .xlsx as a person gets it: above ECOINSPECT_EXPORT_BACKGROUND_ROWS the page answers
    with the export's own page (the job, built by the worker — inline under the benchmark's immediate tasks
    backend), whose download link gives the file; the time covers both."""
    from django.urls import resolve, reverse

    response = client.get(url)
    if response.status_code == 302 and resolve(response["Location"]).url_name == "job":
        job_id = resolve(response["Location"]).kwargs["pk"]
        response = client.get(reverse("exports:download", args=[job_id]))
        b"".join(response.streaming_content)  # the file read to its end, as a browser does
    return response


def _all_units():
    from ecoinspect.orgs.models import Unit

    return Unit.objects.exclude(kind__in=("town", "subdistrict", "department"))


# --- the parent: run the workers and the peer, print everything -------------------------------------------


SCALE_POINTS = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1m": 1_000_000}


def scale_points(text: str | None, args) -> list[tuple[str, int, int]]:
    """(label, problems, reports) of each point: ``--scale 100k,1m`` — 5 progress reports a problem, as the
    issue measured — or the one point of ``--problems`` / ``--reports``."""
    if not text:
        return [("", args.problems, args.reports)]
    points = []
    for label in (part.strip().lower() for part in text.split(",") if part.strip()):
        if label not in SCALE_POINTS:
            raise SystemExit(f"--scale: unknown point {label!r} (known: {', '.join(SCALE_POINTS)})")
        points.append((label, SCALE_POINTS[label], 5 * SCALE_POINTS[label]))
    return points


def merge_rounds(first: dict | None, later: dict) -> dict:
    """The pages of a later round added to the first round's samples (query counts, checks and the seed
    stay the first round's)."""
    if first is None or "error" in first:
        return later
    if "error" in later:
        return first
    from ledger_timing import summary

    for key, page in first["pages"].items():
        more = later["pages"][key]
        samples, cpu = page["samples"] + more["samples"], page["cpu"] + more["cpu"]
        page.update(summary(samples, cpu))
    first["rounds"] = first.get("rounds", 1) + 1
    return first


def _db_label(label: str) -> str:
    """The 100 k point keeps the issue's database name; the others get theirs (``…_1m``)."""
    return "" if label in ("", "100k") else label


def _exists(db: str, name: str, label: str) -> bool:
    if db == "sqlite":
        return sqlite_file(label).exists()
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def run_worker(
    db: str,
    args,
    label: str = "",
    problems: int | None = None,
    reports: int | None = None,
    later_round: bool = False,
) -> dict:
    """One worker process on one database; a ``later_round`` keeps the database and times the pages only."""
    problems = problems or args.problems
    reports = reports or args.reports
    db_label = _db_label(label)
    name = pg_name(args.pg_db, db_label)
    if not ((args.reuse or later_round) and _exists(db, name, db_label)):
        fresh_database(db, name=name, sqlite_path=sqlite_file(db_label))
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db, name, db_label),
        "DJANGO_SETTINGS_MODULE": "ecoinspect.config.settings.base",
        "ECOINSPECT_DEBUG": "0",
        "ECOINSPECT_ALLOWED_HOSTS": "testserver,localhost",
        "ECOINSPECT_VAR_DIR": str(OUT / f"var-{db}"),
        "ECOINSPECT_MEDIA_ROOT": str(OUT / f"media-{db}"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    (OUT / f"var-{db}" / "static").mkdir(parents=True, exist_ok=True)  # whitenoise wants STATIC_ROOT to exist
    result_file = OUT / f"ledger-{db}{'-' + label if label else ''}.json"
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(Path(__file__)),
        "--worker",
        "--db",
        db,
        "--label",
        label or f"{problems // 1000}k",
        "--problems",
        str(problems),
        "--reports",
        str(reports),
        "--requests",
        str(max(args.requests // args.rounds, 20)),
        "--io-rows",
        str(args.io_rows),
        "--json-out",
        str(result_file),
        *(["--skip-io"] if args.skip_io else []),
        *(["--reuse"] if args.reuse or later_round else []),
        *(["--seed-only"] if args.seed_only else []),
        *(["--no-checks", "--skip-io"] if later_round else []),
    ]
    proc = subprocess.run(command, env=env, cwd=ROOT)
    if proc.returncode != 0 or not result_file.exists():
        return {"db": db, "error": f"worker exited with {proc.returncode}"}
    return json.loads(result_file.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=500_000)
    parser.add_argument(
        "--scale",
        help="comma-separated sizes, e.g. 100k,1m (5 reports a problem, 36 units): each point in its own "
        "database, then how every page grows from the first point to the others. The peer runs at the "
        "first point only. Default: the one point of --problems / --reports",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests a page (after warm-up)")
    parser.add_argument("--io-rows", type=int, default=10_000, help="rows of the import/export test")
    parser.add_argument("--quick", action="store_true", help="10,000 problems, 50,000 reports, 50 requests")
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--skip-io", action="store_true", help="skip the import/export test")
    parser.add_argument(
        "--pg-db",
        default=PG_DB,
        help=f"PostgreSQL database (default {PG_DB}; the 1 M point adds _1m, the peer's adds _helpdesk)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database already seeded at the same size instead of seeding it again (the 1 M seed "
        "takes about 10 minutes); pending migrations are applied to it",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="time the pages in this many rounds, going round the scale points (and databases) in turn, "
        "--requests spread over them: on a shared machine every point then meets the same load",
    )
    parser.add_argument(
        "--seed-only",
        action="store_true",
        help="seed the databases and stop (measure them later with --reuse)",
    )
    parser.add_argument(
        "--peer-budget",
        type=float,
        default=300.0,
        help="seconds a peer page may take in all; a page slower than that gets fewer than --requests "
        "(at least 20), and the number made is printed",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--no-checks", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.problems, args.reports, args.requests, args.io_rows = 10_000, 50_000, 50, 2_000
    OUT.mkdir(parents=True, exist_ok=True)
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        result = worker(args)
        Path(args.json_out).write_text(json.dumps(result, ensure_ascii=False, default=str))
        return
    points = scale_points(args.scale, args)
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    ours: dict = {db: {} for db in dbs}
    peer: dict = {}
    started = time.monotonic()
    for round_ in range(1 if args.seed_only else args.rounds):
        for db in dbs:
            for label, problems, reports in points:
                result = run_worker(db, args, label, problems, reports, later_round=round_ > 0)
                ours[db][label] = merge_rounds(ours[db].get(label), result)
    if args.seed_only:
        for db, by_point in ours.items():
            for label, result in by_point.items():
                print(f"{db} {label or ''}: {result.get('error') or result['seed']}")
        return
    if not args.no_peer:
        import ledger_peer

        first_label, args.problems, args.reports = points[0]
        try:
            python = ledger_peer.ensure_venv(OUT)
        except ledger_peer.PeerUnavailable as exc:
            peer["_error"] = str(exc)
        else:
            for db in dbs:
                peer[db] = ledger_peer.run(python, db, args, OUT, pg_db=f"{args.pg_db}_helpdesk")
    from ledger_report import report

    report(args, points, ours, peer)
    print(f"whole run: {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
