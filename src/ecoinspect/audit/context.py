"""Who is acting and in which request — carried in context variables so the change log can copy them.

The request middleware sets both for web and API requests; services and commands that act for someone
wrap their work in :func:`acting_as`. Values survive into threads started with ``contextvars.copy_context``.
"""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar

_actor: ContextVar[object | None] = ContextVar("ecoinspect_actor", default=None)
_request_id: ContextVar[str] = ContextVar("ecoinspect_request_id", default="")


def current_actor():
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(actor, request_id: str | None = None):
    """Attribute everything written inside the block to ``actor`` (and a request id, new if none is set)."""
    actor_token = _actor.set(actor)
    rid_token = _request_id.set(request_id or _request_id.get() or new_request_id())
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(rid_token)
