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
