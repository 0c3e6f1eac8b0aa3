"""Load benchmark (issue #10): gunicorn + PostgreSQL with the production settings, over loopback, driven by
virtual users who log in and work as a district's people do.

    .venv/bin/python benchmarks/load_bench.py            # the issue's figures (about 10 minutes)
    .venv/bin/python benchmarks/load_bench.py --quick    # a smoke run (about 3 minutes)
    .venv/bin/python benchmarks/load_bench.py --reuse-db # skip seeding when the database is already there

One run: a fresh PostgreSQL database (``--database``), migrated and seeded (load_seed.py: a district's ledger
with ``bulk_create``, the petitions month through the services, people with known passwords); collectstatic;
gunicorn on 127.0.0.1 with ``ecoinspect.config.settings.production``; then

1. **log-ins**: every virtual user logs in through the form (CSRF token, PBKDF2 password check);
2. **saturation**: 8, 16, 32, 64 sessions in turn with no think time — the plateau's requests/s and
   p50/p95/p99, errors; the CPU of gunicorn, of PostgreSQL and of the generator meanwhile;
3. **300 users at 10 s think time** (0.5–1.5 × 10 s between requests), started over ``--ramp`` seconds and
   measured for ``--duration`` seconds after: requests/s, p50/p95/p99, errors, the 95th percentile of each
   kind of request;
4. **where the CPU goes in the workers**: gunicorn restarted under py-spy for a short saturated run; the
   sampled stacks grouped into cost centres.

Targets (issue #10): 0 errors; p95 ≤ 300 ms at 300 users; saturation ≥ 120 requests/s on the 2-core machine.
Everything generated goes under benchmarks/out/ (the workbooks imported, gunicorn's log, py-spy's samples).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out"
sys.path.insert(0, str(BENCH_DIR))

TARGETS = {"p95_ms": 300.0, "saturation_rps": 120.0}
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ecoinspect_load"


def options(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--database",
        default=DEFAULT_URL,
        help=f"PostgreSQL URL, re-created by the run (default {DEFAULT_URL})",
    )
    p.add_argument(
        "--reuse-db", action="store_true", help="keep the database when it was seeded with the same sizes"
    )
    p.add_argument("--problems", type=int, default=50_000)
    p.add_argument("--reports", type=int, default=250_000)
    p.add_argument(
        "--petitions", type=int, default=1500, help="cases of the petitions month (through the services)"
    )
    p.add_argument("--users", type=int, default=300, help="virtual users of phase 3")
    p.add_argument("--think", type=float, default=10.0, help="mean think time of phase 3, seconds")
    p.add_argument("--ramp", type=float, default=30.0, help="seconds over which phase 3's users start")
    p.add_argument(
        "--duration", type=float, default=120.0, help="seconds measured in phase 3, after the ramp"
    )
    p.add_argument("--steps", default="8,16,32,64", help="sessions of each saturation step")
    p.add_argument("--step-seconds", type=float, default=20.0, help="seconds measured at each step")
    p.add_argument("--profile-seconds", type=float, default=20.0, help="0: no py-spy profile")
    p.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: number of cores)")
    p.add_argument("--threads", type=int, default=4, help="threads a worker (gthread)")
    p.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--imports", type=int, default=4, help="workbooks the office imports during the run")
    p.add_argument("--quick", action="store_true", help="a smoke run: small data, 40 users, short phases")
    p.add_argument("--json-out", help="write every figure to this file")
    p.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--manifest", help=argparse.SUPPRESS)
    p.add_argument("--imports-only", action="store_true", help=argparse.SUPPRESS)
    argv = sys.argv[1:] if argv is None else argv
    if "--quick" in argv:  # smaller defaults; an option given on the command line still wins
        p.set_defaults(problems=10_000, reports=40_000, petitions=150, users=40, ramp=5.0, duration=20.0,
                       steps="8,24", step_seconds=10.0, profile_seconds=10.0, imports=2)  # fmt: skip
    args = p.parse_args(argv)
    args.workers = args.workers or os.cpu_count() or 2
    args.step_list = [int(s) for s in args.steps.split(",") if s.strip()]
    return args


# --- the database, the settings, the server ------------------------------------------------------------------


def server_env(args) -> dict:
    var = OUT / "load-var"
    (var / "static").mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecoinspect.config.settings.production",
        "DATABASE_URL": args.database,
        "ECOINSPECT_SECRET_KEY": _secret_key(),
        "ECOINSPECT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ECOINSPECT_SSL_REDIRECT": "0",  # plain http over loopback; the cookies stay Secure
        "ECOINSPECT_VAR_DIR": str(var),
        "ECOINSPECT_MEDIA_ROOT": str(var / "media"),
        "ECOINSPECT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH_DIR), os.environ.get("PYTHONPATH", "")]),
    }


def _secret_key() -> str:
    path = OUT / "load-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


def _dbname(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?", 1)[0]


def fresh_database(url: str) -> None:
    import psycopg

    name = _dbname(url)
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args) -> dict:
    manifest = OUT / f"load-manifest-{_dbname(args.database)}.json"
    sizes = {"problems": args.problems, "reports": args.reports, "petitions": args.petitions}
    command = [sys.executable, __file__, "--prepare", "--manifest", str(manifest), "--database", args.database,
               "--problems", str(args.problems), "--reports", str(args.reports), "--petitions", str(args.petitions),
               "--imports", str(args.imports + 2)]  # fmt: skip
    if args.reuse_db and manifest.exists():
        data = json.loads(manifest.read_text())
        if data.get("sizes") == sizes and _database_exists(args.database):
            print(f"reusing {_dbname(args.database)} (seeded with {sizes}); new workbooks for the imports")
            # the last run committed the old workbooks' numbers: this run imports new ones
            subprocess.run([*command, "--imports-only"], env=server_env(args), cwd=ROOT, check=True)
            return json.loads(manifest.read_text())
    print(f"preparing {_dbname(args.database)}: {sizes}, production settings")
    fresh_database(args.database)
    subprocess.run(command, env=server_env(args), cwd=ROOT, check=True)
    return json.loads(manifest.read_text())


def _database_exists(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM ledger_problem").fetchone()[0] > 0
    except psycopg.Error:
        return False


def gunicorn_command(args) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "ecoinspect.config.wsgi:application",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers),
        "--worker-class", args.worker_class,
        "--threads", str(args.threads if args.worker_class == "gthread" else 1),
        "--timeout", "120",
        "--keep-alive", "5",
        "--log-level", "warning",
        "--error-logfile", str(OUT / "load-gunicorn.log"),
    ]  # fmt: skip


class Server:
    """gunicorn (optionally under py-spy) and the task worker, started and stopped by the run."""

    def __init__(self, args, profile_to: Path | None = None):
        command = gunicorn_command(args)
        if profile_to is not None:
            command = [pyspy(), "record", "--subprocesses", "--gil", "--nolineno", "--rate", "50",
                       "--format", "raw", "--output", str(profile_to), "--", *command]  # fmt: skip
        self.proc = subprocess.Popen(command, env=server_env(args), cwd=ROOT, start_new_session=True)
        # the task worker, as in production (docs/worker.md): it checks and writes the imports
        self.worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("ecoinspect")), "db_worker", "--no-reload", "--queue-name", "*",
             "--interval", "1"],
            env=server_env(args), cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=(OUT / "load-worker.log").open("w"),
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{args.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start (see {OUT / 'load-gunicorn.log'})")
            time.sleep(0.5)

    @property
    def gunicorn_pid(self) -> int:
        import psutil

        proc = psutil.Process(self.proc.pid)
        if "gunicorn" in " ".join(proc.cmdline()[:3]):
            return proc.pid
        return next(c.pid for c in proc.children() if "gunicorn" in " ".join(c.cmdline()))

    def stop(self) -> None:
        if self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()
        if self.proc.poll() is None:
            # gunicorn first: py-spy writes its samples when the process it launched has ended
            os.kill(self.gunicorn_pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
                return
            except subprocess.TimeoutExpired:
                pass
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own session: gunicorn, its workers, py-spy
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def pyspy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


# --- main ---------------------------------------------------------------------------------------------------


def main() -> None:
    args = options()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.prepare:
        from load_seed import new_imports
        from load_seed import prepare as seed

        if args.imports_only:
            new_imports(imports=args.imports, import_rows=20, manifest=Path(args.manifest))
            return
        seed(problems=args.problems, reports=args.reports, petitions=args.petitions, imports=args.imports,
             import_rows=20, manifest=Path(args.manifest))  # fmt: skip
        return
    from load_phases import run_phases
    from load_report import report

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    manifest = prepare(args)
    print(
        f"gunicorn: {args.workers} workers × {args.threads if args.worker_class == 'gthread' else 1} threads "
        f"({args.worker_class}), 127.0.0.1:{args.port}, settings: production (DEBUG off, manifest static files "
        f"through WhiteNoise, persistent database connections)"
    )
    server = Server(args)
    try:
        results = asyncio.run(run_phases(args, manifest, server))
    finally:
        server.stop()
    if args.profile_seconds > 0:
        from load_phases import profile_phase

        results["profile"] = profile_phase(args, manifest)
    results["seconds"] = time.monotonic() - started
    results["load_average"] = (load_before, os.getloadavg()[0])  # the machine's own load (shared or quiet)
    report(args, manifest, results)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
