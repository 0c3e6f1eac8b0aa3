"""Load the shipped gazetteer (orgs/data) so that a fresh install has it; later loads go through
``ecoinspect orgs load-gazetteer`` (idempotent, by code)."""

from django.db import migrations


def load(apps, schema_editor):
    from ecoinspect.orgs.gazetteer import FIELDS, gazetteer_rows

    Place = apps.get_model("orgs", "Place")
    have = set(Place.objects.values_list("code", flat=True))
    Place.objects.bulk_create(
        [
            Place(code=row["code"].strip(), **{f: (row.get(f) or "").strip() for f in FIELDS})
            for row in gazetteer_rows()
            if row["code"].strip() not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_places")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
