"""A form sent twice makes one record: one-time submission keys.

A page that creates something (a progress report, a measure, a registration, a return visit) renders a
hidden one-time key with its form (``core.forms.OnceForm``: the field ``submission_key``). The service that
creates the record is marked :func:`once`: called with that key, it first claims it — a row in
:class:`~ecoinspect.core.models.Submission`, unique on the key — in the same transaction as the record.
The same form sent again, one second later or at the very same moment, finds the key taken (on
PostgreSQL the second insert waits for the first transaction and then fails on the unique index; on SQLite
IMMEDIATE transactions queue), writes nothing and raises :class:`~ecoinspect.common.errors.AlreadySubmitted`
carrying the first sending's record; ``ServiceFormView`` answers with that record's page and the message
"已提交过". A failed sending rolls its claim back with everything else, so the form can be corrected and
sent again with the same key.

Without a key (the API, the imports, scripts and tests) a service marked ``once`` runs as before.

Keys are kept for :data:`KEEP_DAYS` days (``ecoinspect submissions prune``, nightly): a form can only be sent
again within its session (at most ``SESSION_COOKIE_AGE``, eight hours), so an older key guards nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import wraps

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.common.errors import AlreadySubmitted

from .models import Submission

__all__ = ["FIELD", "KEEP_DAYS", "MAX_KEEP_DAYS", "new_key", "once", "submissions_prune"]

#: How long a one-time key is kept after its form was sent, and the longest one may ask for.
KEEP_DAYS = 7
MAX_KEEP_DAYS = 3650

#: The name of the hidden field that carries a form's one-time key, and of the services' keyword.
FIELD = "submission_key"


def new_key() -> str:
    return secrets.token_hex(16)


def _first_sending(key: str, actor, purpose: str):
    """The record the first sending of ``key`` made (None: another person's or purpose's key, or gone)."""
    claimed = Submission.objects.filter(key=key).first()
    if (
        claimed is None
        or claimed.actor_id != actor.pk
        or claimed.purpose != purpose
        or not claimed.object_type
    ):
        return None
    model = apps.get_model(claimed.object_type)
    return model._base_manager.filter(pk=claimed.object_id).first()


def _claim(key: str, actor, purpose: str) -> Submission:
    try:
        with transaction.atomic():
            return Submission.objects.create(key=key, purpose=purpose, actor=actor)
    except IntegrityError:
        existing = _first_sending(key, actor, purpose)
    if existing is None:
        raise AlreadySubmitted(_("该表单已提交过，未重复保存。请刷新页面后重新填写。"))
    raise AlreadySubmitted(_("该表单已提交过，未重复保存。"), existing=existing)


def once(purpose: str):
    """Mark a service that creates a record from a form (``purpose``: "ledger.progress_report"). Called
    with ``submission_key``, the key is claimed first — before the service takes any other lock, so a
    second sending waits holding nothing — and bound to the record the service returns."""

    def decorate(service):
        @wraps(service)
        def wrapper(*args, submission_key: str = "", **kwargs):
            if not submission_key:
                return service(*args, **kwargs)
            with transaction.atomic():
                claimed = _claim(submission_key, kwargs["actor"], purpose)
                result = service(*args, **kwargs)
                if getattr(result, "pk", None) is not None:
                    claimed.object_type = result._meta.label_lower
                    claimed.object_id = str(result.pk)
                    claimed.save(update_fields=["object_type", "object_id"])
            return result

        wrapper.submitted_once = purpose
        return wrapper

    return decorate


def submissions_prune(*, days: int = KEEP_DAYS, now: dt.datetime | None = None) -> int:
    """Forget the one-time keys of forms sent more than ``days`` days ago; returns how many."""
    if not 1 <= days <= MAX_KEEP_DAYS:
        raise ValueError(f"keys are kept for 1 to {MAX_KEEP_DAYS} days, not {days}")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _by_model = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
