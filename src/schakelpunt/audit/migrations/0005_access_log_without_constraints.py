"""Make appending a row cheaper on PostgreSQL (docs/subsystems/audit.md).

The foreign-key constraints of ``user`` and ``organisation`` go: PostgreSQL checked them at the
commit of every page that reads personal data, locking the user's row and the organisation's
row each time. A row keeps the user name, roles and organisation as they were when it was
written; ``PROTECT`` still keeps the application from deleting a user or an organisation the log
refers to.

Only on PostgreSQL, as SQL, and found by what they are rather than by name. Django's own
``AlterField`` would rebuild the table on SQLite, losing the index 0003 made there.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "audit_accesslog"
REFERENCES = (("user_id", "accounts_user"), ("organisation_id", "organisations_organisation"))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [TABLE]
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, target in REFERENCES:
        schema_editor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_{column}_fk" FOREIGN KEY ("{column}") '
            f'REFERENCES "{target}" ("id") DEFERRABLE INITIALLY DEFERRED'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_access_log_user_index_once"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="gebruiker",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="organisatie",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    ]
