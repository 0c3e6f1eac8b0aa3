"""Building blocks for pages: a filtered, sortable, exportable list, and forms that call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from .errors import AlreadySubmitted, NotPermitted, Refusal
from .export import csv_bytes, download, xlsx_bytes
from .export_jobs import background_rows, exceeds, export_job_create, export_progress, running_export
from .tables import export_rows, row_html

EXPORT_LIMIT = 100_000
#: The page sizes a list offers (``?per_page=`` takes any size from 10 to 500).
PAGE_SIZES = (20, 50, 100, 200)


def form_add_service_errors(form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they concern, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def service_refused(request, error: Exception) -> None:
    """Show why a workflow move or a write was refused, and make sure the refusal is in the ActionLog."""
    if isinstance(error, Refusal):
        error.record()
    messages.error(
        request, str(error) if not isinstance(error, ValidationError) else "；".join(error.messages)
    )


class FilteredListView(LoginRequiredMixin, View):
    """A list page: ``selector(user, filters)`` supplies rows, ``columns`` render and export them.

    ``?format=csv`` or ``?format=xlsx`` downloads exactly the filtered, sorted rows the page shows.
    """

    template_name = "common/list.html"
    title = ""
    columns: tuple = ()
    filterset_class = None
    paginate_by = 50
    export_name = "export"
    create_url = None
    create_perm = ""  # "app.verb" needed to see the create button
    list_perm = ""  # "app.verb" needed to see the list
    intro = ""
    #: above how many rows ``?format=`` is answered by the worker (None: ECOINSPECT_EXPORT_BACKGROUND_ROWS)
    background_rows: int | None = None

    def selector(self, *, user, filters):
        raise TypeError(f"{type(self).__name__} must define selector()")

    def get_columns(self):
        return self.columns

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.list_perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        filters = (
            self.filterset_class(request.GET or None, user=request.user) if self.filterset_class else None
        )
        export_format = request.GET.get("format")
        known = None if export_format else self.known_total(filters)
        if known is not None and filters is not None:
            filters.rows_counted = False  # the rows are fetched a page at a time, never counted
        queryset = self.selector(user=request.user, filters=filters)
        if export_format in {"csv", "xlsx"}:
            return self.export(queryset, export_format)
        per_page = request.GET.get("per_page")
        size = (
            int(per_page)
            if per_page and per_page.isdigit() and 10 <= int(per_page) <= 500
            else self.paginate_by
        )
        paginator = Paginator(queryset, size)
        if known is not None:
            paginator.count = known  # overrides the cached COUNT(*) query with a total the page already has
        page = paginator.get_page(request.GET.get("page"))
        columns = self.get_columns()
        rows = [(obj, row_html(columns, obj)) for obj in page.object_list]
        context = {
            "title": self.title,
            "intro": self.intro,
            "columns": columns,
            "rows": rows,
            "page_obj": page,
            "page_sizes": sorted({*PAGE_SIZES, size}),
            "filters": filters,
            "current_sort": filters.current_sort if filters is not None else "",
            "create_url": self.create_url
            if self.create_url and request.user.has_perm(self.create_perm)
            else None,
            **self.extra_context(request),
        }
        return render(request, self.template_name, context)

    def extra_context(self, request) -> dict:
        return {}

    def known_total(self, filters) -> int | None:
        """The number of rows ``filters`` select, when the page knows it without counting (else None)."""
        return None

    def export(self, queryset, kind: str):
        """The file of the filtered rows; more than ``background_rows`` go to the worker (export_jobs)."""
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{self.export_name}-{stamp}.{kind}"
        job = running_export(self.request)
        limit = background_rows(self.background_rows)
        if job is None and exceeds(queryset, limit):
            total = min(queryset.count(), EXPORT_LIMIT)
            job = export_job_create(
                actor=self.request.user, request=self.request, kind=kind, title=self.title, filename=filename, total=total
            )
            return redirect("exports:job", pk=job.pk)
        headers, rows = export_rows(self.get_columns(), export_progress(queryset[:EXPORT_LIMIT], job))
        content = (
            csv_bytes(headers, rows) if kind == "csv" else xlsx_bytes(headers, rows, title=str(self.title))
        )
        return download(content, filename, kind)


class ServiceFormView(LoginRequiredMixin, View):
    """GET shows the form; POST validates it and calls ``perform(form)`` (a service call).

    Errors from the service land on the form, which keeps everything the person typed.
    """

    template_name = "common/form.html"
    form_class = None
    title = ""
    perm = ""  # "app.verb" needed on the object (or app-wide when there is none)
    submit_label = None
    cancel_url = None
    #: The form carries a file (``enctype="multipart/form-data"``).
    multipart = False

    def get_object(self):
        return None

    def check_permission(self, obj) -> None:
        if not self.request.user.has_perm(self.perm, obj):
            raise PermissionDenied

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self, data=None):
        return self.form_class(data, **self.get_form_kwargs())

    def perform(self, form):
        raise TypeError(f"{type(self).__name__} must define perform()")

    def success_url(self, result) -> str:
        return result.get_absolute_url()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.object = self.get_object()
        except Exception as exc:
            if exc.__class__.__name__ == "DoesNotExist":
                raise Http404 from exc
            raise
        self.check_permission(self.object)
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        context = {
            "form": form,
            "title": self.title,
            "object": self.object,
            "multipart": self.multipart,
            "upload_error": getattr(self, "upload_error", None),
            "submit_label": self.submit_label,
            "cancel_url": self.cancel_url
            or (
                self.object.get_absolute_url()
                if self.object is not None and hasattr(self.object, "get_absolute_url")
                else None
            ),
            **self.extra_context(form),
        }
        return render(self.request, self.template_name, context, status=status)

    def extra_context(self, form) -> dict:
        """More for the template (what the page shows beside the form)."""
        return {}

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            result = self.perform(form)
        except AlreadySubmitted as exc:  # the same form sent twice: answer with what the first one made
            messages.info(request, exc.messages[0])
            if exc.existing is None:
                return HttpResponseRedirect(request.get_full_path())
            return HttpResponseRedirect(self.success_url(exc.existing))
        except NotPermitted as exc:
            service_refused(request, exc)
            return self.render_form(form, status=403)
        except Refusal as exc:
            exc.record()
            form.add_error(None, str(exc))
            return self.render_form(form, status=409)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.render_form(form, status=400)
        messages.success(request, self.success_message(result))
        return HttpResponseRedirect(self.success_url(result))

    def success_message(self, result) -> str:
        from django.utils.translation import gettext as _

        return _("已保存。")
