"""Indexes of the rare rows, newest first: refused accesses, and exports and deletions.

The privacy officer asks for them on their own ("every refused access this month", "every
export"); without an index PostgreSQL reads all fifty million rows to find a few thousand. Each
index is partial, so the common rows (reads, searches, changes) add nothing to it; one for each
question, so that neither reads the other's rows to find its own.

Built concurrently on PostgreSQL, so pages keep appending to the log while they are made (hence
not atomic); SQLite does not need them at the size it is meant for. The conditions are spelled
as PostgreSQL gives them back, so that a rebuild from their definition (the data generator's
deferred indexes) makes the same index.
"""

from django.db import migrations

INDEXES = {
    "accesslog_refused": "result = 'refused'",
    "accesslog_exported_deleted": "action = 'export' OR action = 'delete'",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, condition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON audit_accesslog (timestamp DESC) "
                f"WHERE {condition}"
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("audit", "0005_access_log_without_constraints")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
