"""The pages of large exports (common.export_jobs): one's exports, an export's progress, its file.

Every page shows only the person's own exports: anyone else's answers 404, whatever their role.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import gettext as _

from .export_jobs import export_job_download, export_job_expired, export_job_get, export_job_list
from .models import ExportJob, ExportStatus

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
RECENT = 50


def _own(request, pk: int) -> ExportJob:
    try:
        return export_job_get(user=request.user, pk=pk)
    except ExportJob.DoesNotExist as exc:
        raise Http404 from exc


def _state(job: ExportJob) -> dict:
    running = job.status in (ExportStatus.PENDING, ExportStatus.RUNNING)
    waited = (timezone.now() - job.created_at).total_seconds() / 60 if running else 0
    return {
        "job": job,
        "running": running,
        "stalled": waited >= settings.ECOINSPECT_JOB_WAIT_WARNING_MINUTES,
        "expired": export_job_expired(job),
        "percent": min(100, round(100 * job.progress / job.total_rows)) if job.total_rows else 0,
        "back": _back(job),
    }


def _back(job: ExportJob) -> str:
    """The page the export was asked on, with its filters."""
    query = _without_format(job.query)
    return f"{get_script_prefix()}{job.path.lstrip('/')}" + (f"?{query}" if query else "")


def _without_format(query: str) -> str:
    params = QueryDict(query, mutable=True)
    params.pop("format", None)
    return params.urlencode()


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def job_list(request):
    """我的导出: one's exports that have not expired."""
    jobs = export_job_list(user=request.user)[:RECENT]
    return _no_store(render(request, "common/export_jobs.html", {"title": _("我的导出"), "jobs": jobs}))


@login_required
def job_page(request, pk: int):
    """One export: its progress while the worker builds it (HTMX asks ``progress`` every two seconds),
    then the download link — or why it could not be built."""
    job = _own(request, pk)
    return _no_store(render(request, "common/export_job.html", {"title": _("导出文件"), **_state(job)}))


@login_required
def job_progress(request, pk: int):
    job = _own(request, pk)
    context = _state(job)
    response = render(request, "common/_export_progress.html", context)
    if not context["running"]:
        response["HX-Refresh"] = "true"
    return _no_store(response)


@login_required
def job_download(request, pk: int):
    """The file, to its owner only, until it expires."""
    job = _own(request, pk)
    if job.status != ExportStatus.DONE or not job.file or export_job_expired(job):
        context = {"title": _("导出文件"), **_state(job)}
        return _no_store(
            render(request, "common/export_job.html", context, status=410 if context["expired"] else 404)
        )
    response = FileResponse(
        export_job_download(actor=request.user, job=job),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES.get(job.kind),
    )
    return _no_store(response)
