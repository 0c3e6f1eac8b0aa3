from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from .models import Ticket


def _ticket(request, pk) -> Ticket:
    return get_object_or_404(Ticket.objects.restrict(request.user, "view"), pk=pk)


@login_required
def ticket_detail(request, pk):
    return HttpResponse(_ticket(request, pk).title)


@login_required
@require_POST
def ticket_remind(request, pk):
    """A POST that succeeds for whoever sees the ticket and goes back to its page, as the product's forms do."""
    ticket = _ticket(request, pk)
    messages.success(request, "已提醒。 / Reminded.")
    return redirect(ticket.get_absolute_url())


# --- views that refuse the person who sees the ticket, for the harness's own test --------------------------
# (tests/testapp/urls_harness.py; tests/core/test_scoping_harness.py): each answers a redirect that is no
# proof of access.


@login_required
def bounce_to_login(request, pk):
    _ticket(request, pk)
    return redirect_to_login(request.get_full_path())


@login_required
def refuse_with_message(request, pk):
    """Back to the ticket's own page — which shows it — but with the refusal as an error message."""
    ticket = _ticket(request, pk)
    messages.error(request, "无权执行此操作。 / Not permitted.")
    return redirect(ticket.get_absolute_url())


@login_required
def forward_to_missing(request, pk):
    _ticket(request, pk)
    return redirect(reverse("testapp:ticket_detail", args=[0]))


@login_required
def forward_home(request, pk):
    """A redirect to a page that does not show the ticket (the home page)."""
    _ticket(request, pk)
    return redirect("dashboard:home")
