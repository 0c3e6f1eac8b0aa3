from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

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


@login_required
@require_POST
def ticket_remind(request, pk):
    """A POST that succeeds for whoever sees the ticket and goes back to its page, as the product's forms do."""
    ticket = ticket_or_404(request, pk)
    messages.success(request, "已提醒。 / Reminded.")
    return redirect(ticket.get_absolute_url())


# --- views that refuse the person who sees the ticket, for the harness's own test --------------------------
# (tests/testapp/urls_harness.py; tests/core/test_scoping_harness.py): each answers a redirect that is no
# proof of access.


@login_required
def bounce_to_login(request, pk):
    ticket_or_404(request, pk)
    return redirect_to_login(request.get_full_path())


@login_required
def refuse_with_message(request, pk):
    """Back to the ticket's own page — which shows it — but with the refusal as an error message."""
    ticket = ticket_or_404(request, pk)
    messages.error(request, "无权执行此操作。 / Not permitted.")
    return redirect(ticket.get_absolute_url())


@login_required
def forward_to_missing(request, pk):
    ticket_or_404(request, pk)
    return redirect(reverse("testapp:ticket_detail", args=[0]))


@login_required
def forward_home(request, pk):
    """A redirect to a page that does not show the ticket (the home page)."""
    ticket_or_404(request, pk)
    return redirect("dashboard:home")
