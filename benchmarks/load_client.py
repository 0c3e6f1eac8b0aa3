"""The load generator: virtual users (aiohttp), each with its own session cookie, who log in through the
log-in form (CSRF included) and then work as their role does — a unit's staff member on the unit's list
(filters, page 2, following the links the page shows), its problems, progress reports through the form and
the petitions of the unit; the leader on the dashboards; the inspection office on the district lists, the
petitions and one import. Every request is recorded (what, status, time); the caller cuts the record into
phases."""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from load_forms import form_to, form_with, links

PROBLEM_LINK = re.compile(r"^/ledger/\d+/$")
PAGE_LINK = re.compile(r"[?&]page=2(&|$)")
PETITION_LINK = re.compile(r"^/petitions/\d+/$")
HANDLING_LINK = re.compile(r"^/petitions/\d+/handling/$")
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')
#: What the page says when another session saved the record first (core.services.bump_version).
CONFLICT = "已被他人修改"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LEDGER_FILTERS = ("?status=rectifying", "?warning=red", "?todo=on", "?q=%E6%B2%B3%E6%B6%8C", "?sort=deadline")
PETITION_FILTERS = ("", "?todo=on", "?status=verifying", "?status=reported", "?is_key=true")


@dataclass
class Sample:
    ended: float  # time.monotonic() when the answer was read
    label: str
    ms: float
    status: int
    error: str = ""


@dataclass
class Shared:
    """What every virtual user of a run shares: where to record, the server, the import files."""

    base: str
    samples: list[Sample] = field(default_factory=list)
    import_files: list[str] = field(default_factory=list)
    imports_done: int = 0
    import_every: float = 120.0  # seconds between two imports of the run (one office user at a time)
    last_import: float = 0.0
    running: bool = True


class PageError(Exception):
    pass


class Stop(Exception):
    """The phase is over: the virtual user stops between two requests."""


class VirtualUser:
    def __init__(self, person: dict, shared: Shared, connector: aiohttp.BaseConnector, seed: int):
        self.person = person
        self.shared = shared
        self.rng = random.Random(seed)
        jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=shared.base)
        self.http = aiohttp.ClientSession(
            base_url=shared.base,
            connector=connector,
            connector_owner=False,
            cookie_jar=jar,
            timeout=aiohttp.ClientTimeout(total=120),
            headers={"Accept-Encoding": "gzip", "Accept-Language": "zh-CN,zh;q=0.9"},
        )
        self.problems: list[str] = []
        self.petitions: list[str] = []
        self.logged_in = False

    async def close(self) -> None:
        await self.http.close()

    # --- one request ----------------------------------------------------------------------------------

    async def request(self, label: str, method: str, path: str, *, expect=(200,), **kwargs) -> str:
        t0 = time.monotonic()
        status, error, text = 0, "", ""
        try:
            async with self.http.request(method, path, allow_redirects=False, **kwargs) as response:
                status = response.status
                body = await response.read()
                if status not in expect:
                    error = f"HTTP {status}"
                elif status in (200, 400) and "text/html" in response.headers.get("Content-Type", ""):
                    text = body.decode("utf-8", "replace")
                elif status in (301, 302, 303):
                    text = response.headers.get("Location", "")
                    if "/accounts/login/" in text and label != "log-in":
                        error = "sent to the log-in page"
        except (TimeoutError, aiohttp.ClientError) as exc:
            error = type(exc).__name__
        ended = time.monotonic()
        self.shared.samples.append(Sample(ended, label, (ended - t0) * 1000, status, error))
        if error:
            raise PageError(f"{label} {path}: {error}")
        return text

    def fail(self, label: str, message: str):
        """A page that answered but not with what a person needs (no form, nothing to commit): an error."""
        self.shared.samples.append(Sample(time.monotonic(), label, 0.0, 200, message))
        return PageError(f"{label}: {message}")

    async def get(self, label: str, path: str, **kwargs) -> str:
        return await self.request(label, "GET", path, **kwargs)

    async def post(self, label: str, path: str, data, *, expect=(302,)) -> str:
        return await self.request(label, "POST", path, data=data, expect=expect)

    # --- logging in -----------------------------------------------------------------------------------

    async def login(self) -> None:
        page = await self.get("log-in page", "/accounts/login/")
        token = CSRF.search(page)
        if token is None:
            raise self.fail("log-in page", "no CSRF token")
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "username": self.person["username"],
            "password": self.person["password"],
            "next": "",
        }
        await self.post("log-in", "/accounts/login/", form)
        home = await self.get("home", "/")
        for asset in dict.fromkeys(STATIC_LINK.findall(home)):  # what a first visit loads (then cached)
            await self.get("static file", asset)
        self.logged_in = True

    # --- the work of each role ------------------------------------------------------------------------

    def tasks(self):
        persona = self.person["persona"]
        if persona == "leader":
            return [(self.dashboard, 4), (self.home, 2), (self.district_list, 3), (self.problem, 3),
                    (self.petition_list, 2)]  # fmt: skip
        if persona == "office":
            return [(self.district_list, 4), (self.problem, 3), (self.petition_list, 4), (self.home, 1),
                    (self.dashboard, 1), (self.import_ledger, 1)]  # fmt: skip
        return [(self.unit_list, 6), (self.problem, 5), (self.report, 1), (self.home, 2),
                (self.petition_list, 2), (self.handling, 1)]  # fmt: skip

    async def home(self, pause):
        await self.get("home", "/")

    async def unit_list(self, pause):
        base = f"/ledger/units/{self.person['unit_id']}/"
        roll = self.rng.random()
        query = "" if roll < 0.5 else self.rng.choice(LEDGER_FILTERS)
        page = await self.get("unit list" if not query else "unit list, filtered", base + query)
        self.remember(links(page, PROBLEM_LINK), self.problems)
        following = links(page, PAGE_LINK)
        if following and self.rng.random() < 0.35:
            await pause()
            page = await self.get("unit list, page 2", following[0])
            self.remember(links(page, PROBLEM_LINK), self.problems)

    async def district_list(self, pause):
        query = self.rng.choice(("", "?status=rectifying", "?warning=red", "?sort=deadline", "?todo=on"))
        page = await self.get("district list", f"/ledger/{query}")
        self.remember(links(page, PROBLEM_LINK), self.problems)
        following = links(page, PAGE_LINK)
        if following and self.rng.random() < 0.3:
            await pause()
            page = await self.get("district list, page 2", following[0])
            self.remember(links(page, PROBLEM_LINK), self.problems)

    async def dashboard(self, pause):
        await self.get("district dashboard", "/ledger/dashboard/")

    async def problem(self, pause):
        if not self.problems:
            return await (self.unit_list if self.person["persona"] == "unit" else self.district_list)(pause)
        return await self.get("problem page", self.rng.choice(self.problems))

    async def report(self, pause):
        """进展报送 through the form the problem page shows its lead unit (报送进展 opens it in place)."""
        if not self.problems:
            return await self.unit_list(pause)
        page = await self.get("problem page", self.rng.choice(self.problems))
        form = form_to(page, "/reports/new/")
        if form is None:
            return  # not this unit's to report on (it co-handles it, or the problem is closed)
        await pause()
        text = f"第{self.rng.randint(1, 99)}次调度：已完成现场排查和部分整改工程，下一步开展第三方监测。"
        data = aiohttp.FormData()
        for name, value in form.data(text=text, progress_status="on_schedule"):
            data.add_field(name, value)
        where = await self.post("report (POST)", form.action, data)
        await self.get("problem page", where)

    async def petition_list(self, pause):
        query = self.rng.choice(PETITION_FILTERS)
        page = await self.get("petition list", f"/petitions/{query}")
        self.remember(links(page, PETITION_LINK), self.petitions)
        if self.petitions:
            await pause()
            await self.get("petition page", self.rng.choice(self.petitions))

    async def handling(self, pause):
        """办理情况 保存草稿 on a case of the unit being verified (found by the list's status filter)."""
        page = await self.get("petition list", "/petitions/?status=verifying")
        cases = links(page, PETITION_LINK)
        if not cases:
            return
        await pause()
        page = await self.get("petition page", self.rng.choice(cases))
        offered = links(page, HANDLING_LINK)
        if not offered:
            return
        await pause()
        page = await self.get("handling form", offered[0])
        form = form_with(page, "investigation")
        if form is None:
            raise self.fail("handling form", "no form on the page")
        await pause()
        note = f"经现场核查（第{self.rng.randint(1, 99)}次），情况属实，已督促整改。"
        where = await self.post("handling (POST)", offered[0], form.data(investigation=note, save="1"),
                                expect=(302, 400, 409))  # fmt: skip
        if where.startswith("/"):
            await self.get("handling form", where)
        elif CONFLICT not in where:
            raise self.fail("handling (POST)", "the form was refused (HTTP 400)")
        # else: another session of the unit saved the case first — the page says so and keeps the text

    async def import_ledger(self, pause):
        """The one import: upload a small workbook through the form, read the preview, commit it."""
        shared = self.shared
        now = time.monotonic()
        if shared.imports_done >= len(shared.import_files) or now - shared.last_import < shared.import_every:
            return await self.district_list(pause)
        shared.last_import = now
        path = Path(shared.import_files[shared.imports_done])
        shared.imports_done += 1
        page = await self.get("import form", "/ledger/io/import/")
        form = form_with(page, "file")
        if form is None:
            raise self.fail("import form", "no upload form")
        await pause()
        data = aiohttp.FormData()
        for name, value in form.data():
            data.add_field(name, value)
        data.add_field("file", path.read_bytes(), filename=path.name,
                       content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
        preview = await self.post("import upload (POST)", "/ledger/io/import/", data)
        page = await self.get("import preview", preview)
        # The worker checks the file (production settings): the page polls its progress every 2 s, as here.
        for _poll in range(60):
            if 'data-testid="import-progress"' not in page:
                break
            await asyncio.sleep(2)
            page = await self.get("import preview", preview)
        commit = form_to(page, "/commit/")
        if commit is None:
            raise self.fail("import preview", "no commit button (the file did not validate)")
        await pause()
        where = await self.post("import commit (POST)", commit.action, commit.data())
        page = await self.get("import preview", where)
        for _poll in range(60):  # the worker writes the rows; the page shows the outcome when it is done
            if 'data-testid="import-progress"' not in page:
                break
            await asyncio.sleep(2)
            page = await self.get("import preview", where)

    @staticmethod
    def remember(found: list[str], into: list[str], keep: int = 60) -> None:
        into.extend(found)
        del into[:-keep]

    # --- the loop -------------------------------------------------------------------------------------

    async def run(self, *, until: float, think: float) -> None:
        """Pick a task by its weight, run it, pause between requests; until ``until`` (monotonic)."""
        tasks = self.tasks()
        funcs, weights = [t for t, _w in tasks], [w for _t, w in tasks]

        async def pause():
            if think > 0:
                await asyncio.sleep(self.rng.uniform(0.5, 1.5) * think)
            if time.monotonic() >= until or not self.shared.running:
                raise Stop

        while time.monotonic() < until and self.shared.running:
            try:
                await self.rng.choices(funcs, weights)[0](pause)
                await pause()
            except Stop:
                return
            except PageError:
                await asyncio.sleep(0.2 if think == 0 else think)  # recorded; go on as a person would
