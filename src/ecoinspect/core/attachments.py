"""Checking uploaded files before an app keeps them (evidence, petition attachments …).

An upload is judged by its content, not its name: the first bytes say what it is (``filetype``; a zip is
opened to tell .docx from .xlsx), that type must be one the app accepts, and the file's name must carry an
extension of that type — a PDF renamed .jpg is refused, so is an empty or oversized file. An accepted file
comes back as an :class:`InspectedFile` with its SHA-256, which the app records so that a file swapped on
disk is detected later (:func:`sha256_of`). Images get a JPEG thumbnail (Pillow); a file that claims to be
an image but does not decode is refused.

Nothing here touches the database or storage: the app's model and service keep the file (see
``ledger.services.evidence``). Every refusal is a ServiceError on the field ``file``.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from ecoinspect.common.errors import ServiceError

__all__ = [
    "DOCUMENT_TYPES",
    "IMAGE_TYPES",
    "VIDEO_TYPES",
    "AttachmentPolicy",
    "FileType",
    "InspectedFile",
    "inspect_upload",
    "max_upload_bytes",
    "sha256_of",
    "sniff_content_type",
    "thumbnail",
]

THUMBNAIL_SIZE = (320, 320)
_HEAD = 8192  # bytes read to recognise a file
_MAGIC = 262  # filetype looks at no more than this


@dataclass(frozen=True)
class FileType:
    """A content type an app may accept: the extension it is stored with and the ones its name may carry."""

    content_type: str
    extension: str
    names: tuple[str, ...]


IMAGE_TYPES = (
    FileType("image/jpeg", ".jpg", (".jpg", ".jpeg")),
    FileType("image/png", ".png", (".png",)),
    FileType("image/webp", ".webp", (".webp",)),
    FileType("image/gif", ".gif", (".gif",)),
)
DOCUMENT_TYPES = (
    FileType("application/pdf", ".pdf", (".pdf",)),
    FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", (".docx",)),
    FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", (".xlsx",)),
)
VIDEO_TYPES = (FileType("video/mp4", ".mp4", (".mp4",)),)


@dataclass(frozen=True)
class AttachmentPolicy:
    """What an app accepts: the types, how it names them to people (``allowed_label``, shown when a file
    is refused) and, optionally, its own wording of "not an accepted type" (``%(name)s``, ``%(kind)s``,
    ``%(allowed)s``). The size limit is the installation's (``ECOINSPECT_MAX_UPLOAD_BYTES``) unless
    ``max_bytes`` is set."""

    types: tuple[FileType, ...]
    allowed_label: str
    type_message: str | None = None
    max_bytes: int | None = None
    by_type: dict[str, FileType] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_type", {t.content_type: t for t in self.types})

    def limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else max_upload_bytes()


@dataclass(frozen=True)
class InspectedFile:
    content_type: str
    extension: str  # what the file is stored with, from its content
    sha256: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def max_upload_bytes() -> int:
    """The largest file (and request body) the installation accepts."""
    return settings.ECOINSPECT_MAX_UPLOAD_BYTES


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _refuse(message: str) -> ServiceError:
    return ServiceError({"file": message})


def _office_type(uploaded) -> str | None:
    """Tell .docx from .xlsx inside a zip by the parts it contains."""
    uploaded.seek(0)
    try:
        names = set(zipfile.ZipFile(uploaded).namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        uploaded.seek(0)
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def sniff_content_type(uploaded) -> str | None:
    """The content type the file's bytes show (None: not recognised), whatever its name says."""
    uploaded.seek(0)
    head = uploaded.read(_HEAD)
    uploaded.seek(0)
    kind = filetype.guess(head if len(head) >= _MAGIC else head + b"\0" * (_MAGIC - len(head)))
    if kind is None:
        return None
    if kind.mime == "application/zip":
        return _office_type(uploaded) or kind.mime
    return kind.mime


def sha256_of(fileobj) -> str:
    """SHA-256 of an uploaded or stored file, read in chunks (the position is restored to the start)."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    if hasattr(fileobj, "chunks"):
        for chunk in fileobj.chunks():
            digest.update(chunk)
    else:
        for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
            digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def inspect_upload(uploaded, policy: AttachmentPolicy) -> InspectedFile:
    """Check an upload against ``policy`` — size, non-empty, content type, name matching content — and
    hash it. Raises ServiceError({"file": reason}) naming the file and what is wrong."""
    limit = policy.limit()
    size = uploaded.size
    if size > limit:
        raise _refuse(
            _(
                "文件 %(name)s 大小 %(size)s，超过 %(limit)s 上限。"
            )
            % {"name": uploaded.name, "size": _human(size), "limit": _human(limit)}
        )
    if size == 0:
        raise _refuse(_("文件 %(name)s 是空文件。") % {"name": uploaded.name})
    detected = sniff_content_type(uploaded)
    accepted = policy.by_type.get(detected)
    if accepted is None:
        template = policy.type_message or _(
            "%(name)s 的内容是 %(kind)s，不是允许的文件类型（%(allowed)s）。"
        )
        raise _refuse(
            str(template)
            % {
                "name": uploaded.name,
                "kind": detected or _("无法识别的内容"),
                "allowed": policy.allowed_label,
            }
        )
    suffix = PurePath(uploaded.name).suffix.lower()
    if suffix not in accepted.names:
        raise _refuse(
            _(
                "%(name)s 的文件名后缀是 %(suffix)s，但内容是 %(kind)s，文件名与内容不符。"
            )
            % {"name": uploaded.name, "suffix": suffix or _("（无）"), "kind": detected}
        )
    return InspectedFile(detected, accepted.extension, sha256_of(uploaded), size)


def thumbnail(uploaded, size: tuple[int, int] = THUMBNAIL_SIZE) -> bytes:
    """A JPEG of at most ``size`` pixels of an image upload; ServiceError if the image does not decode."""
    from PIL import Image, UnidentifiedImageError

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            image.load()
            image.thumbnail(size)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError) as exc:
        raise _refuse(
            _("%(name)s 不是完整的图片文件。") % {"name": uploaded.name}
        ) from exc
    finally:
        uploaded.seek(0)
    return out.getvalue()
