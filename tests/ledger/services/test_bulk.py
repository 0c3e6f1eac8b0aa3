"""problem_bulk_register: the import's write path runs problem_register's checks on every row."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.ledger.models import Problem
from ecoinspect.ledger.services.bulk import problem_bulk_register


def spec(units, number, **extra):
    return {
        "number": number,
        "title": f"问题 {number}",
        "source": "self_inspection",
        "lead_unit": units["swj"],
        "acceptance_unit": units["sthj"],
        "deadline": dt.date(2026, 12, 31),
        "origin": f"测试 {number}",
        **extra,
    }


def test_every_bad_row_is_named_and_nothing_is_written(people, units):
    rows = [
        spec(units, "B-1"),
        spec(units, "B-2", severity="catastrophic"),
        spec(units, "B-3", deadline=dt.date(2020, 1, 1)),
        spec(units, "B-4", town=units["swj"]),
        spec(units, "B-1"),
        spec(units, "B-6", cooperating_units=[units["swj"]]),
        spec(units, "B-7", title="  "),
    ]
    with pytest.raises(ServiceError) as refused:
        problem_bulk_register(actor=people["coordinator"], rows=rows)
    messages = refused.value.messages
    assert [m.split("：")[0] for m in messages] == [
        "测试 B-2",
        "测试 B-3",
        "测试 B-4",
        "测试 B-1",
        "测试 B-6",
        "测试 B-7",
    ]
    assert "catastrophic" in messages[0] and "早于登记日期" in messages[1] and "不是镇街" in messages[2]
    assert (
        not Problem.objects.exists() and not ActionLog.objects.filter(action__startswith="ledger.").exists()
    )


def test_staff_register_only_their_units_problems(people, units):
    with pytest.raises(ServiceError) as refused:
        problem_bulk_register(
            actor=people["water"],
            rows=[
                spec(units, "S-1"),
                spec(units, "S-2", lead_unit=units["sanyuanli"], cooperating_units=[units["swj"]]),
            ],
        )
    assert refused.value.messages == [
        "测试 S-2：单位只能登记本单位牵头的问题。"
    ]
    with pytest.raises(NotPermitted):
        problem_bulk_register(actor=people["leader"], rows=[spec(units, "L-1")])
    assert not Problem.objects.exists()


def test_written_rows_match_problem_register(people, units):
    (problem,) = problem_bulk_register(
        actor=people["coordinator"],
        rows=[
            spec(
                units,
                "W-1",
                address="白云区太和镇某村",
                deadline_kind="immediate",
                deadline=None,
                problem_types=["water", "water"],
            )
        ],
    )
    problem.refresh_from_db()
    assert problem.town == units["taihe"] and "太和镇" in problem.routing_reason
    assert problem.deadline is not None and problem.problem_types == ["water"]
    assert problem.registered_by == people["coordinator"] and problem.version == 1
    assert (
        ChangeLog.objects.filter(
            object_type="ledger.problem", object_id=str(problem.pk), operation="create"
        ).count()
        == 1
    )


def test_bulk_update_claims_every_version_or_changes_nothing(people, units):
    from ecoinspect.common.errors import ConcurrentEdit
    from ecoinspect.ledger.services.bulk import problem_bulk_update

    first, second = problem_bulk_register(
        actor=people["coordinator"], rows=[spec(units, "U-1"), spec(units, "U-2")]
    )
    first, second = (Problem.objects.get(pk=p.pk) for p in (first, second))
    Problem.objects.filter(pk=second.pk).update(version=5)  # someone saved meanwhile
    with pytest.raises(ConcurrentEdit) as refused:
        problem_bulk_update(
            actor=people["coordinator"],
            updates=[(first, 1, {"title": "新 1"}), (second, 1, {"title": "新 2"})],
        )
    assert "U-2" in refused.value.messages[0] and "U-1" not in refused.value.messages[0]
    assert set(Problem.objects.values_list("title", flat=True)) == {"问题 U-1", "问题 U-2"}


def test_bulk_update_writes_what_problem_update_writes(people, units):
    from ecoinspect.ledger.services.bulk import problem_bulk_update

    (problem,) = problem_bulk_register(actor=people["coordinator"], rows=[spec(units, "U-1")])
    problem = Problem.objects.prefetch_related("cooperating_units").get(pk=problem.pk)
    with pytest.raises(NotPermitted):
        problem_bulk_update(actor=people["water"], updates=[(problem, 1, {"title": "x"})])
    with pytest.raises(ServiceError):
        problem_bulk_update(actor=people["coordinator"], updates=[(problem, 1, {"severity": "huge"})])
    (updated,) = problem_bulk_update(
        actor=people["coordinator"],
        updates=[(problem, 1, {"title": "新标题", "cooperating_units": [units["shijing"]]})],
    )
    problem.refresh_from_db()
    assert (problem.title, problem.version) == ("新标题", 2)
    assert [u.code for u in problem.cooperating_units.all()] == ["shijing"]
    rows = ChangeLog.objects.filter(
        object_type="ledger.problem", object_id=str(problem.pk), operation="update"
    )
    assert {tuple(r.changed_fields) for r in rows} == {
        ("title", "updated_at", "version"),
        ("cooperating_units",),
    }
    entry = ActionLog.objects.for_object(problem).get(action="ledger.problem.updated")
    assert entry.payload["fields"] == ["title", "cooperating_units"]
