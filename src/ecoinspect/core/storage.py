"""Content-addressed files, written once however many people upload the same bytes at the same moment.

Import files and evidence are stored under a name derived from their SHA-256 (``imports/ab/<sha>.xlsx``,
``evidence/<problem>/<sha>.pdf``): the same bytes always get the same name. :func:`store_once` keeps them
there exactly once. On a file system the bytes are written to a temporary file beside the target and then
linked to its name in one step, so nobody ever sees a half-written file and a second writer finds the
first one's file instead of storing a copy beside it (Django's ``Storage.save`` would pick a new name,
``<sha>_AbC12xY.xlsx``). On a storage without local paths the name is saved once and a copy that lost the
race is removed again.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage

__all__ = ["Stored", "store_once"]


@dataclass(frozen=True)
class Stored:
    name: str
    #: this call wrote the file (False: it was there already) — only its writer may remove it again
    created: bool


def _chunks(content):
    content.seek(0)
    if hasattr(content, "chunks"):
        yield from content.chunks()
    else:
        yield from iter(lambda: content.read(1024 * 1024), b"")
    content.seek(0)


def _store_local(storage: FileSystemStorage, path: Path, content) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(content):
                out.write(chunk)
        os.chmod(temporary, getattr(storage, "file_permissions_mode", None) or 0o644)
        try:
            os.link(temporary, path)  # fails if the name exists: the first complete file wins
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: replace, atomically, with the same bytes
            os.replace(temporary, path)
        return True
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def store_once(storage: Storage, name: str, content) -> Stored:
    """Keep ``content`` (a Django File or any binary file object) under ``name`` — a name derived from
    its hash — unless a file of that name is there already. Safe when several requests store the same
    name at once: one file, complete, under exactly that name."""
    if storage.exists(name):
        return Stored(name, False)
    if isinstance(storage, FileSystemStorage):
        return Stored(name, _store_local(storage, Path(storage.path(name)), content))
    saved = storage.save(name, content)
    if saved != name:  # stored meanwhile by someone else: keep theirs, drop this copy
        storage.delete(saved)
        return Stored(name, False)
    return Stored(name, True)
