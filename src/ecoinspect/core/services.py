"""Helpers every app's services share: the permission check, optimistic concurrency and concurrent writes.

``require`` asks the one permission question (``core.permissions.has_perm``) and refuses with a reason;
``bump_version`` and ``claim_versions`` implement "save only if nobody saved since you read it" for any model
with an integer ``version`` field; ``notifications_withdraw_unreachable`` takes back the notifications of
people a record was routed away from. A model may word its own conflict message by declaring
``version_conflict_message`` (with ``%(now)s``, the stored version, and ``%(mine)s``, the version edited).

Two writers at the same moment (docs/architecture.md, "Concurrent writes"): ``serialise(name)`` makes
the writers of one thing take turns until their transaction ends; ``unique_or_refuse`` turns the
database's refusal of a duplicate (a number registered twice at once) into the rule's message in words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from ecoinspect.common.errors import ConcurrentEdit, NotPermitted, ServiceError
from ecoinspect.notifications.selectors import notification_holders, notification_objects_of
from ecoinspect.notifications.services import notification_withdraw
from ecoinspect.orgs.models import User

from .permissions import has_perm, restrict

__all__ = [
    "bump_version",
    "claim_versions",
    "lock",
    "notifications_withdraw_unreachable",
    "require",
    "serialise",
    "unique_or_refuse",
]

#: Rows per ``IN (…)`` list: SQLite accepts 32,766 parameters a statement, stay far below.
CHUNK = 900


def require(actor, perm: str, obj: models.Model | None = None, message: str | None = None) -> None:
    """Refuse (NotPermitted, with ``message`` as the reason, or the generic one) unless ``actor`` holds
    ``perm`` ("app.verb") — on ``obj`` when given, i.e. within the record's units."""
    if not has_perm(actor, perm, obj):
        raise NotPermitted(message)


def _conflict_message(obj: models.Model, now, mine) -> str:
    template = getattr(type(obj), "version_conflict_message", None) or _(
        "该记录已被他人修改（当前版本 %(now)s，您编辑的是版本 %(mine)s）。您填写的内容仍保留在下方，请核对后重新保存。"
        ""
    )
    return str(template) % {"now": now, "mine": mine}


def bump_version(obj: models.Model, expected_version: int | None = None) -> None:
    """Claim the next version of ``obj`` in the database, or raise ConcurrentEdit (code "conflict") if
    someone saved it after ``expected_version`` was read (None: the version ``obj`` holds). One UPDATE …
    WHERE version = expected: two concurrent claims cannot both succeed. Sets ``obj.version``."""
    if expected_version is None:
        expected_version = obj.version
    manager = type(obj)._base_manager
    if not manager.filter(pk=obj.pk, version=expected_version).update(version=expected_version + 1):
        current = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise ConcurrentEdit(_conflict_message(obj, current, expected_version), code="conflict")
    obj.version = expected_version + 1


def claim_versions(
    items: Sequence[tuple[models.Model, int]],
    *,
    message: str | None = None,
    describe: Callable[[models.Model], str] = str,
) -> None:
    """``bump_version`` for many records of one model at once (a bulk write): lock the rows, compare each
    stored version with the one read, and refuse everything if any differs — ConcurrentEdit naming every
    stale record (``describe``), in ``message`` (with ``%(n)s``) or the generic wording. Otherwise set each
    object's ``version`` to the next one in memory: the caller's write (``core.bulk.bulk_update_logged``)
    stores it, in the same transaction, under the lock taken here."""
    if not items:
        return
    model = type(items[0][0])
    stored: dict = {}
    pks = [obj.pk for obj, _version in items]
    for start in range(0, len(pks), CHUNK):
        stored.update(
            model._base_manager.select_for_update()
            .filter(pk__in=pks[start : start + CHUNK])
            .values_list("pk", "version")
        )
    stale = [describe(obj) for obj, version in items if stored.get(obj.pk) != version]
    if stale:
        template = message or _(
            "以下记录已被他人修改，请重新核对后再保存：%(n)s"
        )
        raise ConcurrentEdit(str(template) % {"n": "、".join(stale)}, code="conflict")
    for obj, version in items:
        obj.version = version + 1


def _unreachable(person, model: type[models.Model], ids: Sequence[str], perm: str) -> set[str]:
    """Which of these records of ``model`` the person may not ``perm`` (now)."""
    still: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        rows = restrict(model._base_manager.filter(pk__in=ids[start : start + CHUNK]), person, perm)
        still |= {str(pk) for pk in rows.values_list("pk", flat=True)}
    return set(ids) - still


def notifications_withdraw_unreachable(*, actor, objects: Iterable[models.Model], perm: str = "view") -> int:
    """After records changed hands — re-routed to another lead unit, a town, acceptance unit or cooperating
    unit taken off — withdraw the notifications about them from every person who may no longer ``perm``
    them: their links would lead to "not found", and their count would stay in the badge. Whoever still may
    (the new units, district-wide roles) keeps theirs. Any app's service calls this after changing the
    units a record names; records of one model at a time. Returns how many notifications were withdrawn."""
    by_id = {str(o.pk): o for o in objects}
    if not by_id:
        return 0
    model = type(next(iter(by_id.values())))
    held = notification_holders(object_type=model._meta.label_lower, object_ids=list(by_id))
    gone: dict[str, list[int]] = {}
    for person in User.objects.filter(pk__in=list(held)):
        for object_id in _unreachable(person, model, sorted(held[person.pk]), perm):
            gone.setdefault(object_id, []).append(person.pk)
    return sum(
        notification_withdraw(actor=actor, obj=by_id[object_id], recipients=people)
        for object_id, people in gone.items()
    )


def notifications_withdraw_from_person(*, actor, user, perm: str = "view") -> int:
    """After a person left a unit: withdraw the notifications about records they may no longer ``perm`` — the
    titles of another unit's work stay out of their inbox. Records of models without units are left (nothing
    says whose they are). Returns how many notifications were withdrawn."""
    person = User.objects.get(pk=user.pk)  # read afresh: the memberships as they are now
    withdrawn = 0
    for object_type, ids in notification_objects_of(recipient_id=person.pk).items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        if not getattr(model, "unit_scope", None):
            continue
        gone = _unreachable(person, model, sorted(ids), perm)
        for obj in model._base_manager.in_bulk(sorted(gone)).values():
            withdrawn += notification_withdraw(actor=actor, obj=obj, recipients=[person.pk])
    return withdrawn


def _lock_key(name: str) -> int:
    """A signed 64-bit number for ``name`` (PostgreSQL's advisory locks are named by a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def serialise(name: str) -> None:
    """Make every transaction that calls ``serialise(name)`` wait for the one holding it until that one
    commits or rolls back: the writers of one thing (the imports of one kind) take turns, and each one sees
    what the one before it wrote. Call inside ``transaction.atomic``. PostgreSQL: a transaction-scoped
    advisory lock; SQLite runs every transaction IMMEDIATE (see settings), which already takes turns."""
    if not connection.in_atomic_block:
        raise RuntimeError("serialise() holds its lock until the transaction ends: call it inside atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(name)])


@contextmanager
def unique_or_refuse(refusal: Callable[[], ServiceError | None]) -> Iterator[None]:
    """Write inside a savepoint; when the database refuses it for a unique rule — someone wrote the same
    number a moment earlier, after the service checked — raise ``refusal()`` (the rule's own message,
    naming the value) instead of a server error. ``refusal`` is asked after the other write is visible; if
    it returns None the IntegrityError was something else and is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        error = refusal()
        if error is None:
            raise
        raise error from exc


def lock(obj: models.Model) -> None:
    """Hold ``obj``'s row until the transaction ends: whoever writes to it, or under it (a problem's
    evidence), at the same moment waits for this transaction and then sees what it wrote. Call inside
    ``transaction.atomic`` and before other locks (the audit chain's), so that writers queue in one order.
    SQLite's IMMEDIATE transactions already queue every writer."""
    type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()
