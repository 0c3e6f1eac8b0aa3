"""The database's own guard on the action log, and the one way past it.

Migration 0004 has the database refuse UPDATE and DELETE of ``audit_actionlog`` rows — on PostgreSQL TRUNCATE
too — whoever sends them: the ORM refuses already (``AppendOnlyError``); the triggers stop raw SQL, a SQL
console and a careless script. A connection inside :func:`maintenance` is let through:

* PostgreSQL — the session setting ``ecoinspect.audit_maintenance`` is ``on``;
* SQLite — the connection has the temporary table ``ecoinspect_audit_maintenance``.

Both belong to one connection and vanish with it. The product never enters maintenance (a restore replaces
the whole database, SQLite page by page and PostgreSQL by dropping and recreating the tables, and neither
fires the triggers); the test suite's database flush does (``tests/testapp``'s ``flush`` command).

The triggers are a guard, not a proof: whoever owns the database can drop them. The proof is the hash chain
checked against an anchor kept outside the database (:mod:`ecoinspect.audit.anchors`).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import DatabaseError

SETTING = "ecoinspect.audit_maintenance"
SQLITE_FLAG_TABLE = "ecoinspect_audit_maintenance"


def _switch(connection, on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, "on" if on else ""])
        elif connection.vendor == "sqlite":
            if on:
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SQLITE_FLAG_TABLE} (flag integer)")
            else:
                cursor.execute(f"DROP TABLE IF EXISTS temp.{SQLITE_FLAG_TABLE}")


@contextmanager
def maintenance(connection):
    """Let this connection change or empty the action log for the length of the block."""
    _switch(connection, True)
    try:
        yield
    finally:
        try:
            _switch(connection, False)
        except DatabaseError:
            # Only inside a transaction that failed: its rollback takes the switch back with it.
            if not connection.in_atomic_block:
                raise
