"""Sending notifications. Delivery runs after the surrounding transaction commits, never before."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from .models import Notification


def _recipients(recipients: Iterable) -> list[tuple[int, int | None]]:
    """(user id, unit id) pairs from a mix of users and units (a unit means its active members)."""
    from ecoinspect.orgs.models import Membership, Unit

    pairs: dict[int, int | None] = {}
    unit_ids = []
    for r in recipients:
        if isinstance(r, Unit):
            unit_ids.append(r.pk)
        elif r is not None and getattr(r, "pk", None) is not None:
            pairs.setdefault(r.pk, None)
    if unit_ids:
        for user_id, unit_id in (
            Membership.objects.active().filter(unit_id__in=unit_ids).values_list("user_id", "unit_id")
        ):
            pairs.setdefault(user_id, unit_id)
    return list(pairs.items())


def notification_send(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    event: str = "",
) -> int:
    """Create one notification per person now; returns how many were created."""
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    if not url and obj is not None and hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    rows = [
        Notification(
            recipient_id=user_id,
            unit_id=unit_id,
            title=title[:200],
            body=body,
            url=url,
            event=event,
            object_type=object_type,
            object_id=object_id,
        )
        for user_id, unit_id in _recipients(recipients)
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notification_queue(**kwargs) -> None:
    """Send after the current transaction commits (immediately when there is none). A failure to notify
    is logged and never undoes or interrupts the committed work."""
    transaction.on_commit(lambda: notification_send(**kwargs), robust=True)


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
