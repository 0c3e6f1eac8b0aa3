"""Real concurrency for the race tests: ``race(n, fn)`` runs ``fn(i)`` in n threads that start together.

Each thread opens its own database connection (Django keeps one per thread) and closes it when done, so
the calls really overlap in the database — on PostgreSQL they wait on each other's row locks and unique
indexes; on SQLite IMMEDIATE transactions queue them (on a copy of the test database in a file:
:func:`racing_database`, the ``racing_db`` fixture). Use it in a ``django_db(transaction=True)`` test with
``racing_db``: the rows a test makes must be committed for the threads to see them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import connections

#: Seconds a thread may wait at the start line or a test may wait for its threads.
TIMEOUT = 60


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(n: int, fn: Callable[[int], object]) -> list[Outcome]:
    """Run ``fn(0) … fn(n-1)`` in n threads released at once; each call's return value or exception."""
    barrier = threading.Barrier(n, timeout=TIMEOUT)
    outcomes = [Outcome() for _ in range(n)]

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i].value = fn(i)
        except BaseException as exc:  # the test looks at every outcome
            outcomes[i].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), name=f"race-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a racing thread did not finish"
    return outcomes


@contextmanager
def racing_database(folder: Path) -> Iterator[None]:
    """The test database as racing threads need it. PostgreSQL: as it is. SQLite: the suite's database
    lives in memory with a shared cache, where a second writer fails at once ("database table is locked")
    instead of waiting its turn as on disk — so for the length of the test every connection, in every
    thread, uses a copy of it in a file (a fresh copy of the migrated, empty database: SQLite's backup)."""
    memory = connections["default"]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    memory.ensure_connection()
    path = folder / "racing.sqlite3"
    copy = sqlite3.connect(path)
    memory.connection.backup(copy)
    copy.close()
    original = connections.settings["default"]
    on_disk = {**original, "NAME": str(path)}
    connections.settings["default"] = on_disk
    connections["default"] = memory.__class__(on_disk, "default")  # this thread; the racers make their own
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = original
        connections["default"] = memory  # kept open all along: closing it would drop the database


class RendezvousStorage(FileSystemStorage):
    """A real file system storage whose first ``exists()`` in each racing thread waits until every racer
    has asked (``barrier``): the worst interleaving — everybody looks before anybody writes — made certain
    instead of left to luck. Use it through the ``rendezvous_storage`` fixture."""

    barrier: threading.Barrier | None = None
    _asked = threading.local()

    def exists(self, name):
        answer = super().exists(name)
        if self.barrier is not None and not getattr(self._asked, "done", False):
            self._asked.done = True
            type(self).barrier.wait()
        return answer

    @classmethod
    def meet(cls, n: int) -> None:
        """The next ``n`` racing threads meet at their first ``exists()``."""
        cls.barrier = threading.Barrier(n, timeout=TIMEOUT)


def client_of(user):
    """A test client signed in as ``user`` (one per racing thread: clients keep their session)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def said(response) -> str:
    """Every message the page was sent back with."""
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(response.wsgi_request))
