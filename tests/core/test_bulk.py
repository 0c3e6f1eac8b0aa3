"""core.bulk: many records written at once leave the audit trail that saving each would have left.

Each test does the same thing twice — once the ordinary way (save, ``.set()``, ``action_log_append``, so
the signals write the ChangeLog) and once through the bulk helper — and compares what was recorded. The
model is the test app's Memo (versioned, ``auto_now``, JSON, a foreign key and a many-to-many field).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecoinspect.audit.changes import snapshot
from ecoinspect.audit.context import acting_as
from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import ConcurrentEdit
from ecoinspect.core.bulk import BulkRow, bulk_create_logged, bulk_update_logged
from tests.testapp.models import Memo

pytestmark = pytest.mark.django_db


def logged(memo) -> list[ChangeLog]:
    return list(ChangeLog.objects.filter(object_type="testapp.memo", object_id=str(memo.pk)).order_by("id"))


def shape(entry: ChangeLog) -> tuple:
    return (
        entry.operation,
        sorted((entry.before or {}).keys()),
        sorted((entry.after or {}).keys()),
        entry.changed_fields,
        entry.user_id,
        entry.user_name,
    )


def without_identity(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("id", "title", "updated_at")}


def test_a_bulk_create_records_what_create_set_and_append_record(people, structure):
    actor, u = people["coordinator"], structure
    with acting_as(actor):
        single = Memo.objects.create(title="甲", unit=u["swj"], tags=["水"])
        single.units.set([u["shijing"], u["jingtai"]])
        action_log_append(action="testapp.memo.created", actor=actor, obj=single, payload={"n": 1})

    (row,) = bulk_create_logged(
        [BulkRow(Memo(title="乙", unit=u["swj"], tags=["水"]), {"units": [u["jingtai"], u["shijing"]]})],
        action="testapp.memo.created",
        actor=actor,
        payload=lambda r: {"n": len(r.obj.tags)},
    )
    bulk = row.obj

    assert bulk.pk is not None and bulk.updated_at is not None
    assert {x.pk for x in bulk.units.all()} == {u["shijing"].pk, u["jingtai"].pk}
    assert [shape(e) for e in logged(bulk)] == [shape(e) for e in logged(single)]
    created, linked = logged(bulk)
    assert created.after == snapshot(Memo.objects.get(pk=bulk.pk))  # what is stored
    assert without_identity(created.after) == without_identity(logged(single)[0].after)
    assert linked.before == {"units": []} and linked.after == logged(single)[1].after
    assert linked.request_id == created.request_id != ""
    entries = [ActionLog.objects.for_object(m).get() for m in (single, bulk)]
    assert [(e.action, e.actor, e.payload) for e in entries] == [
        ("testapp.memo.created", actor, {"n": 1})
    ] * 2
    assert verify_chain().ok


def test_a_bulk_update_records_what_saving_each_record_records(people, structure):
    actor, u = people["coordinator"], structure
    single, other = (Memo.objects.create(title="旧", unit=u["swj"], tags=["水"]) for _ in range(2))
    for memo in (single, other):
        memo.units.set([u["shijing"]])
    ChangeLog.objects.all().delete()
    with acting_as(actor):
        single.title, single.unit, single.tags = "新", u["zjj"], ["水", "气"]
        single.save()
        single.units.set([u["jingtai"]])

    (row,) = bulk_update_logged(
        [BulkRow(other, {"title": "新", "unit": u["zjj"], "tags": ["水", "气"], "units": [u["jingtai"]]})],
        action="testapp.memo.updated",
        actor=actor,
        payload=lambda r: {"fields": r.changed},
    )

    stored = Memo.objects.get(pk=other.pk)
    assert (stored.title, stored.unit, stored.tags) == ("新", u["zjj"], ["水", "气"])
    assert [x.pk for x in stored.units.all()] == [u["jingtai"].pk]
    saved, *set_rows = logged(single)
    updated, linked = logged(other)
    assert shape(updated) == shape(saved)
    assert updated.changed_fields == ["tags", "title", "unit_id", "updated_at"]
    assert updated.after == snapshot(stored)
    # .set() records its removal and its addition; the bulk write the whole change in one row of that shape
    assert linked.before == set_rows[0].before == {"units": [u["shijing"].pk]}
    assert linked.after == set_rows[-1].after == {"units": [u["jingtai"].pk]}
    assert row.changed == ["tags", "title", "unit", "units"]
    entry = ActionLog.objects.for_object(other).get()
    assert (entry.action, entry.actor, entry.payload) == (
        "testapp.memo.updated",
        actor,
        {"fields": ["tags", "title", "unit", "units"]},
    )


def test_the_before_is_the_stored_row_not_the_callers_copy(people):
    memo = Memo.objects.create(title="一")
    stale = Memo.objects.get(pk=memo.pk)
    Memo.objects.filter(pk=memo.pk).update(title="二")  # changed behind the caller's back
    (row,) = bulk_update_logged([BulkRow(stale, {"tags": ["x"]})], actor=people["coordinator"])
    _created, entry = logged(memo)
    assert entry.before["title"] == entry.after["title"] == "二"  # only the changed field is written
    assert Memo.objects.get(pk=memo.pk).title == "二"
    assert row.changed == ["tags"]


def test_only_values_that_differ_are_reported_changed(people, structure):
    memo = Memo.objects.create(title="一", unit=structure["swj"], tags=["水"])
    memo.units.set([structure["shijing"]])
    (row,) = bulk_update_logged(
        [
            BulkRow(
                memo,
                {"title": "一", "unit": structure["swj"], "tags": ["气"], "units": [structure["shijing"]]},
            )
        ],
        actor=people["coordinator"],
    )
    assert row.changed == ["tags"]
    assert [e.changed_fields for e in logged(memo)][-1] == ["tags", "updated_at"]


def test_versions_are_claimed_for_every_row_or_for_none(people):
    first, second = Memo.objects.create(title="甲"), Memo.objects.create(title="乙")
    Memo.objects.filter(pk=second.pk).update(version=3)  # someone saved meanwhile
    before = ChangeLog.objects.count()
    with pytest.raises(ConcurrentEdit) as refused:
        bulk_update_logged(
            [BulkRow(first, {"title": "新甲"}, version=1), BulkRow(second, {"title": "新乙"}, version=1)],
            action="testapp.memo.updated",
            actor=people["coordinator"],
            conflict_message="已被他人修改：%(n)s",
            describe=lambda m: m.title,
        )
    assert refused.value.messages == ["已被他人修改：乙"]
    assert set(Memo.objects.values_list("title", "version")) == {("甲", 1), ("乙", 3)}
    assert ChangeLog.objects.count() == before
    assert not ActionLog.objects.filter(action="testapp.memo.updated").exists()

    bulk_update_logged(
        [BulkRow(first, {"title": "新甲"}, version=1), BulkRow(second, {"title": "新乙"}, version=3)],
        actor=people["coordinator"],
    )
    assert set(Memo.objects.values_list("title", "version")) == {("新甲", 2), ("新乙", 4)}
    (entry,) = [e for e in logged(first) if e.operation == "update"]
    assert (entry.before["version"], entry.after["version"]) == (1, 2)


def test_rows_that_get_the_same_values_share_one_statement(people):
    memos = [Memo.objects.create(title=f"第{i}条") for i in range(30)]
    created_at = memos[-1].updated_at
    shared = [BulkRow(m, {"tags": ["同"], "title": "同一标题"}) for m in memos[:20]]
    own = [BulkRow(m, {"tags": ["同"], "title": f"新{i}"}) for i, m in enumerate(memos[20:])]
    with CaptureQueriesContext(connection) as queries:
        bulk_update_logged(shared + own, actor=people["coordinator"])
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "testapp_memo"')]
    assert len(updates) == 1 + 10
    assert list(Memo.objects.filter(title="同一标题").values_list("tags", flat=True)) == [["同"]] * 20
    assert sorted(Memo.objects.exclude(title="同一标题").values_list("title", flat=True)) == sorted(
        f"新{i}" for i in range(10)
    )
    stamps = set(Memo.objects.values_list("updated_at", flat=True))
    assert len(stamps) == 1 and stamps.pop() > created_at  # auto_now, as save() sets it
    assert memos[0].updated_at > created_at  # and on the caller's objects too


def test_a_record_deleted_meanwhile_refuses_the_batch(people):
    kept, gone = Memo.objects.create(title="留"), Memo.objects.create(title="删")
    Memo.objects.filter(pk=gone.pk).delete()
    with pytest.raises(Memo.DoesNotExist):
        bulk_update_logged([BulkRow(kept, {"title": "改"}), BulkRow(gone, {"title": "改"})])
    assert Memo.objects.get().title == "留"


def test_only_fields_of_the_record_can_be_written():
    memo = Memo.objects.create(title="一")
    with pytest.raises(FieldDoesNotExist):
        bulk_update_logged([BulkRow(memo, {"title": "二", "colour": "红"})])
    with pytest.raises(TypeError):
        bulk_update_logged([BulkRow(memo, {"title": "二", "id": memo.pk + 1})])
    assert Memo.objects.get().title == "一"
