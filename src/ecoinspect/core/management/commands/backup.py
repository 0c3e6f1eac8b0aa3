from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from ecoinspect.audit.anchors import Anchor, AnchorError
from ecoinspect.core.backup.database import VENDOR_NAMES
from ecoinspect.core.backup.errors import BackupError
from ecoinspect.core.backup.service import MEDIA, backup_create


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "备份：数据库（SQLite 在线备份或 pg_dump）、上传的文件、操作日志锚点，"
            "以及记有每个文件 SHA-256 的清单，写入一个带日期的目录。"
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            metavar="DIR",
            help=_("在此目录下建立备份目录（默认为 ECOINSPECT_BACKUP_DIR，即 var/backups）"),
        )

    def handle(self, *args, to=None, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                result = backup_create(to=to)
            except (BackupError, AnchorError) as error:
                raise CommandError(str(error), returncode=1) from error
            except OSError as error:
                raise CommandError(
                    _("备份失败，未留下不完整的备份：%(error)s") % {"error": error}, returncode=1
                ) from error
            self._report(result)

    def _report(self, result) -> None:
        manifest = result.manifest
        listed = manifest["files"]
        db = manifest["database"]
        media = [e for name, e in listed.items() if name.startswith(f"{MEDIA}/")]
        anchor = Anchor(**manifest["anchor"])
        lines = [
            _("备份已写入：%(path)s") % {"path": result.path},
            _("数据库（%(vendor)s）：%(file)s，%(size)s；%(tables)s 张表，共 %(rows)s 行")
            % {
                "vendor": VENDOR_NAMES[db["vendor"]],
                "file": db["file"],
                "size": filesizeformat(listed[db["file"]]["bytes"]),
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
            },
            _("上传的文件：%(n)s 个，%(size)s")
            % {"n": len(media), "size": filesizeformat(sum(e["bytes"] for e in media))},
            _("操作日志锚点：至第 %(seq)s 条，%(time)s") % {"seq": anchor.seq, "time": anchor.when()},
            _("清单：manifest.json，列出 %(n)s 个文件的 SHA-256") % {"n": len(listed)},
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
        if result.audit_problems:
            raise CommandError(
                "\n".join(
                    [_("备份已写入，但操作日志校验未通过，新锚点只写入了备份目录："), *result.audit_problems]
                ),
                returncode=1,
            )
