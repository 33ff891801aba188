"""Make the access log append-only in the database itself (PostgreSQL).

The application never changes or deletes a row; this trigger makes sure nobody else does
either, not even with direct SQL as the application's own database user. TRUNCATE (used by
test isolation, and only possible for the table owner) is not covered; production
installations also revoke UPDATE, DELETE and TRUNCATE from the application role
(docs/subsystems/audit.md).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_refuse_change();
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor without parameters: the SQL holds a literal '%' for RAISE.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
