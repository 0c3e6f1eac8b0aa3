from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .selectors import notification_list
from .services import notification_mark_read


@login_required
def inbox(request):
    qs = notification_list(user=request.user)
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "only_unread": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    count = notification_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("已标记 %(n)s 条为已读。") % {"n": count})
    return redirect("notifications:inbox")


@login_required
def open_notification(request, pk: int):
    note = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(user=request.user, notification_ids=[note.pk])
    target = (
        note.url
        if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
        else None
    )
    return redirect(target or "notifications:inbox")
