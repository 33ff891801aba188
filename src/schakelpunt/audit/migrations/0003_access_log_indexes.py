"""Indexes for an access log of tens of millions of rows (docs/performance.md).

- "Who looked at my file": the rows about a resident are the ones with the resident as
  object *and* the ones written on the resident's behalf (a contact, a question). The second
  kind needs an index on ``on_behalf_of``; partial, since most rows have none.
- Time ranges (a day, a month, retention): rows are appended in time order, so a BRIN index on
  ``timestamp`` (a few hundred kilobytes for fifty million rows) finds the blocks of a period;
  PostgreSQL only.

Written as SQL per database, not as ``Meta.indexes``: BRIN is PostgreSQL only.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE INDEX IF NOT EXISTS accesslog_on_behalf_of ON audit_accesslog (on_behalf_of, timestamp DESC) "
    "WHERE on_behalf_of <> ''",
    "CREATE INDEX IF NOT EXISTS accesslog_timestamp_brin ON audit_accesslog USING brin (timestamp)",
]
# SQLite does not infer "on_behalf_of <> ''" from "on_behalf_of = '...'", so no partial index there.
SQLITE = [
    "CREATE INDEX IF NOT EXISTS accesslog_on_behalf_of ON audit_accesslog (on_behalf_of, timestamp DESC)"
]


def forward(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for name in ("accesslog_on_behalf_of", "accesslog_timestamp_brin"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
