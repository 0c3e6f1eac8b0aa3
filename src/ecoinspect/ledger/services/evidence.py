"""Evidence files (佐证材料): checked by content, hashed, stored under a name derived from the hash.

The ActionLog records each file's SHA-256, so a file swapped on disk is detected by
:func:`evidence_verify` and by anyone re-hashing the download.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.text_bounds import strip_control
from ecoinspect.core.attachments import (
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    VIDEO_TYPES,
    AttachmentPolicy,
    inspect_upload,
    max_upload_bytes,
    sha256_of,
    thumbnail,
)
from ecoinspect.core.services import lock, require
from ecoinspect.core.storage import store_once
from ecoinspect.core.submissions import once

from ..choices import OPEN_STATES, EvidenceKind
from ..models import Evidence, Problem, ProgressReport
from ._base import actor_unit

__all__ = ["EVIDENCE_FILES", "evidence_add", "evidence_verify", "max_upload_bytes"]

#: What may be uploaded as evidence (checked by ``core.attachments``).
EVIDENCE_FILES = AttachmentPolicy(
    types=(*IMAGE_TYPES, *DOCUMENT_TYPES, *VIDEO_TYPES),
    allowed_label=gettext_lazy("照片（JPG/PNG/WebP/GIF）、PDF、Word（.docx）、Excel（.xlsx）、MP4 视频"),
    type_message=gettext_lazy(
        "%(name)s 的内容是 %(kind)s，不是允许的佐证材料类型（%(allowed)s）。"
    ),
)


@once("ledger.evidence")
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
            _("问题处于“%(s)s”状态，不能再上传佐证材料。")
            % {"s": problem.get_status_display()}
        )
    if kind not in EvidenceKind:
        raise ServiceError({"kind": _("未知材料类型。")})
    if report is not None and report.problem_id != problem.pk:
        raise ServiceError(
            {"report": _("该进展报送不属于此问题。")}
        )
    checked = inspect_upload(uploaded, EVIDENCE_FILES)
    sha256 = checked.sha256
    lock(problem)  # the same file sent twice at once: the second waits, then finds the first
    if problem.evidence.filter(sha256=sha256, cycle=problem.cycle).exists():
        raise ServiceError(
            {
                "file": _("同一文件已上传过（SHA-256 %(h)s…）。")
                % {"h": sha256[:12]}
            }
        )
    thumb = thumbnail(uploaded) if checked.is_image else None
    evidence = Evidence(
        problem=problem,
        report=report,
        cycle=problem.cycle,
        kind=kind,
        description=description,
        original_name=strip_control(PurePath(uploaded.name).name)[:200],
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=sha256,
        uploaded_by=actor,
        unit=actor_unit(actor, problem),
    )
    written = []
    try:
        # content-addressed (evidence/<problem>/<sha256>): the same bytes are kept once on disk
        for field, name, content in (
            (evidence.file, evidence.original_name, uploaded),
            (evidence.thumbnail, f"{sha256}.jpg", ContentFile(thumb) if thumb is not None else None),
        ):
            if content is not None:
                stored = store_once(field.storage, field.field.generate_filename(evidence, name), content)
                field.name = stored.name
                written += [field] if stored.created else []
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
                    "size": checked.size,
                    "kind": kind,
                    "cycle": evidence.cycle,
                },
            )
    except Exception:
        for f in written:  # only what this call wrote: an earlier cycle may keep the same file
            f.storage.delete(f.name)
        raise
    return evidence


def evidence_verify(evidence: Evidence) -> bool:
    """Does the stored file still hash to what was recorded when it was uploaded?"""
    with evidence.file.open("rb") as handle:
        return sha256_of(handle) == evidence.sha256
