"""Background work of the ledger (django-tasks; the immediate backend runs it inline by default)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from ecoinspect.audit.context import acting_as

from .services.digest import digest_send


@task()
def ledger_digest(date: str | None = None) -> list[dict]:
    """每日提醒 for every unit (once per unit and day). ``date`` is ISO (default: today)."""
    today = dt.date.fromisoformat(date) if date else timezone.localdate()
    with acting_as(None):
        digests = digest_send(today=today)
    return [
        {
            "unit": d.unit.code,
            "unit_name": d.unit.name,
            "sent": d.sent,
            "recipients": d.recipients,
            "counts": d.counts,
            "title": d.title,
        }
        for d in digests
    ]
