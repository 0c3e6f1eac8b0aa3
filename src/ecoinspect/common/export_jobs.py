"""Large exports off the request: the worker writes the file, its owner downloads it (docs/worker.md).

A list page or an export page asked for more than ``ECOINSPECT_EXPORT_BACKGROUND_ROWS`` rows answers at
once with an :class:`~.models.ExportJob` — the page's address and query string, who asked, in which
language — and its page, which shows a progress bar and then the download link. Smaller exports are
answered inside the request as before.

The worker (:func:`export_job_run`) asks the same page again, as the job's owner and in the owner's
language, with the job attached to the request: the view builds the file exactly as it would have in the
request — the same filters, the same scope (checked again, as the owner is now), the same columns — and
the file is stored under ``MEDIA_ROOT/exports/`` for ``ECOINSPECT_EXPORT_KEEP_HOURS``. Only its owner may
download it. Expired files are deleted by the next export (and the pages no longer offer them).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.dispatch import Signal
from django.http import Http404, HttpRequest, QueryDict
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ExportJob, ExportStatus

logger = logging.getLogger("ecoinspect.exports")

#: How often (in rows) a running export writes its progress to the job.
PROGRESS_EVERY = 1000

#: Sent for every action on an export (``verb``: "created", "finished", "failed", "downloaded") with the
#: ``job`` and the ``actor`` (None for the worker). The audit app records each in the ActionLog; common sits
#: below audit, so it announces rather than writes (ecoinspect.audit.signals).
export_job_action = Signal()


def _announce(verb: str, job: ExportJob, actor=None) -> None:
    export_job_action.send(sender=ExportJob, verb=verb, job=job, actor=actor)


def background_rows(limit: int | None = None) -> int:
    """Above how many rows an export goes to the worker (a view may set its own ``background_rows``)."""
    return int(limit if limit is not None else settings.ECOINSPECT_EXPORT_BACKGROUND_ROWS)


def running_export(request) -> ExportJob | None:
    """The job the worker is building with this request (None for a person's own request)."""
    return getattr(request, "export_job", None)


def exceeds(queryset, limit: int) -> bool:
    """Whether ``queryset`` has more than ``limit`` rows, without counting them all."""
    return queryset[limit : limit + 1].exists()


def export_job_create(*, actor, request, kind: str, title: str, filename: str, total: int) -> ExportJob:
    """Queue the export the page ``request`` asks for (its path and query string, in ``kind``)."""
    query = request.GET.copy()
    query["format"] = kind
    for name in ("page", "per_page"):
        query.pop(name, None)
    job = ExportJob.objects.create(
        owner=actor,
        title=str(title)[:200],
        kind=kind,
        filename=filename[:200],
        path=request.path_info,  # what the URL resolver takes (without a deployment's script prefix)
        query=query.urlencode(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        request_id=getattr(request, "request_id", "")[:64],
        total_rows=total,
    )
    _announce("created", job, actor)
    export_job_run.enqueue(job.pk)
    job.refresh_from_db()
    return job


def export_job_list(*, user):
    """One's own exports that have not expired, newest first."""
    return ExportJob.objects.filter(owner_id=user.pk).exclude(expires_at__lt=timezone.now())


def export_job_get(*, user, pk: int) -> ExportJob:
    """One's own export (raises ExportJob.DoesNotExist for anyone else's)."""
    return ExportJob.objects.get(pk=pk, owner_id=user.pk)


def export_job_download(*, actor, job: ExportJob):
    """Open the finished file of one's own export for reading (recorded: who took which rows, when)."""
    if job.owner_id != actor.pk:
        raise ExportJob.DoesNotExist
    handle = job.file.open("rb")
    _announce("downloaded", job, actor)
    return handle


def export_job_expired(job: ExportJob) -> bool:
    return job.expires_at is not None and job.expires_at < timezone.now()


def export_progress(objects: Iterable, job: ExportJob | None) -> Iterator:
    """``objects``, writing to ``job`` how many have been written every :data:`PROGRESS_EVERY` rows."""
    count = 0
    for count, obj in enumerate(objects, start=1):
        if job is not None and count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(progress=count)
        yield obj
    if job is not None:
        ExportJob.objects.filter(pk=job.pk).update(progress=count)


def export_jobs_prune(now: dt.datetime | None = None) -> int:
    """Delete expired exports and their files; returns how many."""
    expired = ExportJob.objects.filter(expires_at__lt=now or timezone.now())
    count = 0
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


class ExportRefused(Exception):
    """The page refused to build the file when the worker asked (the reason is for the owner)."""


def _request_for(job: ExportJob) -> HttpRequest:
    """The owner's request for the file, as the worker makes it: GET, the job's path and query string."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.META = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": job.path,
        "QUERY_STRING": job.query,
        "SERVER_NAME": "worker",
        "SERVER_PORT": "80",
    }
    request.COOKIES = {}
    request.user = job.owner
    request.request_id = job.request_id
    request.export_job = job
    request._messages = CookieStorage(request)
    return request


def _build(job: ExportJob) -> bytes:
    request = _request_for(job)
    match = resolve(job.path)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except PermissionDenied as exc:
        raise ExportRefused(_("您已没有导出这些记录的权限。")) from exc
    except Http404 as exc:
        raise ExportRefused(_("要导出的页面或记录已不存在。")) from exc
    if response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment"):
        return response.content
    shown = "；".join(str(m) for m in request._messages)
    raise ExportRefused(shown or _("页面没有生成文件（状态 %(code)s）。") % {"code": response.status_code})


def _finish(job: ExportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.finished_at = timezone.now()
    job.save()
    _announce("finished" if job.status == ExportStatus.DONE else "failed", job)


@task()
def export_job_run(job_id: int) -> str:
    """django-tasks entry point: build one queued export (the worker in production, inline by default)."""
    export_jobs_prune()
    if not ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING
    ):
        return ExportJob.objects.values_list("status", flat=True).get(pk=job_id)  # someone else took it
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    try:
        with translation.override(job.language):
            content = _build(job)
    except ExportRefused as exc:
        _finish(job, status=ExportStatus.FAILED, error=str(exc))
    except Exception:
        logger.exception("export job %s failed", job_id)
        with translation.override(job.language):
            _finish(job, status=ExportStatus.FAILED, error=_("导出时发生系统错误，已记录，请联系管理员。"))
    else:
        job.file.save(job.filename, ContentFile(content), save=False)
        keep = dt.timedelta(hours=settings.ECOINSPECT_EXPORT_KEEP_HOURS)
        _finish(
            job,
            status=ExportStatus.DONE,
            size=len(content),
            progress=job.total_rows,
            expires_at=timezone.now() + keep,
        )
    return job.status
