"""The backup and restore drill, timed: the console script on a scratch database, as an operator runs it.

    .venv/bin/python benchmarks/backup_drill.py                       # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/backup_drill.py
    .venv/bin/python benchmarks/backup_drill.py --entries 1000000 --files 500 --file-kb 1024

With DATABASE_URL the drill creates a database of its own on that server (dropped afterwards). Steps: migrate,
load the structure, append ``--entries`` action log entries and write ``--files`` media files; then
``audit anchor``, ``audit verify``, ``backup``; then the bad night (the newest entries deleted below the
application, a file deleted, another overwritten), ``audit verify`` (must fail, naming the missing entries),
``restore --yes``, ``audit verify`` (must pass). Prints the time of each step and checks every outcome.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCRIPT = Path(sys.executable).with_name("ecoinspect")
SEED = """
from ecoinspect.audit.services import action_log_append_many
from ecoinspect.orgs.models import Unit
units = list(Unit.objects.all())
left = {entries}
while left:
    n = min(left, 20000)
    action_log_append_many(action="bench.drill.step", items=[(units[i % len(units)], {{"i": i}}) for i in range(n)])
    left -= n
"""


def run(env: dict, *args: str, expect: int = 0) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != expect:
        sys.exit(
            f"ecoinspect {' '.join(args)} exited {done.returncode}, expected {expect}:\n{done.stdout}{done.stderr}"
        )
    return elapsed, done.stdout + done.stderr


@contextmanager
def scratch(base_url: str | None, var: Path):
    """(env, sql): the environment for the console script and a function running one SQL statement."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ECOINSPECT_", "DJANGO_", "DATABASE_URL"))
    }
    env["ECOINSPECT_VAR_DIR"] = str(var)
    if not base_url:
        import sqlite3

        def sql(statement: str) -> None:
            with sqlite3.connect(var / "ecoinspect.sqlite3") as db:
                db.execute("CREATE TEMP TABLE ecoinspect_audit_maintenance (flag integer)")
                db.execute(statement)

        yield env, sql
        return
    import psycopg

    parts = urlsplit(base_url)
    name = f"ecoinspect_drill_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    env["DATABASE_URL"] = url

    def sql(statement: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET ecoinspect.audit_maintenance = 'on'")
            conn.execute(statement)

    try:
        yield env, sql
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(env: dict, var: Path, *, entries: int, files: int, file_kb: int) -> None:
    run(env, "migrate", "--noinput", "-v", "0")
    run(env, "orgs", "load-structure")
    if entries:
        run(env, "shell", "-c", SEED.format(entries=entries))
    for n in range(files):
        path = var / "media" / "evidence" / str(n % 50) / f"drill-{n:05d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(file_kb * 1024))


def drill(args) -> None:
    var = Path(tempfile.mkdtemp(prefix="ecoinspect-drill-"))
    vendor = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"backup drill — {vendor}, {args.entries:,} extra log entries, {args.files} files of {args.file_kb} KB"
    )
    try:
        with scratch(args.database_url, var) as (env, sql):
            started = time.perf_counter()
            seed(env, var, entries=args.entries, files=args.files, file_kb=args.file_kb)
            print(f"  seed                        {time.perf_counter() - started:8.1f} s")
            timings = {}
            timings["audit anchor"], out = run(env, "audit", "anchor")
            head = int(re.search(r"至第 (\d+) 条", out).group(1))
            timings["audit verify"], _out = run(env, "audit", "verify")
            timings["backup"], out = run(env, "backup")
            made = Path(re.search(r"备份已写入：(\S+)", out).group(1))
            size = sum(p.stat().st_size for p in made.rglob("*") if p.is_file())
            sql(f"DELETE FROM audit_actionlog WHERE seq > {head - 50}")
            media = sorted((var / "media").rglob("*.bin"))
            if media:
                media[0].unlink()
                media[-1].write_bytes(b"overwritten")
            timings["audit verify (damaged)"], out = run(env, "audit", "verify", expect=1)
            assert "条缺失" in out, out
            timings["restore --yes"], out = run(env, "restore", "--yes", str(made))
            assert "已写入新锚点" in out, out
            timings["audit verify (restored)"], _out = run(env, "audit", "verify")
            for step, seconds in timings.items():
                print(f"  {step:<27} {seconds:8.1f} s")
            print(f"  backup size                 {size / 1e6:8.1f} MB ({made.name})")
            rate = head / timings["audit verify"]
            print(f"  log entries verified        {head:8,d}  ({rate:,.0f} per second, start-up included)")
            print(
                "  every check passed: the damage was named, the restore verified against the backup's anchor"
            )
    finally:
        shutil.rmtree(var, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--file-kb", type=int, default=256)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    drill(parser.parse_args())


if __name__ == "__main__":
    main()
