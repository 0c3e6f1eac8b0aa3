"""The suggestions made for a case at import, as the batch page and the case's page show them, and the
coordinator's decisions on them (采纳 / 更正 / 不采纳): a click on the batch page (HTMX swaps the case's row
and the counts), a plain form post without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import Refusal
from ecoinspect.common.views import form_add_service_errors
from ecoinspect.core.permissions import has_perm, restrict

from .. import numbers, selectors, services
from ..choices import SuggestionDecision, SuggestionKind
from ..forms import SuggestionCorrectForm, assignable_units, town_units
from ..models import Petition, Suggestion
from ..templatetags.petition_tags import highlight

# ---- how a suggestion reads ----------------------------------------------------------------------------


def _unit_name(value) -> str:
    value = value or {}
    if value.get("outside"):
        return _("不在本区")
    return value.get("name") or ""


def value_label(kind: str, value) -> str:
    """A stored value (or a correction) in words."""
    value = value or {}
    if kind == SuggestionKind.TOWN:
        status = value.get("status")
        if status == "outside" and not value.get("unit"):
            return _("不在本区")
        if status == "ambiguous" and not value.get("unit"):
            names = "、".join(c.get("name", "") for c in value.get("candidates") or [])
            return _("不确定：%(names)s") % {"names": names} if names else _("不确定")
        return _unit_name(value) or _("未识别")
    if kind == SuggestionKind.DEPARTMENT:
        return _unit_name(value) or _("未识别")
    if kind == SuggestionKind.TYPES:
        types = value.get("problem_types") or []
        words = [ProblemType.text(t) for t in types if t in ProblemType]
        tags = [str(t) for t in value.get("sub_tags") or []]
        return "、".join(words) + (f"（{'、'.join(tags)}）" if tags else "") or _("未识别")
    number = value.get("acceptance_no") or ""
    rnd = value.get("round") or ""
    return f"{number}（{rnd}）" if rnd else number


def describe(s: Suggestion, originals: dict | None = None) -> dict:
    value = s.value or {}
    original = None
    if s.kind == SuggestionKind.DUPLICATE and originals is not None:
        original = originals.get(value.get("petition")) or originals.get(numbers.normalise(value.get("acceptance_no") or ""))
    return {
        "s": s,
        "kind": s.kind,
        "label": value_label(s.kind, value),
        "corrected": value_label(s.kind, s.corrected_value) if s.corrected_value else "",
        "reasons": [str(r) for r in s.reasons or []],
        "score": s.score,
        "pending": s.decision == SuggestionDecision.PENDING,
        "final": s.kind == SuggestionKind.DUPLICATE and s.decision in (SuggestionDecision.ACCEPTED, SuggestionDecision.CORRECTED),
        "matched": value.get("matched") or [],
        "signals": [str(x) for x in value.get("signals") or []],
        "original": original,
        "tied": "、".join(t.get("name", "") for t in value.get("tied") or []),
    }


def originals_for(user, suggestions) -> dict:
    """The stored cases the duplicate suggestions point at (those the person may see), by id and by
    normalised number — two queries for a whole batch."""
    ids, keys, rounds = set(), set(), set()
    for s in suggestions:
        if s.kind != SuggestionKind.DUPLICATE:
            continue
        value = s.value or {}
        if value.get("petition"):
            ids.add(value["petition"])
        elif value.get("acceptance_no"):
            keys.add(numbers.normalise(value["acceptance_no"]))
            rounds.add(s.petition.round_id)
    found: dict = {}
    visible = restrict(Petition.objects.all(), user, "petitions.view").only(
        "pk", "acceptance_no", "acceptance_key", "complaint_text", "status", "round_id"
    )
    if ids:
        found.update({p.pk: p for p in visible.filter(pk__in=ids)})
    if keys:
        found.update({p.acceptance_key: p for p in visible.filter(acceptance_key__in=keys, round__in=rounds)})
    return found


def triage_row(petition: Petition, originals: dict) -> dict:
    """One case of the batch page: its suggestions by kind, each described."""
    by_kind: dict[str, list] = {k: [] for k in SuggestionKind.values()}
    for s in petition.suggestions.all():
        by_kind.setdefault(s.kind, []).append(describe(s, originals))
    matched = [m for d in by_kind[SuggestionKind.DUPLICATE] for m in d["matched"]]
    return {
        "p": petition,
        "town": by_kind[SuggestionKind.TOWN],
        "department": by_kind[SuggestionKind.DEPARTMENT],
        "types": by_kind[SuggestionKind.TYPES],
        "duplicates": by_kind[SuggestionKind.DUPLICATE],
        "text": highlight(petition.complaint_text, matched),
        "units": sorted(petition.assignments.all(), key=lambda a: (a.role != "lead", a.pk)),
    }


# ---- deciding ------------------------------------------------------------------------------------------


def _suggestion(request, pk: int) -> Suggestion:
    try:
        s = restrict(Suggestion.objects.select_related("petition", "petition__round"), request.user, "petitions.view").get(pk=pk)
    except Suggestion.DoesNotExist as exc:
        raise Http404 from exc
    if not has_perm(request.user, "petitions.assign", s.petition):
        raise PermissionDenied(_("只有区督察迎检办可以确认或更正建议。"))
    return s


def _back(request, s: Suggestion) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return s.petition.get_absolute_url()


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_row(request, petition_id: int, error: str = ""):
    """The batch page's row of one case and, out of band, the batch's counts (HTMX answer)."""
    from .batch import row_response

    return row_response(request, petition_id, error=error)


def _respond(request, s: Suggestion, done: str, error: str = ""):
    if _is_htmx(request) and request.POST.get("row"):
        return render_row(request, s.petition_id, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_back(request, s))


DONE = {
    "accept": lambda: _("已采纳建议。"),
    "dismiss": lambda: _("已标记为不采纳。"),
}


@login_required
@require_POST
def suggestion_decide(request, pk: int, decision: str):
    """采纳 or 不采纳 one suggestion (a duplicate accepted is merged into its original)."""
    s = _suggestion(request, pk)
    service = {"accept": services.suggestion_accept, "dismiss": services.suggestion_dismiss}.get(decision)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, suggestion=s)
    except Refusal as exc:
        exc.record()
        return _respond(request, s, "", str(exc))
    except ValidationError as exc:
        return _respond(request, s, "", "；".join(exc.messages))
    return _respond(request, s, DONE[decision]())


def _correct_form_context(request, s: Suggestion, form) -> dict:
    return {
        "s": describe(s, originals_for(request.user, [s])),
        "suggestion": s,
        "petition": s.petition,
        "form": form,
        "towns": town_units() if s.kind == SuggestionKind.TOWN else None,
        "units": assignable_units() if s.kind == SuggestionKind.DEPARTMENT else None,
        "types": ProblemType.choices(),
        "next": _back(request, s),
        "title": _("更正建议：%(kind)s") % {"kind": SuggestionKind.label(s.kind)},
        "inline": _is_htmx(request),
    }


@login_required
def suggestion_correct(request, pk: int):
    """更正: GET the small form (inline on the batch page, a page of its own without JavaScript); POST the
    right value."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    s = _suggestion(request, pk)
    template = "petitions/_suggestion_correct.html" if _is_htmx(request) else "petitions/suggestion_correct.html"
    if request.method == "GET":
        return render(request, template, _correct_form_context(request, s, SuggestionCorrectForm()))
    form = SuggestionCorrectForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_correct(actor=request.user, suggestion=s, value=form.value(s.kind))
        except Refusal as exc:
            exc.record()
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return _respond(request, s, _("已更正建议。"))
    if _is_htmx(request):
        # shown where the form is (HTMX swaps 200 answers only)
        response = render(request, template, _correct_form_context(request, s, form))
        response["HX-Retarget"] = f"#correct-{s.pk}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, template, _correct_form_context(request, s, form), status=400)


def counts_for(user, **where) -> list[dict]:
    return selectors.suggestion_counts(restrict(Suggestion.objects.filter(**where), user, "petitions.view"))
