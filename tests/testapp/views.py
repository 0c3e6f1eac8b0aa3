from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from ecoinspect.core.permissions import restrict

from .models import Ticket
from .workflow import TICKET_WORKFLOW


def ticket_or_404(request, pk) -> Ticket:
    return get_object_or_404(restrict(Ticket.objects.all(), request.user, "view"), pk=pk)


@login_required
def ticket_detail(request, pk):
    ticket = ticket_or_404(request, pk)
    buttons = TICKET_WORKFLOW.buttons(ticket, request.user)
    return render(request, "testapp/ticket_detail.html", {"ticket": ticket, "buttons": buttons})
