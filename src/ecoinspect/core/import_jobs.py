"""The import jobs (core.imports' pipeline around an importer): an upload stored and recorded, checked
(inline or by the worker, with progress), then committed once, by its owner, exactly as previewed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.common.import_files import ImportRefused
from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.common.text_bounds import (
    strip_control,
)

from .imports import (
    IMPORTERS,
    MAX_STORED_ERRORS,
    CellError,
    ImportChanged,
    ImportDone,
    Importer,
    ImportStateError,
    Preview,
    importer_for,
    job_bytes,
)
from .services import serialise
from .storage import store_once
from .workflow import WorkflowError

logger = logging.getLogger("ecoinspect.imports")


# --- reads and writes of jobs ---------------------------------------------------------------------


def import_job_list(*, user, kind: str | None = None):
    """One's own imports, and every import of a kind whose ``overseer_perm`` one holds district-wide."""
    from .permissions import user_scope

    qs = ImportJob.objects.select_related("created_by")
    kinds = [kind] if kind else list(IMPORTERS)
    overseen = [
        k
        for k in kinds
        if k in IMPORTERS and IMPORTERS[k].overseer_perm and user_scope(user, IMPORTERS[k].overseer_perm).everything
    ]
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(Q(kind__in=overseen) | Q(created_by_id=user.pk))


def import_job_get(*, user, pk: int, kind: str | None = None) -> ImportJob:
    """A job its uploader or the office may see (raises ImportJob.DoesNotExist otherwise)."""
    return import_job_list(user=user, kind=kind).get(pk=pk)


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def import_job_create(*, actor, kind: str, uploaded, options: dict | None = None) -> ImportJob:
    """Store an upload as an ImportJob (nothing is imported yet). Refuses oversized files and files of a
    kind the importer does not take (by default anything but .xlsx)."""
    importer = importer_for(kind)
    limit = importer.size_limit()
    name = strip_control(Path(getattr(uploaded, "name", "") or "upload.xlsx").name)[:200] or "upload.xlsx"
    if uploaded.size > limit:
        raise ImportRefused(
            _(
                "文件 %(name)s 大小 %(size)s，超过 %(limit)s 上限。"
            )
            % {"name": name, "size": _human(uploaded.size), "limit": _human(limit)},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    from ecoinspect.common.import_files import sniff

    sniff(data, name, importer.formats)
    digest = hashlib.sha256(data).hexdigest()
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=name,
        sha256=digest,
        size=len(data),
        options=options or {},
    )
    # content-addressed: the same bytes are stored once, even when uploaded several times at once
    stored = store_once(job.file.storage, job.file.field.generate_filename(job, name), ContentFile(data))
    job.file.name = stored.name
    job.save()
    return job


def _progress_writer(job: ImportJob) -> Callable[[int, int], None]:
    def write(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=done, total_rows=total)

    return write


def import_job_validate(job: ImportJob) -> ImportJob:
    """Check the job's file and store the preview and every error on the job."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, progress=0)
    importer = importer_for(job.kind)(
        actor=job.created_by, options=job.options, progress=_progress_writer(job)
    )
    try:
        preview = importer.validate(job_bytes(job))
    except ImportRefused as exc:
        _store_refusal(job, exc)
        return job
    except Exception:
        logger.exception("import job %s failed during validation", job.pk)
        _store_refusal(
            job,
            ImportRefused(
                _(
                    "校验时发生系统错误，已记录，请联系管理员。"
                ),
                code="error",
            ),
            status=ImportStatus.FAILED,
        )
        return job
    _store_preview(job, importer, preview)
    return job


def _store_refusal(job: ImportJob, exc: ServiceError, status: str = ImportStatus.INVALID) -> None:
    job.status = status
    job.errors = [CellError(None, "", "", m).as_dict() for m in exc.messages]
    job.error_count = len(job.errors)
    job.result = {}
    job.created_count = job.updated_count = job.unchanged_count = job.total_rows = 0
    job.save()


def _store_preview(job: ImportJob, importer: Importer, preview: Preview) -> None:
    counts = preview.counts
    job.status = ImportStatus.VALID if preview.ok else ImportStatus.INVALID
    job.total_rows = job.progress = counts["total"]
    job.created_count, job.updated_count, job.unchanged_count = (
        counts["create"],
        counts["update"],
        counts["unchanged"],
    )
    job.error_count = counts["errors"]
    job.errors = [e.as_dict() for e in preview.errors[:MAX_STORED_ERRORS]]
    job.result = preview.as_result(importer.layout.key or importer.key)
    job.save()


@task()
def import_job_validate_task(job_id: int, language: str = "") -> str:
    """django-tasks entry point: validate one job (a worker in production, inline by default), its
    messages in the uploader's language."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(language or settings.LANGUAGE_CODE):
        return import_job_validate(job).status


def import_job_enqueue(job: ImportJob) -> None:
    language = translation.get_language() or ""
    transaction.on_commit(lambda: import_job_validate_task.enqueue(job.pk, language))


def _refuse_unless_valid(job: ImportJob) -> None:
    if job.status == ImportStatus.COMMITTED:
        when = timezone.localtime(job.committed_at).strftime("%Y-%m-%d %H:%M") if job.committed_at else ""
        raise ImportDone(
            _("该文件已于 %(when)s 导入，不会重复导入。") % {"when": when}, code="done"
        )
    if job.status != ImportStatus.VALID:
        raise ImportStateError(
            _("该文件当前状态为“%(s)s”，不能导入。")
            % {"s": job.get_status_display()},
            code="state",
        )


def _locked_valid(job: ImportJob) -> ImportJob:
    """The job's row, locked until the transaction ends, if it still waits to be imported (else the
    refusal in words: imported meanwhile, or failed)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    _refuse_unless_valid(locked)
    return locked


def import_job_commit(*, actor, job: ImportJob) -> dict:
    """Write a validated job in one transaction (only its uploader may). On any refusal nothing is written;
    the job keeps the reason.

    At the same moment as other commits: the job's row is locked and its status read again under the
    lock, so a second click (or worker) waits for the first and is told the file was imported; commits of
    one kind take turns (``serialise``), so of two files with the same new numbers the second finds them
    taken when it writes — it writes nothing, and is told which numbers exist now (the job keeps the
    fresh preview to confirm). The job's status changes in the same transaction as the data."""
    if actor.pk != job.created_by_id:
        raise NotPermitted(
            _("只有上传该文件的人可以确认导入。")
        )
    _refuse_unless_valid(job)
    importer = importer_for(job.kind)(actor=actor, options=job.options)
    try:
        preview = importer.checked(job)
        with transaction.atomic():
            locked = _locked_valid(job)
            serialise(f"import:{job.kind}")
            summary = importer.write_all(preview, locked)
            _store_committed(locked, summary)
    except ImportStateError:
        job.refresh_from_db()
        raise
    except ImportChanged as exc:
        _keep_changed(job, importer, exc)
        raise
    except (IntegrityError, ServiceError, WorkflowError) as exc:
        # Refused while writing: if the database changed since the check (another import or a
        # registration wrote the same numbers meanwhile) the person is told what changed; otherwise the
        # refusal is the import's own (scope, a workflow rule) and the job keeps it.
        changed = _changed_since_check(job, actor)
        if changed is not None:
            _keep_changed(job, *changed)
            raise changed[1] from exc
        if isinstance(exc, IntegrityError):
            raise
        _keep_failure(job, exc)
        raise
    job.refresh_from_db()
    return summary


def _changed_since_check(job: ImportJob, actor) -> tuple[Importer, ImportChanged] | None:
    """The file checked once more against the database as it is now: what differs from the confirmed
    preview (None: nothing — a refusal while writing was not caused by someone else's write)."""
    importer = importer_for(job.kind)(actor=actor, options=job.options)
    try:
        importer.checked(job)
    except ImportChanged as exc:
        return importer, exc
    return None


def _store_committed(job: ImportJob, summary: dict) -> None:
    job.status = ImportStatus.COMMITTED
    job.committed_at = timezone.now()
    job.created_count = len(summary.get("created", []))
    job.updated_count = len(summary.get("updated", []))
    job.unchanged_count = summary.get("unchanged", 0)
    job.result = {**(job.result or {}), "committed": summary}
    job.save()


def _keep_changed(job: ImportJob, importer: Importer, exc: ImportChanged) -> None:
    """Keep the fresh preview on the job to be confirmed again — unless the job was imported meanwhile
    (a second click that lost the race: then it is told so, and the first one's result stays)."""
    with transaction.atomic():
        locked = _locked_valid(job)
        _store_preview(locked, importer, exc.preview)
    job.refresh_from_db()


def _keep_failure(job: ImportJob, exc: ServiceError | WorkflowError) -> None:
    reasons = exc.messages if isinstance(exc, ServiceError) else [str(exc)]
    with transaction.atomic():
        locked = _locked_valid(job)
        locked.status = ImportStatus.FAILED
        locked.errors = [CellError(None, "", "", m).as_dict() for m in reasons][:MAX_STORED_ERRORS]
        locked.error_count = len(reasons)
        locked.save(update_fields=["status", "errors", "error_count", "updated_at"])
    job.refresh_from_db()
