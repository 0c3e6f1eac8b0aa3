"""Where the CPU goes during a load phase: the CPU seconds of the gunicorn processes, of PostgreSQL's
processes serving the benchmark's database, of the load generator (this process) and of everything else on
the machine (from the system's own counters), read with psutil at the start and the end of a window; and
the Python cost centres inside the workers, from py-spy's samples (``py-spy record`` launching gunicorn, so
no ptrace permission beyond one's own children is needed)."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass

import psutil


def _cpu(proc: psutil.Process) -> float:
    try:
        t = proc.cpu_times()
        return t.user + t.system
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _postgres(dbname: str) -> list[psutil.Process]:
    """PostgreSQL backends serving ``dbname`` (``postgres: user db host(port) …`` in their title)."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if (proc.info["name"] == "postgres" or cmd.startswith("postgres:")) and f" {dbname} " in f"{cmd} ":
            found.append(proc)
    return found


@dataclass
class CpuSplit:
    seconds: float
    server: float  # gunicorn master and workers, and the task worker
    database: float  # PostgreSQL backends of the benchmark's database
    generator: float  # this process
    other: float  # everything else the machine did (other PostgreSQL work, other people's jobs)
    idle: float
    cores: int

    def shares(self) -> dict[str, float]:
        """Each part as a share of the machine's capacity (cores × seconds)."""
        capacity = self.seconds * self.cores
        return {
            "gunicorn workers": self.server / capacity,
            "PostgreSQL (this database)": self.database / capacity,
            "load generator": self.generator / capacity,
            "rest of the machine": self.other / capacity,
            "idle": self.idle / capacity,
        }


class CpuWindow:
    """``start()`` … ``stop()`` → CpuSplit. Processes that appear meanwhile count from zero."""

    def __init__(self, server_pid: int, dbname: str, also: tuple[int, ...] = ()):
        self.server_pid = server_pid
        self.also = also  # the task worker: counted with the server
        self.dbname = dbname

    def _snapshot(self) -> tuple[dict, dict, float, psutil._common.scputimes, float]:
        import time

        server = {p.pid: _cpu(p) for pid in (self.server_pid, *self.also) for p in _tree(pid)}
        database = {p.pid: _cpu(p) for p in _postgres(self.dbname)}
        generator = _cpu(psutil.Process(os.getpid()))
        return server, database, generator, psutil.cpu_times(), time.monotonic()

    def start(self) -> None:
        self.begin = self._snapshot()

    def stop(self) -> CpuSplit:
        end = self._snapshot()
        (s0, d0, g0, sys0, t0), (s1, d1, g1, sys1, t1) = self.begin, end

        def delta(before: dict, after: dict) -> float:
            return sum(max(v - before.get(pid, 0.0), 0.0) for pid, v in after.items())

        busy = (sys1.user + sys1.system + getattr(sys1, "nice", 0)) - (
            sys0.user + sys0.system + getattr(sys0, "nice", 0)
        )
        idle = (sys1.idle + getattr(sys1, "iowait", 0)) - (sys0.idle + getattr(sys0, "iowait", 0))
        server, database, generator = delta(s0, s1), delta(d0, d1), max(g1 - g0, 0.0)
        other = max(busy - server - database - generator, 0.0)
        return CpuSplit(t1 - t0, server, database, generator, other, max(idle, 0.0), psutil.cpu_count() or 1)


# --- py-spy's samples → cost centres ----------------------------------------------------------------------

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*)\)$")
#: Where a sample's innermost frame lies → what it is spent on (first match wins).
CENTRES = (
    ("psycopg", "database driver (psycopg: sending queries, reading rows)"),
    ("django/db/models/sql/", "ORM: compiling SQL"),
    ("django/db/models/", "ORM: building querysets and model instances"),
    ("django/db/backends/", "database backend (cursor wrapping, connection checks)"),
    ("django/template/", "template rendering"),
    ("django/templatetags/", "template rendering"),
    ("django/utils/translation", "translation (gettext)"),
    ("django/utils/formats", "formatting dates and numbers"),
    ("django/forms/", "forms and widgets"),
    ("django/contrib/sessions", "sessions"),
    ("django/contrib/auth", "authentication"),
    ("django/middleware", "middleware"),
    ("django/urls", "URL resolving and reversing"),
    ("django/http", "request and response objects"),
    ("django/core/handlers", "request handling"),
    ("whitenoise", "static files (WhiteNoise)"),
    ("gunicorn", "gunicorn (HTTP parsing, sockets)"),
    ("ecoinspect/", "ecoinspect's own code"),
    ("django/", "Django, other"),
)


def _frames(stack: str) -> list[tuple[str, str]]:
    frames = []
    for part in stack.split(";"):
        m = FRAME.match(part)
        if m:
            frames.append((m["func"], m["file"]))
    return frames


def _centre(frames: list[tuple[str, str]]) -> str:
    if not frames:
        return "unknown"
    func, path = frames[-1]
    for needle, label in CENTRES:
        if needle in path:
            return label
    if "/python3" in path or path.startswith("<"):
        # the standard library: attribute it to whoever called it
        for _func, path in reversed(frames[:-1]):
            for needle, label in CENTRES:
                if needle in path:
                    return f"{label} (in the standard library)"
        return "Python standard library"
    return f"other: {path.rsplit('/', 1)[-1]}"


def cost_centres(raw_path: str, worker_pids: set[int] | None = None) -> dict:
    """Read py-spy's raw (collapsed) output: share of samples by cost centre (innermost frame), the
    functions with most samples of their own, and inclusive shares of a few stages."""
    centres: Counter = Counter()
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    stages = {
        "template rendering (inclusive)": ("render", "django/template/"),
        "SQL execution in Django (inclusive)": ("execute", "django/db/backends/utils.py"),
    }
    logins = startup = 0
    with open(raw_path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = _frames(stack)
            if not any("django/core/handlers" in p or "gunicorn/workers" in p for _f, p in frames):
                continue  # the master's housekeeping, py-spy itself
            if any("contrib/auth/views.py" in p or "contrib/auth/hashers.py" in p for _f, p in frames):
                logins += n  # the log-ins before the run (PBKDF2), not the mix
                continue
            if any(p.startswith("<frozen importlib") or f.endswith("load_middleware") for f, p in frames):
                startup += (
                    n  # a fresh worker's first requests import the URLconf, the API, WhiteNoise's files
                )
                continue
            total += n
            centres[_centre(frames)] += n
            if frames:
                func, path = frames[-1]
                own[f"{func} ({_short(path)})"] += n
            for label, probe in stages.items():
                if any(f == probe[0] and probe[1] in p for f, p in frames):
                    inclusive[label] += n
            if any(f.endswith("_view_wrapper") or "views" in p for f, p in frames):
                inclusive["in the view (inclusive)"] += n
    return {
        "samples": total,
        "login_samples": logins,
        "startup_samples": startup,
        "centres": centres,
        "own": own,
        "inclusive": inclusive,
    }


def _short(path: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path
