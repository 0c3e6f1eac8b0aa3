from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from .models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """A person's own notifications; nobody reads anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(*, user) -> int:
    return notification_list(user=user).unread().count()


def notification_holders(*, object_type: str, object_ids: Sequence[str]) -> dict[int, set[str]]:
    """Who holds notifications about these records: {person's id: ids of the records among them}."""
    held: dict[int, set[str]] = {}
    ids = list(dict.fromkeys(str(i) for i in object_ids))
    for start in range(0, len(ids), 900):  # SQLite's limit on parameters per statement, with room to spare
        rows = Notification.objects.filter(object_type=object_type, object_id__in=ids[start : start + 900])
        for recipient_id, object_id in rows.values_list("recipient_id", "object_id").distinct():
            held.setdefault(recipient_id, set()).add(object_id)
    return held


def notification_objects_of(*, recipient_id: int) -> dict[str, set[str]]:
    """The records a person holds notifications about: {object type: their ids}."""
    held: dict[str, set[str]] = {}
    rows = Notification.objects.filter(recipient_id=recipient_id).exclude(object_type="")
    for object_type, object_id in rows.values_list("object_type", "object_id").distinct():
        held.setdefault(object_type, set()).add(object_id)
    return held
