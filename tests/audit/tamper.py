"""Changing the action log behind the application's back, the way an insider with database access would."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

TRIGGER = "audit_actionlog_no_change"


@contextmanager
def raw_sql():
    """A cursor on the action log with PostgreSQL's append-only trigger switched off for the block."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            # Django's foreign keys are checked at commit; PostgreSQL will not ALTER a table with such checks
            # pending in the (test's) transaction, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_actionlog DISABLE TRIGGER {TRIGGER}")
        try:
            yield cursor
        finally:
            if postgresql:
                cursor.execute(f"ALTER TABLE audit_actionlog ENABLE TRIGGER {TRIGGER}")
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
