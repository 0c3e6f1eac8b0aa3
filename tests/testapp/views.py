from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from ecoinspect.common.export import xlsx_bytes
from ecoinspect.common.filters import FilterSet
from ecoinspect.common.tables import Column, export_rows
from ecoinspect.core.permissions import restrict
from ecoinspect.core.views.exports import ExportView

from .models import Ticket


@login_required
def ticket_detail(request, pk):
    ticket = get_object_or_404(Ticket.objects.restrict(request.user, "view"), pk=pk)
    return HttpResponse(ticket.title)


class TicketFilter(FilterSet):
    search_fields = ("title",)


COLUMNS = (Column("title", "标题"), Column("deadline", "期限"))


def tickets_xlsx(qs) -> bytes:
    headers, rows = export_rows(COLUMNS, qs)
    return xlsx_bytes(headers, rows, title="工单")


class TicketExportView(ExportView):
    """The generic export page over the tickets one may see."""

    perm = "testapp.view"
    title = "导出工单"
    filterset_class = TicketFilter
    preview_columns = COLUMNS
    builders = {"xlsx": tickets_xlsx}
    file_stem = "工单"

    def selector(self, *, user, filters):
        return filters.filter_queryset(restrict(Ticket.objects.all(), user, "testapp.view"))
