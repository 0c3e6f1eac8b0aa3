from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from ecoinspect.common.export import xlsx_bytes
from ecoinspect.common.filters import FilterSet
from ecoinspect.common.tables import Column, export_rows
from ecoinspect.core.permissions import restrict
from ecoinspect.core.views.exports import ExportView

from .models import Ticket
from .workflow import TICKET_WORKFLOW


def ticket_or_404(request, pk) -> Ticket:
    return get_object_or_404(restrict(Ticket.objects.all(), request.user, "view"), pk=pk)


@login_required
def ticket_detail(request, pk):
    ticket = ticket_or_404(request, pk)
    buttons = TICKET_WORKFLOW.buttons(ticket, request.user)
    return render(request, "testapp/ticket_detail.html", {"ticket": ticket, "buttons": buttons})


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
