"""Form fields every app's pages share: units chosen from a select grouped by kind (区直部门 / 街道 / 镇),
and the one-time key of a form that creates a record (:class:`OnceForm`, see ``core.submissions``)."""

from __future__ import annotations

from django import forms
from django.utils.choices import BaseChoiceIterator

from ecoinspect.common.text_bounds import BoundedForm
from ecoinspect.orgs.choices import UnitKind

from .submissions import new_key


class GroupedUnits(BaseChoiceIterator):
    """Unit choices grouped by kind (区直部门 / 街道 / 镇), read lazily in one query when rendered."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        groups: dict[str, list] = {}
        for unit in self.field.queryset:
            groups.setdefault(UnitKind.text(unit.kind), []).append((unit.pk, str(unit)))
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from groups.items()


class UnitChoiceField(forms.ModelChoiceField):
    """A unit select grouped by kind."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(queryset, **kwargs)

    def _get_choices(self):
        return GroupedUnits(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several units, from a searchable multi-select grouped by kind."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 8}))
        super().__init__(queryset, **kwargs)

    def _get_choices(self):
        return GroupedUnits(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class OnceForm(BoundedForm):
    """A form whose sending creates a record: it carries a fresh one-time key (hidden), kept when the form
    comes back with errors. Pass ``cleaned_data["submission_key"]`` to the service (marked
    ``core.submissions.once``): the same form sent twice then makes one record."""

    submission_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput, initial=new_key)
