"""One view and one template for every workflow move made by a button.

An app declares, per move, its label, style, confirm question, form and done message on the transition table
(``core.workflow.T``) and marks the service that makes it with ``@WORKFLOW.performs("action")``; then

    path("<int:pk>/move/<str:action>/", move_view(PROBLEM_WORKFLOW, problem_or_404), name="problem_move")

serves every plain button, and ``{% include "core/_move_buttons.html" %}`` with
``buttons = WORKFLOW.buttons(record, user)`` draws them on the record's page.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import Refusal
from ecoinspect.common.views import service_refused

from .workflow import TransitionForbidden, Workflow


def refused(request, obj, exc: Exception) -> HttpResponse:
    """A refused move: a missing permission is the 403 page with its reason; anything else (out of order,
    incomplete, someone was quicker) is the reason on the record's page."""
    if isinstance(exc, (TransitionForbidden, PermissionDenied)):
        if isinstance(exc, Refusal):
            exc.record()
        raise PermissionDenied(str(exc) or None) from exc
    service_refused(request, exc)
    return redirect(obj.get_absolute_url())


def _expected_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def move_view(workflow: Workflow, get_object: Callable) -> Callable:
    """The POST view making ``workflow``'s button moves on the record ``get_object(request, pk)`` returns
    (which raises 404 outside the person's scope)."""

    @login_required
    @require_POST
    def view(request, pk: int, action: str):
        service = workflow.performers.get(action)
        if service is None:
            raise Http404
        obj = get_object(request, pk)
        kwargs = {"actor": request.user, workflow.object_arg: obj}
        if "expected_version" in inspect.signature(service).parameters:
            kwargs["expected_version"] = _expected_version(request)
        try:
            service(**kwargs)
        except (Refusal, ValidationError, PermissionDenied) as exc:
            return refused(request, obj, exc)
        t = next(t for t in workflow.transitions if t.action == action)
        messages.success(request, str(t.done) if t.done else _("已完成：%(label)s") % {"label": t.label or action})
        return redirect(obj.get_absolute_url())

    return view
