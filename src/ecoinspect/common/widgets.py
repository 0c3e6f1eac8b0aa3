"""Form widgets every app uses the same way."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (2026-12-05) whatever the language: Django's
    Chinese input format (2026/12/05) is discarded by the browser, and a form shown again would lose the
    date the person entered."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


def date_input(**attrs) -> DateInput:
    return DateInput(attrs=attrs or None)


class EnteredDateField(forms.DateField):
    """A date a person enters, with the browser's date picker; refused outside 2000-01-01 … today + 20
    years (``common.calendar.entered_date_bounds``) with a clear message — a deadline of 9999-12-31 is a
    typing mistake, not a plan."""

    def __init__(self, **kwargs):
        from .calendar import validate_entered_date

        kwargs.setdefault("widget", date_input())
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_entered_date]
        super().__init__(**kwargs)
