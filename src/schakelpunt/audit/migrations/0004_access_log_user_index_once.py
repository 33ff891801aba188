"""Drop the index of ``user`` alone: ``accesslog_user`` (user, -timestamp) serves every lookup
by user, and each appended row paid for an entry in both (docs/performance.md).

Only the index goes. Django's own ``AlterField`` would also drop and re-create the foreign
key, which PostgreSQL then checks against every row: minutes on fifty million.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The name Django's schema editor gives the index of this foreign key (0001_initial).
INDEX = "audit_accesslog_user_id_7f87e501"


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_access_log_indexes"),
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
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="gebruiker",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "audit_accesslog" ("user_id")',
                ),
            ],
        ),
    ]
