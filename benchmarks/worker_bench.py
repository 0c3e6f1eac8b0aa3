"""Long work off the request (issue #10 §2): a 20,000-row ledger import and a 20,000-row list export through
gunicorn (``--timeout 30``, its default) with the worker (``ecoinspect db_worker``), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/worker_bench.py                    # both databases, 20,000 rows
    .venv/bin/python benchmarks/worker_bench.py --db sqlite --rows 5000 --no-contrast

What one run does, for each database (a fresh one: SQLite under benchmarks/out/, PostgreSQL
``ecoinspect_worker_bench`` on 127.0.0.1:5432 as postgres), with ``ECOINSPECT_TASKS_BACKEND=database``:

1. migrate, load Baiyun's units, make the office's coordinator; start gunicorn (2 workers, 30 s timeout)
   and one ``ecoinspect db_worker`` process, both on loopback;
2. log in over HTTP and follow the pages: the ledger's import link, the upload form with a generated
   20,000-row workbook (the importer's own columns), the preview page's progress poll until the worker has
   checked it, the confirmation form, the poll again until the worker has written it; then the list's
   Excel export link, the export's page and its poll, the download — the file is opened and its rows counted;
3. print how long each request took (what gunicorn's timeout applies to) and how long the worker took;
4. the contrast (``--no-contrast`` skips it): the same-sized upload and confirmation with the immediate
   backend — the work inside the request, as before this change — under the same gunicorn.

Every figure is wall-clock on loopback (the two CPUs are shared by gunicorn, the worker, the database and
this script). The run is bounded: every wait gives up after ``--patience`` seconds.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_DB = "ecoinspect_worker_bench"
PASSWORD = "Bench-Worker-2026"
GUNICORN_TIMEOUT = 30
sys.path.insert(0, str(ROOT / "src"))  # this checkout's code, not an installed copy


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{OUT / 'worker-bench.sqlite3'}"
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG_DB}"


def fresh_database(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / 'worker-bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')


def environment(db: str, backend: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "DJANGO_SETTINGS_MODULE": "ecoinspect.config.settings.base",
        "ECOINSPECT_TASKS_BACKEND": backend,
        "ECOINSPECT_DEBUG": "0",
        "ECOINSPECT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ECOINSPECT_VAR_DIR": str(OUT / f"worker-var-{db}"),
        "ECOINSPECT_MEDIA_ROOT": str(OUT / f"worker-media-{db}"),
        # the default threshold (5,000), or half the rows of a smaller run, so the export goes to the worker
        "ECOINSPECT_EXPORT_BACKGROUND_ROWS": os.environ.get("WORKER_BENCH_EXPORT_THRESHOLD", "5000"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }


def script(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the workbook ---------------------------------------------------------------------------------------


def ledger_workbook(rows: int, prefix: str) -> bytes:
    """``rows`` problems in the ledger importer's own columns, as a unit fills the template."""
    import datetime as dt

    from django.utils import translation
    from openpyxl import Workbook

    from ecoinspect.ledger.importers import LedgerImporter
    from ecoinspect.orgs.models import Unit

    towns = list(Unit.objects.filter(kind__in=("town", "subdistrict")).order_by("code"))
    departments = [Unit.objects.get(code=c) for c in ("swj", "zjj", "sthj")]
    today = dt.date.today()
    with translation.override("zh-hans"):
        columns = LedgerImporter.columns
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(LedgerImporter.sheet_name))
        sheet.append([str(c.header) for c in columns])
        for i in range(rows):
            town = towns[i % len(towns)]
            lead = departments[i % 2] if i % 3 else town
            values = {
                "number": f"{prefix}-{i + 1:05d}",
                "title": f"{town.short_name}第{i + 1}号排水口污水直排",
                "source": "自查自纠",
                "problem_types": "水",
                "town": town.short_name,
                "lead_unit": lead.short_name,
                "acceptance_unit": departments[2].short_name,
                "address": f"广州市白云区{town.short_name}",
                "target": "排水口晴天无污水排出",
                "deadline": (today + dt.timedelta(days=30 + i % 300)).isoformat(),
                "registered_on": today.isoformat(),
            }
            sheet.append([values.get(c.key, "") for c in columns])
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


# --- a browser without a browser: cookies, CSRF, forms ---------------------------------------------------


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(
        self, method: str, url: str, body: bytes | None = None, headers: dict | None = None, timeout=120
    ):
        full = urllib.parse.urljoin(self.base, url)
        req = urllib.request.Request(full, data=body, method=method, headers=headers or {})
        req.add_header("Referer", full)
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=timeout) as response:
                status, head, content = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, head, content = error.code, dict(error.headers), error.read()
        return status, head, content, time.monotonic() - started

    def get(self, url: str, **kw):
        return self.request("GET", url, **kw)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, url: str, fields: dict, files: dict | None = None, **kw):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": self.csrf(), **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, data) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": self.csrf()}
        return self.request("POST", url, body=body, headers=headers, **kw)

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        status, head, _content, _s = self.post(
            "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        assert status == 302, f"log-in failed ({status})"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def attr(html: str, testid: str, name: str) -> str:
    tag = re.search(rf'<[^>]*data-testid="{testid}"[^>]*>', html)
    assert tag, f"no {testid} on the page"
    found = re.search(rf'{name}="([^"]*)"', tag[0])
    return found[1].replace("&amp;", "&") if found else ""


def link_before(html: str, testid: str) -> str:
    found = re.search(rf'href="([^"]+)"[^>]*data-testid="{testid}"', html)
    assert found, f"no link {testid}"
    return found[1].replace("&amp;", "&")


def wait_until_done(browser: Browser, poll_url: str, patience: float) -> tuple[float, list[str]]:
    """Ask the page's progress poll every second until it says "reload" (HX-Refresh); returns the time
    and the distinct states it showed on the way."""
    started, seen = time.monotonic(), []
    while time.monotonic() - started < patience:
        status, head, content, _s = browser.get(poll_url, headers={"HX-Request": "true"})
        assert status == 200, f"the progress poll answered {status}"
        text = re.sub(r"<[^>]+>|\s+", " ", content.decode()).strip()
        state = re.sub(r"\s+", " ", text)[:80]
        if not seen or seen[-1] != state:
            seen.append(state)
        if head.get("HX-Refresh") == "true":
            return time.monotonic() - started, seen
        time.sleep(1)
    raise TimeoutError(f"still not done after {patience:.0f} s: {seen[-1:]}")


# --- one database ----------------------------------------------------------------------------------------


def setup(db: str) -> None:
    import django

    os.environ.update(environment(db, "database"))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("orgs", "load-structure", verbosity=0)
    from ecoinspect.orgs.models import Membership, Unit, User

    user = User.objects.create_user("bench-office", password=PASSWORD)
    Membership.objects.create(user=user, unit=Unit.objects.get(code="yingjianban"), role="coordinator")


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def gunicorn(db: str, backend: str, port: int) -> subprocess.Popen:
    process = start(
        [
            script("gunicorn"),
            "ecoinspect.config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            str(GUNICORN_TIMEOUT),
        ],
        environment(db, backend),
        OUT / f"worker-bench-gunicorn-{db}-{backend}.log",
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def import_through_pages(browser: Browser, data: bytes, patience: float, say) -> dict:
    listing = browser.get("/ledger/")[2].decode()
    upload_url = link_before(listing, "import-link")
    browser.get(upload_url)
    status, head, _c, upload_s = browser.post(upload_url, {}, files={"file": ("台账.xlsx", data)})
    assert status == 302, f"upload answered {status}"
    preview_url = head["Location"]
    say(f"  upload request: {upload_s:.2f} s → {status}")
    page = browser.get(preview_url)[2].decode()
    validate_s, seen = wait_until_done(browser, attr(page, "import-progress", "hx-get"), patience)
    say(f"  checked by the worker in {validate_s:.1f} s; the page showed {len(seen)} states, e.g. {seen[:3]}")
    page = browser.get(preview_url)[2].decode()
    commit_url = attr(page, "commit-form", "action")
    status, head, _c, commit_request_s = browser.post(commit_url, {})
    say(f"  confirm request: {commit_request_s:.2f} s → {status}")
    page = browser.get(preview_url)[2].decode()
    commit_s, _seen = wait_until_done(browser, attr(page, "import-progress", "hx-get"), patience)
    result = re.sub(r"<[^>]+>|\s+", " ", browser.get(preview_url)[2].decode())
    done = re.search(r"导入完成：新增 (\d+) 条", result)
    say(f"  written by the worker in {commit_s:.1f} s: {done[0] if done else 'no result shown'}")
    return {
        "upload_request_s": upload_s,
        "validate_worker_s": validate_s,
        "commit_request_s": commit_request_s,
        "commit_worker_s": commit_s,
        "created": int(done[1]) if done else 0,
        "progress_states": len(seen),
    }


def export_through_pages(browser: Browser, prefix: str, patience: float, say) -> dict:
    from openpyxl import load_workbook

    listing = browser.get(f"/ledger/?q={prefix}-")[2].decode()
    status, head, _c, ask_s = browser.get(
        urllib.parse.urljoin("/ledger/", link_before(listing, "export-xlsx"))
    )
    assert status == 302, f"export answered {status}"
    job_url = head["Location"]
    say(f"  export request: {ask_s:.2f} s → the export's page")
    page = browser.get(job_url)[2].decode()
    build_s, _seen = wait_until_done(browser, attr(page, "export-progress", "hx-get"), patience)
    page = browser.get(job_url)[2].decode()
    status, _h, content, download_s = browser.get(link_before(page, "export-download"))
    rows = sum(1 for _row in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows()) - 1
    say(
        f"  built by the worker in {build_s:.1f} s; downloaded {len(content) / 1e6:.1f} MB in {download_s:.2f} s, {rows:,} rows"
    )
    return {
        "export_request_s": ask_s,
        "export_worker_s": build_s,
        "export_rows": rows,
        "export_bytes": len(content),
    }


def contrast(db: str, rows: int, say) -> dict:
    """The same work inside the request (immediate backend), under the same gunicorn timeout."""
    data = ledger_workbook(rows, "WI")
    port = free_port()
    server = gunicorn(db, "immediate", port)
    outcome: dict = {}
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.login("bench-office")
        listing = browser.get("/ledger/")[2].decode()
        upload_url = link_before(listing, "import-link")
        browser.get(upload_url)
        try:
            status, head, _c, upload_s = browser.post(
                upload_url, {}, files={"file": ("台账-内联.xlsx", data)}
            )
        except (ConnectionError, urllib.error.URLError, http.client.HTTPException) as exc:
            say(f"  inline upload: no answer — the gunicorn worker was killed ({type(exc).__name__})")
            status, head, upload_s = None, {}, None
        outcome.update(inline_upload_s=upload_s, inline_upload_status=status)
        if status == 302:
            say(f"  inline upload (validation in the request): {upload_s:.1f} s → {status}")
            page = browser.get(head["Location"])[2].decode()
            try:
                status, _h, _c, commit_s = browser.post(attr(page, "commit-form", "action"), {})
                outcome.update(inline_commit_s=commit_s, inline_commit_status=status)
                say(f"  inline confirm (the import in the request): {commit_s:.1f} s → {status}")
            except (ConnectionError, urllib.error.URLError, http.client.HTTPException) as exc:
                say(f"  inline confirm: no answer — the gunicorn worker was killed ({type(exc).__name__})")
                outcome.update(inline_commit_s=None, inline_commit_outcome="killed")
    finally:
        stop(server)
    from ecoinspect.ledger.models import Problem

    log = (OUT / f"worker-bench-gunicorn-{db}-immediate.log").read_text()
    outcome["inline_timeouts"] = log.count("WORKER TIMEOUT")
    outcome["inline_written"] = Problem.objects.filter(number__startswith="WI-").count()
    say(
        f"  inline: gunicorn killed {outcome['inline_timeouts']} worker(s) for the timeout; "
        f"{outcome['inline_written']:,} of {rows:,} rows written"
    )
    return outcome


def run(db: str, args) -> dict:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    OUT.mkdir(exist_ok=True)
    os.environ["WORKER_BENCH_EXPORT_THRESHOLD"] = str(min(5000, max(1, args.rows // 2)))
    fresh_database(db)
    setup(db)
    data = ledger_workbook(args.rows, "WQ")
    say(f"[{db}] {args.rows:,}-row workbook: {len(data) / 1e6:.1f} MB")
    port = free_port()
    server = gunicorn(db, "database", port)
    worker = start(
        [script("ecoinspect"), "db_worker", "--no-reload", "--interval", "0.5"],
        environment(db, "database"),
        OUT / f"worker-bench-db_worker-{db}.log",
    )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.login("bench-office")
        results = {"db": db, "rows": args.rows}
        results.update(import_through_pages(browser, data, args.patience, say))
        results.update(export_through_pages(browser, "WQ", args.patience, say))
    finally:
        stop(worker)
        stop(server)
    log = (OUT / f"worker-bench-gunicorn-{db}-database.log").read_text()
    results["server_errors"] = log.count("ERROR django.request")
    results["timeouts"] = log.count("WORKER TIMEOUT")
    say(
        f"  with the worker: {results['server_errors']} server errors, {results['timeouts']} gunicorn timeouts"
    )
    if args.contrast:
        results.update(contrast(db, args.rows, say))
    return results


def report(all_results: list[dict]) -> None:
    def s(value):
        return "killed" if value is None else f"{value:.2f} s"

    print(
        f"\nLong work off the request — gunicorn --timeout {GUNICORN_TIMEOUT}, ECOINSPECT_TASKS_BACKEND=database\n"
    )
    print(
        "| database | rows | upload request | worker: check | confirm request | worker: write | export request | worker: export | inline upload | inline confirm |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in all_results:
        print(
            f"| {r['db']} | {r['rows']:,} | {s(r['upload_request_s'])} | {r['validate_worker_s']:.1f} s | "
            f"{s(r['commit_request_s'])} | {r['commit_worker_s']:.1f} s ({r['created']:,} created) | "
            f"{s(r['export_request_s'])} | {r['export_worker_s']:.1f} s ({r['export_rows']:,} rows) | "
            f"{s(r.get('inline_upload_s')) if 'inline_upload_s' in r else '—'} | "
            f"{s(r.get('inline_commit_s')) if 'inline_commit_s' in r else '—'} |"
        )
    for r in all_results:
        if "inline_written" in r:
            print(
                f"\n{r['db']}, the same work inside the request (immediate backend): gunicorn killed "
                f"{r['inline_timeouts']} worker(s) at its {GUNICORN_TIMEOUT} s timeout; {r['inline_written']:,} of "
                f"{r['rows']:,} rows were written."
            )
    print(
        "server errors / gunicorn timeouts with the worker: "
        + ", ".join(f"{r['db']} {r['server_errors']} / {r['timeouts']}" for r in all_results)
    )
    slowest = max(
        max(r["upload_request_s"], r["commit_request_s"], r["export_request_s"]) for r in all_results
    )
    print(f"\nslowest request with the worker: {slowest:.2f} s (gunicorn's limit: {GUNICORN_TIMEOUT} s)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--patience", type=float, default=900, help="seconds to wait for the worker, at most")
    parser.add_argument("--no-contrast", dest="contrast", action="store_false")
    parser.add_argument("--run", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run, args)))
        return
    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        command = [
            sys.executable,
            __file__,
            "--run",
            db,
            "--rows",
            str(args.rows),
            "--patience",
            str(args.patience),
        ]
        if not args.contrast:
            command.append("--no-contrast")
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report(results)


if __name__ == "__main__":
    main()
