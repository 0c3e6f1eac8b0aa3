"""Fixtures shared by the whole suite: the district's units, people in every role, a logged-in client."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("ECOINSPECT_SHARED_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
#: the installed console script, run in a subprocess by the ``ecoinspect`` fixture
SCRIPT = Path(sys.executable).with_name("ecoinspect")


@pytest.fixture
def structure(db):
    """Baiyun's real units and the default 三管三必须 matrix, as `ecoinspect orgs load-structure` loads them."""
    from ecoinspect.orgs.models import Unit
    from ecoinspect.orgs.structure import load_structure

    load_structure()
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def make_user(db):
    """make_user("name", unit, role) → a user with one membership (password "pw-Baiyun-2026"): UserFactory."""
    from tests.factories import UserFactory

    def make(username: str, unit=None, role: str | None = None, **extra):
        return UserFactory(username=username, unit=unit, role=role, **extra)

    return make


@pytest.fixture
def people(structure, make_user):
    """One person per role, in the units the demo uses; plus staff of a second department and subdistrict."""
    u = structure
    return {
        "coordinator": make_user("coordinator", u["yingjianban"], "coordinator"),
        "leader": make_user("leader", u["baiyun"], "leader"),
        "water": make_user("water", u["swj"], "staff"),
        "housing": make_user("housing", u["zjj"], "staff"),
        "sanyuanli": make_user("sanyuanli", u["sanyuanli"], "staff"),
        "jingtai": make_user("jingtai", u["jingtai"], "staff"),
        "taihe": make_user("taihe", u["taihe"], "staff"),
        "reviewer": make_user("reviewer", u["sthj"], "reviewer"),
        "publisher": make_user("publisher", u["yingjianban"], "publisher"),
        "auditor": make_user("auditor", u["baiyun"], "auditor"),
        "nobody": make_user("nobody"),
    }


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def session(client, people):
    """session("water") → the test client, logged in as that person of ``people`` (the API's session auth)."""

    def as_(person):
        client.force_login(people[person])
        return client

    return as_


@pytest.fixture(autouse=True)
def _isolated_registries():
    """Process-wide registries a test may change: the queue's sources and the calendar's override cache.

    A rolled-back test transaction does not fire the signals that clear the calendar cache, so each test
    starts and ends with an empty cache; queue registrations made by a test are undone after it.
    """
    from ecoinspect.common import calendar
    from ecoinspect.core import queues

    saved = queues.sources()
    calendar.invalidate_cache()
    yield
    queues._SOURCES[:] = saved
    calendar.invalidate_cache()


@pytest.fixture
def ticket_queue():
    """The test-only Ticket registered with 我的待办 for the length of one test."""
    from ecoinspect.core import queues
    from tests.testapp.models import Ticket

    queues.register(Ticket, label="测试工单")
    yield Ticket
    queues.unregister(Ticket)


@pytest.fixture
def api_token(db):
    """api_token(user, days=90) → a raw bearer token for the API, made by the real service (ApiTokenFactory)."""
    from tests.factories import ApiTokenFactory

    def make(user, days: int | None = 90, name: str = "测试令牌") -> str:
        return ApiTokenFactory(user=user, days=days, name=name).raw

    return make


@pytest.fixture
def ecoinspect(tmp_path):
    """ecoinspect(*args, env={...}) → CompletedProcess: the real console script in a subprocess, run in
    tmp_path with SQLite under tmp_path/var unless the env names a DATABASE_URL."""

    def run(*args: str, env: dict | None = None, settings: str | None = None, timeout: int = 120):
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ECOINSPECT_", "DJANGO_", "DATABASE_URL"))
        }
        environment["ECOINSPECT_VAR_DIR"] = str(tmp_path / "var")
        if settings:
            environment["DJANGO_SETTINGS_MODULE"] = settings
        environment.update(env or {})
        return subprocess.run(
            [str(SCRIPT), *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    return run


def fresh(user):
    """The same person loaded again: drops the per-object membership and scope caches of ``restrict()``."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def _language_of_the_system():
    """Every test starts in the system's language; a page visited in English by an earlier test (the
    LocaleMiddleware activates it for the thread) must not leak into the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def task_queue(settings):
    """Background work queued in the database (django-tasks-db) for one test, as production runs it: nothing
    runs until ``run_worker()`` does. Such tests need ``django_db(transaction=True)``: the worker takes its
    own transactions (on SQLite an exclusive one), as the real ``db_worker`` process does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_worker():
    """run_worker() → the output of ``ecoinspect db_worker --batch``, run in this process: it works off
    every queued task, then returns (the signal handlers it installs are put back afterwards)."""
    import io
    import signal

    from django.core.management import call_command

    def run() -> str:
        signals = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]
        saved = {s: signal.getsignal(s) for s in signals}
        out = io.StringIO()
        try:
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", stdout=out
            )
        finally:
            for s, handler in saved.items():
                signal.signal(s, handler)
        return out.getvalue()

    return run


@pytest.fixture
def racing_db(tmp_path):
    """The test database as threads racing each other need it (tests/concurrency.py): on SQLite a copy in
    a file, where a second writer waits its turn. Put it first after ``django_db(transaction=True)``."""
    from tests.concurrency import racing_database

    with racing_database(tmp_path):
        yield


@pytest.fixture
def rendezvous_storage(settings):
    """Files stored through ``tests.concurrency.RendezvousStorage``: ``rendezvous_storage.meet(8)`` makes the
    next eight racing threads all look for a file before any of them writes it."""
    from tests.concurrency import RendezvousStorage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.concurrency.RendezvousStorage"}}
    yield RendezvousStorage
    RendezvousStorage.barrier = None
