"""``backup_restore``: a backup checked whole, then the database and the files put back, then the action log
held against the backup's anchor."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.utils.translation import gettext as _

from ecoinspect.audit import anchors
from ecoinspect.audit.models import ActionLog
from ecoinspect.audit.selectors import audit_verify
from ecoinspect.audit.services import action_log_append, anchor_write

from . import database, files
from .errors import BackupError
from .service import ANCHOR, MEDIA, RestoreResult


def _checked_manifest(source: Path) -> dict:
    manifest = files.read_manifest(source)
    problems = files.check(source, manifest)
    if problems:
        raise BackupError(
            _("备份 %(path)s 未通过校验，没有恢复任何内容：%(problems)s")
            % {"path": source, "problems": "；".join(problems)}
        )
    vendor = manifest["database"]["vendor"]
    if vendor != database.vendor():
        raise BackupError(
            _("备份 %(path)s 来自 %(theirs)s 数据库，当前配置的是 %(ours)s 数据库，不能直接恢复。")
            % {
                "path": source,
                "theirs": database.VENDOR_NAMES.get(vendor, vendor),
                "ours": database.VENDOR_NAMES[connection.vendor],
            }
        )
    return manifest


def _refuse_over_data(source: Path) -> None:
    entries, people = database.held_rows()
    if entries or people:
        raise BackupError(
            _(
                "当前数据库不是空的（操作日志 %(entries)s 条，用户 %(people)s 个）：恢复会用备份 %(path)s "
                "替换其中的全部数据。确认要这样做，请加 --yes 再运行。"
            )
            % {"entries": entries, "people": people, "path": source}
        )


def _latest_anchor() -> anchors.Anchor | None:
    try:
        return anchors.latest(anchors.resolve(None))
    except anchors.AnchorError:
        return None


def _restore_media(source: Path, manifest: dict) -> tuple[int, int]:
    """Put every file of the backup back under MEDIA_ROOT (unchanged ones are left as they are); files that
    the backup does not hold stay in place and are counted."""
    root = Path(settings.MEDIA_ROOT)
    prefix = f"{MEDIA}/"
    listed = {
        name.removeprefix(prefix): e for name, e in manifest["files"].items() if name.startswith(prefix)
    }
    for relative, expected in listed.items():
        target = root / relative
        if target.is_file() and files.entry(target) == expected:
            continue
        if files.copy_hashed(source / MEDIA / relative, target) != expected:
            raise BackupError(_("文件 %(path)s 写入后校验不符：请检查磁盘。") % {"path": target})
    kept = {p.as_posix() for p in files.tree(root)} - set(listed)
    return len(listed), len(kept)


def _count_problems(manifest: dict) -> list[str]:
    counts = database.current_counts()
    return [
        _("表 %(table)s 恢复后有 %(found)s 行，备份清单记为 %(expected)s 行")
        % {
            "table": table,
            "found": counts.get(table, 0),
            "expected": expected,
        }
        for table, expected in sorted(manifest["tables"].items())
        if counts.get(table) != expected
    ]


def _notes(previous: anchors.Anchor | None) -> list[str]:
    notes = []
    head = ActionLog.objects.aggregate(head=Max("seq"))["head"] or 0
    if previous is not None and previous.seq > head:
        notes.append(
            _(
                "恢复前最新的锚点（%(time)s）记录到第 %(seq)s 条，恢复后的操作日志到第 %(head)s 条为止："
                "第 %(first)s–%(seq)s 条随备份之后的数据一起不在了。"
            )
            % {"time": previous.when(), "seq": previous.seq, "head": head, "first": head + 1}
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        notes.append(_("恢复的数据库比当前程序旧：请接着运行 ecoinspect migrate。"))
    return notes


def backup_restore(*, source: str | Path, overwrite: bool = False) -> RestoreResult:
    """Check the backup against its manifest (refusing before anything changes), refuse a database that
    holds data unless ``overwrite``, restore the database and the files, recount, verify the action log
    against the backup's anchor; when all agrees, log the restore and write a fresh anchor."""
    source = Path(source)
    anchors.key()  # a key file that cannot be read stops the restore before anything changes
    manifest = _checked_manifest(source)
    if not overwrite:
        _refuse_over_data(source)
    previous = _latest_anchor()
    database.restore(source / manifest["database"]["file"])
    restored, kept = _restore_media(source, manifest)
    problems = _count_problems(manifest)
    report = audit_verify(anchor_path=source / ANCHOR, anchor_required=True)
    result = RestoreResult(source, manifest, restored, kept, report, problems, _notes(previous))
    if result.ok:
        action_log_append(
            action="core.backup.restored",
            payload={"backup": source.name, "files": restored, "created_at": manifest["created_at"]},
        )
        result.anchor, _target = anchor_write(reason="restore", payload={"backup": source.name})
    return result
