"""Indexes that give the resident search its first page in name order (docs/performance.md).

``residents.selectors.resident_search`` takes, for each of the four ways a name matches, the
first 20 ids in name order: ``UPPER(surname)``, ``UPPER(given_names)``, birth date, id, with
the names compared byte by byte (``COLLATE "C"``). The indexes of migration 0002 found every
match, which PostgreSQL then read from the table, sorted and de-duplicated before it kept 20;
for a common surname that is thousands of rows. These read about 20 index entries instead:

- ``resident_search_name``: the name order itself. ``LIKE 'NIJH%'`` on ``UPPER(surname)`` is
  a range of it (the C collation makes a plain btree serve LIKE under any database
  collation), and that range is already in name order. It replaces 0002's
  ``resident_surname_prefix_like``.
- ``resident_search_prefix``: the prefix ("van", "ter") first, then the name order; only
  residents with a prefix. Replaces ``resident_voorvoegsel``, which gave the matches in no order.
- ``resident_search_given_names``: a given-name prefix is a range here; its matches come in
  no name order, but in an index-only scan they cost no table reads. Replaces
  ``resident_given_names_like``.
- ``resident_search_surname_word``: the trigram index for a later word of the surname, now only
  over surnames with a space. Over all surnames (0002's ``resident_surname_trigram``) it
  returned every "Nijhuis" for " nijhuis", each checked against the table and dropped.

The first three INCLUDE the columns the search filters on (the names, the prefix, municipality
and desk for the visibility rule), so PostgreSQL answers from the index alone (an index-only
scan) and reads the table only for the 20 rows it shows.

PostgreSQL only, like 0002; SQLite keeps its BSN index and no name indexes.
"""

from django.db import migrations

# Columns the search reads besides the index keys: the raw names (the planner needs them for
# an index-only scan even where the query uses UPPER(...)), and the visibility columns.
COVERED = "surname, given_names, surname_prefix, municipality_id, registered_desk_id"
NAME_ORDER = '(UPPER(surname::text) COLLATE "C"), (UPPER(given_names::text) COLLATE "C"), birth_date, id'

CREATE = [
    f"CREATE INDEX IF NOT EXISTS resident_search_name ON residents_resident ({NAME_ORDER}) INCLUDE ({COVERED})",
    "CREATE INDEX IF NOT EXISTS resident_search_prefix "
    f"ON residents_resident (UPPER(surname_prefix::text), {NAME_ORDER}) INCLUDE ({COVERED}) "
    "WHERE surname_prefix::text <> ''",
    "CREATE INDEX IF NOT EXISTS resident_search_given_names "
    f'ON residents_resident ((UPPER(given_names::text) COLLATE "C")) INCLUDE ({COVERED}, birth_date, id)',
    "CREATE INDEX IF NOT EXISTS resident_search_surname_word "
    "ON residents_resident USING gin (UPPER(surname::text) gin_trgm_ops) WHERE surname::text LIKE '% %'",
]
NEW = [
    "resident_search_name",
    "resident_search_prefix",
    "resident_search_given_names",
    "resident_search_surname_word",
]
# Migration 0002's name indexes, which these replace (recreated when going back).
OLD = {
    "resident_surname_prefix_like": "CREATE INDEX IF NOT EXISTS resident_surname_prefix_like "
    "ON residents_resident (UPPER(surname::text) text_pattern_ops)",
    "resident_given_names_like": "CREATE INDEX IF NOT EXISTS resident_given_names_like "
    "ON residents_resident (UPPER(given_names::text) text_pattern_ops)",
    "resident_surname_trigram": "CREATE INDEX IF NOT EXISTS resident_surname_trigram "
    "ON residents_resident USING gin (UPPER(surname::text) gin_trgm_ops)",
    "resident_voorvoegsel": "CREATE INDEX IF NOT EXISTS resident_voorvoegsel "
    "ON residents_resident (UPPER(surname_prefix::text))",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE:
        schema_editor.execute(statement, params=None)  # no parameters: the % of LIKE stays as is
    for name in OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in OLD.values():
        schema_editor.execute(statement)
    for name in NEW:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("residents", "0003_former_identifiers_address_history")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
