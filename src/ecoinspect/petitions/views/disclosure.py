"""The publisher's pages: a batch's disclosure preview with every masking shown, the correction of a masked
text, 公开, and the disclosure table as Word and Excel."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.errors import Refusal, ServiceError
from ecoinspect.common.export import download
from ecoinspect.common.text_bounds import BoundedForm
from ecoinspect.common.views import ServiceFormView, service_refused
from ecoinspect.core.permissions import has_perm, restrict

from .. import disclosure as pub
from .. import exporters, selectors
from ..choices import Origin, PetitionStatus
from ..models import Petition, TransferBatch
from ..services import batch_disclose, petition_public_text_save

PUBLISH = "petitions.publish"


def _publisher_batch(request, pk: int) -> TransferBatch:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not has_perm(request.user, PUBLISH):
        raise PermissionDenied
    return batch


class _CellHtml:
    """Draws the preview's cells in Python (300 cases × 11 columns through template tags take a second):
    the text with each masking marked, its original in the title; the pencil to correct a text column;
    the badges of a corrected or outdated correction."""

    def __init__(self):
        self.edit_url = reverse("petitions:public_text_edit", args=[0, "COLUMN"]).replace("/0/", "/{pk}/")
        self.edit_title = escape(_("修改公开文本"))
        self.kinds = {kind: escape(str(label)) for kind, label in pub.KIND_LABELS.items()}
        self.corrected = format_html('<div><span class="badge text-bg-success" data-testid="corrected">{}</span></div>', _("已人工核对"))
        self.stale = format_html('<div><span class="badge text-bg-warning" data-testid="stale">{}</span></div>', _("原文已变更，请重新核对"))
        self.previous = _("前次公开：%(p)s")

    def text(self, cell: pub.Cell) -> str:
        parts = []
        for text, span in cell.segments():
            if span is None:
                parts.append(escape(text))
            else:
                parts.append(
                    f'<mark class="eco-mask eco-mask-{span.kind}" title="{self.kinds.get(span.kind, span.kind)}：'
                    f'{escape(span.original)}" data-kind="{span.kind}">{escape(text)}</mark>'
                )
        return "".join(parts)

    def cell(self, row: pub.PublicRow, key: str) -> str:
        cell = row.cells[key]
        html = [f'<td class="{pub.column_css(key)}" data-column="{key}">']
        if cell.masked:
            url = self.edit_url.format(pk=row.petition_id).replace("COLUMN", key)
            html.append(
                f'<a class="eco-cell-edit float-end ms-1" href="{url}" title="{self.edit_title}" '
                f'data-testid="edit-{key}"><i class="bi bi-pencil-square"></i></a>'
            )
        html.append(f'<span class="eco-cell-text">{self.text(cell)}</span>')
        if cell.corrected:
            html.append(self.corrected)
        if cell.stale:
            html.append(self.stale)
        if key == "closure_status" and row.previous_closure:
            previous = escape(self.previous % {"p": row.previous_closure})
            html.append(f'<div class="small text-body-secondary">{previous}</div>')
        html.append("</td>")
        return "".join(html)

    def row(self, seq: int, row: pub.PublicRow) -> dict:
        first = f'<td class="eco-c" data-column="seq"><span class="eco-cell-text">{seq}</span></td>'
        cells = first + "".join(self.cell(row, key) for key in pub.KEYS[1:])
        return {"row": row, "cells": mark_safe(cells)}  # every piece of text above is escaped


def _status_counts(batch: TransferBatch) -> list[tuple[str, int]]:
    from django.db.models import Count

    counts = dict(
        Petition.objects.filter(batch=batch).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(PetitionStatus.text(s), counts[s]) for s in PetitionStatus.values() if counts.get(s)]


@login_required
def batch_disclosure(request, pk: int):
    """The preview of the batch's next disclosure, with each masking highlighted, and what was published;
    ``?format=docx|xlsx`` downloads the published table."""
    batch = _publisher_batch(request, pk)
    if "format" in request.GET:
        return _download(request, batch, request.GET["format"])
    history = batch.origin == Origin.HISTORY
    rows = pub.history_rows(batch) if history else pub.upcoming_rows(batch)
    draw = _CellHtml()
    context = {
        "batch": batch,
        "title": _("%(batch)s 公开") % {"batch": batch},
        "history": history,
        "columns": pub.COLUMNS,
        "rows": [draw.row(seq, row) for seq, row in enumerate(rows, start=1)],
        "maskings": sum(r.maskings for r in rows),
        "groups": [] if history else pub.group_views(pub.published_groups(batch)),
        "headers": [c.header for c in pub.COLUMNS],
        "status_counts": _status_counts(batch),
        "today": timezone.localdate(),
        "next_number": batch.disclosures.count() + 1,
        "table_title": exporters.disclosure_title(batch),
        "is_public": pub.is_public(batch),
    }
    return render(request, "petitions/disclosure_preview.html", context)


@login_required
@require_POST
def batch_disclose_view(request, pk: int):
    batch = _publisher_batch(request, pk)
    issued_on = None
    raw = (request.POST.get("issued_on") or "").strip()
    if raw:
        try:
            issued_on = forms.DateField().clean(raw)
        except forms.ValidationError:
            messages.error(request, _("公开日期格式不对：%(v)s（应为 年-月-日）。") % {"v": raw})
            return redirect("petitions:batch_disclosure", pk=batch.pk)
    try:
        disclosure = batch_disclose(actor=request.user, batch=batch, issued_on=issued_on)
    except (ServiceError, Refusal) as exc:
        service_refused(request, exc)
        return redirect("petitions:batch_disclosure", pk=batch.pk)
    messages.success(
        request,
        _("已公开%(batch)s第%(n)s次公开，共 %(count)s 件。")
        % {"batch": batch, "n": disclosure.number, "count": len(disclosure.rows)},
    )
    return redirect("petitions:batch_disclosure", pk=batch.pk)


def _download(request, batch: TransferBatch, kind: str):
    if kind not in exporters.BUILDERS:
        raise Http404
    groups = pub.published_groups(batch)
    if not groups:
        messages.error(request, _("本批次尚未公开，没有可导出的公开表。请先核对下方预览并点击“公开”。"))
        return redirect("petitions:batch_disclosure", pk=batch.pk)
    return download(exporters.BUILDERS[kind](batch), exporters.file_name(batch, kind), kind)


class PublicTextForm(BoundedForm):
    text = forms.CharField(
        label=_lazy("公开文本"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_lazy("留空则恢复为系统自动脱敏的文本。"),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublicTextEditView(ServiceFormView):
    """Correct one column's public text of one case (saved in Petition.public_texts)."""

    form_class = PublicTextForm
    template_name = "petitions/public_text_form.html"
    perm = PUBLISH
    submit_label = _lazy("保存公开文本")

    def get_object(self):
        if self.kwargs["column"] not in pub.MASKED_KEYS:
            raise Http404
        qs = restrict(Petition.objects.select_related("batch", "round", "duplicate_of", "town"), self.request.user, "petitions.view")
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    @property
    def title(self):
        return _("核对公开文本：%(column)s") % {"column": pub.COLUMN_BY_KEY[self.kwargs["column"]].header}

    def get_form(self, data=None):
        petition, column = self.object, self.kwargs["column"]
        cell = pub.public_row(petition).cells[column]
        initial = {"text": cell.text, "expected_version": petition.version}
        return self.form_class(data, initial=initial)

    def extra_context(self, form) -> dict:
        petition, column = self.object, self.kwargs["column"]
        cell = pub.public_row(petition).cells[column]
        automatic, spans = pub.masking.mask(cell.source)
        return {
            "petition": petition,
            "cell": cell,
            "column": pub.COLUMN_BY_KEY[column],
            "automatic": automatic,
            "spans": [(s, pub.KIND_LABELS.get(s.kind, s.kind)) for s in spans],
        }

    def perform(self, form):
        text = form.cleaned_data["text"]
        cell = pub.public_row(self.object).cells[self.kwargs["column"]]
        if text.strip() == cell.text.strip() and not cell.corrected:
            text = ""  # unchanged: keep following the automatic masking
        return petition_public_text_save(
            actor=self.request.user,
            petition=self.object,
            column=self.kwargs["column"],
            text=text,
            expected_version=form.cleaned_data.get("expected_version"),
        )

    def success_url(self, result) -> str:
        if result.batch_id:
            return reverse("petitions:batch_disclosure", args=[result.batch_id]) + f"#case-{result.pk}"
        return result.get_absolute_url()

    def success_message(self, result) -> str:
        return _("已保存%(no)s的公开文本。") % {"no": result.acceptance_no}

