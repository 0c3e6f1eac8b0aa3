"""The import pages of any importer: template, upload, preview with every error, error workbook, commit.

An app writes an :class:`~ecoinspect.core.imports.Importer` and registers the pages in its urls::

    ticket_import = ImportPages(TicketImporter, perms=("tickets.work",))
    urlpatterns = [*ticket_import.urls("import/"), ...]

The URL names are ``<prefix>_template``, ``<prefix>_upload``, ``<prefix>_preview``, ``<prefix>_progress``
and ``<prefix>_commit`` (prefix "import") in the app's namespace. The pages only move files and messages:
the checks are the importer's, the writes its services', and who sees which job is :func:`import_job_list`'s.

Checking and writing run in the worker (core.import_tasks): the upload and the confirmation answer at
once, and the preview page shows a progress bar that asks ``<prefix>_progress`` every two seconds (HTMX)
until the job is done, then reloads to show the result — all from the job row, so a reload shows the same.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import NotPermitted
from ecoinspect.common.export import download, xlsx_bytes
from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.common.text_bounds import BoundedForm

from ..import_jobs import import_job_create, import_job_enqueue, import_job_get, import_job_list
from ..import_tasks import (
    DONE,
    import_job_commit_enqueue,
    import_job_phase,
    import_job_stalled,
    import_job_waiting_minutes,
)
from ..imports import DECISIONS, Importer
from ..permissions import has_perm
from ..uploads import max_upload_bytes, too_large_message, upload_limited, upload_refused

#: What the preview can show by itself: the rows the import would create, change, leave, or refuse.
ACTIONS = {
    "create": _lazy("新增"),
    "update": _lazy("修改"),
    "unchanged": _lazy("无变化"),
    "conflict": _lazy("编号冲突"),
    "skip": _lazy("跳过"),
    "error": _lazy("有错误"),
}
#: What a person may decide for a row whose number collides with a record of another round or source.
DECISION_LABELS = {
    "skip": _lazy("跳过"),
    "update": _lazy("更新已有问题"),
    "new": _lazy("作为新问题导入"),
}
PAGES = ("template", "upload", "preview", "progress", "commit")


class ImportForm(BoundedForm):
    """The file. An app adds its options as fields (and overrides :meth:`options`)."""

    file = forms.FileField(
        label=_lazy("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def options(self) -> dict:
        """What the importer is told besides the file (kept on the job): every other field."""
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}


class ImportPages:
    """The four pages of one importer. Every attribute can be given as a keyword argument.

    ``perms``: "app.verb" permissions, any one of which (held anywhere) lets a person import — the
    importer checks each row's scope. ``parent``: (label, URL name) of the page above in the breadcrumbs.
    ``steps``: how-to lines shown above the form.
    """

    form_class: type[ImportForm] = ImportForm
    perms: tuple[str, ...] = ()
    refusal = ""
    title = _lazy("导入")
    parent: tuple[str, str] | None = None
    steps: tuple = ()
    template_filename = ""
    prefix = "import"
    upload_template = "core/import_upload.html"
    preview_template = "core/import_preview.html"
    recent_jobs = 20
    rows_per_page = 100
    errors_per_page = 200

    def __init__(self, importer: type[Importer], **attributes):
        self.importer = importer
        for name, value in attributes.items():
            if not hasattr(type(self), name):
                raise TypeError(f"ImportPages has no attribute {name!r}")
            setattr(self, name, value)
        if not self.perms:
            raise ImproperlyConfigured(f"the import pages of {importer.__name__} need perms")

    def urls(self, route: str = "import/") -> list:
        """The URL patterns: ``route`` (upload), ``route/template/``, ``route/<pk>/``, ``route/<pk>/progress/``,
        ``route/<pk>/commit/``."""
        p = self.prefix
        return [
            path(f"{route}template/", login_required(self.template_view), name=f"{p}_template"),
            path(
                route,
                upload_limited(login_required(self.upload_view), self.importer.size_limit()),
                name=f"{p}_upload",
            ),
            path(f"{route}<int:pk>/", login_required(self.preview_view), name=f"{p}_preview"),
            path(f"{route}<int:pk>/progress/", login_required(self.progress_view), name=f"{p}_progress"),
            path(
                f"{route}<int:pk>/commit/", login_required(require_POST(self.commit_view)), name=f"{p}_commit"
            ),
        ]

    # --- helpers -----------------------------------------------------------------------------------
    def url_names(self, request) -> dict[str, str]:
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        prefix = f"{namespace}:" if namespace else ""
        return {page: f"{prefix}{self.prefix}_{page}" for page in PAGES}

    def may_import(self, user) -> bool:
        return any(has_perm(user, perm) for perm in self.perms)

    def job_or_404(self, request, pk: int) -> ImportJob:
        try:
            return import_job_get(user=request.user, pk=pk, kind=self.importer.kind)
        except ImportJob.DoesNotExist as exc:
            raise Http404 from exc

    def page_context(self, request, title) -> dict:
        parent = None
        if self.parent:
            label, url_name = self.parent
            parent = {"label": label, "url": reverse(url_name)}
        return {"title": title, "upload_title": self.title, "parent": parent, "urls": self.url_names(request)}

    def key_label(self, layout_name: str | None = None) -> str:
        layout = next((lay for lay in self.importer.layouts if lay.name == layout_name), None)
        columns, key = (layout.columns, layout.key) if layout else (self.importer.columns, self.importer.key)
        return next((c.header for c in columns if c.key == key), "")

    def decisions_from(self, request) -> dict[str, str]:
        """The commit form's choices for conflicting rows: ``decision-<row>`` and ``decision-all``."""
        decisions = {}
        for name, value in request.POST.items():
            if name.startswith("decision-") and value in DECISIONS:
                decisions[name.removeprefix("decision-")] = value
        return decisions

    # --- pages -------------------------------------------------------------------------------------
    def template_view(self, request):
        """The blank template (columns, instructions, dropdowns of the choices)."""
        content = self.importer(actor=request.user).template()
        filename = str(self.template_filename or f"{self.importer.title or self.importer.kind}.xlsx")
        return download(content, filename, "xlsx")

    def render_upload(self, request, form, status=200, refusal: str = ""):
        context = {
            **self.page_context(request, self.title),
            "form": form,
            "refusal": refusal,
            "steps": self.steps,
            "jobs": import_job_list(user=request.user, kind=self.importer.kind).defer("result", "errors")[
                : self.recent_jobs
            ],
            "limit_mb": round(min(max_upload_bytes(), self.importer.size_limit()) / 1024 / 1024),
            "max_rows": self.importer(actor=request.user).max_rows,
            "columns": self.importer.columns,
            "layouts": self.importer.layouts,
        }
        return render(request, self.upload_template, context, status=status)

    def upload_view(self, request):
        """GET: the upload form and one's recent imports. POST: store the file and check it (then preview).

        An oversized body is refused from its declared length before anything reads it (the view is
        wrapped with ``upload_limited``, so even the CSRF check does not spool it)."""
        if not self.may_import(request.user):
            raise PermissionDenied(str(self.refusal)) if self.refusal else PermissionDenied
        if request.method != "POST":
            return self.render_upload(request, self.form_class(user=request.user))
        limit = self.importer.size_limit()
        if upload_refused(request, limit):
            form = self.form_class(user=request.user)
            return self.render_upload(request, form, status=413, refusal=too_large_message(request, limit))
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_upload(request, form, status=400)
        try:
            job = import_job_create(
                actor=request.user,
                kind=self.importer.kind,
                uploaded=form.cleaned_data["file"],
                options=form.options(),
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.render_upload(request, form, status=400)
        import_job_enqueue(job)
        return redirect(self.url_names(request)["preview"], pk=job.pk)

    def preview_view(self, request, pk: int):
        """What the import will do (or did): counts, rows by action, every error with row, column, value
        and reason. ``?format=xlsx`` downloads the errors as a workbook to fix the file by."""
        job = self.job_or_404(request, pk)
        if request.GET.get("format") == "xlsx":
            return self.errors_workbook(job)
        show = request.GET.get("show", "")
        result = job.result or {}
        phase = import_job_phase(job)
        rows = result.get("rows", [])
        if show in ACTIONS:
            rows = [r for r in rows if r["action"] == show]
        elif show == "notes":
            rows = [r for r in rows if r.get("notes")]
        context = {
            **self.page_context(request, _("导入预览")),
            "job": job,
            "page_obj": Paginator(rows, self.rows_per_page).get_page(request.GET.get("page")),
            "errors_page": Paginator(job.errors, self.errors_per_page).get_page(
                request.GET.get("errors_page")
            ),
            "show": show,
            "actions": ACTIONS,
            "counts": result.get("counts", {}),
            "committed": result.get("committed"),
            "ignored": result.get("ignored", []),
            **self.progress_context(job),
            "can_commit": phase == DONE
            and job.status == ImportStatus.VALID
            and job.created_by_id == request.user.pk,
            "notice": result.get("notice", ""),
            "key_label": self.key_label(result.get("layout")),
            "summary_label": self.importer.summary_label,
            "layout_label": result.get("layout_label", "") if result.get("layout") not in (None, "template") else "",
            "titles": result.get("titles", []),
            "decision_labels": DECISION_LABELS,
            "decisions": (job.options or {}).get("decisions", {}),
        }
        return render(request, self.preview_template, context)

    def errors_workbook(self, job: ImportJob):
        rows = [[e["row"] or "", e["column"], e["value"], e["reason"]] for e in job.errors]
        headers = [_("行号"), _("列"), _("值"), _("原因")]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return download(
            xlsx_bytes(headers, rows, title=_("导入错误")), f"导入错误-{job.pk}-{stamp}.xlsx", "xlsx"
        )

    def progress_context(self, job: ImportJob) -> dict:
        phase = import_job_phase(job)
        return {
            "phase": phase,
            "running": phase != DONE,
            "waiting_minutes": import_job_waiting_minutes(job),
            "stalled": import_job_stalled(job),
            "percent": round(100 * job.progress / job.total_rows) if job.total_rows else 0,
        }

    def progress_view(self, request, pk: int):
        """Where the job stands (the preview page's progress bar asks every two seconds). Once it is done
        the answer tells HTMX to reload the page, which then shows the result."""
        jobs = import_job_list(user=request.user, kind=self.importer.kind).defer("result", "errors")
        try:
            job = jobs.get(pk=pk)  # asked every two seconds: without the preview's rows and errors
        except ImportJob.DoesNotExist as exc:
            raise Http404 from exc
        context = {"job": job, "urls": self.url_names(request), **self.progress_context(job)}
        response = render(request, "core/_import_progress.html", context)
        if context["phase"] == DONE:
            response["HX-Refresh"] = "true"
        response["Cache-Control"] = "no-store"
        return response

    def commit_view(self, request, pk: int):
        """Confirm a checked file: the worker writes it in one transaction (any refusal leaves the database
        untouched) while the preview page shows that it is being written, then the result."""
        job = self.job_or_404(request, pk)
        try:
            import_job_commit_enqueue(actor=request.user, job=job, decisions=self.decisions_from(request))
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(self.url_names(request)["preview"], pk=job.pk)
