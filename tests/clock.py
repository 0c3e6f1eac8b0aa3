"""A pinned clock for tests that must not depend on the day they run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

#: A Monday and a working day on the Chinese calendar, well before the 2026 National Day holiday.
START = dt.date(2026, 9, 7)


class Clock:
    """Pins ``django.utils.timezone.now`` — and with it ``localdate()``, auto_now fields and the ActionLog's
    time — to a chosen moment (``START`` at 10:00 Beijing time unless told otherwise)."""

    def __init__(self, monkeypatch, day: dt.date = START, hour: int = 10):
        from django.utils import timezone

        self.set(day, hour)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), TZ)

    def advance(self, days: int = 0, hours: int = 0) -> None:
        self.now += dt.timedelta(days=days, hours=hours)

    @property
    def today(self) -> dt.date:
        return self.now.date()
