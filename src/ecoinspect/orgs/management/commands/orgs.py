from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.orgs import structure
from ecoinspect.orgs.gazetteer import load_gazetteer
from ecoinspect.orgs.models import SectorDuty, Unit


def load_structure() -> tuple[int, int]:
    """Create or update the district's units and, on the first load, the default duties. Returns (units, duties) created."""
    created_units = created_duties = 0
    by_code: dict[str, Unit] = {}
    with transaction.atomic(), acting_as(None):
        for row in structure.units():
            parent_code = row.pop("parent")
            row["parent"] = by_code[parent_code] if parent_code else None
            unit, created = Unit.objects.update_or_create(code=row["code"], defaults=row)
            by_code[unit.code] = unit
            created_units += created
        # The default matrix is seeded once; from then on it is the office's to edit in the app, and rows it
        # re-assigned, renamed or deleted stay that way when the structure is loaded again.
        seed_duties = not SectorDuty.objects.exists()
        for position, (sector, ptype, keywords, dept_code, basis) in enumerate(
            structure.SECTOR_DUTIES, start=1
        ):
            if not seed_duties:
                break
            SectorDuty.objects.create(
                sector=sector,
                department=by_code[dept_code],
                problem_type=ptype,
                keywords=keywords.replace(" ", ","),
                basis=basis,
                sort_order=10 * position,
            )
            created_duties += 1
        if created_units or created_duties:
            action_log_append(
                action="orgs.structure.loaded",
                payload={"units_created": created_units, "duties_created": created_duties},
            )
    return created_units, created_duties


class Command(BaseCommand):
    help = "单位与职责：load-structure 载入白云区组织架构与默认三管三必须清单（可重复执行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "load-structure",
            help="create/update Baiyun's units, the default duty matrix and the shipped gazetteer (idempotent)",
        )
        gaz = sub.add_parser(
            "load-gazetteer",
            help="load places from FILE (code,name,kind,… or the statistical-code table code,name,areaCode,…), "
            "or the shipped gazetteer; idempotent by code",
        )
        gaz.add_argument("file", nargs="?", default=None)
        gaz.add_argument("--update", action="store_true", help="also rewrite existing entries from the file")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load-gazetteer":
            try:
                created, updated = load_gazetteer(options.get("file"), update=options.get("update", False))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(f"地名新增 {created} 条，更新 {updated} 条。"))
            return
        units, duties = load_structure()
        places, _updated = load_gazetteer()
        self.stdout.write(
            self.style.SUCCESS(
                f"单位新增 {units} 个，职责新增 {duties} 条。 / {units} units and {duties} duties created."
            )
        )
        self.stdout.write(self.style.SUCCESS(f"地名新增 {places} 条。 / {places} places created."))
