"""Evidence files (佐证材料): checked by content, hashed, stored under a name derived from the hash.

The ActionLog records each file's SHA-256, so a file swapped on disk is detected by
:func:`evidence_verify` and by anyone re-hashing the download.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import ServiceError
from ecoinspect.core.services import require

from ..choices import OPEN_STATES, EvidenceKind
from ..models import Evidence, Problem, ProgressReport
from ._base import actor_unit

#: Content types accepted as evidence → the extension the file is stored with and the names it may carry.
ALLOWED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "image/jpeg": (".jpg", (".jpg", ".jpeg")),
    "image/png": (".png", (".png",)),
    "image/webp": (".webp", (".webp",)),
    "image/gif": (".gif", (".gif",)),
    "application/pdf": (".pdf", (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx", (".docx",)),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", (".xlsx",)),
    "video/mp4": (".mp4", (".mp4",)),
}
KIND_NAMES = "照片（JPG/PNG/WebP/GIF）、PDF、Word（.docx）、Excel（.xlsx）、MP4 视频"
THUMBNAIL_SIZE = (320, 320)


def max_upload_bytes() -> int:
    return settings.ECOINSPECT_MAX_UPLOAD_BYTES


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def inspect_upload(uploaded) -> tuple[str, str, str, int]:
    """(content type, stored extension, sha256, size) of an upload, or a ServiceError saying what is wrong."""
    limit = max_upload_bytes()
    size = uploaded.size
    if size > limit:
        raise ServiceError(
            {
                "file": _(
                    "文件 %(name)s 大小 %(size)s，超过 %(limit)s 上限。 / %(name)s is %(size)s, over the %(limit)s limit."
                )
                % {"name": uploaded.name, "size": _human(size), "limit": _human(limit)}
            }
        )
    if size == 0:
        raise ServiceError(
            {"file": _("文件 %(name)s 是空文件。 / %(name)s is empty.") % {"name": uploaded.name}}
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    kind = filetype.guess(head if len(head) >= 262 else head + b"\0" * (262 - len(head)))
    if kind is not None and kind.mime == "application/zip":
        kind = _office_kind(uploaded) or kind
    detected = kind.mime if kind is not None else None
    if detected not in ALLOWED_TYPES:
        shown = detected or _("无法识别的内容")
        raise ServiceError(
            {
                "file": _(
                    "%(name)s 的内容是 %(kind)s，不是允许的佐证材料类型（%(allowed)s）。 / %(name)s contains %(kind)s, which is not an accepted evidence type."
                )
                % {"name": uploaded.name, "kind": shown, "allowed": KIND_NAMES}
            }
        )
    stored_ext, names = ALLOWED_TYPES[detected]
    suffix = PurePath(uploaded.name).suffix.lower()
    if suffix not in names:
        raise ServiceError(
            {
                "file": _(
                    "%(name)s 的文件名后缀是 %(suffix)s，但内容是 %(kind)s，文件名与内容不符。 / %(name)s is named %(suffix)s but contains %(kind)s."
                )
                % {"name": uploaded.name, "suffix": suffix or _("（无）"), "kind": detected}
            }
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return detected, stored_ext, digest.hexdigest(), size


def _office_kind(uploaded):
    """Tell .docx from .xlsx inside a zip by the parts it contains."""
    import zipfile

    uploaded.seek(0)
    try:
        names = set(zipfile.ZipFile(uploaded).namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        uploaded.seek(0)
    if "word/document.xml" in names:
        return _Mime("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if "xl/workbook.xml" in names:
        return _Mime("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return None


class _Mime:
    def __init__(self, mime: str):
        self.mime = mime


def _thumbnail(uploaded) -> bytes:
    from PIL import Image, UnidentifiedImageError

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            image.load()
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError) as exc:
        raise ServiceError(
            {
                "file": _("%(name)s 不是完整的图片文件。 / %(name)s is not a complete image.")
                % {"name": uploaded.name}
            }
        ) from exc
    finally:
        uploaded.seek(0)
    return out.getvalue()


@transaction.atomic
def evidence_add(
    *,
    actor,
    problem: Problem,
    uploaded,
    kind: str,
    description: str = "",
    report: ProgressReport | None = None,
) -> Evidence:
    """Attach one evidence file to the problem's current cycle."""
    require(actor, "ledger.work", problem)
    if problem.status not in OPEN_STATES:
        raise ServiceError(
            _("问题处于“%(s)s”状态，不能再上传佐证材料。 / Evidence can be added only while rectifying.")
            % {"s": problem.get_status_display()}
        )
    if kind not in EvidenceKind:
        raise ServiceError({"kind": _("未知材料类型。 / Unknown evidence kind.")})
    if report is not None and report.problem_id != problem.pk:
        raise ServiceError(
            {"report": _("该进展报送不属于此问题。 / That report belongs to another problem.")}
        )
    content_type, extension, sha256, size = inspect_upload(uploaded)
    if problem.evidence.filter(sha256=sha256, cycle=problem.cycle).exists():
        raise ServiceError(
            {
                "file": _("同一文件已上传过（SHA-256 %(h)s…）。 / This file was already uploaded.")
                % {"h": sha256[:12]}
            }
        )
    thumb = _thumbnail(uploaded) if content_type.startswith("image/") else None
    evidence = Evidence(
        problem=problem,
        report=report,
        cycle=problem.cycle,
        kind=kind,
        description=description,
        original_name=PurePath(uploaded.name).name[:200],
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
        unit=actor_unit(actor, problem),
    )
    stored = []
    try:
        evidence.file.save(evidence.original_name, uploaded, save=False)
        stored.append(evidence.file)
        if thumb is not None:
            evidence.thumbnail.save(f"{sha256}.jpg", ContentFile(thumb), save=False)
            stored.append(evidence.thumbnail)
        with acting_as(actor):
            evidence.save()
            action_log_append(
                action="ledger.evidence.added",
                actor=actor,
                obj=problem,
                payload={
                    "evidence": evidence.pk,
                    "name": evidence.original_name,
                    "sha256": sha256,
                    "size": size,
                    "kind": kind,
                    "cycle": evidence.cycle,
                },
            )
    except Exception:
        for f in stored:
            f.storage.delete(f.name)
        raise
    return evidence


def evidence_verify(evidence: Evidence) -> bool:
    """Does the stored file still hash to what was recorded when it was uploaded?"""
    digest = hashlib.sha256()
    with evidence.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest() == evidence.sha256
