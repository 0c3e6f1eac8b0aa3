"""The action log: append-only, hash-chained, verifiable; `ecoinspect audit verify` names the first broken row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from ecoinspect.audit import hashing
from ecoinspect.audit.guard import maintenance
from ecoinspect.audit.models import ActionLog, AppendOnlyError
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.audit.services import action_log_append, action_log_append_many
from tests.audit import tamper


def verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_entries_are_numbered_in_order_and_each_carries_the_previous_hash(chain):
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == hashing.GENESIS
    for previous, entry in zip(chain, chain[1:]):
        assert entry.prev_hash == previous.hash
        assert entry.hash == hashing.chain_hash(previous.hash, entry.content())
    assert len({e.hash for e in chain}) == len(chain)


def test_an_entry_records_who_did_what_to_which_record(chain, people, structure):
    entry = action_log_append(
        action="orgs.unit.updated",
        actor=people["coordinator"],
        obj=structure["taihe"],
        payload={"fields": ["phone"]},
    )
    assert (entry.actor_name, entry.object_type, entry.object_id, entry.object_repr) == (
        "coordinator",
        "orgs.unit",
        str(structure["taihe"].pk),
        "太和镇",
    )
    system = action_log_append(action="orgs.structure.loaded")
    assert system.actor is None and system.actor_name == "系统"


def test_actions_must_be_namespaced(db):
    with pytest.raises(ValueError, match="namespaced"):
        action_log_append(action="deleted")


def test_the_log_cannot_be_changed_or_deleted_through_the_application(chain):
    entry = ActionLog.objects.get(seq=3)
    entry.payload = {"step": 99}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ActionLog.objects.filter(seq=3).update(payload={"step": 99})
    with pytest.raises(AppendOnlyError):
        ActionLog.objects.filter(seq__gte=2).delete()
    with pytest.raises(AppendOnlyError):
        ActionLog.objects.all().delete()
    assert "append-only" in str(AppendOnlyError()) and "只能追加" in str(AppendOnlyError())
    assert ActionLog.objects.get(seq=3).payload == chain[2].payload == {"step": 2, "note": "第2步"}
    assert ActionLog.objects.count() == len(chain)


RAW_CHANGES = (
    "UPDATE audit_actionlog SET actor_name = 'someone' WHERE seq = 3",
    "DELETE FROM audit_actionlog WHERE seq = 3",
    "DELETE FROM audit_actionlog WHERE seq >= 5",  # the newest rows: the chain alone would not notice
    "DELETE FROM audit_actionlog",
)
PG_EMPTYING = ("TRUNCATE audit_actionlog", "TRUNCATE orgs_user CASCADE")


def test_raw_sql_changes_are_refused_by_the_database_itself(chain):
    """Below the ORM: the triggers refuse UPDATE and DELETE on both databases, and TRUNCATE on PostgreSQL
    (SQLite has none), also when it cascades from the people the log refers to."""
    statements = RAW_CHANGES
    if connection.vendor == "postgresql":
        statements += PG_EMPTYING
        # the test's pending foreign-key checks would stop a TRUNCATE before the trigger does
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert list(ActionLog.objects.order_by("seq")) == chain
    assert ActionLog.objects.get(seq=3).actor_name == "coordinator"
    assert verify_chain().ok


def test_only_a_connection_in_maintenance_gets_past_the_guard(chain):
    """The way past is per connection (the test suite's flush uses it); it closes again after the block."""
    with maintenance(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_actionlog SET actor_name = 'someone' WHERE seq = 3")
    assert ActionLog.objects.get(seq=3).actor_name == "someone"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_actionlog WHERE seq = 3")


def test_verify_passes_on_an_intact_chain_and_records_that_it_did(chain):
    code, output = verify()
    assert code == 0
    assert f"共校验 {len(chain)} 条" in output
    last = ActionLog.objects.order_by("-seq").first()
    assert last.action == "audit.chain.verified" and last.payload == {"checked": len(chain)}
    assert verify()[0] == 0  # the entry it appended is itself part of a valid chain


def test_verify_names_the_row_whose_payload_was_changed(chain):
    tamper.set_payload(4, '{"step": 3, "note": "已整改完毕"}')
    code, message = verify()
    assert code == 1
    assert f"第 4 条（id={chain[3].pk}）" in message and "内容被篡改" in message
    assert not ActionLog.objects.filter(action="audit.chain.verified").exists()


def test_verify_names_the_row_after_a_deleted_one(chain):
    tamper.delete_row(3)
    code, message = verify()
    assert code == 1
    assert f"第 4 条（id={chain[3].pk}）" in message and "序号不连续（应为 3）" in message


def test_verify_names_the_first_of_two_swapped_rows(chain):
    tamper.swap_rows(3, 5)
    code, message = verify()
    assert code == 1
    assert f"第 3 条（id={chain[4].pk}）" in message  # the row now in third place is the old fifth


def test_verify_catches_a_row_forged_with_a_fresh_hash_by_its_successor(chain):
    forged = chain[2]
    content = forged.content() | {"payload": {"step": 2, "note": "伪造"}}
    new_hash = hashing.chain_hash(forged.prev_hash, content)
    with tamper.raw_sql() as cursor:
        cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        cursor.execute(
            f"UPDATE audit_actionlog SET payload = {cast}, hash = %s WHERE seq = 3",
            ['{"step": 2, "note": "伪造"}', new_hash],
        )
    report = verify_chain()
    assert not report.ok and report.broken_seq == 4  # row 3 checks out on its own; row 4 no longer follows it
    with translation.override("zh-hans"):
        assert "记录被移动或替换" in report.message()
    with translation.override("en"):  # and in English for an English reader
        assert "moved or replaced" in report.message()


def test_an_empty_log_verifies(db):
    report = verify_chain()
    assert report.ok and report.checked == 0


def test_a_batch_is_chained_exactly_as_single_appends_would_be(chain, people, structure):
    """action_log_append_many (the import's per-problem entries) continues the one chain, in order."""
    units = [structure["taihe"], structure["swj"], structure["sanyuanli"]]
    written = action_log_append_many(
        action="orgs.unit.updated",
        actor=people["coordinator"],
        items=[(unit, {"fields": ["phone"], "n": i}) for i, unit in enumerate(units)],
    )
    action_log_append(action="testapp.ticket.closed", actor=people["coordinator"])

    entries = list(ActionLog.objects.order_by("seq"))
    assert written == 3
    assert [e.seq for e in entries] == list(range(1, len(chain) + 5))
    batch = entries[len(chain) : len(chain) + 3]
    assert [(e.object_id, e.payload["n"], e.actor_name) for e in batch] == [
        (str(u.pk), i, people["coordinator"].display_name) for i, u in enumerate(units)
    ]
    assert verify()[0] == 0
    assert ActionLog.objects.for_object(structure["swj"]).get().payload["fields"] == ["phone"]


def test_a_batch_with_an_unnamespaced_action_writes_nothing(chain, structure):
    with pytest.raises(ValueError):
        action_log_append_many(action="updated", items=[(structure["taihe"], {})])
    assert ActionLog.objects.count() == len(chain)
