"""Petitions engine benchmark (issue #9): a 300-case batch suggested (town, department, types, repeats)
against 100,000 earlier cases, on SQLite and PostgreSQL; repeat search time at 10k, 30k and 100k stored
cases, and the all-pairs comparison it avoids on the same 10k.

    .venv/bin/python benchmarks/petitions_bench.py                  # both databases, 100,000 stored cases
    .venv/bin/python benchmarks/petitions_bench.py --db sqlite --stored 30000

Target (issue #9): the 300-case batch end to end under 10 s on each database; the search near-linear in the
stored cases.

Each database runs in its own process: a fresh database (SQLite file under benchmarks/out/, PostgreSQL
``ecoinspect_petitions_bench`` on 127.0.0.1:5432 as postgres), migrated, Baiyun's structure loaded. **Seeding
bypasses the services**: generated cases (petitions_seed.py: real gazetteer places, invented facilities,
each problem said several ways) are signed with the engine's own ``repeats.CaseAnchors`` and
``textsim.sign_many`` and written with ``bulk_create`` (the signature ``petition_register`` would write).
The batch holds 30 paraphrases of stored cases (same place, facility and problem, other words): how many
are found is printed too. Timed, in the worker:

* **end to end**: ``Suggester(current_round=…)`` (gazetteer, matrix, the index of every stored case from
  their signatures) and ``suggest(batch)``, as the import page and ``petitions suggest`` run it;
* **repeat search** at 10k / 30k / 100k stored cases: the index built from the stored signatures, then
  ``find_repeats`` for the batch (candidates, exact verifications and the time per stored case printed);
* **all pairs on the same 10k**: every batch case compared exactly with every stored case
  (``textsim.brute_force``, shingling included) — the work the index avoids — and the ratio;
* registering the 300 cases through ``petition_register`` (the service signs each).
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

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_DB = "ecoinspect_petitions_bench"
SQLITE = OUT / "petitions-bench.sqlite3"
TARGET_SECONDS = 10.0


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


# --- the worker ----------------------------------------------------------------------------------------


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def seed(stored: int, batch_size: int, planted: int):
    """Stored cases (bulk_create with their signatures) and the batch; returns (round, batch cases, seconds)."""
    import datetime as dt

    from django.db import connection

    from ecoinspect.common import textsim
    from ecoinspect.orgs.management.commands.orgs import load_structure
    from ecoinspect.petitions import numbers, repeats
    from ecoinspect.petitions.models import InspectionRound, Petition
    from petitions_seed import Generator

    began = time.monotonic()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark database
    load_structure()
    earlier_round = InspectionRound.objects.create(
        name="第二轮中央生态环境保护督察（生成）", number=2, stationed_on=dt.date(2021, 8, 26)
    )
    current = InspectionRound.objects.create(
        name="第三轮中央生态环境保护督察（生成）", number=3, stationed_on=dt.date(2026, 5, 10), is_current=True
    )
    gen = Generator()
    earlier = gen.earlier(stored)
    batch = gen.batch(batch_size, earlier, repeats=planted)
    anchors = repeats.CaseAnchors()
    day = dt.date(2021, 9, 1)
    for start in range(0, stored, 5000):
        chunk = earlier[start : start + 5000]
        docs = [anchors.doc(i, c.complaint_text, c.region_text, c.type_text) for i, c in enumerate(chunk)]
        sigs = textsim.sign_many(docs, repeats.SETTINGS)
        Petition.objects.bulk_create(
            [
                Petition(
                    round=earlier_round,
                    acceptance_no=c.acceptance_no,
                    acceptance_key=numbers.normalise(c.acceptance_no),
                    complaint_text=c.complaint_text,
                    region_text=c.region_text,
                    type_text=c.type_text,
                    received_on=day,
                    origin="history",
                    repeat_signature=sig.to_bytes(repeats.SETTINGS),
                )
                for c, sig in zip(chunk, sigs, strict=True)
            ],
            batch_size=2500,
        )
        _say(f"  seeded {min(start + 5000, stored):,} / {stored:,} ({time.monotonic() - began:.0f} s)")
    return current, earlier, batch, time.monotonic() - began


def _cases(batch):
    from ecoinspect.petitions.suggest import CaseText

    return [CaseText(c.acceptance_no, c.complaint_text, c.region_text, c.type_text) for c in batch]


def _planted_found(batch, earlier, found: dict) -> tuple[int, int]:
    """How many of the planted paraphrases list their original (or another stored case of the same
    complaint: the generator may have made the same one twice) among their possible repeats."""
    stored = {c.acceptance_no for c in earlier}
    by_key: dict = {}
    for c in earlier:
        by_key.setdefault(c.key, set()).add(c.acceptance_no)
    want = [c for c in batch if c.original in stored]
    hit = sum(1 for c in want if {d.acceptance_no for d in found.get(c.acceptance_no, [])} & by_key[c.key])
    return hit, len(want)


def search_at(sizes, current, earlier, batch) -> list[dict]:
    from ecoinspect.petitions import repeats
    from ecoinspect.petitions.models import Petition

    pks = list(Petition.objects.filter(origin="history").order_by("pk").values_list("pk", flat=True))
    anchors = repeats.CaseAnchors()
    cases = _cases(batch)
    out = []
    for n in sizes:
        if n > len(pks):
            continue
        t0 = time.monotonic()
        index = repeats.RepeatIndex.from_database(queryset=Petition.objects.filter(pk__lte=pks[n - 1]), anchors=anchors)
        t1 = time.monotonic()
        found = repeats.find_repeats(index, cases, current_round=current)
        t2 = time.monotonic()
        hit, want = _planted_found(batch, earlier[:n], found)
        row = {
            "stored": n,
            "build_s": round(t1 - t0, 3),
            "search_s": round(t2 - t1, 3),
            "total_s": round(t2 - t0, 3),
            "candidates": index.stats.candidates,
            "max_candidates": index.stats.max_candidates,
            "verified": index.stats.verified,
            "planted_found": f"{hit}/{want}",
        }
        _say(f"  search at {n:,}: {row}")
        out.append(row)
    return out


def all_pairs(n: int, earlier, batch) -> dict:
    from ecoinspect.common import textsim
    from ecoinspect.petitions import repeats

    anchors = repeats.CaseAnchors()
    t0 = time.monotonic()
    stored = [anchors.doc(c.acceptance_no, c.complaint_text, c.region_text, c.type_text) for c in earlier[:n]]
    docs = [anchors.doc(c.acceptance_no, c.complaint_text, c.region_text, c.type_text) for c in batch]
    found = textsim.brute_force(docs, stored, repeats.SETTINGS)
    seconds = time.monotonic() - t0
    pairs = sum(len(v) for v in found.values())
    _say(f"  all pairs at {n:,}: {seconds:.1f} s, {len(docs) * len(stored):,} comparisons, {pairs} matches")
    return {"stored": n, "seconds": round(seconds, 2), "comparisons": len(docs) * len(stored), "matches": pairs}


def end_to_end(current, earlier, batch) -> dict:
    from ecoinspect.petitions.suggest import Suggester

    cases = _cases(batch)
    t0 = time.monotonic()
    suggester = Suggester(current_round=current)
    t1 = time.monotonic()
    out = suggester.suggest(cases)
    t2 = time.monotonic()
    found = {s.acceptance_no: s.duplicates for s in out}
    hit, want = _planted_found(batch, earlier, found)
    row = {
        "init_s": round(t1 - t0, 2),
        "suggest_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "stored": len(suggester.index),
        "with_town": sum(1 for s in out if s.town),
        "with_department": sum(1 for s in out if s.department),
        "with_repeats": sum(1 for s in out if s.duplicates),
        "planted_found": f"{hit}/{want}",
        "candidates": suggester.index.stats.candidates,
        "max_candidates": suggester.index.stats.max_candidates,
        "verified": suggester.index.stats.verified,
    }
    _say(f"  end to end: {row}")
    return row


def register(current, batch) -> dict:
    import datetime as dt

    from ecoinspect.orgs.gazetteer import PlaceMatcher
    from ecoinspect.orgs.models import Membership, Unit, User
    from ecoinspect.petitions import services as svc

    user = User(username="bench_coordinator", full_name="bench_coordinator")
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, unit=Unit.objects.get(code="yingjianban"), role="coordinator")
    t0 = time.monotonic()
    matcher = PlaceMatcher()
    rows = svc.batch_create(actor=user, round=current, number=1, received_on=dt.date(2026, 6, 1))
    for seq, c in enumerate(batch, 1):
        svc.petition_register(
            actor=user, round=current, batch=rows, seq=seq, acceptance_no=c.acceptance_no,
            complaint_text=c.complaint_text, region_text=c.region_text, type_text=c.type_text,
            received_on=dt.date(2026, 6, 1), matcher=matcher,
        )
    seconds = time.monotonic() - t0
    _say(f"  registered {len(batch)} cases through petition_register in {seconds:.1f} s")
    return {"cases": len(batch), "seconds": round(seconds, 2)}


def worker(args) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    django.setup()
    from django.core.management import call_command

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    _say(f"[{args.db}] migrated in {time.monotonic() - t0:.1f} s; seeding {args.stored:,} cases (bulk_create)")
    current, earlier, batch, seeded = seed(args.stored, args.batch, args.planted)
    import jieba

    jieba.initialize()  # once per process, as in a running server (timed apart: ~1 s)
    results = {"db": args.db, "stored": args.stored, "batch": args.batch, "seed_s": round(seeded, 1)}
    results["end_to_end"] = end_to_end(current, earlier, batch)
    sizes = sorted({s for s in (10_000, 30_000, 100_000, args.stored) if s <= args.stored})
    results["search"] = search_at(sizes, current, earlier, batch)
    results["all_pairs"] = all_pairs(min(10_000, args.stored), earlier, batch)
    results["register"] = register(current, batch)
    return results


# --- the parent ------------------------------------------------------------------------------------------


def run_worker(db: str, args) -> dict:
    fresh_database(db)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "DJANGO_SETTINGS_MODULE": "ecoinspect.config.settings.base",
        "ECOINSPECT_VAR_DIR": str(OUT / f"var-petitions-{db}"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    (OUT / f"var-petitions-{db}").mkdir(parents=True, exist_ok=True)
    result_file = OUT / f"petitions-{db}.json"
    result_file.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__)), "--worker", "--db", db, "--stored", str(args.stored),
               "--batch", str(args.batch), "--planted", str(args.planted), "--json-out", str(result_file)]
    subprocess.run(command, env=env, check=True)
    return json.loads(result_file.read_text())


def report(results: dict) -> None:
    for db, r in results.items():
        e = r["end_to_end"]
        ok = "OK" if e["total_s"] < TARGET_SECONDS else "OVER"
        print(f"\n[{db}] {r['batch']} cases against {e['stored']:,} stored (seeded in {r['seed_s']} s)")
        print(f"  end to end {e['total_s']:.2f} s (index and setup {e['init_s']:.2f} s, suggest {e['suggest_s']:.2f} s)"
              f"  target < {TARGET_SECONDS:.0f} s: {ok}")
        print(f"  planted paraphrases found {e['planted_found']}; cases with a town {e['with_town']}, "
              f"a department {e['with_department']}, possible repeats {e['with_repeats']}")
        print("  repeat search     build    search    total   µs/stored  candidates (max/case)  verified  planted")
        for s in r["search"]:
            per = 1e6 * s["total_s"] / s["stored"]
            print(f"    {s['stored']:>7,}  {s['build_s']:7.3f}  {s['search_s']:8.3f}  {s['total_s']:7.3f}  {per:9.1f}"
                  f"  {s['candidates']:>10,} ({s['max_candidates']:,})  {s['verified']:>8,}  {s['planted_found']:>7}")
        ap = r["all_pairs"]
        ten = next((s for s in r["search"] if s["stored"] == ap["stored"]), None)
        if ten:
            print(f"  all pairs on the same {ap['stored']:,}: {ap['seconds']:.1f} s for {ap['comparisons']:,} exact "
                  f"comparisons → the index is {ap['seconds'] / ten['total_s']:.0f}× faster")
        print(f"  registering the {r['register']['cases']} cases (petition_register, signing each): "
              f"{r['register']['seconds']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--planted", type=int, default=30, help="paraphrases of stored cases in the batch")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        Path(args.json_out).write_text(json.dumps(worker(args), ensure_ascii=False))
        return
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = {db: run_worker(db, args) for db in dbs}
    report(results)


if __name__ == "__main__":
    main()
