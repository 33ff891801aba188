"""Indexes for the resident search at city scale (docs/performance.md).

The search (``residents.selectors.resident_search``) filters on ``UPPER(surname) LIKE 'JAN%'``,
``UPPER(given_names) LIKE 'JAN%'``, ``UPPER(surname) LIKE '% JAN%'`` and
``UPPER(surname_prefix) = 'VAN'``, OR-ed together, and on ``bsn = ...``. Each branch needs
an index of exactly that expression, or PostgreSQL reads the whole table:

- prefixes: btree with ``text_pattern_ops``, so LIKE 'X%' can use it under any database
  collation (a plain btree only serves LIKE under the C collation);
- a word inside the surname ("van der Ploeg" for "ploeg"): a trigram GIN index (pg_trgm);
- the BSN: the unique index of migration 0001 only covers active residents, so a plain one.

Written as SQL per database, not as ``Meta.indexes``: operator classes and GIN are PostgreSQL
only, and the project runs on SQLite too. SQLite gets the BSN index; its name searches are
fast enough at the sizes SQLite is used for.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS resident_surname_prefix_like "
    "ON residents_resident (UPPER(surname::text) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS resident_given_names_like "
    "ON residents_resident (UPPER(given_names::text) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS resident_surname_trigram "
    "ON residents_resident USING gin (UPPER(surname::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS resident_voorvoegsel ON residents_resident (UPPER(surname_prefix::text))",
    "CREATE INDEX IF NOT EXISTS resident_bsn ON residents_resident (bsn) WHERE bsn <> ''",
]
SQLITE = ["CREATE INDEX IF NOT EXISTS resident_bsn ON residents_resident (bsn)"]
INDEXES = [
    "resident_surname_prefix_like",
    "resident_given_names_like",
    "resident_surname_trigram",
    "resident_voorvoegsel",
    "resident_bsn",
]


def forward(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    # The extension stays: other objects may use it.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
