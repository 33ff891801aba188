"""Indexes for the work lists at city scale (docs/performance.md).

- Open questions of a desk (``desk_open_questions``: counted and listed oldest first): a
  partial index on the few open questions, with their contact, so neither the count nor the
  list reads the millions of closed ones.
- Which desk a contact belongs to, without reading the contact: questions reach their desk
  through their contact (``Question.objects.visible_to``), and an index-only lookup of
  ``(id, desk_id)`` turns a scan of millions of contacts into one probe per question.
- Closed today (``closed_today``): an index on ``closed_at``.

Written as SQL, not as ``Meta.indexes``, so that they stay out of the model state (the model
belongs to the contacts app's own changes); the same statements work on SQLite.
"""

from django.db import migrations

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS question_open_created ON contacts_question (created_at, contact_id) "
    "WHERE NOT (status = 'closed')",
    "CREATE INDEX IF NOT EXISTS contact_desk_of ON contacts_contact (id, desk_id)",
    "CREATE INDEX IF NOT EXISTS question_closed_at ON contacts_question (closed_at) "
    "WHERE closed_at IS NOT NULL",
]


def forward(apps, schema_editor):
    for statement in STATEMENTS:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for name in ("question_open_created", "contact_desk_of", "question_closed_at"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_default_taxonomies")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
