"""``ecoinspect petitions <subcommand>``: the petitions app's command line (docs/petitions.md).

Each subcommand lives in its own module of ``ecoinspect.petitions.management`` with ``add_parser`` and
``run(options, command)``: ``import`` (take.py), ``suggest`` (suggest.py), ``disclose`` (disclose.py).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from .. import disclose, suggest, take

SUBCOMMANDS = {"import": take, "suggest": suggest, "disclose": disclose}


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("交办信访件：import 导入批次；suggest 预览每件的建议（不写入）；disclose 写出批次的公开表。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for module in SUBCOMMANDS.values():
            module.add_parser(sub)

    def handle(self, *args, subcommand: str, **options):
        SUBCOMMANDS[subcommand].run(options, self)
