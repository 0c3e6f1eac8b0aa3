"""Snapshots of model instances for the ChangeLog."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .context import current_actor, current_request_id
from .models import ChangeLog


def snapshot(instance: models.Model) -> dict:
    """Concrete field values by attribute name, as plain JSON data (files as their names)."""
    excluded = set(getattr(instance, "changelog_exclude", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.attname in excluded:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def _actor_fields() -> dict:
    actor = current_actor()
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"user": None, "user_name": "系统"}
    return {"user": actor, "user_name": actor.display_name[:150]}


def changelog_entry(
    instance: models.Model, operation: str, before: dict | None, after: dict | None
) -> ChangeLog:
    """The unsaved ChangeLog row of one change, attributed to the current actor and request — the one
    shape every writer (the signals, ``changelog_bulk``, ``core.bulk``) records."""
    return ChangeLog(
        operation=operation,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        request_id=current_request_id(),
        **_actor_fields(),
    )


def changelog_write(
    instance: models.Model, operation: str, before: dict | None, after: dict | None
) -> ChangeLog:
    entry = changelog_entry(instance, operation, before, after)
    entry.save(force_insert=True)
    return entry
