"""The pages where a batch is worked (issue #9): the batch page of a 300-case batch (target: under 1 s),
the case list and a case's page, on SQLite and PostgreSQL, with 10,000 earlier cases in the database.

    .venv/bin/python benchmarks/petitions_pages.py                  # both databases
    .venv/bin/python benchmarks/petitions_pages.py --db sqlite --cases 300 --history 10000

Each database runs in its own process (``--worker``): a fresh database (SQLite file under benchmarks/out/,
PostgreSQL ``ecoinspect_petitions_bench`` on 127.0.0.1:5432 as postgres), migrated, then seeded with
``bulk_create`` — **seeding bypasses the services**: the earlier cases, one batch of ``--cases`` cases with
the suggestions the importer stores for each (town, lead department, types; a possible repeat for one case
in five, with its matched passages), half of them assigned. Every page is requested through Django's test
``Client`` (server time: middleware, view, queries and template rendering), as the inspection office and as
a unit, with ``CaptureQueriesContext`` counting the queries; the 95th percentile of ``--requests`` requests
after a warm-up is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
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
PG_DB = "ecoinspect_petitions_bench"
SQLITE = OUT / "petitions-bench.sqlite3"
TARGET_BATCH_MS = 1000.0

TEXTS = [
    "{town}{place}附近餐饮店油烟直排，异味扰民，晚上尤其严重。",
    "{town}{place}旁河涌发黑发臭，疑有生活污水直排，多次反映未解决。",
    "{town}{place}工地夜间施工噪声扰民，渣土车带泥上路扬尘严重。",
    "{town}{place}有小作坊露天焚烧废旧电线，浓烟刺鼻。",
    "{town}{place}养殖场粪污直排农田，周边臭味难闻。",
]
PLACES = ["石马桥涌", "新市墟", "三元里大道", "永平街", "嘉禾望岗", "太和镇大源村", "江高镇南岗村", "人和镇蚌湖"]


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{SQLITE}"
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG_DB}"


def fresh_database(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')


def seed(*, cases: int, history: int) -> dict:
    """The earlier cases and one batch with its suggestions, written with bulk_create."""
    from django.db import connection
    from django.utils import timezone

    from ecoinspect.orgs.choices import TOWN_KINDS, UnitKind
    from ecoinspect.orgs.management.commands.orgs import load_structure
    from ecoinspect.orgs.models import Membership, Unit, User
    from ecoinspect.petitions import numbers
    from ecoinspect.petitions.choices import AssignmentRole, PetitionStatus, SuggestionKind
    from ecoinspect.petitions.models import Assignment, InspectionRound, Petition, Suggestion, TransferBatch

    rng = random.Random(20260909)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    load_structure()
    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS))
    departments = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT))
    office = Unit.objects.get(code="yingjianban")

    def person(username, unit, role):
        user = User(username=username, full_name=username)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    coordinator = person("coordinator", office, "coordinator")
    water = Unit.objects.get(code="swj")
    staff = person("water", water, "staff")
    today = timezone.localdate()
    earlier = InspectionRound.objects.create(name="第二轮中央生态环境保护督察", number=2, stationed_on=today - dt.timedelta(days=1500))
    current = InspectionRound.objects.create(name="第三轮中央生态环境保护督察", number=3, stationed_on=today - dt.timedelta(days=20), is_current=True)
    old_batch = TransferBatch.objects.create(round=earlier, number=1, received_on=earlier.stationed_on)
    batch = TransferBatch.objects.create(round=current, number=15, received_on=today, imported_by=coordinator, imported_at=timezone.now())

    def case(rnd, b, i, day):
        town = rng.choice(towns)
        number = f"{rng.choice('DX')}{rnd.number}GD{day:%Y%m%d}{i:04d}"
        return Petition(
            round=rnd, batch=b, seq=i, acceptance_no=number, acceptance_key=numbers.normalise(number),
            complaint_text=rng.choice(TEXTS).format(town=town.name, place=rng.choice(PLACES)),
            region_text=f"广州市白云区{town.name}", town=town, received_on=day, problem_types=["water"],
            status=PetitionStatus.CLOSED_OUT if rnd is earlier else PetitionStatus.RECEIVED,
        )

    Petition.objects.bulk_create(
        [case(earlier, old_batch, i, earlier.stationed_on + dt.timedelta(days=i % 30)) for i in range(1, history + 1)],
        batch_size=2000,
    )
    current_cases = Petition.objects.bulk_create([case(current, batch, i, today) for i in range(1, cases + 1)])
    olds = list(Petition.objects.filter(round=earlier).values_list("pk", "acceptance_no")[:500])
    suggestions, assignments = [], []
    for p in current_cases:
        lead = rng.choice(departments) if rng.random() > 0.3 else water
        suggestions += [
            Suggestion(petition=p, kind=SuggestionKind.TOWN, value={"unit": p.town_id, "name": p.town.name, "status": "matched"}, score=0.9, reasons=[f"行政区域含“{p.town.name}”"]),
            Suggestion(petition=p, kind=SuggestionKind.DEPARTMENT, value={"unit": lead.pk, "name": lead.name, "tied": []}, score=0.7, reasons=["三管三必须：按问题类型"]),
            Suggestion(petition=p, kind=SuggestionKind.TYPES, value={"problem_types": ["water"], "sub_tags": ["黑臭水体"]}, score=0.8, reasons=["关键词“发黑发臭”"]),
        ]
        if rng.random() < 0.2:
            pk, number = rng.choice(olds)
            suggestions.append(
                Suggestion(petition=p, kind=SuggestionKind.DUPLICATE, value={"petition": pk, "acceptance_no": number, "round": str(earlier), "matched": ["发黑发臭", "生活污水直排"], "signals": ["同一地点"]}, score=round(rng.uniform(0.6, 0.95), 2), reasons=["文本相似"])
            )
        if p.seq % 2:
            assignments.append(Assignment(petition=p, unit=lead, role=AssignmentRole.LEAD, internal_due=today + dt.timedelta(days=5), external_due=today + dt.timedelta(days=10), assigned_by=coordinator))
    Suggestion.objects.bulk_create(suggestions, batch_size=2000)
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    Petition.objects.filter(pk__in=[a.petition_id for a in assignments]).update(status=PetitionStatus.ASSIGNED)
    return {"batch": batch.pk, "case": current_cases[1].pk, "coordinator": coordinator.pk, "staff": staff.pk,
            "suggestions": len(suggestions), "water_cases": sum(1 for a in assignments if a.unit_id == water.pk)}  # fmt: skip


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: the next request's start empties the log the context reads
    assert response.status_code == 200, (url, response.status_code)
    samples = time_calls(lambda _i: client.get(url), requests=requests, warmup=2)
    return {**summary(samples), "queries": count, "bytes": len(response.content)}


def worker(args) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from ecoinspect.orgs.models import User

    call_command("migrate", verbosity=0)
    t0 = time.monotonic()
    seeded = seed(cases=args.cases, history=args.history)
    print(f"[{args.db}] seeded {args.cases} + {args.history} cases in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    office, unit = Client(), Client()
    office.force_login(User.objects.get(pk=seeded["coordinator"]))
    unit.force_login(User.objects.get(pk=seeded["staff"]))
    batch, case = seeded["batch"], seeded["case"]
    pages = {
        "batch page (office, every case)": (office, f"/petitions/batches/{batch}/"),
        "batch page (a unit, its cases)": (unit, f"/petitions/batches/{batch}/"),
        "case list (office, 50 a page)": (office, f"/petitions/?batch={batch}"),
        "case list (office, 200 a page)": (office, f"/petitions/?batch={batch}&per_page=200"),
        "a case's page (office)": (office, f"/petitions/{case}/"),
        "home with 我的待办 (a unit)": (unit, "/"),
    }
    results = {"db": args.db, "suggestions": seeded["suggestions"], "pages": {}}
    for name, (client, url) in pages.items():
        results["pages"][name] = measure(client, url, args.requests)
    results["pages"]["a click on the batch page (HTMX)"] = measure_click(office, case, args.requests)
    return results


def measure_click(client, case: int, requests: int) -> dict:
    """采纳 / 不采纳 of a town suggestion, alternately, as the batch page's buttons post it: the answer is
    the case's row and the batch's counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ecoinspect.petitions.models import Suggestion

    town = Suggestion.objects.get(petition_id=case, kind="town").pk

    def click(i: int):
        url = f"/petitions/suggestions/{town}/{'accept' if i % 2 == 0 else 'dismiss'}/"
        response = client.post(url, {"row": "1"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (url, response.status_code)
        return response

    with CaptureQueriesContext(connection) as queries:
        response = click(1)
    count = len(queries)
    samples = time_calls(click, requests=requests, warmup=2)
    return {**summary(samples), "queries": count, "bytes": len(response.content)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--history", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    OUT.mkdir(exist_ok=True)
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        fresh_database(db)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(db),
            "PYTHONPATH": str(ROOT / "src"),
            "ECOINSPECT_DEBUG": "0",
            "ECOINSPECT_ALLOWED_HOSTS": "testserver,localhost",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        command = [sys.executable, __file__, "--worker", "--db", db, "--cases", str(args.cases),
                   "--history", str(args.history), "--requests", str(args.requests)]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"{db}: the worker failed")
        print(done.stderr.strip().splitlines()[-1])
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"\n{db}: a batch of {args.cases} cases ({result['suggestions']} suggestions), {args.history:,} earlier cases")
        print(f"{'page':34} {'p50':>9} {'p95':>9} {'queries':>8} {'size':>9}")
        for name, r in result["pages"].items():
            print(f"{name:34} {fmt_ms(r['p50']):>9} {fmt_ms(r['p95']):>9} {r['queries']:>8} {r['bytes'] / 1024:>7.0f} KB")
        batch = result["pages"]["batch page (office, every case)"]["p95"]
        verdict = "met" if batch < TARGET_BATCH_MS else "NOT met"
        print(f"target: the batch page of {args.cases} cases under {TARGET_BATCH_MS:.0f} ms — {verdict} (p95 {fmt_ms(batch)})")


if __name__ == "__main__":
    main()
