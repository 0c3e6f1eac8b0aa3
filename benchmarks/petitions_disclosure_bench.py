"""Disclosure benchmark (issue #9): a 300-case batch's disclosure preview, 公开, the Word and Excel files and
the public page, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/petitions_disclosure_bench.py                  # both databases, 300 cases
    .venv/bin/python benchmarks/petitions_disclosure_bench.py --db sqlite --cases 1000

Target (issue #9): the disclosure export of 300 cases under 1 s. Each database runs in its own process: a
fresh database (SQLite file under benchmarks/out/, PostgreSQL ``ecoinspect_disclosure_bench`` on
127.0.0.1:5432 as postgres), migrated, Baiyun's structure loaded, one round and one batch whose cases are
inserted with ``bulk_create`` already approved (**seeding bypasses the services**; every case's text holds
a name, a phone number, a plate and a room number to mask). Then, as the publisher, through Django's test
``Client`` (server time: middleware, view, queries, masking, rendering, file building; no network): the
preview page, ``batch_disclose`` (every case through the workflow's ``disclose`` move, ActionLog included),
the .docx and .xlsx downloads and the public page — the best and the median of ``--repeat`` runs, and the
queries of one request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_DB = "ecoinspect_disclosure_bench"
SQLITE = OUT / "disclosure-bench.sqlite3"
TARGET_EXPORT_S = 1.0

TEXTS = (
    "举报人{name}反映，{road}{n}号{b}栋{room}房旁餐饮店油烟直排，联系电话138{phone}，夜间有粤A{plate}货车偷倒垃圾。",
    "投诉人{name}称{road}附近工地夜间施工噪声扰民，住{road}{n}号{room}室，电话020-8{phone4}。",
    "业主{name}，反映小区旁河涌发黑发臭，疑似有生活污水直排，身份证4401111990{mmdd}{id4}。",
)
NAMES = ("张伟", "李明华", "陈大文", "黄丽娟", "梁志强", "林小红", "刘建国", "吴晓敏")
ROADS = ("机场路", "黄石东路", "云城西路", "白云大道北", "同泰路", "广园中路")


def database_url(db: str) -> str:
    return f"sqlite:///{SQLITE}" if db == "sqlite" else f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG_DB}"


def fresh_database(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')


def seed(cases: int):
    """Structure, a publisher, one round, one batch of ``cases`` approved cases (bulk_create)."""
    import datetime as dt

    from django.utils import timezone

    from ecoinspect.orgs.management.commands.orgs import load_structure
    from ecoinspect.orgs.models import Membership, Unit, User
    from ecoinspect.petitions import numbers
    from ecoinspect.petitions.choices import ClosureStatus, Verdict
    from ecoinspect.petitions.choices import PetitionStatus as S
    from ecoinspect.petitions.models import InspectionRound, Petition, TransferBatch

    load_structure()
    office = Unit.objects.get(code="yingjianban")
    publisher = User(username="bench_publisher", full_name="bench_publisher")
    publisher.set_unusable_password()
    publisher.save()
    Membership.objects.create(user=publisher, unit=office, role="publisher")
    today = timezone.localdate()
    rnd = InspectionRound.objects.create(
        name="第三轮中央生态环境保护督察（基准）", number=3, stationed_on=today - dt.timedelta(days=5), is_current=True
    )
    batch = TransferBatch.objects.create(round=rnd, number=1, received_on=today)
    towns = list(Unit.objects.filter(kind__in=("town", "subdistrict")))
    rows = []
    for i in range(cases):
        text = TEXTS[i % len(TEXTS)].format(
            name=NAMES[i % len(NAMES)], road=ROADS[i % len(ROADS)], n=i % 300 + 1, b=i % 9 + 1,
            room=1001 + i % 800, phone=f"{i:08d}", phone4=f"{i % 10000000:07d}", plate=f"{10000 + i:05d}",
            mmdd=f"{i % 12 + 1:02d}{i % 28 + 1:02d}", id4=f"{i % 1000:03d}X",
        )
        number = f"D3GD{today:%Y%m%d}{i + 1:04d}"
        rows.append(
            Petition(
                round=rnd, batch=batch, seq=i + 1, acceptance_no=number, acceptance_key=numbers.normalise(number),
                complaint_text=text, region_text="广州市白云区", town=towns[i % len(towns)], problem_types=["air"],
                received_on=today, status=S.APPROVED, investigation=f"经现场核查，投诉人{NAMES[i % 8]}反映情况属实。",
                verdict=Verdict.TRUE, closure_target="立行立改。", handling="责令整改，已停止排放。",
                closure_status=ClosureStatus.CLOSED, accountability="无",
            )
        )
    Petition.objects.bulk_create(rows, batch_size=500)
    return publisher, batch


def timed(call, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return {"best_s": min(times), "median_s": statistics.median(times)}


def worker(args) -> dict:
    os.environ["DATABASE_URL"] = database_url(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ecoinspect.petitions.services import batch_disclose

    call_command("migrate", verbosity=0)
    publisher, batch = seed(args.cases)
    client = Client()
    client.force_login(publisher)
    preview_url = f"/petitions/batches/{batch.pk}/disclosure/"
    results = {"db": args.db, "cases": args.cases}

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    with CaptureQueriesContext(connection) as queries:
        get(preview_url)
    count = len(queries)  # read now: the next request resets the connection's query log
    results["preview"] = {**timed(lambda: get(preview_url), args.repeat), "queries": count}
    t0 = time.perf_counter()
    disclosure = batch_disclose(actor=publisher, batch=batch)
    results["disclose"] = {"best_s": time.perf_counter() - t0, "rows": len(disclosure.rows)}
    for kind in ("docx", "xlsx"):
        url = f"{preview_url}?format={kind}"
        with CaptureQueriesContext(connection) as queries:
            size = len(get(url).content)
        count = len(queries)
        results[kind] = {**timed(lambda url=url: get(url), args.repeat), "queries": count, "bytes": size}
    public = Client()
    public_url = f"/public/petitions/batches/{batch.pk}/"
    results["public"] = timed(lambda: public.get(public_url), args.repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    OUT.mkdir(exist_ok=True)
    dbs = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    print(f"disclosure of one batch of {args.cases} cases (best / median of {args.repeat}, server time)")
    for db in dbs:
        fresh_database(db)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ECOINSPECT_ALLOWED_HOSTS": "testserver,localhost"}
        command = [sys.executable, __file__, "--worker", "--db", db, "--cases", str(args.cases), "--repeat", str(args.repeat)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"[{db}] failed:\n{done.stderr[-3000:]}")
            continue
        report(json.loads(done.stdout.strip().splitlines()[-1]))


def report(r: dict) -> None:
    def ms(part: str) -> str:
        return f"{r[part]['best_s'] * 1000:7.0f} / {r[part]['median_s'] * 1000:7.0f} ms"

    print(f"[{r['db']}]")
    print(f"  preview page          {ms('preview')}   {r['preview']['queries']} queries")
    print(f"  公开 (batch_disclose)  {r['disclose']['best_s'] * 1000:7.0f} ms once, {r['disclose']['rows']} rows")
    for kind in ("docx", "xlsx"):
        verdict = "ok" if r[kind]["best_s"] < TARGET_EXPORT_S else "OVER TARGET"
        print(
            f"  export .{kind}          {ms(kind)}   {r[kind]['queries']} queries, {r[kind]['bytes']:,} bytes"
            f"  (target < {TARGET_EXPORT_S:.0f} s: {verdict})"
        )
    print(f"  public page           {ms('public')}")


if __name__ == "__main__":
    main()
