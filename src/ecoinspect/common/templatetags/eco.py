"""Template helpers: Bootstrap form controls, sortable headers, coloured badges."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

register = template.Library()

_WIDE_WIDGETS = (forms.Textarea, forms.CheckboxSelectMultiple, forms.SelectMultiple, forms.ClearableFileInput)


@register.simple_tag
def field_control(bound_field):
    """Render a field with Bootstrap classes (``is-invalid`` when it has errors), keeping its value."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(
        widget, forms.CheckboxSelectMultiple
    ):
        css = "form-select"
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        css = ""
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": css.strip()} if css.strip() else {}
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_wide(bound_field) -> bool:
    return isinstance(bound_field.field.widget, _WIDE_WIDGETS)


@register.simple_tag(takes_context=True)
def sort_link(context, column, current_sort: str):
    """A header link that sorts by the column, toggling the direction when it is already the sort."""
    request = context["request"]
    key = column.sort
    if current_sort == key:
        new, arrow = f"-{key}", "bi-sort-up"
    elif current_sort == f"-{key}":
        new, arrow = key, "bi-sort-down"
    else:
        new, arrow = key, ""
    params = request.GET.copy()
    params["sort"] = new
    params.pop("page", None)
    params.pop("format", None)
    icon = format_html(' <i class="bi {}" aria-hidden="true"></i>', arrow) if arrow else ""
    return format_html(
        '<a href="?{}">{}{}</a>', urlencode(list(params.lists()), doseq=True), column.label, icon
    )


@register.simple_tag
def badge(value, choiceset):
    if value in (None, ""):
        return mark_safe('<span class="text-body-tertiary">—</span>')
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', choiceset.colour(value), choiceset.label(value)
    )


@register.simple_tag
def choice_badge(obj, field_name: str):
    """Badge for a model field declared with ``ChoiceField(choiceset=...)``."""
    field = obj._meta.get_field(field_name)
    choiceset = getattr(field, "choiceset", None)
    value = getattr(obj, field_name)
    if choiceset is None:
        return format_html(
            '<span class="badge text-bg-secondary">{}</span>', getattr(obj, f"get_{field_name}_display")()
        )
    return badge(value, choiceset)
