"""Bring the places added to the shipped gazetteer after 0004 to databases that already ran 0004: the villages
and communities of the statistical division codes (2020) for all 24 towns and subdistricts, village industrial
parks and main roads (orgs/data/SOURCES.md). The same loader as 0004: it creates only the codes that are
missing, so a fresh install (where 0004 already loaded them) and a second run change nothing, and entries
edited on the places page are left as they are."""

from importlib import import_module

from django.db import migrations


def load(apps, schema_editor):
    import_module("ecoinspect.orgs.migrations.0004_load_places").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_constraint_message_one_language")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
