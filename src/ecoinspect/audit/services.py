"""Writes to the audit trail. ``action_log_append`` is the only way a row enters the ActionLog."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from . import anchors, hashing
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


def _actor_or_none(actor):
    actor = actor if actor is not None else current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        return None
    return actor


def _check_action(action: str) -> None:
    if action.count(".") < 1:
        raise ValueError(f"action {action!r} must be namespaced, e.g. 'ledger.problem.accepted'")


def _chain_head() -> tuple[int, str]:
    """The next sequence number and the hash it must chain to (call with the chain locked)."""
    last = ActionLog.objects.order_by("-seq").values_list("seq", "hash").first()
    return (last[0] + 1, last[1]) if last else (1, hashing.GENESIS)


def _entry(
    *,
    seq: int,
    prev_hash: str,
    action: str,
    actor,
    obj,
    payload,
    object_type="",
    object_id="",
    object_repr="",
) -> ActionLog:
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        object_repr = str(obj)[:200]
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
    return entry


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
    _check_action(action)
    actor = _actor_or_none(actor)
    with transaction.atomic():
        _lock_chain()
        seq, prev_hash = _chain_head()
        entry = _entry(
            seq=seq,
            prev_hash=prev_hash,
            action=action,
            actor=actor,
            obj=obj,
            payload=payload,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
        )
        entry.save(force_insert=True)
    return entry


def action_log_append_many(*, action: str, items: Sequence[tuple[models.Model, dict]], actor=None) -> int:
    """Append one ``action`` entry per (object, payload), chained in order, under one lock and in batched
    inserts — what ``action_log_append`` in a loop would write, at a fraction of the cost (an import of
    10,000 rows logs every problem). Returns the number of entries."""
    _check_action(action)
    actor = _actor_or_none(actor)
    with transaction.atomic():
        _lock_chain()
        seq, prev_hash = _chain_head()
        entries = []
        for offset, (obj, payload) in enumerate(items):
            entry = _entry(
                seq=seq + offset, prev_hash=prev_hash, action=action, actor=actor, obj=obj, payload=payload
            )
            prev_hash = entry.hash
            entries.append(entry)
        ActionLog.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def anchor_write(
    *, path=None, reason: str = "anchor", actor=None, payload: dict | None = None
) -> tuple[anchors.Anchor, Path]:
    """Record the chain's head outside the database: an ``audit.chain.anchored`` entry is appended and the
    head — that entry — is written as one line to the anchor file (``path``: a file or directory; default
    ``ECOINSPECT_AUDIT_ANCHOR_DIR``), signed when a key is configured. The file is opened (and the key read)
    before anything is written, so a path that cannot be written leaves no entry behind."""
    target = anchors.resolve(path)
    key = anchors.key()
    with anchors.open_for_append(target) as handle, transaction.atomic():
        _lock_chain()
        entry = action_log_append(
            action="audit.chain.anchored",
            actor=actor,
            payload={"file": os.path.abspath(target), "reason": reason, **(payload or {})},
        )
        anchor = anchors.Anchor(
            seq=entry.seq,
            hash=entry.hash,
            count=ActionLog.objects.filter(seq__lte=entry.seq).count(),
            time=timezone.localtime().isoformat(timespec="seconds"),
            reason=reason,
        ).signed(key)
        anchors.write(handle, anchor)
    return anchor, target
