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
