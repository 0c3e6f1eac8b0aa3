"""The canonical form of an ActionLog row and its chained hash.

hash(row) = SHA-256 over the canonical JSON of the row's content *and the previous row's hash*, so
changing, inserting, deleting or reordering any row breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_content(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_name: str,
    request_id: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    payload,
) -> dict:
    return {
        "seq": seq,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "request_id": request_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "payload": payload,
    }


def chain_hash(prev_hash: str, content: dict) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_json(content).encode("utf-8"))
    return digest.hexdigest()
