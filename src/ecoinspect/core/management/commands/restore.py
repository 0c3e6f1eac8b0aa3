from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ecoinspect.audit.anchors import AnchorError
from ecoinspect.core.backup.errors import BackupError
from ecoinspect.core.backup.restore import backup_restore


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "从 ecoinspect backup 写出的目录恢复：先按清单核对每个文件，再恢复数据库和上传的文件，"
            "最后用备份中的锚点校验操作日志。"
        )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help=_("备份目录（其中有 manifest.json）"))
        parser.add_argument(
            "--yes", action="store_true", help=_("当前数据库已有数据时，确认用备份替换其中的全部数据")
        )

    def handle(self, *args, directory: str, yes: bool = False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                result = backup_restore(source=directory, overwrite=yes)
            except (BackupError, AnchorError) as error:
                raise CommandError(str(error), returncode=1) from error
            self._report(result)

    def _report(self, result) -> None:
        manifest = result.manifest
        lines = [
            _("备份 %(path)s 与清单一致（%(n)s 个文件），已恢复。")
            % {"path": result.path, "n": len(manifest["files"])},
            _("数据库：%(tables)s 张表，共 %(rows)s 行。")
            % {"tables": len(manifest["tables"]), "rows": sum(manifest["tables"].values())},
            _("上传的文件：%(n)s 个。") % {"n": result.files},
        ]
        if result.kept:
            lines.append(
                _("MEDIA_ROOT 中另有 %(n)s 个文件不在备份中（备份之后上传的），保留未动。")
                % {"n": result.kept}
            )
        lines += [*result.notes, result.report.message()]
        if not result.ok:
            raise CommandError(
                "\n".join([*lines, *result.problems, _("恢复后的校验未通过：数据已恢复，但不能确认完整。")]),
                returncode=1,
            )
        anchor = result.anchor
        lines.append(
            _("已写入新锚点：至第 %(seq)s 条，%(time)s。") % {"seq": anchor.seq, "time": anchor.when()}
        )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
