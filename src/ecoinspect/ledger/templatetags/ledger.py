"""Template helpers of the ledger's pages: warning badges, problem-type badges, publicity periods, links to
a unit's list.

Form fields, filters and file sizes are drawn by the common ``eco`` library."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ecoinspect.common.calendar import default_calendar
from ecoinspect.common.markup import format_html, format_html_join

from .. import deadlines
from ..choices import WarningLevel

register = template.Library()

_WARNING_ICONS = {
    WarningLevel.BLUE: "tag-fill",
    WarningLevel.YELLOW: "exclamation-triangle-fill",
    WarningLevel.RED: "exclamation-octagon-fill",
}
_WARNING_TITLES = {
    WarningLevel.BLUE: lambda: _("贴蓝签：时间过半仍未达时序进度"),
    WarningLevel.YELLOW: lambda: _("挂黄牌：时间已过 80% 仍未达时序进度"),
    WarningLevel.RED: lambda: _("亮红灯：已超过整改时限"),
}


@register.simple_tag
def warning_badge(value, quiet: bool = False):
    """The warning colour as a badge; ``quiet`` shows nothing for 正常."""
    if not value or value == WarningLevel.NONE:
        if quiet:
            return ""
        return format_html(
            '<span class="badge text-bg-light border" data-warning="none">{}</span>', _("正常")
        )
    return format_html(
        '<span class="badge text-bg-{}" data-warning="{}" title="{}"><i class="bi bi-{} me-1"></i>{}</span>',
        WarningLevel.colour(value),
        value,
        _WARNING_TITLES[value](),
        _WARNING_ICONS[value],
        WarningLevel.label(value),
    )


@register.simple_tag
def type_badges(values):
    """问题类型 badges for a problem's normalised multi-label."""
    from ecoinspect.common.choices import ProblemType

    if not values:
        return format_html('<span class="text-body-tertiary">{}</span>', "—")
    return format_html_join(
        " ",
        '<span class="badge text-bg-{}">{}</span>',
        ((ProblemType.colour(v), ProblemType.label(v)) for v in values),
    )


@register.filter
def period_label(value) -> str:
    from ..services import PUBLICITY_PERIODS

    return str(PUBLICITY_PERIODS.get(value, value))


@register.simple_tag
def estimate_mark(problem):
    """A small 预估 badge after a deadline counted into a year whose holiday schedule is not published."""
    if problem is None or not deadlines.deadline_estimated(problem):
        return ""
    return format_html(
        '<span class="badge text-bg-light border text-body-secondary fw-normal" data-testid="deadline-estimated"'
        ' title="{}">{}</span>',
        deadlines.estimate_note(),
        _("预估"),
    )


@register.filter
def rest_day(value) -> str:
    """Why a date is a day off on the working calendar (a holiday's name or the weekday), else ""."""
    if not value:
        return ""
    cal = default_calendar()
    return "" if cal.is_workday(value) else cal.rest_day_reason(value)


def _openable_units(request) -> set[int]:
    """The units whose list the person may open (cached on the request: one query per page)."""
    cached = getattr(request, "_ledger_openable_units", None)
    if cached is None:
        from ..selectors import unit_ids_openable

        cached = unit_ids_openable(user=request.user)
        request._ledger_openable_units = cached
    return cached


@register.simple_tag(takes_context=True)
def unit_list_link(context, unit, label=None):
    """The unit's name, linked to its list when the person may open that list (staff of another unit may not:
    a page must not offer a link that answers 404)."""
    if unit is None:
        return ""
    label = unit if label is None else label
    if unit.pk in _openable_units(context["request"]):
        return format_html('<a href="{}">{}</a>', reverse("ledger:unit_problems", args=[unit.pk]), label)
    return format_html("{}", label)
