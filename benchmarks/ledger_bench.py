"""Ledger benchmark (issue #4): list, dashboard and problem pages at 100,000 problems, import and export,
against django-helpdesk 2.6.1 seeded the same way on the same machine.

    .venv/bin/python benchmarks/ledger_bench.py                 # the issue's figures: both databases + peer
    .venv/bin/python benchmarks/ledger_bench.py --db sqlite --quick --no-peer

Targets (issue #4): with 100,000 problems, 500,000 progress reports and 24 + 12 units, a unit's list page
≤ 70 ms and the district dashboard ≤ 150 ms at the 95th percentile (server time, ≥ 200 requests each), at
most 15 queries a page whatever the page size or the number of rows; a problem's page with 50 progress
reports ≤ 100 ms; importing a 10,000-row Excel ledger (validate + commit) < 20 s, exporting it < 10 s.

Each database runs in its own process (``--worker``): a fresh database (SQLite file under
benchmarks/out/, PostgreSQL ``ecoinspect_bench`` on 127.0.0.1:5432 as postgres), migrated, seeded with
``bulk_create`` — **seeding bypasses the services** (see ledger_seed.py) — then every page is requested
through Django's test ``Client`` (server time: middleware, view, queries and template rendering, no
network), with ``CaptureQueriesContext`` counting the queries. The peer runs in its own virtualenv
(benchmarks/out/peer-venv) with a project generated under benchmarks/out/peer-project (see ledger_peer.py).
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
TARGETS = {"unit_list": 70.0, "dashboard": 150.0, "detail": 100.0}
MAX_QUERIES = 15


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{OUT / 'ledger-bench.sqlite3'}"
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG_DB}"


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

    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    results: dict = {"db": args.db}
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    say(
        f"[{args.db}] migrated in {time.monotonic() - t0:.1f} s; seeding (bulk_create, bypassing the services)"
    )
    from ledger_seed import seed

    seeded = seed(problems=args.problems, reports=args.reports, out=say)
    results["seed"] = {**seeded.counts, "seconds": round(seeded.seconds, 1), "units": len(seeded.units)}
    say(f"[{args.db}] seeded in {seeded.seconds:.1f} s: {seeded.counts}")
    results["pages"] = pages(args, seeded, say)
    if not args.skip_io:
        results["io"] = import_export(args, seeded, say)
    return results


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
        with CaptureQueriesContext(connection) as ctx:
            get(user, url)
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
        return len(ctx.captured_queries), [(float(q["time"]) * 1000, q["sql"][:160]) for q in slowest]

    units = seeded.units
    rows = _unit_rows(units)
    # -- a unit's own list, as that unit's staff, going round all 36 units
    urls = [(seeded.staff[u.pk], reverse("ledger:unit_problems", args=[u.pk])) for u in units]
    samples = time_calls(
        lambda i: get(*urls[i % len(urls)], b"BM-"), requests=args.requests, warmup=len(urls)
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
        **summary(samples),
        "queries": counts,
        "rows_per_unit": [min(rows.values()), max(rows.values())],
        "slowest_queries": slowest,
    }
    say(f"[{args.db}] unit list: p95 {fmt_ms(results['unit_list']['p95'])}")

    # -- the district list filtered to one unit, as a leader (the same filter, district-wide scope)
    leader_urls = [f"{reverse('ledger:problem_list')}?unit={u.pk}" for u in units]
    samples = time_calls(
        lambda i: get(seeded.leader, leader_urls[i % len(leader_urls)], b"BM-"),
        requests=args.requests,
        warmup=5,
    )
    n, _ = count_queries(seeded.leader, leader_urls[0])
    results["district_list_unit_filter"] = {**summary(samples), "queries": {"leader ?unit=": n}}

    # -- the leaders' dashboard
    url = reverse("ledger:district_dashboard")
    samples = time_calls(lambda i: get(seeded.leader, url), requests=args.requests, warmup=3)
    n, slowest = count_queries(seeded.leader, url)
    results["dashboard"] = {**summary(samples), "queries": {"leader": n}, "slowest_queries": slowest}
    say(f"[{args.db}] dashboard: p95 {fmt_ms(results['dashboard']['p95'])}")

    # -- a problem's page with 50 progress reports, as the inspection office
    detail_urls = [reverse("ledger:problem_detail", args=[pk]) for pk in seeded.detail_ids]
    samples = time_calls(
        lambda i: get(seeded.coordinator, detail_urls[i % len(detail_urls)]), requests=args.requests, warmup=5
    )
    n, slowest = count_queries(seeded.coordinator, detail_urls[0])
    results["detail"] = {**summary(samples), "queries": {"coordinator": n}, "slowest_queries": slowest}
    say(f"[{args.db}] problem page: p95 {fmt_ms(results['detail']['p95'])}")
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
        from ecoinspect.core.imports import import_job_commit, import_job_create, import_job_validate
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
    say(f"[{args.db}] import {rows:,} rows: validate {validate_s:.1f} s + commit {commit_s:.1f} s")

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
    response = client.get(f"{reverse('ledger:problem_list')}?q=IMP-&format=xlsx")
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


def _all_units():
    from ecoinspect.orgs.models import Unit

    return Unit.objects.exclude(kind__in=("town", "subdistrict", "department"))


# --- the parent: run the workers and the peer, print everything -------------------------------------------


def run_worker(db: str, args) -> dict:
    fresh_database(db)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "DJANGO_SETTINGS_MODULE": "ecoinspect.config.settings.base",
        "ECOINSPECT_DEBUG": "0",
        "ECOINSPECT_ALLOWED_HOSTS": "testserver,localhost",
        "ECOINSPECT_VAR_DIR": str(OUT / f"var-{db}"),
        "ECOINSPECT_MEDIA_ROOT": str(OUT / f"media-{db}"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    (OUT / f"var-{db}" / "static").mkdir(parents=True, exist_ok=True)  # whitenoise wants STATIC_ROOT to exist
    result_file = OUT / f"ledger-{db}.json"
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(Path(__file__)),
        "--worker",
        "--db",
        db,
        "--problems",
        str(args.problems),
        "--reports",
        str(args.reports),
        "--requests",
        str(args.requests),
        "--io-rows",
        str(args.io_rows),
        "--json-out",
        str(result_file),
        *(["--skip-io"] if args.skip_io else []),
    ]
    proc = subprocess.run(command, env=env, cwd=ROOT)
    if proc.returncode != 0 or not result_file.exists():
        return {"db": db, "error": f"worker exited with {proc.returncode}"}
    return json.loads(result_file.read_text())


def _ratio(ours: float, theirs: float | None) -> str:
    if not theirs or theirs != theirs:
        return "—"
    return f"{theirs / ours:.1f}× faster" if ours <= theirs else f"{ours / theirs:.1f}× slower"


def report(args, ours: dict, peer: dict) -> None:
    print()
    print("=" * 100)
    print(
        f"Ledger benchmark — {args.problems:,} problems, {args.reports:,} progress reports, 36 units "
        f"(24 towns/subdistricts + 12 departments), ≥ {args.requests} requests a page"
    )
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; server time through Django's test Client")
    print("=" * 100)
    for db, result in ours.items():
        print(f"\n## {db}")
        if "error" in result:
            print(f"  our worker failed: {result['error']}")
            continue
        s = result["seed"]
        print(
            f"seeded (bulk_create, bypassing the services): {s['problems']:,} problems, {s['reports']:,} reports, "
            f"{s['actionlog']:,} ActionLog entries in {s['seconds']} s"
        )
        p = result["pages"]
        peer_db = peer.get(db, {})
        rows = [
            ("unit list (own unit, staff)", "unit_list", "queue_list", TARGETS["unit_list"]),
            ("district list ?unit= (leader)", "district_list_unit_filter", None, None),
            ("district dashboard (leader)", "dashboard", "dashboard", TARGETS["dashboard"]),
            ("problem page, 50 reports", "detail", "ticket_detail", TARGETS["detail"]),
        ]
        print(
            f"{'page':32} {'n':>5} {'p50':>9} {'p95':>9} {'max':>9} {'queries':>8} {'target':>9}  "
            f"{'peer p95':>9}  ratio (p95)"
        )
        for label, key, peer_key, target in rows:
            r = p[key]
            queries = max(r["queries"].values())
            peer_row = (peer_db.get("pages") or {}).get(peer_key) if peer_key else None
            peer_p95 = peer_row["p95"] if peer_row else None
            verdict = "" if target is None else ("ok" if r["p95"] <= target else "MISSED")
            print(
                f"{label:32} {r['n']:>5} {fmt_ms(r['p50']):>9} {fmt_ms(r['p95']):>9} {fmt_ms(r['max']):>9} "
                f"{queries:>8} {(f'≤ {target:.0f} ms {verdict}') if target else '':>9}  "
                f"{fmt_ms(peer_p95) if peer_p95 else '—':>9}  {_ratio(r['p95'], peer_p95)}"
            )
        counts = p["unit_list"]["queries"]
        distinct = sorted(set(counts.values()))
        print(
            f"unit list queries by page size / page / unit size ({p['unit_list']['rows_per_unit'][0]:,}–"
            f"{p['unit_list']['rows_per_unit'][1]:,} rows a unit): {distinct} "
            f"({'constant' if len(distinct) == 1 else 'VARIES'}; ≤ {MAX_QUERIES}: "
            f"{'ok' if max(distinct) <= MAX_QUERIES else 'MISSED'})"
        )
        for key in ("unit_list", "dashboard", "detail"):
            print(
                f"  slowest queries, {key}: "
                + "; ".join(f"{ms:.1f} ms" for ms, _sql in p[key]["slowest_queries"])
            )
        io = result.get("io")
        if io is None:
            pass
        elif "skipped" in io or "failed" in io:
            print(f"import/export: {io.get('skipped') or io.get('failed')}")
        else:
            print(
                f"import {io['rows']:,} rows: validate {io['validate_s']:.1f} s + commit {io['commit_s']:.1f} s = "
                f"{io['import_s']:.1f} s (target < 20 s: {'ok' if io['import_s'] < 20 else 'MISSED'})"
            )
            print(
                f"export {io['exported_rows']:,} rows: progress table .xlsx {io['export_xlsx_s']:.1f} s "
                f"(target < 10 s: {'ok' if io['export_xlsx_s'] < 10 else 'MISSED'}), .docx {io['export_docx_s']:.1f} s, "
                f"list page ?format=xlsx {io['list_page_xlsx_s']:.1f} s (HTTP {io['list_page_xlsx_status']})"
            )
        if peer_db.get("error"):
            print(f"peer (django-helpdesk 2.6.1): not measured — {peer_db['error']}")
        elif peer_db:
            ps = peer_db["seed"]
            print(
                f"peer django-helpdesk {peer_db.get('version', '2.6.1')} (Django {peer_db.get('django')}): seeded "
                f"{ps['tickets']:,} tickets, {ps['followups']:,} follow-ups, {ps['queues']} queues in {ps['seconds']} s"
            )
            for key, r in peer_db["pages"].items():
                print(
                    f"  peer {key:28} n={r['n']:>4} p50 {fmt_ms(r['p50']):>9} p95 {fmt_ms(r['p95']):>9} "
                    f"max {fmt_ms(r['max']):>9} queries {r.get('queries', '—')}"
                    + (f"  ({r['note']})" if r.get("note") else "")
                )
    if isinstance(peer.get("_error"), str):
        print(f"\npeer (django-helpdesk 2.6.1): not measured — {peer['_error']}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests a page (after warm-up)")
    parser.add_argument("--io-rows", type=int, default=10_000, help="rows of the import/export test")
    parser.add_argument("--quick", action="store_true", help="10,000 problems, 50,000 reports, 50 requests")
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--skip-io", action="store_true", help="skip the import/export test")
    parser.add_argument(
        "--peer-budget",
        type=float,
        default=300.0,
        help="seconds a peer page may take in all; a page slower than that gets fewer than --requests "
        "(at least 20), and the number made is printed",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
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
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    ours, peer = {}, {}
    started = time.monotonic()
    for db in dbs:
        ours[db] = run_worker(db, args)
    if not args.no_peer:
        import ledger_peer

        try:
            python = ledger_peer.ensure_venv(OUT)
        except ledger_peer.PeerUnavailable as exc:
            peer["_error"] = str(exc)
        else:
            for db in dbs:
                peer[db] = ledger_peer.run(python, db, args, OUT)
    report(args, ours, peer)
    print(f"whole run: {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
