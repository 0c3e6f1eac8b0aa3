"""``reverse()`` for the URLs a page builds by the dozen: a list links every row to its record, the menu
links every module. Django's ``reverse`` walks the resolver for each call (tens of microseconds); here each
URL name is reversed once per script prefix and URLconf, and later calls fill in the number."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

#: Stands for the record's number while a URL name is reversed once; any digits the patterns accept.
_MARK = "9876543210"
_SHAPES: dict[tuple, tuple[str, ...]] = {}


def _shape(viewname: str, with_pk: bool) -> tuple[str, ...]:
    key = (viewname, with_pk, get_script_prefix(), get_urlconf())
    shape = _SHAPES.get(key)
    if shape is None:
        url = reverse(viewname, args=[_MARK]) if with_pk else reverse(viewname)
        shape = tuple(url.split(_MARK)) if with_pk else (url,)
        if with_pk and len(shape) != 2:  # the mark must appear once, else fall back to reverse() each time
            return ()
        _SHAPES[key] = shape
    return shape


def object_url(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])`` for a URL with one whole-number argument."""
    number = int(pk)  # a record's primary key; anything else is a programming error
    shape = _shape(viewname, True)
    if not shape:
        return reverse(viewname, args=[number])
    return f"{shape[0]}{number}{shape[1]}"


def page_url(viewname: str) -> str:
    """``reverse(viewname)`` for a URL without arguments (raises NoReverseMatch as reverse does)."""
    return _shape(viewname, False)[0]


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # a test's own URLconf
        _SHAPES.clear()
