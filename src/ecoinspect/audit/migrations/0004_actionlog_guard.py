"""The database refuses changes to the action log on both vendors, and a TRUNCATE on PostgreSQL.

0003 refused UPDATE and DELETE on PostgreSQL only, with row triggers, so that the test suite's flush
(TRUNCATE) still ran. Now:

* PostgreSQL — the same row trigger, plus a statement trigger refusing TRUNCATE (also a TRUNCATE ... CASCADE
  reaching the table from another one);
* SQLite — triggers refusing UPDATE and DELETE (SQLite has no TRUNCATE; ``DELETE FROM`` fires them).

A connection in maintenance (``ecoinspect.audit.guard``: a session setting on PostgreSQL, a temporary
table on SQLite — SQLite triggers cannot name temporary tables, but they can ask ``pragma_table_list``) is
let through; the test suite's flush uses it.

Beware on SQLite: a later migration that alters ``audit_actionlog`` makes Django rebuild the table, which
drops its triggers; such a migration must run this one's SQL again (the raw-SQL tests of tests/audit fail
otherwise).
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_actionlog_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('ecoinspect.audit_maintenance', true), '') = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_actionlog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

PG_FORWARDS = (
    PG_FUNCTION
    + """
DROP TRIGGER IF EXISTS audit_actionlog_no_truncate ON audit_actionlog;
CREATE TRIGGER audit_actionlog_no_truncate BEFORE TRUNCATE ON audit_actionlog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_actionlog_append_only();
"""
)

# 0003's function: no way past
PG_BACKWARDS = """
DROP TRIGGER IF EXISTS audit_actionlog_no_truncate ON audit_actionlog;
CREATE OR REPLACE FUNCTION audit_actionlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_actionlog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_actionlog_no_{op_lower} BEFORE {op} ON audit_actionlog
WHEN NOT EXISTS (
    SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'ecoinspect_audit_maintenance'
)
BEGIN
    SELECT RAISE(ABORT, 'audit_actionlog is append-only: {op} refused');
END
"""
SQLITE_OPERATIONS = ("UPDATE", "DELETE")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the SQL is sent as it is; with parameters psycopg would read "%" as a placeholder.
        schema_editor.execute(PG_FORWARDS, params=None)
    elif vendor == "sqlite":
        for op in SQLITE_OPERATIONS:
            schema_editor.execute(SQLITE_TRIGGER.format(op=op, op_lower=op.lower()), params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARDS, params=None)
    elif vendor == "sqlite":
        for op in SQLITE_OPERATIONS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS audit_actionlog_no_{op.lower()}", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_actionlog_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
