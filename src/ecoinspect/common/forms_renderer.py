"""Django's form renderer, drawing the common widgets in Python instead of through their templates.

A list page draws a dozen filter controls and a form page a dozen fields on every request; through the
widget templates each control is several template renders (the widget, its attributes, every ``<option>``)
— about a tenth of a busy server's CPU (benchmarks/load_bench.py). :class:`FastRenderer` writes the same
markup, character for character, for Django's own input, select and textarea templates, and hands every other
template (or one an app overrides) to the ordinary template renderer. ``FORM_RENDERER`` names it in the
settings.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.timezone import template_localtime

from .markup import escape_text

WIDGETS = "django/forms/widgets/"
#: The stock templates that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
        "search", "tel", "color", "checkbox", "file",
    )
)  # fmt: skip
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
TEXTAREA = f"{WIDGETS}textarea.html"


def _value(value) -> str:
    """``{{ value|stringformat:'s' }}``: the string, escaped unless it is already safe."""
    return escape_text(value)


def _shown(value) -> str:
    """``{{ value }}``: localised (dates, numbers) as the template engine shows a value, then escaped."""
    return escape_text(localize(template_localtime(value)))


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: `` name="value"``, a bare `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_shown(name)}" if value is True else f' {_shown(name)}="{_value(value)}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


def textarea_html(widget: dict) -> str:
    text = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>\n{text}</textarea>'


def select_html(widget: dict) -> str | None:
    """django/forms/widgets/select.html, or None when an option is drawn by another template."""
    out = [f'<select name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option.get("template_name") != OPTION:
                return None
            out.append(
                f'\n  <option value="{_value(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"  # the option template's own last line break
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastRenderer(DjangoTemplates):
    """The default renderer (Django's templates and the apps'), with the stock widgets drawn in Python."""

    def __init__(self):
        self._stock: dict[str, bool] = {}

    def is_stock(self, template_name: str) -> bool:
        """Is the template Django's own file (not overridden by an app's template of the same name)?"""
        stock = self._stock.get(template_name)
        if stock is None:
            origin = self.get_template(template_name).origin.name
            stock = self._stock[template_name] = origin.replace("\\", "/").endswith(
                f"django/forms/templates/{template_name}"
            )
        return stock

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and self.is_stock(template_name):
            html = None
            if template_name in INPUTS:
                html = input_html(widget)
            elif template_name == TEXTAREA:
                html = textarea_html(widget)
            elif template_name == SELECT and self.is_stock(OPTION):
                html = select_html(widget)
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
