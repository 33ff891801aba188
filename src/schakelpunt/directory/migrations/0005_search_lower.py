"""The search text in lower case, stored: ``search_lower`` (docs/subsystems/directory-search.md).

A word of a query also matches as a substring (``LIKE '%hulp%'``: "hulp" in "schuldhulp") and,
when nothing else matches, by trigram word similarity (typos). Both used to test
``LOWER(search_text)``, computed again for every row the planner reads: on 10,000 services a
scan spent two thirds of its time lower-casing. PostgreSQL now stores the lower-case text once
per write, like ``search_vector``, and the trigram index ``directory_service_text_trigram``
moves from the expression to the column (same name, same use). The model does not know the
column; ``directory.selectors`` reaches it through ``search_text``'s table alias.

PostgreSQL only, like 0002; SQLite needs none of this.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE directory_service ADD COLUMN IF NOT EXISTS search_lower text "
    "GENERATED ALWAYS AS (LOWER(search_text)) STORED",
    "DROP INDEX IF EXISTS directory_service_text_trigram",
    "CREATE INDEX directory_service_text_trigram ON directory_service USING gin (search_lower gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS directory_service_text_trigram",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_lower",
    "CREATE INDEX directory_service_text_trigram ON directory_service "
    "USING gin (LOWER(search_text) gin_trgm_ops)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_stale_reminder")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
