"""How long text may be and which characters it may hold — one rule for the pages, the API and the imports.

The bounds are read from the model fields the text is stored in (``model_bounds``): a ``CharField`` takes
its ``max_length`` and holds one line; a ``TextField`` holds :data:`LONG_TEXT_MAX` characters over several
lines. Text that is not stored in a field of its own (a reason written into the log) takes the form
field's own ``max_length``, else :data:`LONG_TEXT_MAX`.

No text may hold the invisible control characters U+0000–U+001F and U+007F (PostgreSQL refuses U+0000
outright — a 500 —, SQLite stores it silently, and Excel cannot open a workbook carrying them) nor lone
surrogates (they cannot be encoded as UTF-8); tab, line feed and carriage return are allowed in text of
several lines only.

* Pages: a form subclasses :class:`BoundedForm` and names the model its fields go to (``bounds =
  Bounds(Problem)``; a field stored under another name: ``Bounds(Problem, reason="pause_reason")``);
  every ``CharField`` of it is then bounded, with the message saying which field, how long it may be and
  how long it was.
* API: a request schema declares the same (``bounds: ClassVar = Bounds(Problem)``); ``core.api.read_body``
  checks every string of the body against it (400 naming the field).
* Imports: an importer declares ``bounds``; ``core.imports`` refuses control characters per cell (or, for a
  table taken as published, removes them with a note) and measures each value against its field.
* Last net: :func:`stored_text_problems` checks a model instance before it is written
  (``ChangeLoggedModel.save`` and the bulk writes), so text that escaped every form still answers with a
  message instead of a database error.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

#: The most characters a text of several lines (a description, a report, a reason) may hold.
LONG_TEXT_MAX = 20000

#: Never allowed: C0 control characters except tab, line feed and carriage return; DEL; lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: Allowed only in text of several lines.
_LINE = re.compile("[\t\n\r]")
_LINES = re.compile("[\t\n\r]+")


@dataclass(frozen=True)
class Bound:
    """What a text field may hold: its name for people, its length, one line or several."""

    label: object
    max_length: int
    multiline: bool = False


def field_bound(field: models.Field) -> Bound | None:
    """The bound of a model field that stores text (None for any other field)."""
    if isinstance(field, models.TextField):
        return Bound(field.verbose_name, min(field.max_length or LONG_TEXT_MAX, LONG_TEXT_MAX), True)
    if isinstance(field, models.CharField) and field.max_length:
        return Bound(field.verbose_name, field.max_length, False)
    return None


@functools.cache
def model_bounds(model: type[models.Model]) -> dict[str, Bound]:
    """Every text field of ``model`` by name, with its bound."""
    bounds = {}
    for field in model._meta.concrete_fields:
        bound = field_bound(field)
        if bound is not None:
            bounds[field.name] = bound
    return bounds


class Bounds:
    """Where the fields of a form, a request schema or an import row are stored: ``Bounds(Problem)`` — each
    field in the model field of the same name; ``Bounds(Problem, reason="pause_reason")`` — stored under
    another name; ``Bounds(Plan, note=(Problem, "decision_note"))`` — in another model; a :class:`Bound`
    for a text with no field of its own (a milestone inside a JSON list)."""

    def __init__(self, model: type[models.Model] | None = None, /, **aliases):
        self.model = model
        self.aliases = aliases

    def of(self, name: str) -> Bound | None:
        target = self.aliases.get(name, name)
        if isinstance(target, Bound):
            return target
        if isinstance(target, tuple):
            model, target = target
            return model_bounds(model).get(target)
        if self.model is None:
            return None
        return model_bounds(self.model).get(target)

    def field_of(self, name: str) -> tuple[type[models.Model], str] | None:
        """The model field a name is stored in (None for a declared :class:`Bound` or an unknown name)."""
        target = self.aliases.get(name, name)
        if isinstance(target, tuple):
            return target
        if isinstance(target, str) and self.model is not None and target in model_bounds(self.model):
            return self.model, target
        return None


# --- the rule ---------------------------------------------------------------------------------------------


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def bad_characters(value: str, *, multiline: bool = True) -> list[str]:
    """The characters of ``value`` a text may not hold (each once, in order)."""
    found = _CONTROL.findall(value)
    if not multiline:
        found += _LINE.findall(value)
    return list(dict.fromkeys(found))


def _named(label, message: str) -> str:
    return _("「%(field)s」%(problem)s") % {"field": label, "problem": message} if label else message


def length_problem(bound: Bound, length: int, *, named: bool = True) -> str:
    message = _("最多 %(max)s 个字，现有 %(length)s 个字。") % {"max": bound.max_length, "length": length}
    return _named(bound.label if named else "", message)


def characters_problem(bound: Bound, found: list[str], *, named: bool = True) -> str:
    label = bound.label if named else ""
    controls = [c for c in found if not _LINE.match(c)]
    if controls:
        shown = "、".join(code_point(c) for c in controls[:5])
        return _named(label, _("含有不可见的控制字符（%(chars)s），请删除后再填写。") % {"chars": shown})
    return _named(label, _("只能填写一行，不能含换行符或制表符。"))


def text_problem(value: str, bound: Bound, *, named: bool = True) -> str | None:
    """Why ``value`` cannot be stored where ``bound`` says (too long, or a character it may not hold), or None."""
    found = bad_characters(value, multiline=bound.multiline)
    if found:
        return characters_problem(bound, found, named=named)
    if len(value) > bound.max_length:
        return length_problem(bound, len(value), named=named)
    return None


def strip_control(value: str) -> str:
    """``value`` without the characters no text may hold (tab and line breaks stay)."""
    return _CONTROL.sub("", value)


def has_control(value: str) -> bool:
    return bool(_CONTROL.search(value))


def visible_control(value: str) -> str:
    """``value`` with each control character shown as its picture (U+0000 → ␀), to quote it in a message."""
    return _CONTROL.sub(
        lambda m: chr(0x2400 + ord(m[0])) if ord(m[0]) < 0x20 else ("␡" if m[0] == "\x7f" else "�"), value
    )


def one_line(value: str) -> str:
    """Line breaks and tabs of a one-line value (a wrapped spreadsheet cell) folded into one space."""
    return _LINES.sub(" ", value).strip()


def shortened(value: str, length: int = 60) -> str:
    """A long value quoted in a message: its beginning and its length."""
    return value if len(value) <= length else value[: length - 1] + "…"


def over_long(bounds: Bounds | None, values: dict, *, fold: bool = True) -> list[tuple[str, Bound, int]]:
    """(key, bound, length) of every text in ``values`` (an import row) longer than the field it is stored
    in (a list of texts is measured item by item). With ``fold``, a one-line field's line breaks and tabs —
    a wrapped spreadsheet cell — are first folded into spaces, in ``values``."""
    found = []
    for key, value in values.items():
        bound = bounds.of(key) if bounds is not None else None
        if bound is None:
            continue
        if fold and not bound.multiline and isinstance(value, str):
            value = values[key] = one_line(value)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) > bound.max_length:
                found.append((key, bound, len(item)))
    return found


# --- pages -------------------------------------------------------------------------------------------------


class TextValidator:
    """A form field validator for one :class:`Bound` (length and characters, one message)."""

    def __init__(self, bound: Bound):
        self.bound = bound

    def __call__(self, value) -> None:
        problem = text_problem(str(value), self.bound)
        if problem:
            raise ValidationError(problem, code="text_bounds")

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator) and other.bound == self.bound


_REPLACED = (validators.MaxLengthValidator, validators.ProhibitNullCharactersValidator, TextValidator)


def bound_form_field(field: forms.CharField, bound: Bound) -> None:
    """Give ``field`` the bound: its ``max_length`` (also the browser's ``maxlength``) and one validator."""
    field.max_length = bound.max_length
    field.validators = [v for v in field.validators if not isinstance(v, _REPLACED)] + [TextValidator(bound)]
    field.widget.attrs["maxlength"] = str(bound.max_length)


class BoundedForm(forms.Form):
    """A form whose every ``CharField`` is bounded (see the module docstring). ``bounds`` names where its
    fields are stored; a field stored nowhere of its own keeps its ``max_length`` (else
    :data:`LONG_TEXT_MAX`) and holds several lines when its widget is a textarea."""

    bounds: Bounds | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                bound_form_field(field, self.bound_for(name, field))

    @classmethod
    def bound_for(cls, name: str, field: forms.CharField) -> Bound:
        declared = cls.bounds.of(name) if cls.bounds is not None else None
        label = field.label or (declared.label if declared else name)
        if declared is not None:
            length = min(declared.max_length, field.max_length or declared.max_length)
            return Bound(label, length, declared.multiline)
        return Bound(label, field.max_length or LONG_TEXT_MAX, isinstance(field.widget, forms.Textarea))


# --- API bodies --------------------------------------------------------------------------------------------


def _default_bound(name: str) -> Bound:
    return Bound(name, LONG_TEXT_MAX, True)


def body_text_problems(body, path: str = "") -> dict[str, list[str]]:
    """Every string of a validated request body (a pydantic model) checked against the ``bounds`` its
    schema declares, nested schemas included: {dotted path: [message]}."""
    problems: dict[str, list[str]] = {}
    bounds = getattr(type(body), "bounds", None)
    for name in type(body).model_fields:
        bound = (bounds.of(name) if isinstance(bounds, Bounds) else None) or _default_bound(name)
        _walk(getattr(body, name, None), bound, f"{path}{name}", problems)
    return problems


def _walk(value, bound: Bound, path: str, problems: dict) -> None:
    if isinstance(value, str):
        problem = text_problem(value, bound)
        if problem:
            problems.setdefault(path, []).append(problem)
    elif hasattr(type(value), "model_fields"):
        for key, messages in body_text_problems(value, f"{path}.").items():
            problems.setdefault(key, []).extend(messages)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, bound, f"{path}.{index}", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(str(key), _default_bound(path), f"{path}.{key}", problems)
            _walk(item, _default_bound(path), f"{path}.{key}", problems)


# --- the last net: a model instance before it is written ---------------------------------------------------


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _json_strings(item)


def stored_text_problems(instance: models.Model, fields=None) -> dict[str, list[str]]:
    """{field: [message]} for the text of ``instance`` that its columns cannot hold: longer than the field,
    or a control character (line breaks are the forms' concern here, not the database's). ``fields``
    limits the check to those names (``save(update_fields=…)``)."""
    problems: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(field, models.JSONField):
            found = [c for text in _json_strings(value) for c in bad_characters(text)]
            if found:
                bound = Bound(field.verbose_name, LONG_TEXT_MAX, True)
                problems[field.name] = [characters_problem(bound, list(dict.fromkeys(found)))]
            continue
        bound = field_bound(field)
        if bound is None or not isinstance(value, str):
            continue
        problem = text_problem(value, Bound(bound.label, bound.max_length, True))
        if problem:
            problems[field.name] = [problem]
    return problems


def check_stored_text(instance: models.Model, fields=None) -> None:
    """Raise ServiceError (the pages and the API show it as a field error, an import as the row's) when
    :func:`stored_text_problems` finds anything."""
    from .errors import ServiceError

    problems = stored_text_problems(instance, fields)
    if problems:
        raise ServiceError(problems)
