"""Changing the action log behind the application's back, the way an insider with database access would."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from ecoinspect.audit.guard import maintenance


@contextmanager
def raw_sql():
    """A cursor on the action log with the database's guard (migration 0004's triggers) lifted for the block:
    an insider who owns the database can drop the triggers; what they then change, the hash chain and the
    anchor must expose."""
    with maintenance(connection), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are checked at commit; PostgreSQL will not TRUNCATE a table with such
            # checks pending in the (test's) transaction, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def set_payload(seq: int, payload_json: str) -> None:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with raw_sql() as cursor:
        cursor.execute(f"UPDATE audit_actionlog SET payload = {cast} WHERE seq = %s", [payload_json, seq])


def delete_row(seq: int) -> None:
    with raw_sql() as cursor:
        cursor.execute("DELETE FROM audit_actionlog WHERE seq = %s", [seq])


def swap_rows(a: int, b: int) -> None:
    """Exchange the positions of two rows (their sequence numbers), keeping each row's content and hash."""
    with raw_sql() as cursor:
        parked = 10**12
        cursor.execute("UPDATE audit_actionlog SET seq = %s WHERE seq = %s", [parked, a])
        cursor.execute("UPDATE audit_actionlog SET seq = %s WHERE seq = %s", [a, b])
        cursor.execute("UPDATE audit_actionlog SET seq = %s WHERE seq = %s", [b, parked])


def delete_tail(first_seq: int) -> None:
    """Remove the newest rows, from ``first_seq`` on: what the chain alone cannot see."""
    with raw_sql() as cursor:
        cursor.execute("DELETE FROM audit_actionlog WHERE seq >= %s", [first_seq])


def empty() -> None:
    """Empty the table (TRUNCATE on PostgreSQL, DELETE FROM on SQLite)."""
    statement = (
        "TRUNCATE audit_actionlog" if connection.vendor == "postgresql" else "DELETE FROM audit_actionlog"
    )
    with raw_sql() as cursor:
        cursor.execute(statement)


def rewrite_from(seq: int, payload: dict) -> None:
    """Change row ``seq``'s payload and re-hash it and every row after it, so the whole chain checks out."""
    from ecoinspect.audit import hashing
    from ecoinspect.audit.models import ActionLog

    rows = list(ActionLog.objects.filter(seq__gte=seq).order_by("seq"))
    prev_hash = rows[0].prev_hash
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with raw_sql() as cursor:
        for row in rows:
            if row.seq == seq:
                row.payload = payload
            row.prev_hash = prev_hash
            row.hash = hashing.chain_hash(prev_hash, row.content())
            prev_hash = row.hash
            cursor.execute(
                f"UPDATE audit_actionlog SET payload = {cast}, prev_hash = %s, hash = %s WHERE seq = %s",
                [hashing.canonical_json(row.payload), row.prev_hash, row.hash, row.seq],
            )
