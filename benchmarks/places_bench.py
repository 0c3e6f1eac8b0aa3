"""Places benchmark (issue #8 part 4): the place matcher and the 三管三必须 matrix on a held-out labelled set.

    .venv/bin/python benchmarks/places_bench.py            # prints the figures; --verbose lists every miss

The holdout set (benchmarks/data/places_holdout.csv) is read only here — the matcher's rules were tuned
on the separate tuning set in tests/orgs/test_gazetteer.py. Its complaints are test fixtures written in the
style of published Baiyun disclosure rows from the places of the gazetteer; they are not real cases.

One run, a fresh SQLite database (benchmarks/out/var-places, migrated: the data migration loads the shipped
gazetteer; ``orgs load-structure`` loads the units and the default matrix). Printed:

* town top-1 accuracy on the rows whose expected answer is a town (and on the rows that name a place of the
  gazetteer), for the new matcher (address + text) and the old ``LegacyTownMatcher`` (the address, or the
  text when there is no address — the old ``town_propose``), in the same run;
* outside-district precision and recall, ambiguous counts (expected / answered / both);
* lead-department accuracy of ``sector_duty_match`` (top-1; a tie counts as a miss but is printed).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OUT = BENCH_DIR / "out" / "var-places"
HOLDOUT = BENCH_DIR / "data" / "places_holdout.csv"


def setup():
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "ecoinspect.sqlite3"
    if db.exists():
        db.unlink()
    os.environ["ECOINSPECT_VAR_DIR"] = str(OUT)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ecoinspect.orgs.structure import load_structure

    load_structure()


def pct(n, d):
    return f"{100 * n / d:5.1f} % ({n}/{d})" if d else "  n/a"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    setup()
    from ecoinspect.orgs.gazetteer import PlaceMatcher
    from ecoinspect.orgs.selectors import LegacyTownMatcher, sector_duty_match

    rows = list(csv.DictReader(HOLDOUT.open(encoding="utf-8")))
    new, old = PlaceMatcher(), LegacyTownMatcher()
    town_rows = new_ok = old_ok = named_rows = named_ok = 0
    out_tp = out_fp = out_fn = 0
    amb_expected = amb_answered = amb_both = 0
    dept_ok = dept_tied = 0
    misses = []
    for row in rows:
        expected = row["expected_place"]
        match = new.match_place(address=row["address"], text=row["text"])
        legacy = old.match(row["address"] or row["text"])
        if expected not in ("outside", "ambiguous", "none"):
            town_rows += 1
            hit = match.status == "matched" and match.town.code == expected
            new_ok += hit
            old_ok += legacy is not None and legacy.code == expected
            if row["names_gazetteer_place"] == "yes":
                named_rows += 1
                named_ok += hit
            if not hit:
                misses.append((row["id"], expected, match.status, match.town, match.reason))
        if expected == "outside" and match.status == "outside":
            out_tp += 1
        elif expected == "outside":
            out_fn += 1
            misses.append((row["id"], expected, match.status, match.town, match.reason))
        elif match.status == "outside":
            out_fp += 1
            misses.append((row["id"], expected, match.status, match.town, match.reason))
        amb_expected += expected == "ambiguous"
        amb_answered += match.status == "ambiguous"
        amb_both += expected == "ambiguous" and match.status == "ambiguous"
        duties = sector_duty_match(text=row["text"], address=row["address"])
        if duties and duties[0].tied:
            dept_tied += 1
            misses.append((row["id"], row["expected_department"], "dept tie", None, duties[0].reason))
        elif duties and duties[0].duty.department.code == row["expected_department"]:
            dept_ok += 1
        else:
            got = duties[0].duty.department.code if duties else None
            misses.append(
                (
                    row["id"],
                    row["expected_department"],
                    f"dept {got}",
                    None,
                    duties[0].reason if duties else "",
                )
            )

    print(f"places holdout: {len(rows)} complaints ({HOLDOUT.relative_to(REPO)})")
    print(
        f"town top-1, rows with an expected town         new {pct(new_ok, town_rows)}   old {pct(old_ok, town_rows)}"
    )
    print(f"town top-1, rows naming a gazetteer place      new {pct(named_ok, named_rows)}")
    print(
        f"outside the district: precision {pct(out_tp, out_tp + out_fp)}  recall {pct(out_tp, out_tp + out_fn)}"
    )
    print(f"ambiguous: expected {amb_expected}, answered {amb_answered}, both {amb_both}")
    print(
        f"lead department top-1                          {pct(dept_ok, len(rows))}  (ties shown as ties: {dept_tied})"
    )
    old_outside = sum(
        1
        for row in rows
        if row["expected_place"] == "outside" and old.match(row["address"] or row["text"]) is not None
    )
    print(f"old matcher: outside rows given a Baiyun town  {old_outside} of {out_tp + out_fn}")
    if args.verbose:
        for miss in misses:
            print("  miss", *miss)


if __name__ == "__main__":
    main()
