"""Model fields that know their choice set, so templates can render a coloured badge from the field alone."""

from __future__ import annotations

from django.db import models

from .choices import ChoiceSet


class ChoiceField(models.CharField):
    """A CharField bound to a :class:`ChoiceSet`; ``max_length`` and ``choices`` come from the set."""

    def __init__(self, *args, choiceset: type[ChoiceSet] | None = None, **kwargs):
        self.choiceset = choiceset
        if choiceset is not None:
            kwargs.setdefault("choices", choiceset.choices())
            kwargs.setdefault("max_length", max(32, choiceset.max_length()))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class MultiChoiceField(models.CharField):
    """Several values of one choice set in one column, stored as ``,air,water,`` so that
    ``field__contains=",air,"`` filters portably on SQLite and PostgreSQL. Python value: a list."""

    def __init__(self, *args, choiceset: type[ChoiceSet] | None = None, **kwargs):
        self.choiceset = choiceset
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, {k: v for k, v in kwargs.items() if k != "default"} | {"default": ""}

    @staticmethod
    def encode(values) -> str:
        values = [v for v in (values or []) if v]
        return f",{','.join(values)}," if values else ""

    @staticmethod
    def decode(text) -> list[str]:
        if isinstance(text, list):
            return text
        return [v for v in (text or "").split(",") if v]

    def from_db_value(self, value, expression, connection):
        return self.decode(value)

    def to_python(self, value):
        return self.decode(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value  # a lookup fragment such as ",air,"
        return self.encode(value)

    def value_to_string(self, obj):
        return self.encode(self.value_from_object(obj))

    def formfield(self, **kwargs):
        from django import forms

        choices = self.choiceset.choices() if self.choiceset else []
        return forms.MultipleChoiceField(
            choices=choices, required=not self.blank, label=self.verbose_name, widget=forms.CheckboxSelectMultiple, **{k: v for k, v in kwargs.items() if k in {"help_text"}}
        )
