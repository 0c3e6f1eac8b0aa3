"""``ecoinspect submissions prune``: forget the one-time keys of forms sent long ago (cron, nightly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...submissions import KEEP_DAYS, MAX_KEEP_DAYS, submissions_prune


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("表单防重复提交标识：prune 删除早于保留天数的标识（可每日由 cron 执行）。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        about = _("删除早于保留天数的防重复提交标识")
        prune = sub.add_parser("prune", help=about, description=about)
        prune.add_argument(
            "--days", type=int, default=KEEP_DAYS, help=_("保留天数（默认 %(default)s，1–3650）")
        )

    def handle(self, *args, subcommand: str, days: int, **options):
        if not 1 <= days <= MAX_KEEP_DAYS:
            raise CommandError(_("保留天数应在 1 到 %(max)s 天之间，而不是 %(days)s。") % {"max": MAX_KEEP_DAYS, "days": days})
        deleted = submissions_prune(days=days)
        self.stdout.write(self.style.SUCCESS(_("已删除 %(n)s 个过期的防重复提交标识。") % {"n": deleted}))
