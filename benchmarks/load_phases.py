"""The phases of a load run: log-ins, saturation steps, many users at think time, and the profiled run.
Each returns plain dicts (figures), printed by load_report.py."""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from pathlib import Path

import aiohttp

from ledger_timing import percentile
from load_client import Shared, VirtualUser
from load_cpu import CpuWindow, cost_centres

OUT = Path(__file__).resolve().parent / "out"
#: Shares of the virtual users by role: most of a district's people are units' staff members.
PERSONAS = (("unit", 0.80), ("office", 0.12), ("leader", 0.08))


def cast(people: list[dict], n: int, seed: int = 7) -> list[dict]:
    """``n`` virtual users: by PERSONAS' shares, each taking the next person of that role in turn (several
    sessions of one account are several people sharing it, or one person's two browsers)."""
    rng = random.Random(seed)
    by_role = defaultdict(list)
    for person in people:
        by_role[person["persona"]].append(person)
    for group in by_role.values():
        rng.shuffle(group)
    out, used = [], defaultdict(int)
    roles = [r for r, _ in PERSONAS]
    weights = [w for _, w in PERSONAS]
    for i in range(n):
        role = rng.choices(roles, weights)[0] if i >= len(roles) else roles[i]
        group = by_role[role]
        out.append(group[used[role] % len(group)])
        used[role] += 1
    return out


def stats(samples, start: float, end: float) -> dict:
    inside = [s for s in samples if start <= s.ended <= end]
    ms = [s.ms for s in inside if s.ms > 0]  # a content failure (no form on the page) has no time of its own
    errors = [s for s in inside if s.error]
    by_label = defaultdict(list)
    for s in inside:
        if s.ms > 0:
            by_label[s.label].append(s.ms)
    error_kinds = defaultdict(int)
    for s in errors:
        error_kinds[f"{s.label}: {s.error}"] += 1
    return {
        "requests": len(inside),
        "seconds": end - start,
        "rps": len(inside) / (end - start) if end > start else 0.0,
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms) if ms else float("nan"),
        "errors": len(errors),
        "error_kinds": dict(error_kinds),
        "by_label": {
            label: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95), "max": max(v)}
            for label, v in sorted(by_label.items())
        },
    }


async def _run_for(users: list[VirtualUser], *, seconds: float, think: float, ramp: float = 0.0):
    """Run ``users`` (started over ``ramp`` seconds) until ramp + seconds have passed; returns the
    measured window (after the ramp)."""
    began = time.monotonic()
    until = began + ramp + seconds

    async def one(i: int, user: VirtualUser):
        if ramp:
            await asyncio.sleep(ramp * i / len(users))
        await user.run(until=until, think=think)

    tasks = [asyncio.create_task(one(i, u)) for i, u in enumerate(users)]
    await asyncio.sleep(max(until - time.monotonic(), 0))
    for task in tasks:
        task.cancel()  # a request still in flight at the end is not counted
    await asyncio.gather(*tasks, return_exceptions=True)
    return began + ramp, until


async def run_phases(args, manifest: dict, server) -> dict:
    shared = Shared(base=server.base, import_files=manifest["import_files"][: args.imports])
    people = cast(manifest["people"], max(args.users, max(args.step_list)))
    connector = aiohttp.TCPConnector(limit=0, force_close=False, keepalive_timeout=4)
    users = [VirtualUser(p, shared, connector, seed=i) for i, p in enumerate(people)]
    cpu = CpuWindow(server.gunicorn_pid, manifest_dbname(args), also=(server.worker.pid,))
    results: dict = {"users": len(users)}
    try:
        results["logins"] = await _logins(users, shared)
        results["saturation"] = await _saturation(args, users, shared, cpu)
        results["users_phase"] = await _many_users(args, users, shared, cpu)
    finally:
        for user in users:
            await user.close()
        await connector.close()
    results["imports_done"] = shared.imports_done
    return results


def manifest_dbname(args) -> str:
    return args.database.rsplit("/", 1)[-1].split("?", 1)[0]


async def _logins(users, shared, concurrency: int = 4) -> dict:
    """Every virtual user logs in (four at a time, as a morning's log-ins arrive)."""
    gate = asyncio.Semaphore(concurrency)
    began = time.monotonic()

    async def one(user):
        async with gate:
            try:
                await user.login()
            except Exception as exc:  # recorded as a sample already when it was an HTTP failure
                return f"{user.person['username']}: {exc}"
        return None

    failed = [f for f in await asyncio.gather(*(one(u) for u in users)) if f]
    ended = time.monotonic()
    posts = [s.ms for s in shared.samples if s.label == "log-in"]
    print(f"  {len(users)} log-ins in {ended - began:.1f} s, {len(failed)} failed")
    return {
        **stats(shared.samples, began, ended),
        "logins": len(users),
        "failed": failed[:5],
        "login_post_p50": percentile(posts, 50),
        "login_post_p95": percentile(posts, 95),
    }


async def _saturation(args, users, shared, cpu) -> dict:
    """Steps of more and more sessions with no think time; the first seconds of a step are not counted."""
    steps = []
    for n in args.step_list:
        ready = [u for u in users if u.logged_in][:n]
        shared.running = True
        warm = min(5.0, args.step_seconds / 4)
        # the first `warm` seconds settle the step; the CPU and the figures are read over the rest
        task = asyncio.create_task(_run_for(ready, seconds=warm + args.step_seconds, think=0.0))
        await asyncio.sleep(warm)
        cpu.start()
        start = time.monotonic()
        _, end = await task
        split = cpu.stop()
        step = {"sessions": len(ready), **stats(shared.samples, start, end), "cpu": split.__dict__}
        steps.append(step)
        print(f"  saturation, {len(ready):>3} sessions: {step['rps']:.1f} req/s, p95 {step['p95']:.0f} ms, "
              f"{step['errors']} errors")  # fmt: skip
    best = max(steps, key=lambda s: s["rps"])
    return {"steps": steps, "plateau": best}


async def _many_users(args, users, shared, cpu) -> dict:
    ready = [u for u in users if u.logged_in][: args.users]
    cpu_task = asyncio.create_task(asyncio.sleep(args.ramp))
    run = asyncio.create_task(_run_for(ready, seconds=args.duration, think=args.think, ramp=args.ramp))
    await cpu_task
    cpu.start()
    start, end = await run
    split = cpu.stop()
    figures = {
        "users": len(ready),
        "think": args.think,
        **stats(shared.samples, start, end),
        "cpu": split.__dict__,
    }
    print(f"  {len(ready)} users at {args.think:g} s think time: {figures['rps']:.1f} req/s, p95 "
          f"{figures['p95']:.0f} ms, {figures['errors']} errors")  # fmt: skip
    return figures


def profile_phase(args, manifest: dict) -> dict:
    """gunicorn again, under py-spy, for a short saturated run of the same mix; the samples → cost centres."""
    from load_bench import Server, pyspy

    if pyspy() is None:
        return {"skipped": "py-spy is not installed (pip install py-spy; it is in the dev extra)"}
    raw = OUT / "load-pyspy.txt"
    raw.unlink(missing_ok=True)
    server = Server(args, profile_to=raw)
    try:
        sessions = min(max(args.step_list), 16)  # enough to keep every worker thread busy
        asyncio.run(_profiled_run(args, manifest, server, sessions))
    finally:
        server.stop()
    if not raw.exists():
        return {"skipped": "py-spy wrote no samples (is ptrace permitted here?)"}
    found = cost_centres(str(raw))
    return {"sessions": sessions, "seconds": args.profile_seconds, **found}


async def _profiled_run(args, manifest, server, sessions: int) -> None:
    shared = Shared(base=server.base, import_files=[])
    connector = aiohttp.TCPConnector(limit=0)
    users = [
        VirtualUser(p, shared, connector, seed=1000 + i)
        for i, p in enumerate(cast(manifest["people"], sessions))
    ]
    try:
        await _logins(users, shared)
        await _run_for([u for u in users if u.logged_in], seconds=args.profile_seconds, think=0.0)
    finally:
        for user in users:
            await user.close()
        await connector.close()
