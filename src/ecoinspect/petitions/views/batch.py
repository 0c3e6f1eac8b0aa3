"""The batch page (分办): every case of a day's batch in one compact table with the suggestions made at
import — the coordinator accepts or corrects each in a click, marks 重点件 / 督办, merges repeats and assigns
the batch (by the accepted suggestions, or to chosen units); how often each kind of suggestion was right is
counted above the table. Units see their own cases of the batch, without the office's controls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoinspect.common.export import download, xlsx_bytes
from ecoinspect.common.tables import export_rows
from ecoinspect.core.permissions import has_perm, restrict

from .. import selectors, services
from ..forms import SelectionForm, assignable_units
from ..models import Petition
from .cases import PETITION_COLUMNS, petition_or_404
from .suggestions import counts_for, originals_for, triage_row


def _triage(request, rows) -> list[dict]:
    suggestions = [s for p in rows for s in p.suggestions.all()]
    originals = originals_for(request.user, suggestions) if suggestions else {}
    return [triage_row(p, originals) for p in rows]


@login_required
def batch_page(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    rows = selectors.batch_rows(user=request.user, batch=batch)
    can_assign = has_perm(request.user, "petitions.assign")
    context = {
        "batch": batch,
        "title": str(batch),
        "rows": _triage(request, rows),
        "summary": selectors.batch_summary(rows),
        "counts": counts_for(request.user, petition__batch=batch),
        "round_counts": counts_for(request.user, petition__round=batch.round_id) if can_assign else None,
        "can_assign": can_assign,
        "can_publish": has_perm(request.user, "petitions.publish"),
        "units": assignable_units() if can_assign else (),
        "page_url": request.path,
    }
    return render(request, "petitions/batch_detail.html", context)


def row_response(request, petition_id: int, error: str = ""):
    """One case's row of the batch page, and its batch's counts out of band (what an HTMX click gets)."""
    try:
        petition = restrict(Petition.objects.all(), request.user, "petitions.view").get(pk=petition_id)
    except Petition.DoesNotExist as exc:
        raise Http404 from exc
    rows = selectors.batch_rows(user=request.user, batch=petition.batch, pk=petition.pk) if petition.batch_id else []
    if not rows:
        return redirect(petition.get_absolute_url())
    can_assign = has_perm(request.user, "petitions.assign")
    context = {
        "row": _triage(request, rows)[0],
        "can_assign": can_assign,
        "error": error,
        "counts": counts_for(request.user, petition__batch=petition.batch_id),
        "round_counts": counts_for(request.user, petition__round=petition.round_id) if can_assign else None,
        "oob": True,
        "page_url": reverse("petitions:batch_detail", args=[petition.batch_id]),
    }
    return render(request, "petitions/_batch_row_response.html", context)


@login_required
@require_POST
def petition_mark(request, pk: int):
    """重点件 / 督办 set or lifted by a click (the batch page's row, or the case's page)."""
    petition = petition_or_404(request, pk)
    flags = {}
    for name in ("is_key", "is_supervised"):
        if name in request.POST:
            flags[name] = request.POST[name] in ("1", "true", "on", "yes")
    try:
        services.petition_mark(actor=request.user, petition=petition, **flags)
    except ValidationError as exc:
        error = "；".join(exc.messages)
    else:
        error = ""
    if request.headers.get("HX-Request") == "true" and request.POST.get("row"):
        return row_response(request, petition.pk, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("标记已更新。"))
    return redirect(petition.get_absolute_url())


# ---- the selection (batch page and list page) ----------------------------------------------------------


def _back(request) -> str:
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("petitions:petition_list")


def _outcome(request, form: SelectionForm, petitions: list[Petition]):
    data = form.cleaned_data
    action = data["action"]
    if action in (SelectionForm.ASSIGN_SUGGESTED, SelectionForm.ASSIGN_UNITS):
        return services.petitions_assign(
            actor=request.user,
            petitions=petitions,
            by_suggestion=action == SelectionForm.ASSIGN_SUGGESTED,
            lead=data.get("lead"),
            cooperating=list(data.get("cooperating") or []),
            note=data.get("note") or "",
        )
    marks = {
        SelectionForm.MARK_KEY: {"is_key": True},
        SelectionForm.UNMARK_KEY: {"is_key": False},
        SelectionForm.MARK_SUPERVISED: {"is_supervised": True},
        SelectionForm.UNMARK_SUPERVISED: {"is_supervised": False},
    }[action]
    return services.petitions_mark(actor=request.user, petitions=petitions, **marks)


@login_required
@require_POST
def petition_selection(request):
    """Do the chosen action to the ticked cases one may see (the others are ignored as if not ticked)."""
    form = SelectionForm(request.POST)
    back = _back(request)
    context = {"title": _("批量操作"), "form": form, "outcome": None, "back": back}
    if not form.is_valid():
        return render(request, "petitions/selection_result.html", context, status=400)
    ids = list(dict.fromkeys(form.cleaned_data["petitions"]))
    visible = selectors.petition_list(user=request.user).prefetch_related("assignments__unit", "suggestions")
    chosen = {p.pk: p for p in visible.filter(pk__in=ids)}
    petitions = [chosen[pk] for pk in ids if pk in chosen]
    if form.cleaned_data["action"] == SelectionForm.EXPORT:
        headers, rows = export_rows(PETITION_COLUMNS, petitions)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return download(xlsx_bytes(headers, rows, title=_("交办信访件")), f"交办信访件-所选-{stamp}.xlsx", "xlsx")
    if not has_perm(request.user, "petitions.assign"):
        raise PermissionDenied(_("只有区督察迎检办可以批量交办和标记。"))
    try:
        outcome = _outcome(request, form, petitions)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return render(request, "petitions/selection_result.html", context, status=400)
    context.update({"title": outcome.action, "outcome": outcome})
    return render(request, "petitions/selection_result.html", context)
