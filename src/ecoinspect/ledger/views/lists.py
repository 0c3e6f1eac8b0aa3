"""The ledger's lists: the whole ledger (as far as one may see it) and each unit's own list
(一部门一清单、一镇街一清单). Both are the one ProblemFilter over ``selectors.problem_list``, so the Excel
export is exactly the rows on the screen."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterPanel
from ecoinspect.common.markup import format_html
from ecoinspect.common.tables import Column
from ecoinspect.common.views import FilteredListView
from ecoinspect.core.permissions import active_memberships, has_perm, restrict, user_scope
from ecoinspect.orgs.models import Unit
from ecoinspect.orgs.roles import ROLE_SPECS

from .. import deadlines, selectors
from ..choices import ProblemSource, ProblemStatus, ProgressStatus, WarningLevel
from ..filters import ProblemFilter
from ..forms import WORKING_KINDS, GroupedUnits
from ..models import Problem
from ..templatetags.ledger import estimate_mark


def _types(problem: Problem) -> str:
    return "、".join(ProblemType.text(t) for t in problem.problem_types)


def _deadline(problem: Problem):
    if problem.deadline_kind == "long_term":
        return _("长期坚持")
    return problem.deadline


class DeadlineColumn(Column):
    """整改时限 with a small 预估 marker on the page, and a （预估） suffix in the export, when the deadline is
    counted into a year whose holiday schedule is not published yet."""

    def html(self, obj):
        cell = super().html(obj)
        mark = estimate_mark(obj)
        return format_html("{} {}", cell, mark) if mark else cell

    def export_value(self, obj):
        value = super().export_value(obj)
        if deadlines.deadline_estimated(obj):
            return value.isoformat() + _("（预估）")
        return value


def _unit_name(relation: str):
    """A unit's name as the list shows it (``str(unit)``): read with the row as ``<relation>_name`` when the
    list annotated it (:data:`UNIT_NAMES` — no Unit built for every row), else from the related unit."""
    annotated = f"{relation}_name"

    def name(problem: Problem):
        if annotated in problem.__dict__:
            return problem.__dict__[annotated]
        return getattr(problem, relation)

    return name


_lead_name = _unit_name("lead_unit")
_town_name = _unit_name("town")


def _town(problem: Problem):
    """The town, and the out-of-district flag until the office has kept the problem as Baiyun's."""
    town = _town_name(problem)
    if problem.district_pending:
        return _("%(town)s（疑似不在本区）") % {"town": town or "—"}
    return town


def _shown_name(relation: str):
    """``str(unit)`` in SQL: the short name, or the name when there is none."""
    return Coalesce(NullIf(F(f"{relation}__short_name"), Value("")), F(f"{relation}__name"))


#: The unit names a list row shows, read with the row (see :func:`_unit_name`).
UNIT_NAMES = {"lead_unit_name": _shown_name("lead_unit"), "town_name": _shown_name("town")}


PROBLEM_COLUMNS = (
    Column("number", _lazy("问题编号"), sort="number", link=True, css="text-nowrap"),
    Column("title", _lazy("整改任务"), css="eco-col-title"),
    Column("source", _lazy("问题来源"), choiceset=ProblemSource),
    Column("problem_types", _lazy("问题类型"), accessor=_types),
    Column("lead_unit", _lazy("牵头单位"), accessor=_lead_name, sort="lead", css="eco-keep-words"),
    Column("cooperating_units", _lazy("配合单位"), css="eco-col-units"),
    Column("town", _lazy("所在镇街"), accessor=_town, css="eco-keep-words"),
    DeadlineColumn("deadline", _lazy("整改时限"), accessor=_deadline, sort="deadline"),
    Column("status", _lazy("状态"), choiceset=ProblemStatus, sort="status"),
    Column("progress_status", _lazy("完成进度"), choiceset=ProgressStatus, sort="progress"),
    Column("warning", _lazy("预警"), choiceset=WarningLevel, sort="warning"),
)


class PageProblemFilter(FilterPanel, ProblemFilter):
    """The one ProblemFilter, dressed for the page: units grouped by kind, 全部/是/否, status checkboxes.
    It filters exactly as the API and the export do (no lookup is changed here)."""

    primary = ("q", "warning", "due", "source", "problem_type", "unit", "involvement")
    #: shown under the primary filters, one line of checkboxes (not folded away under 更多条件)
    wide = ("status",)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        yes_no = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
        for name in ("is_key", "is_complex"):
            self.fields[name].widget = forms.Select(choices=yes_no)
        self.fields["status"].widget = forms.CheckboxSelectMultiple(
            attrs={"class": "form-check-input"}, choices=self.fields["status"].choices
        )
        unit = self.fields["unit"]
        unit.empty_label = _("全部单位")
        unit.widget.choices = GroupedUnits(unit)
        self.fields["q"].widget.attrs["placeholder"] = _("编号、任务、地点、来源编号")


def _can_register(user) -> bool:
    return has_perm(user, "ledger.assign") or has_perm(user, "ledger.work")


#: The columns the list's rows (and its export) read: a row is built from these alone (a query-count test
#: holds it — a column reading another field would cost a query a row). The unit names come with the rows.
LIST_FIELDS = (
    "number",
    "title",
    "source",
    "problem_types",
    "lead_unit",
    "town",
    "outside_district",
    "district_decision",
    "deadline_kind",
    "deadline",
    "status",
    "progress_status",
    "registered_on",
)


class ProblemListView(FilteredListView):
    """整改台账: every problem the person may see."""

    list_perm = "ledger.view"
    template_name = "ledger/problem_list.html"
    title = _lazy("整改台账")
    intro = _lazy("全部整改问题（按您的权限范围）。可按来源、类型、单位、进度与预警筛选，导出与屏幕一致。")
    filterset_class = PageProblemFilter
    columns = PROBLEM_COLUMNS
    export_name = "整改台账"

    def selector(self, *, user, filters):
        self.problem_filters = filters
        # Only what the columns show is read (not the long texts, not the acceptance unit); the units' names
        # come with the row, as text (a Unit built for each row's lead unit and town was a tenth of the page).
        names = Unit.objects.only("name", "short_name")
        return (
            selectors.problem_list(user=user, filters=filters)
            .select_related(None)
            .annotate(**UNIT_NAMES)
            .prefetch_related(None)
            .prefetch_related(Prefetch("cooperating_units", queryset=names))
            .only(*LIST_FIELDS)
        )

    def known_total(self, filters) -> int | None:
        """Narrowed to one unit and nothing else, the list holds what the unit leads or co-handles: the
        maintained counts say how many (when the person sees all of them) — no count over the rows."""
        if filters is None or filters.active_count() != 1 or not filters.is_valid():
            return None
        unit = filters.cleaned_data.get("unit")
        return selectors.unit_list_total(user=self.request.user, unit=unit) if unit is not None else None

    def extra_context(self, request) -> dict:
        return {
            "create_url": reverse("ledger:problem_create") if _can_register(request.user) else None,
            "can_assign": has_perm(request.user, "ledger.assign"),
            # Unit staff may import their own unit's problems (自查自纠); the importer re-checks each row.
            "can_import": _can_register(request.user),
            # The page draws its own (compact) filter form; the base template's is switched off.
            "filters": None,
            "problem_filters": self.problem_filters,
        }


def unit_for_list(request, unit_id: int) -> Unit:
    """A unit whose list the person may open: their own (or one below it), or any for district-wide roles."""
    try:
        return selectors.unit_get(user=request.user, pk=unit_id)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


class PinnedUnit(forms.Field):
    """The unit a unit's list is pinned to: already found (and its scope checked) by the view, so the
    filter takes it as it is instead of looking it up again."""

    widget = forms.HiddenInput

    def __init__(self, unit: Unit, **kwargs):
        super().__init__(required=False, **kwargs)
        self.unit = unit

    def to_python(self, value):
        return self.unit


class UnitProblemListView(ProblemListView):
    """本单位清单: the ProblemFilter list pinned to one unit — what it leads and co-handles by default."""

    template_name = "ledger/unit_list.html"

    def get(self, request, *args, **kwargs):
        self.unit = unit_for_list(request, kwargs["unit_id"])
        self.title = _("%(unit)s 整改清单") % {"unit": self.unit.name}
        self.export_name = f"{self.unit.short_name}-整改清单"
        self.intro = _(
            "本单位牵头和配合的问题（可切换为验收、属地）。筛选后导出的 Excel 与屏幕所列完全一致。"
        )
        return super().get(request, *args, **kwargs)

    @property
    def filterset_class(self):
        unit = self.unit

        class PinnedFilter(PageProblemFilter):
            def __init__(self, data=None, **kwargs):
                data = data.copy() if data is not None else {}
                if hasattr(data, "setlist"):
                    data.setlist("unit", [str(unit.pk)])
                else:
                    data["unit"] = str(unit.pk)
                super().__init__(data, **kwargs)
                self.fields["unit"] = PinnedUnit(unit, label=self.fields["unit"].label)

            def active_count(self) -> int:
                return max(super().active_count() - 1, 0)  # the pinned unit is not a filter one set

        return PinnedFilter

    @cached_property
    def counts(self) -> dict:
        return selectors.unit_queue_counts(user=self.request.user, unit=self.unit)

    def known_total(self, filters) -> int | None:
        """Unfiltered, the list is exactly what the unit leads or co-handles: the counts already say how many."""
        if filters is None or filters.active_count() or filters.data.get("involvement"):
            return None
        return self.counts["lead"] + self.counts["cooperating"]

    def extra_context(self, request) -> dict:
        context = super().extra_context(request)
        params = request.GET.copy()
        for key in ("page", "format"):
            params.pop(key, None)
        context.update(
            {
                "unit": self.unit,
                "counts": self.counts,
                "active_query": params,
                "is_own_unit": any(m.unit_id == self.unit.pk for m in active_memberships(request.user)),
            }
        )
        return context


@login_required
def my_list(request):
    """本单位清单 from the navigation: straight to one's unit; a choice of units for district-wide roles."""
    memberships = active_memberships(request.user)
    unit_roles = [m for m in memberships if m.role in ROLE_SPECS and not ROLE_SPECS[m.role].district_wide]
    units = list(dict.fromkeys(m.unit for m in unit_roles))
    if len(units) == 1 and not user_scope(request.user, "ledger.view").everything:
        return redirect("ledger:unit_problems", unit_id=units[0].pk)
    visible = restrict(
        Unit.objects.filter(is_active=True, kind__in=WORKING_KINDS), request.user, "ledger.view"
    )
    by_lead, cooperating = selectors.units_overview(user=request.user)
    rows = [
        {"unit": u, "lead": by_lead.get(u.pk), "cooperating": cooperating.get(u.pk, 0)}
        for u in visible.order_by("sort_order", "code")
    ]
    return render(
        request,
        "ledger/unit_chooser.html",
        {"title": _("各单位整改清单"), "rows": rows, "own_units": units},
    )
