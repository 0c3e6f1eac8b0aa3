"""Template helpers: Bootstrap form controls (one field, a filter drawn in one pass), sortable headers,
coloured badges, file sizes."""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..markup import format_html, format_html_join

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
    if isinstance(widget, forms.SelectMultiple) and not isinstance(widget, forms.CheckboxSelectMultiple):
        # a searchable multi-select (Tom Select, started by app.js) instead of a Ctrl-click list
        attrs.update(
            {
                "data-multiselect": "",
                "data-placeholder": _("输入名称搜索…"),
                "data-no-results": _("没有匹配的选项"),
            }
        )
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_wide(bound_field) -> bool:
    return isinstance(bound_field.field.widget, _WIDE_WIDGETS)


@register.filter
def is_choice_list(bound_field) -> bool:
    """Radio buttons or checkboxes: drawn inline, one per option, under a group label."""
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


@register.filter
def is_date(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.DateInput)


@register.filter
def bound(form, name: str):
    """``form|bound:"title"`` — the bound field of that name."""
    return form[name]


def _selected(field) -> set[str]:
    value = field.value()
    if value is None:
        return {""}
    if isinstance(value, (list, tuple)):
        return {str(v) for v in value}
    return {str(value)}


def _options(choices, selected: set[str]):
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


def _checkboxes(bound_field):
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
            for i, (value, label) in enumerate(bound_field.field.widget.choices)
        ),
    )


@register.simple_tag
def filter_control(bound_field):
    """A filter field drawn in one pass (a list page draws a dozen selects on every request; the widget
    templates would render each option separately). Other widgets fall back to :func:`field_control`."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return _checkboxes(bound_field)
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


#: Filter panels already drawn, by everything their HTML depends on (:func:`_panel_key`); bounded.
_PANELS: dict[tuple, str] = {}
PANELS_KEPT = 500


def _field_signature(name: str, field) -> tuple | None:
    """What a filter field contributes to the panel's HTML; None when its options come from the database."""
    widget = field.widget
    if isinstance(field, forms.ModelChoiceField) and not widget.is_hidden:
        return None
    choices = getattr(widget, "choices", ())
    return (
        name,
        f"{type(field).__module__}.{type(field).__qualname__}",
        f"{type(widget).__module__}.{type(widget).__qualname__}",
        str(field.label),
        repr(field.initial),
        field.disabled,
        tuple(sorted((k, str(v)) for k, v in widget.attrs.items())),
        tuple((value, str(label)) for value, label in choices) if not isinstance(field, forms.ModelChoiceField) else (),
    )


def _panel_key(f, values: dict) -> tuple | None:
    """Everything a filter panel's HTML depends on: the form's class and fields, the query it is bound to,
    the language and the day (the dates it accepts), the page's sort and page size. None: a visible select
    lists records (units, batches), which the database may change — such a panel is drawn every time."""
    fields = []
    for name, field in f.fields.items():
        signature = _field_signature(name, field)
        if signature is None:
            return None
        fields.append(signature)
    data = tuple(sorted((k, tuple(v)) for k, v in f.data.lists())) if hasattr(f.data, "lists") else (
        tuple(sorted((k, str(v)) for k, v in f.data.items()))
    )
    request = values["request"]
    return (
        f"{type(f).__module__}.{type(f).__qualname__}",  # a name: a page may make its filter class per request
        f.is_bound,
        data,
        tuple(fields),
        get_language(),
        timezone.localdate(),
        values["current_sort"],
        values["testid"],
        request.GET.get("per_page", "") if request is not None else "",
    )


@register.simple_tag(takes_context=True)
def filter_panel(context, f, testid: str = ""):
    """A list's filter panel (``common/_filter_panel.html``). Most panels offer only choices fixed in the code,
    so the same query in the same language on the same day gives the same HTML: it is drawn once and kept
    (a dozen selects of options on every request of a list)."""
    values = {
        "f": f,
        "testid": testid,
        "current_sort": context.get("current_sort", ""),
        "request": context.get("request"),
    }
    key = _panel_key(f, values)
    if key is not None and key in _PANELS:
        return _PANELS[key]
    html = mark_safe(render_to_string("common/_filter_panel.html", values))
    if key is not None:
        if len(_PANELS) >= PANELS_KEPT:
            _PANELS.clear()
        _PANELS[key] = html
    return html


@register.filter
def filesize(size) -> str:
    """``1536`` → ``1.5 KB``; ``—`` when unknown."""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return "—"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@register.simple_tag(takes_context=True)
def sort_link(context, column, current_sort: str):
    """A header link that sorts by the column, toggling the direction when it is already the sort. It looks
    sortable (an arrow, underlined on hover) and shows the current direction."""
    request = context["request"]
    key = column.sort
    if current_sort == key:
        new, arrow, state = f"-{key}", "bi-sort-up", "ascending"
        title = _("升序；点击改为降序")
    elif current_sort == f"-{key}":
        new, arrow, state = key, "bi-sort-down", "descending"
        title = _("降序；点击改为升序")
    else:
        new, arrow, state = key, "bi-arrow-down-up eco-sort-idle", "none"
        title = _("点击排序")
    params = request.GET.copy()
    params["sort"] = new
    params.pop("page", None)
    params.pop("format", None)
    return format_html(
        '<a class="eco-sort" href="?{}" title="{}" data-sort="{}">{}<i class="bi {} ms-1" aria-hidden="true"></i></a>',
        urlencode(list(params.lists()), doseq=True),
        title,
        state,
        column.label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def hidden_params(context, *leave_out):
    """The current query string as hidden inputs, less ``leave_out``: a small GET form (the page size)
    changes one parameter and keeps the filters, the search and the sort."""
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        (
            (key, value)
            for key, values in context["request"].GET.lists()
            if key not in leave_out
            for value in values
        ),
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
