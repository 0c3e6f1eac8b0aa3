"""Sending notifications. Delivery runs after the surrounding transaction commits, never before."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from ecoinspect.audit.services import action_log_append

from .models import Notification

#: The ActionLog entry of a withdrawal (its words are registered in apps.py).
WITHDRAWN = "notifications.notification.withdrawn"


def _recipients(recipients: Iterable, exclude: Iterable = ()) -> list[tuple[int, int | None]]:
    """(user id, unit id) pairs from a mix of users and units (a unit means its active members), leaving out
    the people in ``exclude`` (users or user ids: whoever made the move is not told of it)."""
    from ecoinspect.orgs.models import Membership, Unit

    excluded = {getattr(e, "pk", e) for e in exclude if e is not None}
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
    return [(user_id, unit_id) for user_id, unit_id in pairs.items() if user_id not in excluded]


def notification_send(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    event: str = "",
    exclude: Iterable = (),
) -> int:
    """Create one notification per person now; returns how many were created. ``exclude`` names people
    left out even when they are among the recipients or members of a recipient unit (the actor)."""
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
        for user_id, unit_id in _recipients(recipients, exclude)
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notification_queue(**kwargs) -> None:
    """Send after the current transaction commits (immediately when there is none). A failure to notify
    is logged and never undoes or interrupts the committed work. Pass ``exclude=[actor]`` so that nobody is
    told of their own action."""
    if "exclude" in kwargs:
        kwargs["exclude"] = [getattr(e, "pk", e) for e in kwargs["exclude"] if e is not None]
    transaction.on_commit(lambda: notification_send(**kwargs), robust=True)


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notification_withdraw(*, actor, obj: models.Model, recipients: Iterable[int]) -> int:
    """Withdraw the notifications about ``obj`` from these people (read or not): they no longer concern them —
    typically because the record was routed away from their unit and its link would say "not found". Logged
    on the record; returns how many were withdrawn."""
    people = sorted({getattr(r, "pk", r) for r in recipients})
    if not people:
        return 0
    withdrawn, _ = Notification.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), recipient_id__in=people
    ).delete()
    if withdrawn:
        action_log_append(
            action=WITHDRAWN, actor=actor, obj=obj, payload={"recipients": people, "count": withdrawn}
        )
    return withdrawn
