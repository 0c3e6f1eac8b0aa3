"""``backup_create`` and ``backup_restore``: what the two commands do, step by step."""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

import ecoinspect
from ecoinspect.audit import anchors
from ecoinspect.audit.selectors import AuditReport, audit_verify
from ecoinspect.audit.services import anchor_write

from . import database, files
from .errors import BackupError

ANCHOR = anchors.FILE_NAME  # so that `audit verify --anchor <backup directory>` finds it
MEDIA = "media"


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    audit_problems: list[str]


@dataclass
class RestoreResult:
    path: Path
    manifest: dict
    files: int
    kept: int  # files under MEDIA_ROOT that the backup does not hold (uploaded after it), left in place
    report: AuditReport
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anchor: anchors.Anchor | None = None

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.problems


def _dated_directory(parent: Path) -> Path:
    stamp = f"ecoinspect-backup-{timezone.localtime():%Y%m%d-%H%M%S}"
    path, n = parent / stamp, 1
    while path.exists() or path.with_name(path.name + ".partial").exists():
        n += 1
        path = parent / f"{stamp}-{n}"
    return path


def _anchor(directory: Path) -> tuple[anchors.Anchor, list[str]]:
    """Anchor the log for this backup. When the log passes its check against the latest anchor, the new
    anchor goes into the anchor file as well; when it does not, only into the backup (it must not bless a
    damaged log), and the problems are returned."""
    try:
        report = audit_verify()
        problems = [] if report.ok else report.message().splitlines()
    except anchors.AnchorError as error:
        problems = [str(error)]
    payload = {"backup": directory.name.removesuffix(".partial")}
    if problems:
        anchor, _target = anchor_write(path=directory / ANCHOR, reason="backup", payload=payload)
        return anchor, problems
    anchor, _target = anchor_write(reason="backup", payload=payload)
    with anchors.open_for_append(directory / ANCHOR) as handle:
        anchors.write(handle, anchor)
    return anchor, []


def _write_backup(directory: Path) -> tuple[dict, list[str]]:
    anchor, problems = _anchor(directory)
    db_file, counts = database.dump(directory)
    listed = {db_file: files.entry(directory / db_file), ANCHOR: files.entry(directory / ANCHOR)}
    media_root = Path(settings.MEDIA_ROOT)
    for relative in files.tree(media_root):
        listed[f"{MEDIA}/{relative.as_posix()}"] = files.copy_hashed(
            media_root / relative, directory / MEDIA / relative
        )
    manifest = {
        "format": files.FORMAT,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "app_version": ecoinspect.__version__,
        "database": {"vendor": database.vendor(), "file": db_file},
        "tables": counts,
        "anchor": asdict(anchor),
        "audit": {"ok": not problems, "problems": problems},
        "files": listed,
    }
    files.write_manifest(directory, manifest)
    return manifest, problems


def backup_create(*, to: str | Path | None = None) -> BackupResult:
    """Write a dated backup directory under ``to`` (default ``ECOINSPECT_BACKUP_DIR``). It is written as
    ``<name>.partial`` and renamed when complete; a failed backup leaves nothing behind."""
    database.vendor()
    parent = Path(to) if to is not None else Path(settings.ECOINSPECT_BACKUP_DIR)
    final = _dated_directory(parent)
    partial = final.with_name(final.name + ".partial")
    try:
        partial.mkdir(parents=True)
    except OSError as error:
        raise BackupError(
            _("无法创建备份目录 %(path)s：%(error)s") % {"path": partial, "error": error.strerror}
        ) from error
    try:
        manifest, problems = _write_backup(partial)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(final, manifest, problems)
