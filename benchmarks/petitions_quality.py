"""Suggestion quality of the petitions engine (issue #9) on the held-out labelled set.

    .venv/bin/python benchmarks/petitions_quality.py              # the held-out sets; --verbose lists every miss
    .venv/bin/python benchmarks/petitions_quality.py --set tuning # the set the rules were tuned on

The held-out sets (benchmarks/data/petitions_holdout.csv and petitions_holdout_b.csv; how they were made:
benchmarks/README.md) are read only here and by tests/petitions/test_engine_quality.py, which asserts the
targets on both together; the rules and the default threshold were tuned on
tests/petitions/data/engine_tuning.csv. Each set is replayed on its own.

One run, a fresh SQLite database (benchmarks/out/var-petitions-quality, migrated; ``orgs load-structure``).
The rounds are replayed in order — the 2021 central round, the 2023 provincial round, then the current round
batch by batch — as the district lives them: each batch is suggested by ``petitions.suggest.Suggester``
against the cases registered before it (earlier batches and rounds) and itself, then registered through
``petition_register``. Printed, with the targets of issue #9:

* town top-1 on the rows that name a gazetteer place and lie in a town (≥ 95 %), and how the rows outside the
  district, ambiguous or naming no place were answered;
* problem-type micro-F1 over (case, type) pairs (≥ 0.85), and the sub-tags' micro-F1;
* repeats: recall and precision over the pairs of cases of one repeat group at the default threshold
  (≥ 90 % / ≥ 90 %), and the same at a few other thresholds.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OUT = BENCH_DIR / "out" / "var-petitions-quality"
HOLDOUT_A = BENCH_DIR / "data" / "petitions_holdout.csv"
HOLDOUT_B = BENCH_DIR / "data" / "petitions_holdout_b.csv"
HOLDOUT_C = BENCH_DIR / "data" / "petitions_holdout_c.csv"
HOLDOUT_D = BENCH_DIR / "data" / "petitions_holdout_d.csv"
TUNING = REPO / "tests" / "petitions" / "data" / "engine_tuning.csv"
SETS = {
    "holdout": (HOLDOUT_A, HOLDOUT_B, HOLDOUT_C, HOLDOUT_D),
    "a": (HOLDOUT_A,),
    "b": (HOLDOUT_B,),
    "c": (HOLDOUT_C,),
    "d": (HOLDOUT_D,),
    "tuning": (TUNING,),
}
TARGETS = {"town": 0.95, "types_f1": 0.85, "repeat_recall": 0.90, "repeat_precision": 0.90}
ROUNDS = {  # (name, kind, number, stationed on, received on of batch 1)
    "R2": ("第二轮中央生态环境保护督察（2021年广东）", "central", 2, dt.date(2021, 8, 26)),
    "P1": ("广东省第一轮生态环境保护督察（2023年广州）", "provincial", 1, dt.date(2023, 5, 22)),
    "R3": ("第三轮中央生态环境保护督察（2026年广东）", "central", 3, dt.date(2026, 5, 10)),
}


def load_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@dataclass
class Figures:
    town_ok: int = 0
    town_rows: int = 0
    special_ok: int = 0  # outside / ambiguous / none answered as such
    special_rows: int = 0
    type_tp: int = 0
    type_fp: int = 0
    type_fn: int = 0
    tag_tp: int = 0
    tag_fp: int = 0
    tag_fn: int = 0
    true_pairs: set = field(default_factory=set)
    found: dict = field(default_factory=dict)  # pair → best score
    misses: list = field(default_factory=list)

    def __add__(self, other: Figures) -> Figures:
        """Two sets' figures together (their pairs kept apart by the set's name)."""
        out = Figures()
        for name in ("town_ok", "town_rows", "special_ok", "special_rows", "type_tp", "type_fp", "type_fn",
                     "tag_tp", "tag_fp", "tag_fn"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        out.true_pairs = self.true_pairs | other.true_pairs
        out.found = {**self.found, **other.found}
        out.misses = self.misses + other.misses
        return out

    @staticmethod
    def f1(tp, fp, fn) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    @property
    def town(self) -> float:
        return self.town_ok / self.town_rows if self.town_rows else 0.0

    @property
    def types_f1(self) -> float:
        return self.f1(self.type_tp, self.type_fp, self.type_fn)

    @property
    def tags_f1(self) -> float:
        return self.f1(self.tag_tp, self.tag_fp, self.tag_fn)

    def repeats_at(self, threshold: float) -> tuple[float, float, int, int]:
        predicted = {p for p, s in self.found.items() if s >= threshold}
        hit = len(predicted & self.true_pairs)
        recall = hit / len(self.true_pairs) if self.true_pairs else 0.0
        precision = hit / len(predicted) if predicted else 0.0
        return recall, precision, hit, len(predicted)


def _score_row(fig: Figures, row: dict, s) -> None:
    expected = row["town"]
    if expected in ("outside", "ambiguous", "none"):
        fig.special_rows += 1
        fig.special_ok += s.town_status == expected
    elif row["names_place"] == "yes":
        fig.town_rows += 1
        ok = s.town is not None and s.town.code == expected
        fig.town_ok += ok
        if not ok:
            fig.misses.append(("town", row["id"], expected, s.town.code if s.town else s.town_status))
    gold, got = set(row["types"].split()), set(s.problem_types)
    fig.type_tp += len(gold & got)
    fig.type_fp += len(got - gold)
    fig.type_fn += len(gold - got)
    if gold != got:
        fig.misses.append(("types", row["id"], sorted(gold), sorted(got)))
    gold_t, got_t = {t for t in row["sub_tags"].split("|") if t}, set(s.sub_tags)
    fig.tag_tp += len(gold_t & got_t)
    fig.tag_fp += len(got_t - gold_t)
    fig.tag_fn += len(gold_t - got_t)
    if gold_t != got_t:
        fig.misses.append(("sub_tags", row["id"], sorted(gold_t), sorted(got_t)))


def clear() -> None:
    """Remove the cases, batches and rounds of an earlier set (each set is replayed on its own)."""
    from ecoinspect.petitions.models import InspectionRound, Petition, TransferBatch

    Petition.objects.all().delete()
    TransferBatch.objects.all().delete()
    InspectionRound.objects.all().delete()


def evaluate(rows: list[dict], actor, *, search_threshold: float = 0.15) -> Figures:
    """Replay the labelled set's rounds and batches through the Suggester and the registration service.
    Repeats are searched down to ``search_threshold`` so the figures can be read at any threshold above."""
    from ecoinspect.petitions import services as svc
    from ecoinspect.petitions.suggest import CaseText, Suggester

    clear()
    fig = Figures()
    by_no = {r["acceptance_no"]: r for r in rows}
    groups: dict[str, list[str]] = {}
    for r in rows:
        if r["repeat_group"]:
            groups.setdefault(r["repeat_group"], []).append(r["id"])
    fig.true_pairs = {frozenset(p) for ids in groups.values() for p in combinations(ids, 2)}
    for code, (name, kind, number, stationed) in ROUNDS.items():
        in_round = [r for r in rows if r["round"] == code]
        if not in_round:
            continue
        rnd = svc.round_create(actor=actor, name=name, kind=kind, number=number, stationed_on=stationed)
        for batch_no in sorted({int(r["batch"]) for r in in_round}):
            batch_rows = [r for r in in_round if int(r["batch"]) == batch_no]
            received = stationed + dt.timedelta(days=batch_no)
            batch = svc.batch_create(actor=actor, round=rnd, number=batch_no, received_on=received)
            cases = [CaseText(r["acceptance_no"], r["complaint_text"], r["region_text"], r["type_text"]) for r in batch_rows]
            suggester = Suggester(current_round=rnd, threshold=search_threshold)
            for row, s in zip(batch_rows, suggester.suggest(cases), strict=True):
                _score_row(fig, row, s)
                for d in s.duplicates:
                    pair = frozenset((row["id"], by_no[d.acceptance_no]["id"]))
                    fig.found[pair] = max(fig.found.get(pair, 0.0), d.score)
            for seq, row in enumerate(batch_rows, 1):
                svc.petition_register(
                    actor=actor, round=rnd, batch=batch, seq=seq, acceptance_no=row["acceptance_no"],
                    complaint_text=row["complaint_text"], region_text=row["region_text"],
                    type_text=row["type_text"], received_on=received, matcher=suggester.matcher,
                )
    return fig


def report(fig: Figures, *, threshold: float, verbose: bool = False, out=print) -> None:
    def pct(n, d):
        return f"{100 * n / d:5.1f} % ({n}/{d})" if d else "  n/a"

    out(f"town top-1 (names a gazetteer place):  {pct(fig.town_ok, fig.town_rows)}   target ≥ 95 %")
    out(f"outside / ambiguous / none as such:    {pct(fig.special_ok, fig.special_rows)}")
    out(f"problem types micro-F1:                {fig.types_f1:.3f}   target ≥ 0.85"
        f"   (tp {fig.type_tp}, fp {fig.type_fp}, fn {fig.type_fn})")
    out(f"sub-tags micro-F1:                     {fig.tags_f1:.3f}   (tp {fig.tag_tp}, fp {fig.tag_fp}, fn {fig.tag_fn})")
    recall, precision, hit, predicted = fig.repeats_at(threshold)
    out(f"repeats at the default threshold {threshold:.2f}: recall {pct(hit, len(fig.true_pairs))}, "
        f"precision {pct(hit, predicted)}   targets ≥ 90 % / ≥ 90 %")
    positives = [fig.found.get(p, 0.0) for p in fig.true_pairs]
    negatives = [s for p, s in fig.found.items() if p not in fig.true_pairs]
    out(f"    lowest score of a true pair {min(positives, default=0):.3f}, "
        f"highest of a wrong pair {max(negatives, default=0):.3f}")
    for t in (0.20, 0.25, 0.30, 0.35, 0.40, 0.45):
        r, p, _h, n = fig.repeats_at(t)
        out(f"    threshold {t:.2f}: recall {100 * r:5.1f} %  precision {100 * p:5.1f} %  ({n} pairs suggested)")
    if verbose:
        for miss in fig.misses:
            out("  miss " + " | ".join(str(x) for x in miss))
        predicted = {p for p, s in fig.found.items() if s >= threshold}
        for pair in sorted(fig.true_pairs - predicted, key=sorted):
            out(f"  repeat missed {sorted(pair)} score {fig.found.get(pair, 0):.2f}")
        for pair in sorted(predicted - fig.true_pairs, key=sorted):
            out(f"  repeat wrong  {sorted(pair)} score {fig.found[pair]:.2f}")


def setup() -> object:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "ecoinspect.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["ECOINSPECT_VAR_DIR"] = str(OUT)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoinspect.config.settings.base")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ecoinspect.orgs.management.commands.orgs import load_structure
    from ecoinspect.orgs.models import Membership, Unit, User

    load_structure()
    user = User(username="quality_coordinator", full_name="quality_coordinator")
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, unit=Unit.objects.get(code="yingjianban"), role="coordinator")
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="holdout")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    actor = setup()
    from ecoinspect.petitions.repeats import DEFAULT_THRESHOLD

    total = None
    for path in SETS[args.set]:
        rows = load_rows(path)
        groups = {r["repeat_group"] for r in rows if r["repeat_group"]}
        print(f"\n{path.relative_to(REPO)}: {len(rows)} complaints, {len(groups)} repeat groups")
        fig = evaluate(rows, actor)
        report(fig, threshold=DEFAULT_THRESHOLD, verbose=args.verbose)
        total = fig if total is None else total + fig
    if len(SETS[args.set]) > 1:
        print("\nall held-out sets together")
        report(total, threshold=DEFAULT_THRESHOLD)


if __name__ == "__main__":
    main()
