"""Public pages (no log-in, under /public/): the published disclosure tables of each batch, and the status of
a case by its 受理编号 — only what has been published, masked; the look-up is rate-limited per address.

Everything shown comes from ``petitions.disclosure``'s public reads: the rows stored when a batch was
disclosed, and a case's public stage. No internal field (units, due dates, people, flags) is read here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from ecoinspect.common.export import download
from ecoinspect.common.text_bounds import BoundedForm
from ecoinspect.orgs.auth import client_ip

from .. import disclosure as pub
from .. import exporters

LOOKUP_CACHE_PREFIX = "petitions:public-lookup:"


class LookupForm(BoundedForm):
    no = forms.CharField(
        label=_lazy("受理编号"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "D3GD202406010001", "autocomplete": "off"}),
    )


def public_index(request):
    """The published batches, newest first, and the look-up by 受理编号."""
    batches = list(pub.published_batches())
    return render(
        request,
        "petitions/public/index.html",
        {"title": _("信访件办理情况公开"), "batches": batches, "form": LookupForm()},
    )


def public_batch(request, pk: int):
    """A disclosed batch's tables as published; ``?format=docx|xlsx`` downloads them."""
    batch = pub.published_batch(pk)
    kind = request.GET.get("format")
    if kind is not None:
        if kind not in exporters.BUILDERS:
            raise Http404
        return download(exporters.BUILDERS[kind](batch), exporters.file_name(batch, kind), kind)
    groups = pub.published_groups(batch)
    return render(
        request,
        "petitions/public/batch.html",
        {
            "title": exporters.disclosure_title(batch),
            "batch": batch,
            "headers": [c.header for c in pub.COLUMNS],
            "groups": pub.group_views(groups),
        },
    )


def lookup_allowed(request) -> bool:
    """Count one look-up for the request's address; False once the address is over the limit."""
    limit = settings.PETITIONS_PUBLIC_LOOKUP_LIMIT
    window = settings.PETITIONS_PUBLIC_LOOKUP_WINDOW_SECONDS
    key = LOOKUP_CACHE_PREFIX + (client_ip(request) or "unknown")
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return True
    return count <= limit


def _status_view(found: pub.PublicStatus) -> dict:
    columns = [c for c in pub.COLUMNS[1:] if c.key != "acceptance_no"]
    return {
        "status": found,
        "results": [
            {
                "number": r["number"],
                "issued_on": r["issued_on"],
                "cells": [(c.header, r["values"].get(c.key, "")) for c in columns],
            }
            for r in found.results
        ],
    }


@never_cache
def public_status(request):
    """The status of a case by its 受理编号, for anyone: the public stage and the published results."""
    form = LookupForm(request.GET or None)
    context = {"title": _("按受理编号查询办理情况"), "form": form, "searched": False, "results": []}
    status = 200
    if form.is_bound and form.is_valid():
        if not lookup_allowed(request):
            minutes = max(1, settings.PETITIONS_PUBLIC_LOOKUP_WINDOW_SECONDS // 60)
            context["limited"] = _(
                "查询过于频繁：同一网络地址每 %(m)s 分钟最多查询 %(n)s 次。请稍后再试。"
            ) % {"m": minutes, "n": settings.PETITIONS_PUBLIC_LOOKUP_LIMIT}
            response = render(request, "petitions/public/status.html", context, status=429)
            response["Retry-After"] = str(settings.PETITIONS_PUBLIC_LOOKUP_WINDOW_SECONDS)
            return response
        context["searched"] = True
        context["results"] = [_status_view(s) for s in pub.public_status(form.cleaned_data["no"])]
    elif form.is_bound:
        status = 400
    return render(request, "petitions/public/status.html", context, status=status)
