"""On PostgreSQL the database itself refuses UPDATE and DELETE on the action log.

(Row triggers only: TRUNCATE stays possible for the test suite's database flush. On SQLite the ORM refuses
changes and the hash chain exposes any made behind its back.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_actionlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_actionlog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_actionlog_no_change ON audit_actionlog;
CREATE TRIGGER audit_actionlog_no_change BEFORE UPDATE OR DELETE ON audit_actionlog
    FOR EACH ROW EXECUTE FUNCTION audit_actionlog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_actionlog_no_change ON audit_actionlog;
DROP FUNCTION IF EXISTS audit_actionlog_append_only();
"""


# params=None: the SQL is sent as it is; with parameters psycopg would read the "%" of RAISE as a placeholder.
def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
