"""An export page: the rows a list page shows, written to the files an app builds (official tables).

The page binds the list's filter set to the query string the list page links with, shows how many rows
will be exported and the first of them, and with ``?format=<kind>`` returns the file built by
``builders[kind]`` from the same selection::

    class ProgressExportView(ExportView):
        perm = "ledger.view"
        filterset_class = ProblemFilter
        preview_columns = (...)               # common.tables.Column, as on the list page
        builders = {"docx": progress_docx, "xlsx": progress_xlsx}
        file_stem = _lazy("整改进展情况表")

        def selector(self, *, user, filters):
            return selectors.problem_list(user=user, filters=filters)

A file of more than ``background_rows`` rows (default ``ECOINSPECT_EXPORT_BACKGROUND_ROWS``) is built by the
worker: the page answers at once with the export job's page, which shows progress and then the download
link (ecoinspect.common.export_jobs).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from ecoinspect.common.export import download
from ecoinspect.common.export_jobs import background_rows, exceeds, export_job_create, running_export
from ecoinspect.common.tables import row_html

from ..permissions import has_perm


class ExportView(LoginRequiredMixin, View):
    template_name = "core/export.html"
    title = ""
    intro = ""
    perm = ""  # "app.verb" needed to export at all; the selector narrows the rows to one's scope
    filterset_class = None
    preview_columns: tuple = ()
    preview_limit = 20
    #: format ("docx", "xlsx", "csv") → builder(selection) returning the file's bytes
    builders: dict[str, Callable[[QuerySet], bytes]] = {}
    file_stem = "export"
    #: above how many exported rows the file is built by the worker (None: ECOINSPECT_EXPORT_BACKGROUND_ROWS)
    background_rows: int | None = None

    def selector(self, *, user, filters) -> QuerySet:
        raise TypeError(f"{type(self).__name__} must define selector()")

    def exported(self, selection: QuerySet) -> QuerySet:
        """The rows the file lists, out of the selection (all of them unless a table needs more)."""
        return selection

    def refusal(self, exported: QuerySet) -> str | None:
        """Why no file can be built for these rows (shown as a message on the page), or None."""
        return None

    def extra_context(self, selection: QuerySet, exported: QuerySet) -> dict:
        return {}

    def filename(self, kind: str) -> str:
        return f"{self.file_stem}-{timezone.localtime():%Y%m%d-%H%M}.{kind}"

    def get(self, request, *args, **kwargs):
        if not has_perm(request.user, self.perm):
            raise PermissionDenied
        params = request.GET.copy()
        for key in ("format", "page"):
            params.pop(key, None)
        filters = self.filterset_class(params or None, user=request.user)
        selection = self.selector(user=request.user, filters=filters)
        exported = self.exported(selection)
        kind = request.GET.get("format")
        if kind in self.builders:
            reason = self.refusal(exported)
            if reason:
                messages.error(request, reason)
                return redirect(f"{request.path}?{params.urlencode()}")
            if running_export(request) is None and exceeds(exported, background_rows(self.background_rows)):
                job = export_job_create(
                    actor=request.user,
                    request=request,
                    kind=kind,
                    title=self.title,
                    filename=self.filename(kind),
                    total=exported.count(),
                )
                return redirect("exports:job", pk=job.pk)
            return download(self.builders[kind](selection), self.filename(kind), kind)
        preview = list(exported[: self.preview_limit])
        context = {
            "title": self.title,
            "intro": self.intro,
            "filters": filters,
            "formats": list(self.builders),
            "count": exported.count(),
            "columns": self.preview_columns,
            "preview": [row_html(self.preview_columns, obj) for obj in preview],
            "preview_limit": self.preview_limit,
            "query": params.urlencode(),
            **self.extra_context(selection, exported),
        }
        return render(request, self.template_name, context)
