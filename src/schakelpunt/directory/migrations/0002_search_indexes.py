"""Indexes for the social-map search (docs/subsystems/directory-search.md).

``directory.selectors.service_search`` matches on ``Service.search_text`` (name, alternate
name, description, organisation and term names in one text). On PostgreSQL it uses:

- full-text search in Dutch: a stored generated column ``search_vector`` holding
  ``to_tsvector('dutch', search_text)``, with a GIN index. Stored, because a broad query
  ("hulp") matches most services: PostgreSQL then scans the table, and computing the vector of
  every row (twice: to match and to rank) costs far more than reading it. PostgreSQL keeps the
  column up to date itself; the model does not know it (the selectors reach it by name);
- trigram matching for typos and infixes (``word_similarity``/``<%``, ``ILIKE '%x%'``): GIN
  trigram indexes on ``LOWER(search_text)`` and ``LOWER(name)`` (pg_trgm). Migration 0005 moves
  the first to a stored column ``search_lower``.

Written as SQL per database, like ``residents/migrations/0002_search_indexes.py``: GIN,
operator classes and text-search configurations are PostgreSQL only. SQLite needs none of
these; its search is a plain ``LIKE`` per word, fast enough at the sizes SQLite is used for.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE directory_service ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('dutch'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS directory_service_fts ON directory_service USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS directory_service_text_trigram "
    "ON directory_service USING gin (LOWER(search_text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS directory_service_name_trigram "
    "ON directory_service USING gin (LOWER(name::text) gin_trgm_ops)",
]
INDEXES = [
    "directory_service_fts",
    "directory_service_text_trigram",
    "directory_service_name_trigram",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRESQL:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
