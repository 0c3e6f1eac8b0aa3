"""Column definitions shared by list pages and exports: one declaration, the screen and the file agree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .choices import ChoiceSet
from .markup import escape_text


def _resolve(obj, accessor: str):
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


def _related(obj, manager: models.Manager):
    """The records of a to-many relation: the prefetched list when the list prefetched it (building a
    queryset a row is most of a row's cost), else a query."""
    name = getattr(manager, "prefetch_cache_name", None)
    prefetched = getattr(obj, "_prefetched_objects_cache", {})
    if name in prefetched:
        return prefetched[name]  # a queryset already filled: iterating it asks nothing
    return manager.all()


@dataclass(frozen=True)
class Column:
    """``accessor`` is a dotted attribute path or a callable(obj); ``sort`` is a FilterSet sort key."""

    key: str
    label: str
    accessor: str | Callable | None = None
    sort: str | None = None
    choiceset: type[ChoiceSet] | None = None
    link: bool = False
    export: bool = True
    css: str = ""

    def value(self, obj):
        accessor = self.accessor or self.key
        if callable(accessor):
            return accessor(obj)
        value = _resolve(obj, accessor)
        if isinstance(value, models.Manager):
            return "、".join(str(v) for v in _related(obj, value))
        return value

    def export_value(self, obj):
        value = self.value(obj)
        if self.choiceset is not None:
            return self.choiceset.text(value)
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (list, tuple)):
            return "、".join(str(v) for v in value)
        if isinstance(value, models.Model):
            return str(value)
        return value

    def html(self, obj) -> SafeString:
        value = self.value(obj)
        if self.choiceset is not None:
            if value in (None, ""):
                return DASH
            return SafeString(_badge(self.choiceset, value, get_language()))
        if value is None or value == "":
            return DASH
        if value is True or value is False:
            return YES if value else NO
        if isinstance(value, date):
            if isinstance(value, datetime):
                shown = timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
            else:
                shown = value.isoformat()
            text = f'<span class="text-nowrap">{escape_text(shown)}</span>'  # a date is never broken over two lines
        else:
            text = escape_text(value)
        if self.link and hasattr(obj, "get_absolute_url"):
            return SafeString(f'<a href="{escape_text(obj.get_absolute_url())}">{text}</a>')
        return SafeString(text)


#: What a cell shows for no value, and for yes / no.
DASH = mark_safe('<span class="text-body-tertiary">—</span>')
YES = mark_safe('<i class="bi bi-check-circle-fill text-success" aria-label="是"></i>')
NO = mark_safe('<i class="bi bi-dash text-body-tertiary" aria-label="否"></i>')


@lru_cache(maxsize=4096)
def _badge(choiceset: type[ChoiceSet], value, language: str | None) -> str:
    """A choice's badge in the active language (a list repeats a handful of badges hundreds of times)."""
    return f'<span class="badge text-bg-{conditional_escape(choiceset.colour(value))}">{conditional_escape(choiceset.label(value))}</span>'


def row_html(columns: Sequence[Column], obj) -> SafeString:
    """One table row's cells as HTML, built in Python: a page of 50 rows × 11 columns would otherwise be
    550 template loop iterations."""
    return SafeString(
        "".join(
            f'<td class="{c.css}">{c.html(obj)}</td>' if c.css else f"<td>{c.html(obj)}</td>" for c in columns
        )
    )


def export_rows(columns: Sequence[Column], objects) -> tuple[list[str], list[list]]:
    cols = [c for c in columns if c.export]
    return [str(c.label) for c in cols], [[c.export_value(o) for c in cols] for o in objects]
