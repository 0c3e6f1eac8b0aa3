"""Anchors: the head of the action log's hash chain, written down outside the table it protects.

The chain proves that no row inside it was changed, inserted or moved. It cannot tell that the newest rows
were deleted, that the table was emptied, or that every row after an edited one was re-hashed: the chain
that is left checks out. An anchor — the head's sequence number and hash, the number of rows up to it and
the time — is one JSON line appended to a file outside the database (``ECOINSPECT_AUDIT_ANCHOR_DIR``), by
``ecoinspect audit anchor`` each night and by every backup; ``ecoinspect audit verify`` then requires the
anchored row to be there, with the anchored hash and as many rows up to it.

With a key (``ECOINSPECT_AUDIT_KEY``, or ``ECOINSPECT_AUDIT_KEY_FILE`` naming a file holding it), kept out of
the database and its backups, each anchor carries an HMAC-SHA256 over its fields, so whoever can rewrite
both the table and the anchor file but does not hold the key is caught too. The chain's own hashes stay
unkeyed: every existing chain keeps verifying.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .hashing import canonical_json

FILE_NAME = "actionlog-anchors.jsonl"


class AnchorError(Exception):
    """An anchor file or the key cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    count: int
    time: str  # ISO 8601 with the offset
    reason: str = ""
    hmac: str = ""

    def _signed_bytes(self) -> bytes:
        fields = asdict(self)
        fields.pop("hmac")
        return canonical_json(fields).encode("utf-8")

    def signed(self, key: bytes | None) -> Anchor:
        if not key:
            return replace(self, hmac="")
        return replace(self, hmac=hmac.new(key, self._signed_bytes(), hashlib.sha256).hexdigest())

    def signature_ok(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signed(key).hmac, self.hmac)

    def when(self) -> str:
        """The time, local and to the second, as a person reads it."""
        try:
            return f"{timezone.localtime(datetime.fromisoformat(self.time)):%Y-%m-%d %H:%M:%S}"
        except ValueError:
            return self.time

    def line(self) -> str:
        fields = asdict(self)
        if not self.hmac:
            fields.pop("hmac")
        return json.dumps(fields, ensure_ascii=False, sort_keys=True)

    @classmethod
    def parse(cls, text: str) -> Anchor:
        data = json.loads(text)
        return cls(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            count=int(data["count"]),
            time=str(data["time"]),
            reason=str(data.get("reason", "")),
            hmac=str(data.get("hmac", "")),
        )


def key() -> bytes | None:
    """The anchor key, from the settings or the key file they name; None when neither is set."""
    value = getattr(settings, "ECOINSPECT_AUDIT_KEY", "")
    path = getattr(settings, "ECOINSPECT_AUDIT_KEY_FILE", "")
    if not value and path:
        try:
            value = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise AnchorError(
                _("无法读取审计密钥文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}
            ) from error
    value = (value or "").strip()
    return value.encode("utf-8") if value else None


def resolve(path: str | Path | None) -> Path:
    """The anchor file: the one given (a directory means the file of that name in it), or the default."""
    if path is None:
        return Path(settings.ECOINSPECT_AUDIT_ANCHOR_DIR) / FILE_NAME
    path = Path(path)
    return path / FILE_NAME if path.is_dir() else path


def open_for_append(path: Path):
    """Open (creating the directory) before anything is written, so a path that cannot be written fails first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("a", encoding="utf-8")
    except OSError as error:
        raise AnchorError(
            _("无法写入锚点文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}
        ) from error


def write(handle, anchor: Anchor) -> None:
    try:
        handle.write(anchor.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    except OSError as error:
        raise AnchorError(
            _("无法写入锚点文件 %(path)s：%(error)s") % {"path": handle.name, "error": error.strerror}
        ) from error


def latest(path: Path) -> Anchor | None:
    """The last anchor of the file; None when the file is missing or holds none."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AnchorError(
            _("无法读取锚点文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}
        ) from error
    numbered = [(n, text) for n, text in enumerate(lines, start=1) if text.strip()]
    if not numbered:
        return None
    number, text = numbered[-1]
    try:
        return Anchor.parse(text)
    except (ValueError, KeyError, TypeError) as error:
        raise AnchorError(
            _("锚点文件 %(path)s 第 %(line)s 行不是有效的锚点记录，文件可能被改动或截断。")
            % {"path": path, "line": number}
        ) from error
