"""Excel import of the ledger: template, upload, preview (every error in a table), commit.

The pages only move files and messages; the checks are the importer's and the writes the services'.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import NotPermitted
from ecoinspect.common.export import download, xlsx_bytes
from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.core.imports import (
    import_job_commit,
    import_job_create,
    import_job_enqueue,
    import_job_get,
    import_job_list,
)
from ecoinspect.core.permissions import has_perm, user_scope
from ecoinspect.core.uploads import too_large, too_large_message
from ecoinspect.core.workflow import WorkflowError, log_refusal

from ..importers import LedgerImporter

ACTIONS = {
    "create": _lazy("新增"),
    "update": _lazy("修改"),
    "unchanged": _lazy("无变化"),
    "error": _lazy("有错误"),
}


def may_import(user) -> bool:
    """The inspection office, and unit staff for the problems their unit leads."""
    return has_perm(user, "ledger.assign") or has_perm(user, "ledger.work")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    assign = forms.BooleanField(
        label=_lazy("导入后直接交办（牵头单位、验收销号单位、整改时限齐全的新问题）"),
        required=False,
    )

    def __init__(self, *args, office: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not office:
            del self.fields["assign"]


@login_required
def import_template(request):
    """The blank template (columns, instructions, dropdowns of the choices and the unit names)."""
    content = LedgerImporter(actor=request.user).template()
    return download(content, _("整改问题导入模板.xlsx"), "xlsx")


def _upload_page(request, form, status=200, refusal: str = ""):
    context = {
        "title": _("导入整改问题"),
        "form": form,
        "refusal": refusal,
        "jobs": import_job_list(user=request.user, kind=LedgerImporter.kind)[:20],
        "limit_mb": round(settings.ECOINSPECT_MAX_UPLOAD_BYTES / 1024 / 1024),
        "max_rows": LedgerImporter(actor=request.user).max_rows,
        "columns": LedgerImporter.columns,
    }
    return render(request, "ledger/import_upload.html", context, status=status)


@login_required
def import_upload(request):
    """GET: the upload form and one's recent imports. POST: store the file and check it (then preview).

    An oversized body is refused from its declared length before anything reads it (the view is wrapped
    with ``upload_limited`` in urls_io, so even the CSRF check does not spool it)."""
    if not may_import(request.user):
        raise PermissionDenied(
            _(
                "只有区督察迎检办和单位经办人可以导入整改问题。 / Only the inspection office and unit staff may import."
            )
        )
    office = user_scope(request.user, "ledger.assign").everything
    if request.method != "POST":
        return _upload_page(request, ImportForm(office=office))
    if getattr(request, "upload_too_large", False) or too_large(request):
        return _upload_page(
            request, ImportForm(office=office), status=413, refusal=too_large_message(request)
        )
    form = ImportForm(request.POST, request.FILES, office=office)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    try:
        job = import_job_create(
            actor=request.user,
            kind=LedgerImporter.kind,
            uploaded=form.cleaned_data["file"],
            options={"assign": bool(form.cleaned_data.get("assign"))},
        )
    except ValidationError as exc:
        form.add_error("file", exc.messages)
        return _upload_page(request, form, status=400)
    import_job_enqueue(job)
    return redirect("ledger:import_preview", pk=job.pk)


def _job_or_404(request, pk: int) -> ImportJob:
    try:
        return import_job_get(user=request.user, pk=pk, kind=LedgerImporter.kind)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc


def _preview_rows(job: ImportJob, show: str) -> list[dict]:
    rows = (job.result or {}).get("rows", [])
    if show in ACTIONS:
        rows = [r for r in rows if r["action"] == show]
    return rows


@login_required
def import_preview(request, pk: int):
    """What the import will do (or did): counts, rows by action, every error with row, column, value
    and reason. ``?format=xlsx`` downloads the errors as a workbook to fix the file by."""
    job = _job_or_404(request, pk)
    if request.GET.get("format") == "xlsx":
        rows = [[e["row"] or "", e["column"], e["value"], e["reason"]] for e in job.errors]
        headers = [_("行号"), _("列"), _("值"), _("原因")]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return download(
            xlsx_bytes(headers, rows, title=_("导入错误")), f"导入错误-{job.pk}-{stamp}.xlsx", "xlsx"
        )
    show = request.GET.get("show", "")
    page = Paginator(_preview_rows(job, show), 100).get_page(request.GET.get("page"))
    errors = Paginator(job.errors, 200).get_page(request.GET.get("errors_page"))
    context = {
        "title": _("导入预览"),
        "job": job,
        "page_obj": page,
        "errors_page": errors,
        "show": show,
        "actions": ACTIONS,
        "counts": (job.result or {}).get("counts", {}),
        "committed": (job.result or {}).get("committed"),
        "ignored": (job.result or {}).get("ignored", []),
        "running": job.status in (ImportStatus.PENDING, ImportStatus.VALIDATING),
        "can_commit": job.status == ImportStatus.VALID and job.created_by_id == request.user.pk,
    }
    return render(request, "ledger/import_preview.html", context)


@login_required
@require_POST
def import_commit(request, pk: int):
    """Import a checked file in one transaction; any refusal leaves the database untouched."""
    job = _job_or_404(request, pk)
    try:
        summary = import_job_commit(actor=request.user, job=job)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except WorkflowError as exc:
        log_refusal(exc)
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "导入完成：新增 %(c)s 条，修改 %(u)s 条，无变化 %(n)s 条。 / Imported: %(c)s created, %(u)s updated, %(n)s unchanged."
            )
            % {"c": len(summary["created"]), "u": len(summary["updated"]), "n": summary["unchanged"]},
        )
    return redirect("ledger:import_preview", pk=job.pk)
