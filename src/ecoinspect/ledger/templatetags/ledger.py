"""Template helpers of the ledger's pages: warning badges, file sizes, form fields by name."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

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


@register.filter
def filesize(size) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return "—"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@register.filter
def bound(form, name: str):
    """``form|bound:"title"`` — the bound field of that name."""
    return form[name]


@register.filter
def is_choice_list(bound_field) -> bool:
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


@register.simple_tag
def type_badges(values):
    """问题类型 badges for a problem's normalised multi-label."""
    from django.utils.html import format_html_join

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


def _selected(field) -> set[str]:
    value = field.value()
    if value is None:
        return {""}
    if isinstance(value, (list, tuple)):
        return {str(v) for v in value}
    return {str(value)}


def _options(choices, selected: set[str]):
    from django.utils.html import format_html_join

    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, _options(label, selected)))
            continue
        value = getattr(value, "value", value)  # ModelChoiceIteratorValue
        parts.append(
            format_html(
                '<option value="{}"{}>{}</option>',
                "" if value is None else value,
                " selected" if str("" if value is None else value) in selected else "",
                label,
            )
        )
    return format_html_join("", "{}", ((p,) for p in parts))


@register.simple_tag
def filter_control(bound_field):
    """A filter field drawn in one pass (a list page draws a dozen selects on every request; the widget
    templates would render each option separately). Other widgets fall back to the usual rendering."""
    from ecoinspect.common.templatetags.eco import field_control

    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        selected = _selected(bound_field)
        return format_html_join(
            "",
            '<div class="form-check form-check-inline"><input class="form-check-input" type="checkbox" '
            'name="{}" value="{}" id="{}_{}"{}><label class="form-check-label small" for="{}_{}">{}</label></div>',
            (
                (
                    bound_field.html_name,
                    value,
                    bound_field.auto_id,
                    i,
                    " checked" if str(value) in selected else "",
                    bound_field.auto_id,
                    i,
                    label,
                )
                for i, (value, label) in enumerate(widget.choices)
            ),
        )
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        invalid = " is-invalid" if bound_field.errors else ""
        return format_html(
            '<select name="{}" id="{}" class="form-select{}">{}</select>',
            bound_field.html_name,
            bound_field.auto_id,
            invalid,
            _options(widget.choices, _selected(bound_field)),
        )
    return field_control(bound_field)
