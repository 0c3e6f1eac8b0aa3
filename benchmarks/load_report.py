"""Printing a load run's figures: the tables, the targets met or missed, where the CPU went, and what the
next server would add (reasoned from the CPU each request cost the workers and PostgreSQL)."""

from __future__ import annotations

import os
import platform
import sys

from ledger_timing import fmt_ms

TARGETS = {"p95_ms": 300.0, "saturation_rps": 120.0}


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _split_line(cpu: dict) -> str:
    capacity = cpu["seconds"] * cpu["cores"]
    parts = [
        ("gunicorn", cpu["server"]),
        ("PostgreSQL", cpu["database"]),
        ("generator", cpu["generator"]),
        ("rest", cpu["other"]),
        ("idle", cpu["idle"]),
    ]
    return "  ".join(f"{name} {100 * v / capacity:4.0f} %" for name, v in parts)


def report(args, manifest: dict, results: dict) -> None:
    line = "=" * 104
    print(f"\n{line}")
    c = manifest["counts"]
    print(f"Load benchmark — gunicorn + PostgreSQL, production settings, loopback; {os.cpu_count()} cores shared "
          f"by the server, PostgreSQL and the generator")  # fmt: skip
    print(f"Python {sys.version.split()[0]} on {platform.machine()}; data: {c['problems']:,} problems, "
          f"{c['reports']:,} progress reports, {c['petitions']:,} petition cases ({sum(manifest['petitions_by_state'].values()):,} "
          f"of the month, through the services), {len(manifest['people'])} accounts; seeded in {manifest['seconds']:.0f} s")  # fmt: skip
    threads = args.threads if args.worker_class == "gthread" else 1
    before, after = results.get("load_average", (0.0, 0.0))
    print(f"gunicorn {args.workers} workers × {threads} threads ({args.worker_class}); whole run "
          f"{results['seconds'] / 60:.1f} min; load average {before:.1f} before the run, {after:.1f} after "
          f"(above {os.cpu_count()} the machine was shared: read the CPU split's 'rest')")  # fmt: skip
    print(line)

    lg = results["logins"]
    print(f"\n1. log-ins: {lg['logins']} sessions in {lg['seconds']:.1f} s ({lg['logins'] / lg['seconds']:.1f}/s, four at a "
          f"time), the log-in POST p50 {fmt_ms(lg['login_post_p50'])} / p95 {fmt_ms(lg['login_post_p95'])} "
          f"(PBKDF2, once a session); {len(lg['failed'])} failed {lg['failed'] or ''}")  # fmt: skip

    sat = results["saturation"]
    print("\n2. saturation (no think time)")
    print(f"{'sessions':>9} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}   CPU of the 2 cores")
    for s in sat["steps"]:
        print(f"{s['sessions']:>9} {s['rps']:>7.1f} {fmt_ms(s['p50']):>8} {fmt_ms(s['p95']):>8} {fmt_ms(s['p99']):>8} "
              f"{s['errors']:>7}   {_split_line(s['cpu'])}")  # fmt: skip
    plateau = sat["plateau"]
    print(f"plateau: {plateau['rps']:.1f} requests/s at {plateau['sessions']} sessions — target ≥ "
          f"{TARGETS['saturation_rps']:.0f}: {_verdict(plateau['rps'] >= TARGETS['saturation_rps'])}")  # fmt: skip

    u = results["users_phase"]
    print(
        f"\n3. {u['users']} users, {u['think']:g} s think time, {u['seconds']:.0f} s measured after a {args.ramp:g} s ramp"
    )
    print(f"   {u['rps']:.1f} req/s, p50 {fmt_ms(u['p50'])}, p95 {fmt_ms(u['p95'])}, p99 {fmt_ms(u['p99'])}, "
          f"max {fmt_ms(u['max'])}, {u['errors']} errors of {u['requests']:,} requests")  # fmt: skip
    print(f"   target p95 ≤ {TARGETS['p95_ms']:.0f} ms: {_verdict(u['p95'] <= TARGETS['p95_ms'])}; "
          f"0 errors: {_verdict(u['errors'] == 0)}; CPU: {_split_line(u['cpu'])}")  # fmt: skip
    print(
        f"\n   {'request':34} {'n':>6} {'p50':>9} {'p95':>9} {'max':>9}   (phase 3; saturation p95 in brackets)"
    )
    sat_labels = plateau["by_label"]
    for label, r in u["by_label"].items():
        other = sat_labels.get(label)
        extra = f"   ({fmt_ms(other['p95'])})" if other else ""
        print(
            f"   {label:34} {r['n']:>6} {fmt_ms(r['p50']):>9} {fmt_ms(r['p95']):>9} {fmt_ms(r['max']):>9}{extra}"
        )
    errors = {**lg["error_kinds"], **plateau["error_kinds"], **u["error_kinds"]}
    for s in sat["steps"]:
        errors.update(s["error_kinds"])
    if errors:
        print("\n   errors: " + "; ".join(f"{k} ×{v}" for k, v in sorted(errors.items())))
    print(f"   imports through the form during the run: {results['imports_done']}")

    _profile(results.get("profile") or {})
    _next_server(plateau)


def _profile(p: dict) -> None:
    print("\n4. where the CPU goes inside the workers (py-spy samples of a saturated run, log-ins left out)")
    if "skipped" in p or not p.get("samples"):
        print(f"   not measured: {p.get('skipped', 'no samples')}")
        return
    total = p["samples"]
    print(f"   {total:,} samples of request threads holding the GIL, {p['sessions']} sessions for {p['seconds']:g} s "
          f"(left out: {p.get('login_samples', 0):,} of the log-ins, {p.get('startup_samples', 0):,} of the workers' "
          f"start-up imports)")  # fmt: skip
    print("   by cost centre (the innermost frame's package):")
    for label, n in p["centres"].most_common(14):
        print(f"     {100 * n / total:5.1f} %  {label}")
    print("   inclusive:")
    for label, n in p["inclusive"].most_common():
        print(f"     {100 * n / total:5.1f} %  {label}")
    print("   functions with the most samples of their own:")
    for label, n in p["own"].most_common(12):
        print(f"     {100 * n / total:5.1f} %  {label}")


def _next_server(plateau: dict) -> None:
    """CPU milliseconds a request cost each part at the plateau → what moving parts to their own cores gives."""
    cpu, n = plateau["cpu"], plateau["requests"]
    if not n:
        return
    app, db, gen = (1000 * cpu[k] / n for k in ("server", "database", "generator"))
    cores = cpu["cores"]
    print("\n5. what the next server would add (from the CPU a request cost at the plateau)")
    print(f"   a request cost {app:.1f} ms of CPU in gunicorn, {db:.1f} ms in PostgreSQL, {gen:.1f} ms in the generator "
          f"(idle left: {100 * cpu['idle'] / (cpu['seconds'] * cores):.0f} %)")  # fmt: skip

    def rate(app_cores: int, db_cores: int, shared: bool) -> float:
        if shared:  # app and database on the same cores
            return app_cores / ((app + db) / 1000)
        return min(app_cores / (app / 1000), db_cores / (db / 1000))

    rows = [
        (
            f"this machine without the generator ({cores} cores for gunicorn + PostgreSQL)",
            rate(cores, 0, True),
        ),
        (f"PostgreSQL on a second {cores}-core machine, gunicorn alone here", rate(cores, cores, False)),
        (
            f"two {cores}-core app servers behind nginx + one {cores}-core PostgreSQL",
            rate(2 * cores, cores, False),
        ),
    ]
    for label, value in rows:
        print(f"   {label:78} ≈ {value:5.0f} req/s")
    bound = "gunicorn (Python)" if app >= db else "PostgreSQL"
    print(f"   the CPU-bound side is {bound}: "
          + ("another app server adds the most until PostgreSQL's cores are full." if app >= db
             else "a larger database machine (or a read replica for the lists) adds the most."))  # fmt: skip
