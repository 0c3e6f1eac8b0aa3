"""The suggestion engine's quality on the held-out labelled sets (benchmarks/data/petitions_holdout*.csv),
replayed round by round and batch by batch through ``Suggester`` and ``petition_register`` exactly as
benchmarks/petitions_quality.py does — this test fails when a change makes the suggestions worse than the
targets of issue #9: town top-1 ≥ 95 % where the complaint names a gazetteer place, repeats found ≥ 90 % at
≥ 90 % precision at the default threshold, problem types micro-F1 ≥ 0.85."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from ecoinspect.petitions.repeats import DEFAULT_THRESHOLD

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "petitions_quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("petitions_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_held_out_sets_meet_the_targets(people, quality):
    total = None
    for path in quality.SETS["holdout"]:
        fig = quality.evaluate(quality.load_rows(path), people["coordinator"])
        total = fig if total is None else total + fig
    lines: list[str] = []
    quality.report(total, threshold=DEFAULT_THRESHOLD, out=lines.append)
    figures = "\n".join(lines)
    recall, precision, _hit, _n = total.repeats_at(DEFAULT_THRESHOLD)
    assert total.town_rows >= 200 and len(total.true_pairs) >= 100, figures
    assert total.town >= quality.TARGETS["town"], figures
    assert total.types_f1 >= quality.TARGETS["types_f1"], figures
    assert recall >= quality.TARGETS["repeat_recall"], figures
    assert precision >= quality.TARGETS["repeat_precision"], figures
    assert total.special_ok == total.special_rows, figures  # outside / ambiguous / none said as such
