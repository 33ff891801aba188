"""Seed the Dutch taxonomies of the social map (directory/defaults.py), with fixed ids."""

from django.db import migrations


def seed(apps, schema_editor):
    from schakelpunt.directory.defaults import seed_taxonomies

    seed_taxonomies(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_indexes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
