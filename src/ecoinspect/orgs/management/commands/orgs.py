from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ecoinspect.orgs.gazetteer import load_gazetteer
from ecoinspect.orgs.structure import load_structure

__all__ = ["Command", "load_structure"]  # load_structure lives in orgs.structure; kept importable from here


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
