from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ecoinspect.orgs.gazetteer import load_gazetteer
from ecoinspect.orgs.structure import load_structure

__all__ = ["Command", "load_structure"]  # load_structure lives in orgs.structure; kept importable from here


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
