from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Ticket


@login_required
def ticket_detail(request, pk):
    ticket = get_object_or_404(Ticket.objects.restrict(request.user, "view"), pk=pk)
    return HttpResponse(ticket.title)
