"""One filter definition serves the list page, the API and the export (DESIGN.md §4.2).

A :class:`FilterSet` is a Django form: its fields are the filters people can set, its cleaned data narrows
a queryset. Fields filter by ``lookups`` (field name → ORM lookup) or by a ``filter_<name>(qs, value)``
method; ``q`` searches ``search_fields``; ``sort`` orders by one of ``sort_fields``.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class FilterSet(forms.Form):
    lookups: dict[str, str] = {}
    search_fields: tuple[str, ...] = ()
    sort_fields: dict[str, str] = {}  # public key → model field
    default_sort: tuple[str, ...] = ()

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user=None, **kwargs):
        data = data if data is None or hasattr(data, "getlist") else data
        super().__init__(data=data if data else None, **kwargs)
        self.user = user
        if not self.search_fields:
            self.fields.pop("q")
        for field in self.fields.values():
            _empty_means_everything(field)

    def filter_queryset(self, qs: QuerySet) -> QuerySet:
        """Apply every valid filter; an invalid field is ignored (its error is shown next to it)."""
        if self.is_bound:
            self.is_valid()
            values = getattr(self, "cleaned_data", {})
            for name in self.fields:
                if name in {"sort", "q"} or name not in values:
                    continue
                value = values[name]
                if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
                    continue
                method = getattr(self, f"filter_{name}", None)
                if method is not None:
                    qs = method(qs, value)
                elif name in self.lookups:
                    qs = qs.filter(**{self.lookups[name]: value})
            term = values.get("q")
            if term and self.search_fields:
                qs = qs.filter(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields)))
        return qs.order_by(*self.ordering())

    def ordering(self) -> tuple[str, ...]:
        key = (self.data.get("sort") or "") if self.is_bound else ""
        desc = key.startswith("-")
        field = self.sort_fields.get(key.lstrip("-"))
        if field:
            primary = f"-{field}" if desc else field
            return (primary, *[f for f in self.default_sort if f.lstrip("-") != field], "pk")
        return (*self.default_sort, "pk")

    @property
    def current_sort(self) -> str:
        key = (self.data.get("sort") or "") if self.is_bound else ""
        return key if key.lstrip("-") in self.sort_fields else ""

    def active_count(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for k, v in self.data.items() if k not in {"sort", "page", "per_page", "format"} and v)


class FilterPanel:
    """How a list page lays its FilterSet out (``common/_filter_panel.html``): the ``primary`` filters on
    one row, the ``wide`` ones (a line of checkboxes) under it, the rest folded under 更多条件 (open when
    one of them is set). Mixed into a FilterSet for the page; it filters exactly as the FilterSet does."""

    primary: tuple[str, ...] = ()
    wide: tuple[str, ...] = ()

    def primary_fields(self):
        return [self[name] for name in self.primary if name in self.fields and not self[name].is_hidden]

    def wide_fields(self):
        return [self[name] for name in self.wide if name in self.fields and not self[name].is_hidden]

    def more_fields(self):
        return [
            self[name]
            for name in self.fields
            if name not in self.primary
            and name not in self.wide
            and name != "sort"
            and not self[name].is_hidden
        ]

    def more_active(self) -> bool:
        return self.is_bound and any(self.data.get(f.name) for f in self.more_fields())


_BLANK_LABELS = {"", "---------"}


def _empty_means_everything(field) -> None:
    """A filter left empty filters nothing: its empty choice reads 全部, not "---------" or "未知"."""
    if isinstance(field, forms.NullBooleanField):
        if isinstance(field.widget, (forms.NullBooleanSelect, forms.Select)) and not isinstance(
            field.widget, forms.HiddenInput
        ):
            field.widget = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    elif isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if field.empty_label is not None and str(field.empty_label) in _BLANK_LABELS:
            field.empty_label = _("全部")
            field.widget.choices = field.choices
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if choices and choices[0][0] in ("", None) and str(choices[0][1]) in _BLANK_LABELS:
            field.choices = [("", _("全部")), *choices[1:]]


def _messages(filters) -> dict[str, list[str]]:
    return {field: [e["message"] for e in errors] for field, errors in filters.errors.get_json_data().items()}


def bound_filters(request, filterset_class):
    """The page's FilterSet bound to the API's query string; invalid values are a 400, not ignored, each
    reason in the person's language and naming the parameter."""
    params = request.GET.copy()
    for key in ("limit", "offset"):
        params.pop(key, None)
    filters = filterset_class(params or None, user=request.user)
    if filters.is_bound and not filters.is_valid():
        raise ValidationError(
            {field: [f"{field}：{message}" for message in messages] for field, messages in _messages(filters).items()}
        )
    return filters
