"""Record numbers that people read aloud on the phone: ``<prefix>-<year>-<4-digit sequence>``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from .calendar import entered_date_bounds
from .errors import ServiceError
from .models import NumberSequence


def next_number(prefix: str, year: int, *, taken=None) -> str:
    """The next free number for ``prefix`` and ``year``; ``taken(number)`` skips numbers already used
    (e.g. imported with their own numbers). Safe under concurrency: the counter row is locked. A year
    outside the range of dates a person may enter (``calendar.entered_date_bounds``) makes no number —
    "ZG-1-0001" from a registration date of 0001-01-01 — but a ServiceError."""
    earliest, latest = entered_date_bounds()
    if not earliest.year <= year <= latest.year:
        from django.utils.translation import gettext as _

        raise ServiceError(
            _("%(year)s 年不在可登记的年份范围内（%(lo)s 至 %(hi)s 年），不能生成编号。")
            % {"year": year, "lo": earliest.year, "hi": latest.year}
        )
    with transaction.atomic():
        NumberSequence.objects.get_or_create(prefix=prefix, year=year)
        while True:
            NumberSequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
            last = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year).last
            number = f"{prefix}-{year}-{last:04d}"
            if taken is None or not taken(number):
                return number
