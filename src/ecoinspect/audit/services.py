"""Writes to the audit trail. ``action_log_append`` is the only way a row enters the ActionLog."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from . import hashing
from .context import current_actor, current_request_id
from .models import ActionLog

# Any constant works: it names the one advisory lock that serialises appends on PostgreSQL.
_PG_CHAIN_LOCK = 0x6563_6F69  # "ecoi"


def _jsonable(payload) -> dict:
    """Round-trip through JSON so the stored value and the hashed value are the same plain data."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _lock_chain() -> None:
    # SQLite runs every transaction IMMEDIATE (see settings), which already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])


def action_log_append(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    payload: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> ActionLog:
    """Append one entry. ``action`` is namespaced (``app.entity.verb``); ``actor`` defaults to the current one."""
    if action.count(".") < 1:
        raise ValueError(f"action {action!r} must be namespaced, e.g. 'ledger.problem.accepted'")
    actor = actor if actor is not None else current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        object_repr = str(obj)[:200]
    with transaction.atomic():
        _lock_chain()
        last = ActionLog.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, hashing.GENESIS)
        entry = ActionLog(
            seq=seq,
            created_at=timezone.now(),
            actor=actor,
            actor_name=(actor.display_name if actor is not None else "系统")[:150],
            request_id=current_request_id(),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            payload=_jsonable(payload),
            prev_hash=prev_hash,
        )
        entry.hash = entry.computed_hash()
        entry.save(force_insert=True)
    return entry
