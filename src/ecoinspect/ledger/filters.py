"""One filter for the problem list page, the API and the export."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.calendar import default_calendar
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterSet
from ecoinspect.common.widgets import date_input
from ecoinspect.core.permissions import Reach
from ecoinspect.orgs.models import Unit

from .choices import (
    OPEN_STATES,
    DeadlineKind,
    HandlingMode,
    ProblemSource,
    ProblemStatus,
    ProgressStatus,
    Severity,
    WarningLevel,
)
from .models import INVOLVING_PATHS, Problem


def _choices(choiceset, empty):
    return [("", empty), *choiceset.choices()]


class ProblemFilter(FilterSet):
    status = forms.MultipleChoiceField(label=_("状态"), choices=ProblemStatus.choices(), required=False)
    source = forms.ChoiceField(
        label=_("问题来源"), choices=_choices(ProblemSource, _("全部来源")), required=False
    )
    problem_type = forms.ChoiceField(
        label=_("问题类型"), choices=_choices(ProblemType, _("全部类型")), required=False
    )
    handling_mode = forms.ChoiceField(
        label=_("分类施策"), choices=_choices(HandlingMode, _("全部方式")), required=False
    )
    severity = forms.ChoiceField(label=_("严重程度"), choices=_choices(Severity, _("全部")), required=False)
    progress_status = forms.ChoiceField(
        label=_("完成进度"), choices=_choices(ProgressStatus, _("全部进度")), required=False
    )
    warning = forms.ChoiceField(label=_("预警"), choices=_choices(WarningLevel, _("全部")), required=False)
    unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    involvement = forms.ChoiceField(
        label=_("参与方式"),
        required=False,
        choices=[
            ("", _("牵头或配合")),
            ("lead", _("牵头")),
            ("cooperating", _("配合")),
            ("acceptance", _("验收")),
            ("town", _("属地")),
        ],
    )
    due = forms.ChoiceField(
        label=_("期限"),
        required=False,
        choices=[
            ("", _("全部")),
            ("overdue", _("已逾期")),
            ("soon", _("5 个工作日内到期")),
            ("long_term", _("长期坚持")),
        ],
    )
    todo = forms.BooleanField(label=_("待我办理"), required=False)
    is_key = forms.NullBooleanField(label=_("重点问题"), required=False)
    is_complex = forms.NullBooleanField(label=_("复杂问题"), required=False)
    registered_from = forms.DateField(
        label=_("登记日期起"), required=False, widget=date_input()
    )
    registered_to = forms.DateField(
        label=_("登记日期止"), required=False, widget=date_input()
    )

    lookups = {
        "source": "source",
        "handling_mode": "handling_mode",
        "severity": "severity",
        "progress_status": "progress_status",
        "is_key": "is_key",
        "is_complex": "is_complex",
        "registered_from": "registered_on__gte",
        "registered_to": "registered_on__lte",
        "warning": "warning",
    }
    search_fields = ("number", "title", "description", "address", "source_ref")
    sort_fields = {
        "number": "number",
        "registered": "registered_on",
        "deadline": "deadline",
        "status": "status",
        "lead": "lead_unit__sort_order",
        "progress": "progress_status",
        "warning": "warning",
    }
    default_sort = ("-registered_on", "-number")

    def filter_status(self, qs, values):
        return qs.filter(status__in=values)

    def filter_problem_type(self, qs, value):
        return qs.filter(problem_types__contains=f",{value},")

    #: involvement → the scope paths (see models.PROBLEM_SCOPE) the unit filter narrows through
    INVOLVEMENT_PATHS = {
        "lead": ("lead_unit",),
        "cooperating": ("cooperating_units",),
        "acceptance": ("acceptance_unit",),
        "town": ("town",),
        "": INVOLVING_PATHS,
    }

    #: set by ``filter_unit``: how the rows were narrowed, so that ``restrict(within=…)`` can tell whether
    #: the user's scope adds anything
    reach: Reach | None = None
    #: set by a list page that knows its total without counting the rows (``selectors.involving``)
    rows_counted: bool = True

    def filter_unit(self, qs, unit):
        how = self.cleaned_data.get("involvement") or ""
        self.reach = Reach(self.INVOLVEMENT_PATHS[how], frozenset({unit.pk}))
        if how == "lead":
            return qs.filter(lead_unit=unit)
        if how == "cooperating":
            return qs.filter(
                pk__in=Unit.cooperating_problems.through.objects.filter(unit=unit).values("problem_id")
            )
        if how == "acceptance":
            return qs.filter(acceptance_unit=unit)
        if how == "town":
            return qs.filter(town=unit)
        from .selectors import involving

        return qs.filter(involving(unit, counted=self.rows_counted))

    def filter_due(self, qs, value):
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(status__in=OPEN_STATES, deadline__lt=today).exclude(
                deadline_kind=DeadlineKind.LONG_TERM
            )
        if value == "soon":
            horizon = default_calendar().add_workdays(today, 5)
            return qs.filter(status__in=OPEN_STATES, deadline__gte=today, deadline__lte=horizon)
        if value == "long_term":
            return qs.filter(deadline_kind=DeadlineKind.LONG_TERM)
        return qs

    def filter_involvement(self, qs, value):
        return qs  # applied together with ``unit``

    def filter_todo(self, qs, value):
        """What waits for this person (我的待办's problems): the queue's own rule, not a copy of it."""
        from ecoinspect.core.queues import queue_for, source_for

        if not value:
            return qs
        source = source_for(Problem)
        if source is None or self.user is None:
            return qs.none()
        return qs.filter(pk__in=queue_for(self.user, source, refined=False).values("pk"))


def today() -> dt.date:
    return timezone.localdate()
