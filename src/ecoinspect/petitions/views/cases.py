"""The case list (交办信访件), the batch list, a case's page and its button moves."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.selectors import action_log_for
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterPanel
from ecoinspect.common.markup import format_html
from ecoinspect.common.tables import Column
from ecoinspect.common.views import FilteredListView
from ecoinspect.core.forms import GroupedUnits
from ecoinspect.core.moves import move_view
from ecoinspect.core.permissions import has_perm

from .. import selectors
from ..choices import EXTERNAL_CLOCK_STATES, REPORTED_AND_AFTER, WORKING_STATES, PetitionStatus, Verdict
from ..filters import BatchFilter, PetitionFilter
from ..forms import COUNT_LABELS, plain_amount
from ..models import Petition
from ..services.links import open_problem_refusal
from ..workflow import PETITION_WORKFLOW
from .suggestions import describe, originals_for

# ---- the list's columns --------------------------------------------------------------------------------


def _types(petition: Petition) -> str:
    return "、".join(ProblemType.text(t) for t in petition.problem_types) or petition.type_text


def _units(petition: Petition) -> str:
    rows = sorted(petition.assignments.all(), key=lambda a: (a.role != "lead", a.pk))
    return "、".join(a.unit.short_name or a.unit.name for a in rows)


def _marks(petition: Petition) -> list[str]:
    marks = []
    if petition.flags or getattr(petition, "attention", False):
        marks.append(str(_("待确认")))
    if petition.is_key:
        marks.append(str(_("重点件")))
    if petition.is_supervised:
        marks.append(str(_("督办")))
    if petition.duplicate_of_id:
        marks.append(str(_("重复件")))
    return marks


class MarksColumn(Column):
    """⚑ for a case with cells the import did not understand or suggestions nobody decided, and the
    office's marks (重点件, 督办, 重复件). The export writes the same words."""

    def html(self, obj):
        badges = []
        if obj.flags or getattr(obj, "attention", False):
            title = _("导入时有未能理解的单元格，或有待确认的建议")
            badges.append(format_html('<i class="bi bi-flag-fill text-warning" title="{}" data-testid="flag-mark"></i>', title))
        colours = {str(_("重点件")): "danger", str(_("督办")): "warning", str(_("重复件")): "secondary"}
        words = [m for m in _marks(obj) if m in colours]
        badges.extend(format_html('<span class="badge text-bg-{}">{}</span>', colours[w], w) for w in words)
        return mark_safe(" ".join(badges))

    def export_value(self, obj):
        return "、".join(_marks(obj))


class TextColumn(Column):
    """A long text, shortened on the screen (the full text in the export and on hover)."""

    def html(self, obj):
        text = " ".join((self.value(obj) or "").split())
        short = text if len(text) <= 40 else text[:39] + "…"
        return format_html('<span title="{}">{}</span>', text, short)


@dataclass(frozen=True)
class ShortDateColumn(Column):
    """A date of this inspection month as 月-日 on the screen (the whole date on hover and in the export)."""

    def html(self, obj):
        date = self.value(obj)
        if date is None:
            return mark_safe('<span class="text-body-tertiary">—</span>')
        return format_html('<span class="text-nowrap" title="{}">{}</span>', date.isoformat(), date.strftime("%m-%d"))


@dataclass(frozen=True)
class DueColumn(Column):
    """A due date, red once past and yellow on its last day while its clock runs (in ``states``)."""

    states: tuple = WORKING_STATES

    def html(self, obj):
        date = self.value(obj)
        if date is None:
            return mark_safe('<span class="text-body-tertiary">—</span>')
        c = selectors.clock(date, running=obj.status in self.states)
        css = {"danger": "text-danger fw-semibold", "warning": "text-warning-emphasis fw-semibold"}.get(c.colour, "")
        title = f"{date.isoformat()} {c.label}".strip()
        return format_html(
            '<span class="text-nowrap {}" title="{}" data-clock="{}">{}</span>', css, title, c.colour or "none", date.strftime("%m-%d")
        )


PETITION_COLUMNS = (
    MarksColumn("marks", _lazy("标记")),
    Column("acceptance_no", _lazy("受理编号"), sort="number", link=True),
    TextColumn("complaint_text", _lazy("交办问题基本情况"), css="eco-col-text"),
    Column("town", _lazy("属地镇街"), sort="town"),
    Column("problem_types", _lazy("问题类型"), accessor=_types),
    Column("units", _lazy("承办单位"), accessor=_units, css="eco-col-units"),
    ShortDateColumn("received_on", _lazy("交办日期"), sort="received"),
    DueColumn("due", _lazy("区内时限"), sort="due"),
    DueColumn("due_external", _lazy("督察组时限"), sort="due_external", states=EXTERNAL_CLOCK_STATES),
    Column("status", _lazy("状态"), choiceset=PetitionStatus, sort="status"),
    Column("verdict", _lazy("是否属实"), choiceset=Verdict),
)


class PagePetitionFilter(FilterPanel, PetitionFilter):
    """The one PetitionFilter, dressed for the page (全部/是/否, status checkboxes, units grouped)."""

    primary = ("q", "batch", "due", "town", "unit", "problem_type", "flagged")
    wide = ("status",)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        yes_no = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
        for name in ("is_key", "is_supervised"):
            self.fields[name].widget = forms.Select(choices=yes_no)
        self.fields["status"].widget = forms.CheckboxSelectMultiple(
            attrs={"class": "form-check-input"}, choices=self.fields["status"].choices
        )
        for name, empty in (("unit", _("全部单位")), ("town", _("全部镇街"))):
            field = self.fields[name]
            field.empty_label = empty
            field.widget.choices = GroupedUnits(field)
        self.fields["q"].widget.attrs["placeholder"] = _("受理编号、问题描述、行政区域")


class PetitionListView(FilteredListView):
    title = _lazy("交办信访件")
    intro = _lazy("您权限范围内的全部信访件。可按批次、时限、镇街、承办单位等筛选；导出的文件与屏幕所列一致。")
    template_name = "petitions/petition_list.html"
    columns = PETITION_COLUMNS
    filterset_class = PagePetitionFilter
    export_name = "交办信访件"
    list_perm = "petitions.view"

    def selector(self, *, user, filters):
        self.petition_filters = filters
        return (
            selectors.petition_list(user=user, filters=filters)
            .select_related("batch")
            .prefetch_related("assignments__unit")
            .defer("raw", "public_texts", "investigation", "handling", "closure_target", "accountability")
        )

    def extra_context(self, request) -> dict:
        return {
            "filters": None,  # the page draws its own filter panel
            "petition_filters": self.petition_filters,
            "can_assign": has_perm(request.user, "petitions.assign"),
        }


class BatchListView(FilteredListView):
    title = _lazy("交办批次")
    intro = _lazy("督察组每日交办的批次；打开一批可逐件确认建议、交办、合并重复件。")
    columns = (
        Column("number", _lazy("批次"), accessor=lambda b: str(b), sort="number", link=True),
        ShortDateColumn("received_on", _lazy("交办日期"), sort="received"),
        Column("origin", _lazy("来源"), accessor=lambda b: b.get_origin_display()),
        Column("file_name", _lazy("原文件名")),
    )
    filterset_class = BatchFilter
    export_name = "交办批次"
    list_perm = "petitions.view"
    template_name = "petitions/batch_list.html"

    def selector(self, *, user, filters):
        return selectors.batch_list(user=user, filters=filters)

    def extra_context(self, request) -> dict:
        return {"can_import": request.user.has_perm("petitions.assign")}


# ---- a case's page -------------------------------------------------------------------------------------


def petition_or_404(request, pk: int) -> Petition:
    return selectors.petition_get(user=request.user, pk=pk)


def _figures(petition: Petition) -> list[tuple[str, object]]:
    rows = [(label, getattr(petition, name)) for name, label in COUNT_LABELS.items()]
    rows.insert(2, (_("罚款（万元）"), plain_amount(petition.fine_amount)))
    return rows


#: Once a unit has reported: the case may be visited, and a true one opens a ledger problem.


def detail_context(request, petition: Petition) -> dict:
    user = request.user
    can_assign = has_perm(user, "petitions.assign", petition)
    suggestions = list(selectors.suggestions_of(petition))
    originals = originals_for(user, suggestions)
    order = {k: i for i, k in enumerate(selectors.KIND_ORDER)}
    described = [describe(s, originals) for s in sorted(suggestions, key=lambda s: (order.get(s.kind, 9), -(s.score or 0), s.pk))]
    return {
        "petition": petition,
        "page_url": petition.get_absolute_url(),
        "title": str(petition),
        "version": petition.version,
        "assignments": selectors.assignment_rows(petition),
        "claims": petition.claims.all(),
        "figures": _figures(petition),
        "has_figures": any(v not in (0, "0") for _label, v in _figures(petition)),
        "visits": petition.visits.select_related("recorded_by"),
        "suggestions": suggestions,
        "suggestions_described": described,
        "repeats": petition.repeats.select_related("round").order_by("received_on", "pk"),
        "buttons": PETITION_WORKFLOW.buttons(petition, user),
        "timeline": list(action_log_for(obj=petition)[:100]),
        "can_assign": can_assign,
        "can_handle": has_perm(user, "petitions.handle", petition) and petition.status == PetitionStatus.VERIFYING,
        "can_add_units": can_assign and petition.status in WORKING_STATES,
        "can_visit": can_assign and petition.status in REPORTED_AND_AFTER,
        # the service's own rule: the button is shown exactly when the write would go through
        "can_open_problem": can_assign and has_perm(user, "ledger.assign") and not open_problem_refusal(petition),
        "problem_visible": petition.problem_id is not None and has_perm(user, "ledger.view", petition.problem),
    }


@login_required
def petition_detail(request, pk: int):
    petition = petition_or_404(request, pk)
    return render(request, "petitions/petition_detail.html", detail_context(request, petition))


petition_move = move_view(PETITION_WORKFLOW, petition_or_404)
