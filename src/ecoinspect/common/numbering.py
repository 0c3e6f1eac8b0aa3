"""Record numbers that people read aloud on the phone: ``<prefix>-<year>-<4-digit sequence>``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from .models import NumberSequence


def next_number(prefix: str, year: int, *, taken=None) -> str:
    """The next free number for ``prefix`` and ``year``; ``taken(number)`` skips numbers already used
    (e.g. imported with their own numbers). Safe under concurrency: the counter row is locked."""
    with transaction.atomic():
        NumberSequence.objects.get_or_create(prefix=prefix, year=year)
        while True:
            NumberSequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
            last = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year).last
            number = f"{prefix}-{year}-{last:04d}"
            if taken is None or not taken(number):
                return number
