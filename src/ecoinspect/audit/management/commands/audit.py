from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ecoinspect.audit.anchors import AnchorError
from ecoinspect.audit.selectors import audit_verify
from ecoinspect.audit.services import action_log_append, anchor_write


class Command(BaseCommand):
    @property
    def help(self) -> str:
        """In the system's language, like the pages: a Chinese msgid, English in the catalogue."""
        return _("审计工具：verify 校验操作日志哈希链及其锚点；anchor 把链头记入数据库之外的锚点文件。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = _(
            "重新计算哈希链，并与最新的锚点核对；有断点、缺失或改写时以退出码 1 结束，并指出出问题的记录"
        )
        parser_verify = sub.add_parser("verify", help=verify, description=verify)
        parser_verify.add_argument(
            "--anchor", metavar="PATH", help=_("与此锚点文件（或目录）中最新的锚点核对，而不是默认的锚点文件")
        )
        anchor = _("先校验，再把链头（序号、哈希、条数、时间）追加到锚点文件；供 cron 每晚和每次备份后运行")
        parser_anchor = sub.add_parser("anchor", help=anchor, description=anchor)
        parser_anchor.add_argument(
            "--to",
            metavar="PATH",
            help=_("写入此锚点文件（或目录），而不是 ECOINSPECT_AUDIT_ANCHOR_DIR 下的默认文件"),
        )

    def handle(self, *args, subcommand: str, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the command line speaks the system's language
            try:
                if subcommand == "verify":
                    self.verify(options["anchor"])
                else:
                    self.anchor(options["to"])
            except AnchorError as error:
                raise CommandError(str(error), returncode=1) from error

    def verify(self, path) -> None:
        report = audit_verify(anchor_path=path, anchor_required=path is not None)
        if not report.ok:
            raise CommandError(report.message(), returncode=1)
        payload = {"checked": report.chain.checked}
        if report.anchored.anchor is not None:
            payload["anchor_seq"] = report.anchored.anchor.seq
        action_log_append(action="audit.chain.verified", payload=payload)
        self.stdout.write(self.style.SUCCESS(report.message()))

    def anchor(self, path) -> None:
        report = audit_verify(anchor_path=path)
        if not report.ok:
            raise CommandError("\n".join([report.message(), _("未写入新锚点。")]), returncode=1)
        anchor, target = anchor_write(path=path)
        signed = _("已用审计密钥签名") if anchor.hmac else _("未签名（未配置审计密钥）")
        self.stdout.write(
            self.style.SUCCESS(
                _("已写入锚点：至第 %(seq)s 条，共 %(count)s 条，%(time)s，%(signed)s → %(path)s")
                % {
                    "seq": anchor.seq,
                    "count": anchor.count,
                    "time": anchor.when(),
                    "signed": signed,
                    "path": target,
                }
            )
        )
        self.stdout.write(anchor.line())
