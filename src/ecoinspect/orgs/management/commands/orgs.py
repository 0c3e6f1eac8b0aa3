from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

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
    @property
    def help(self) -> str:
        return _(
            "单位与职责：load-structure 载入%(district)s的组织架构、默认三管三必须清单和地名库；"
            "load-gazetteer 载入地名表（均可重复执行）。"
        ) % {"district": settings.ECOINSPECT_DISTRICT_NAME}

    def add_arguments(self, parser):
        district = {"district": settings.ECOINSPECT_DISTRICT_NAME}
        sub = parser.add_subparsers(dest="subcommand", required=True)
        structure = _("创建或更新%(district)s的单位、默认三管三必须清单和随附的地名库（可重复执行）") % district
        sub.add_parser("load-structure", help=structure, description=structure)
        places = _(
            "从 FILE 载入地名（地名库格式 code,name,kind,… 或统计用区划代码表 code,name,areaCode,…），"
            "不给 FILE 时载入随附的地名库；按代码去重，可重复执行"
        )
        gaz = sub.add_parser("load-gazetteer", help=places, description=places)
        gaz.add_argument("file", nargs="?", default=None, help=_("地名表 CSV 文件"))
        gaz.add_argument("--update", action="store_true", help=_("同时按文件改写已有的地名"))

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load-gazetteer":
            try:
                created, updated = load_gazetteer(options.get("file"), update=options.get("update", False))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(str(exc)) from exc
            done = {"created": created, "updated": updated}
            self.stdout.write(self.style.SUCCESS(_("地名新增 %(created)s 条，更新 %(updated)s 条。") % done))
            return
        units, duties = load_structure()
        places, _updated = load_gazetteer()
        done = {"units": units, "duties": duties}
        self.stdout.write(self.style.SUCCESS(_("单位新增 %(units)s 个，职责新增 %(duties)s 条。") % done))
        self.stdout.write(self.style.SUCCESS(_("地名新增 %(n)s 条。") % {"n": places}))
