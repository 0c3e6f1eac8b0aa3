from __future__ import annotations

import importlib

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ecoinspect.core import demo


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("演示数据：load 载入（可重复执行，已有数据保留）；logins 列出演示账号。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load, logins = _("载入演示数据（可重复执行，已有数据保留）"), _("列出演示账号")
        sub.add_parser("load", help=load, description=load)
        sub.add_parser("logins", help=logins, description=logins)

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load":
            call_command("orgs", "load-structure", stdout=self.stdout)
            created = demo.load_people(self.stdout)
            self.stdout.write(_("演示用户新增 %(n)s 个。") % {"n": created})
            for config in apps.get_app_configs():
                if not config.name.startswith("ecoinspect.") or config.name in {"ecoinspect.common", "ecoinspect.core"}:
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.load(self.stdout)
        self.stdout.write(demo.logins_table())
