"""Initialise the maintained counts of problems (ledger.tallies) of an existing database from its problems:
the recount that ``ecoinspect ledger recount --repair`` runs."""

from django.db import migrations

#: The columns the buckets read, as they stand at this migration.
FIELDS = (
    "lead_unit_id",
    "status",
    "source",
    "is_key",
    "problem_types",
    "deadline_kind",
    "deadline",
    "blue_on",
    "yellow_on",
    "paused_at",
    "progress_status",
    "last_reported_on",
    "registered_on",
    "closed_at",
)


def initialise(apps, schema_editor):
    from ecoinspect.core.tallies import Tally
    from ecoinspect.ledger.tallies import problem_buckets

    Tally(
        name="ledger.problem.initial",
        model=apps.get_model("ledger", "Problem"),
        counts=apps.get_model("ledger", "ProblemTally"),
        fields=FIELDS,
        relations=("cooperating_units",),
        buckets=problem_buckets,
    ).recount(repair=True)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_problem_tally")]

    operations = [migrations.RunPython(initialise, migrations.RunPython.noop, elidable=True)]
