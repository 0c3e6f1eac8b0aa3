"""Preparing the load benchmark's database (load_bench.py ``--prepare``, in its own process with the
production settings): migrate, collectstatic, a district's ledger, the petitions month, people with known
passwords and the small workbooks the mix imports. Writes a manifest (JSON) the load generator reads.

**Seeding bypasses the services for the ledger** (``ledger_seed.py``: ``bulk_create`` of problems and
progress reports with the values the services would write); **the petitions month goes through them**
(``ecoinspect.petitions.demo.load``: every case registered, assigned, signed, handled, reported, approved
as the people of the demo would, under a replayed clock), so the cases are in every state a month leaves.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

#: Every seeded person logs in with this (the demo's own people keep the demo password).
PASSWORD = "Load-bench@2026"
DEMO_UNITS_WITH_CASES = ("swj", "sanyuanli", "taihe")


def say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def prepare(
    *, problems: int, reports: int, petitions: int, imports: int, import_rows: int, manifest: Path
) -> dict:
    """Everything in one process; returns (and writes) the manifest."""
    import django

    django.setup()
    from django.core.management import call_command

    began = time.monotonic()
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    say(f"migrated and collected the static files in {time.monotonic() - t0:.1f} s")

    from ledger_seed import seed as seed_ledger

    seeded = seed_ledger(problems=problems, reports=reports, out=say)
    t0 = time.monotonic()
    month = _petitions_month(petitions)
    say(
        f"the petitions month: {sum(month.values()):,} cases through the services in {time.monotonic() - t0:.1f} s"
    )
    people = _people(seeded)
    files = _import_files(imports, import_rows, manifest.parent)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    data = {
        "counts": {**seeded.counts, **_petition_counts()},
        "petitions_by_state": month,
        "people": people,
        "import_files": files,
        "import_rows": import_rows,
        "seconds": round(time.monotonic() - began, 1),
        "sizes": {"problems": problems, "reports": reports, "petitions": petitions},
    }
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return data


def new_imports(*, imports: int, import_rows: int, manifest: Path) -> None:
    """Fresh workbooks for a run on a reused database (the numbers of the last run's are taken)."""
    import django

    django.setup()
    data = json.loads(manifest.read_text())
    data["import_files"] = _import_files(imports, import_rows, manifest.parent)
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=1))


def _petitions_month(cases: int) -> dict:
    from ecoinspect.core.demo import load_people
    from ecoinspect.petitions import demo

    load_people()
    return demo.load(cases=cases) or {}


def _petition_counts() -> dict:
    from ecoinspect.petitions.models import Petition

    return {"petitions": Petition.objects.count()}


def _people(seeded) -> list[dict]:
    """Who logs in: every working unit's staff member, the leader, the inspection office (the ledger seed's
    people) and the demo's unit staff whose units hold the month's cases; one password for the seeded ones."""
    from django.contrib.auth.hashers import make_password

    from ecoinspect.core.demo import DEMO_PASSWORD
    from ecoinspect.orgs.models import Membership, User

    User.objects.filter(username__startswith="bench_").update(password=make_password(PASSWORD))
    people = []
    rows = Membership.objects.filter(user__username__startswith="bench_").select_related("user", "unit")
    for m in rows.order_by("unit__sort_order", "user__username"):
        persona = {"leader": "leader", "coordinator": "office"}.get(
            m.role, "unit" if m.role == "staff" else ""
        )
        if persona:
            people.append(_person(m, PASSWORD, persona))
    demo = Membership.objects.filter(
        user__username__in=["water", "sanyuanli", "taihe", "coordinator", "leader"]
    )
    for m in demo.select_related("user", "unit").order_by("user__username"):
        persona = {"leader": "leader", "coordinator": "office"}.get(m.role, "unit")
        people.append(_person(m, DEMO_PASSWORD, persona))
    return people


def _person(membership, password: str, persona: str) -> dict:
    return {
        "username": membership.user.username,
        "password": password,
        "persona": persona,
        "unit_id": membership.unit_id,
        "unit_code": membership.unit.code,
    }


def _import_files(count: int, rows: int, folder: Path) -> list[str]:
    """``count`` small ledger workbooks in the importer's own layout, each with its own problem numbers
    (an import commits its rows once; the next import of the run takes the next file)."""
    from ecoinspect.ledger.importers import LedgerImporter
    from ecoinspect.orgs.models import Unit
    from ledger_bench import _ledger_xlsx

    units = list(Unit.objects.all())
    stamp = dt.datetime.now().strftime("%d%H%M%S")
    paths = []
    for k in range(count):
        path = folder / f"load-import-{k + 1:02d}.xlsx"
        path.write_bytes(
            _ledger_xlsx(LedgerImporter, rows, units, dt.date.today(), prefix=f"LD{stamp}{k:02d}")
        )
        paths.append(str(path))
    return paths
