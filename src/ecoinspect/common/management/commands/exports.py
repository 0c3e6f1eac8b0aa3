"""``ecoinspect exports prune``: delete the files of large exports whose keeping time is over (cron, daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...export_jobs import export_jobs_prune


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("后台导出文件：prune 删除已过保留期的文件（可每日由 cron 执行）。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        about = _("删除已过保留期的导出文件")
        sub.add_parser("prune", help=about, description=about)

    def handle(self, *args, subcommand: str, **options):
        deleted = export_jobs_prune()
        self.stdout.write(self.style.SUCCESS(_("已删除 %(n)s 个过期的导出文件。") % {"n": deleted}))
