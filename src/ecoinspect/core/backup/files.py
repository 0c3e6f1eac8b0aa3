"""The file half of a backup: copying with SHA-256 on the way, the manifest, and checking a backup whole.

Every file of a backup — the database copy, each media file, the anchor — is listed in ``manifest.json``
with its SHA-256 and size; a restore refuses a backup in which anything differs, is missing or was added.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def copy_hashed(source: Path, target: Path) -> dict:
    """Copy ``source`` to ``target`` (written under a temporary name, then put in place) and return its
    ``{"sha256", "bytes"}``, computed from the bytes as they were written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, partial.open("wb") as writer:
        while block := reader.read(CHUNK):
            digest.update(block)
            writer.write(block)
            size += len(block)
        writer.flush()
        os.fsync(writer.fileno())
    os.replace(partial, target)
    return {"sha256": digest.hexdigest(), "bytes": size}


def entry(path: Path) -> dict:
    return {"sha256": sha256_of(path), "bytes": path.stat().st_size}


def tree(root: Path) -> list[Path]:
    """Every file under ``root``, relative to it, in a stable order (none when it does not exist)."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def write_manifest(directory: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
    (directory / MANIFEST).write_text(text + "\n", encoding="utf-8")


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not directory.is_dir():
        raise BackupError(_("备份目录 %(path)s 不存在。") % {"path": directory})
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(
            _("%(path)s 不是备份目录：其中没有 manifest.json。") % {"path": directory}
        ) from error
    except (OSError, ValueError) as error:
        raise BackupError(_("备份清单 %(path)s 无法读取，可能已损坏。") % {"path": path}) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "files" not in manifest:
        raise BackupError(_("备份清单 %(path)s 的格式无法识别。") % {"path": path})
    return manifest


def check(directory: Path, manifest: dict) -> list[str]:
    """What in the backup differs from its manifest: missing, changed or unlisted files (empty: intact)."""
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = directory / name
        if not path.is_file():
            problems.append(_("缺少文件 %(name)s") % {"name": name})
        elif path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            problems.append(_("文件 %(name)s 与清单中的 SHA-256 不符（已损坏或被改动）") % {"name": name})
    present = {p.as_posix() for p in tree(directory)} - {MANIFEST}
    for name in sorted(present - set(manifest["files"])):
        problems.append(_("文件 %(name)s 不在清单中（备份之后被加入）") % {"name": name})
    return problems
