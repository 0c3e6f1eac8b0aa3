from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ecoinspect.audit.selectors import verify_chain
from ecoinspect.audit.services import action_log_append


class Command(BaseCommand):
    help = "审计工具：verify 校验操作日志哈希链。 / Audit tools: 'verify' checks the action log hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="recompute the chain; exit 1 naming the first broken row")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            report = verify_chain()
            with translation.override(settings.LANGUAGE_CODE):  # the command line speaks the system's language
                message = report.message()
            if not report.ok:
                raise CommandError(message, returncode=1)
            action_log_append(action="audit.chain.verified", payload={"checked": report.checked})
            self.stdout.write(self.style.SUCCESS(message))
