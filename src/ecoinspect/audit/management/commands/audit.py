from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ecoinspect.audit.selectors import verify_chain
from ecoinspect.audit.services import action_log_append


class Command(BaseCommand):
    @property
    def help(self) -> str:
        """In the system's language, like the pages: a Chinese msgid, English in the catalogue."""
        return _("审计工具：verify 校验操作日志哈希链。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = _("重新计算哈希链；有断点时以退出码 1 结束，并指出第一条出问题的记录")
        sub.add_parser("verify", help=verify, description=verify)

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            report = verify_chain()
            with translation.override(settings.LANGUAGE_CODE):  # the command line speaks the system's language
                message = report.message()
            if not report.ok:
                raise CommandError(message, returncode=1)
            action_log_append(action="audit.chain.verified", payload={"checked": report.checked})
            self.stdout.write(self.style.SUCCESS(message))
