"""Writing many records at once with the audit trail a save would leave (DESIGN.md §4.4, §4.5).

``bulk_create`` and ``bulk_update`` skip ``save()`` and so the ChangeLog signals. An import of 10,000 rows
cannot afford a save per row (~6 ms each with its ChangeLog and ActionLog), so it writes through these two
helpers instead. For every record they record what ``save()`` plus the signals and one
``action_log_append`` would have recorded:

* the ChangeLog row of the save — ``create`` with the snapshot after, or ``update`` with the snapshot of the
  stored row before and after (none when nothing changed), built by ``audit.changes.changelog_entry`` like
  the signals' rows;
* for each changed many-to-many field, the ``update`` row ``{field: [ids before]} → {field: [ids after]}``
  the m2m signal writes;
* one ActionLog entry ``action`` per record, chained in order by ``action_log_append_many``;
* ``auto_now`` fields set as ``save()`` sets them, and — when a row carries the ``version`` it was read
  at — the optimistic-concurrency claim of ``core.services.bump_version``, for all rows or none.

Rows are written through the ORM: ``bulk_create``; for updates ``QuerySet.update`` — one statement for all
the rows that get the same values (a chunk at a time), one for each row whose values are its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ecoinspect.audit.changes import changelog_entry, snapshot
from ecoinspect.audit.context import acting_as
from ecoinspect.audit.models import ChangeLog, ChangeLoggedModel
from ecoinspect.audit.services import action_log_append_many
from ecoinspect.common.text_bounds import check_stored_text

from .services import CHUNK, claim_versions

__all__ = ["BulkRow", "bulk_create_logged", "bulk_update_logged"]

BATCH = 1000

Payload = dict | Callable[["BulkRow"], dict] | None


@dataclass(eq=False)
class BulkRow:
    """One record of a bulk write: the instance, the values to give it (concrete fields by name or
    attname; many-to-many fields as instances or pks) and, for an update under optimistic concurrency,
    the ``version`` it was read at. The write fills ``changed``: the names among ``changes`` whose value
    differs from what was stored (concrete fields first, sorted, then many-to-many ones)."""

    obj: models.Model
    changes: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    changed: list[str] = field(default_factory=list)


def _rows(rows: Iterable[BulkRow | models.Model]) -> list[BulkRow]:
    return [r if isinstance(r, BulkRow) else BulkRow(r) for r in rows]


def _split(model: type[models.Model], changes: dict) -> tuple[dict, dict]:
    """(concrete changes by field, many-to-many changes by field) of ``changes``."""
    concrete, m2m = {}, {}
    for name, value in changes.items():
        f = model._meta.get_field(name)
        if f.many_to_many and not f.auto_created:
            m2m[f] = value
        elif f.concrete and not f.primary_key:
            concrete[f] = value
        else:
            raise TypeError(f"{model.__name__}.{name} cannot be written in bulk")
    return concrete, m2m


def _assign(obj: models.Model, f: models.Field, value) -> None:
    if f.is_relation and (value is None or isinstance(value, models.Model)):
        setattr(obj, f.name, value)  # keeps the related instance cached
    else:
        setattr(obj, f.attname, value)


def _ids(values) -> list:
    return sorted({v.pk if isinstance(v, models.Model) else v for v in values})


def _payload(payload: Payload, row: BulkRow) -> dict:
    if payload is None:
        return {}
    return payload(row) if callable(payload) else dict(payload)


def _chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _through(f: models.ManyToManyField) -> tuple[type[models.Model], str, str]:
    """The through model and the attnames of its columns naming the record and the related row."""
    through = f.remote_field.through
    source = through._meta.get_field(f.m2m_field_name()).attname
    target = through._meta.get_field(f.m2m_reverse_field_name()).attname
    return through, source, target


def _actor(actor):
    return acting_as(actor) if actor is not None else contextlib.nullcontext()


def _log_actions(action: str | None, rows: list[BulkRow], actor, payload: Payload) -> None:
    if action:
        action_log_append_many(
            action=action, actor=actor, items=[(r.obj, _payload(payload, r)) for r in rows]
        )


@transaction.atomic
def bulk_create_logged(
    rows: Iterable[BulkRow | models.Model],
    *,
    action: str | None = None,
    actor=None,
    payload: Payload = None,
    batch_size: int = BATCH,
) -> list[BulkRow]:
    """Insert new records of one model (``bulk_create``), their many-to-many links, the ChangeLog rows
    (``create`` and one per many-to-many field set) and one ActionLog ``action`` per record (``payload``:
    a dict, or a function of the row). All or nothing; returns the rows, their objects saved."""
    rows = _rows(rows)
    if not rows:
        return rows
    model = type(rows[0].obj)
    links: dict[models.ManyToManyField, list[tuple[BulkRow, list]]] = {}
    for row in rows:
        concrete, m2m = _split(model, row.changes)
        for f, value in concrete.items():
            _assign(row.obj, f, value)
        for f, values in m2m.items():
            links.setdefault(f, []).append((row, _ids(values)))
        row.changed = sorted(f.name for f in concrete) + sorted(f.name for f in m2m)
        check_stored_text(row.obj)
    with _actor(actor):
        model._base_manager.bulk_create([r.obj for r in rows], batch_size=batch_size)
        logged = issubclass(model, ChangeLoggedModel)
        entries = (
            [changelog_entry(r.obj, ChangeLog.Operation.CREATE, None, snapshot(r.obj)) for r in rows]
            if logged
            else []
        )
        for f, pairs in links.items():
            through, source, target = _through(f)
            through._base_manager.bulk_create(
                [through(**{source: r.obj.pk, target: pk}) for r, ids in pairs for pk in ids],
                batch_size=batch_size,
            )
            if logged:
                entries += [
                    changelog_entry(r.obj, ChangeLog.Operation.UPDATE, {f.name: []}, {f.name: ids})
                    for r, ids in pairs
                    if ids
                ]
        ChangeLog.objects.bulk_create(entries, batch_size=batch_size)
        _log_actions(action, rows, actor, payload)
    return rows


@transaction.atomic
def bulk_update_logged(
    rows: Iterable[BulkRow],
    *,
    action: str | None = None,
    actor=None,
    payload: Payload = None,
    conflict_message: str | None = None,
    describe: Callable[[models.Model], str] = str,
    batch_size: int = BATCH,
) -> list[BulkRow]:
    """Give existing records of one model the values of their rows' ``changes``, with the audit trail
    a save of each would leave (see the module). The stored rows are read under a row lock: they are the
    ChangeLog's "before". Rows carrying a ``version`` claim the next one (``claim_versions``: one stale
    row refuses the whole batch with ConcurrentEdit, worded by ``conflict_message`` naming the stale
    records by ``describe``). Every row is written, as a save would be, and logged once in the
    ActionLog (``payload``: a dict or a function of the row, whose ``changed`` is then filled in)."""
    rows = _rows(rows)
    if not rows:
        return rows
    model = type(rows[0].obj)
    meta = model._meta
    manager = model._base_manager
    versioned = [(r.obj, r.version) for r in rows if r.version is not None]
    if versioned:
        claim_versions(versioned, message=conflict_message, describe=describe)
    stored: dict = {}
    for part in _chunks([r.obj.pk for r in rows]):
        stored.update((o.pk, o) for o in manager.select_for_update().filter(pk__in=part))
    missing = [r.obj for r in rows if r.obj.pk not in stored]
    if missing:
        raise model.DoesNotExist(f"{meta.label} {', '.join(str(o.pk) for o in missing)} no longer exist")
    logged = issubclass(model, ChangeLoggedModel)
    now = timezone.now()
    touched = [f for f in meta.concrete_fields if getattr(f, "auto_now", False)]
    version_field = meta.get_field("version") if versioned else None
    entries: list[ChangeLog] = []
    groups: dict[tuple[str, ...], list[models.Model]] = {}
    links: dict[models.ManyToManyField, list[tuple[BulkRow, list]]] = {}
    with _actor(actor):
        for row in rows:
            current = stored[row.obj.pk]
            before = snapshot(current) if logged else None
            concrete, m2m = _split(model, row.changes)
            row.changed = []
            for f, value in concrete.items():
                _assign(row.obj, f, value)
                if getattr(row.obj, f.attname) != getattr(current, f.attname):
                    row.changed.append(f.name)
            check_stored_text(row.obj, [f.name for f in concrete])
            row.changed.sort()
            for f in touched:
                setattr(row.obj, f.attname, now)
            written = [*concrete, *([version_field] if row.version is not None else []), *touched]
            for f in written:  # the stored row as the write leaves it
                setattr(current, f.attname, getattr(row.obj, f.attname))
            if logged:
                after = snapshot(current)
                if after != before:
                    entries.append(changelog_entry(row.obj, ChangeLog.Operation.UPDATE, before, after))
            key = tuple(sorted({f.attname for f in written}))
            groups.setdefault(key, []).append(current)
            for f, values in m2m.items():
                links.setdefault(f, []).append((row, _ids(values)))
        for names, objs in groups.items():
            _write(manager, objs, names, batch_size)
        for f, pairs in links.items():
            entries += _write_links(f, pairs, logged, batch_size)
        ChangeLog.objects.bulk_create(entries, batch_size=batch_size)
        _log_actions(action, rows, actor, payload)
    return rows


def _key(value):
    try:
        hash(value)
    except TypeError:  # JSON lists and dicts
        return repr(value)
    return value


def _write(manager, objs: list[models.Model], names: tuple[str, ...], batch_size: int) -> None:
    """Store the fields ``names`` of ``objs``: one ``UPDATE … WHERE pk IN (…)`` a chunk for the rows that
    get the same values, one ``UPDATE … WHERE pk = …`` for a row of its own. (``bulk_update``'s CASE
    expressions cost three times as much: every ``When(pk=…)`` is a filter Django builds and compiles.)"""
    if not names:
        return
    same: dict[tuple, list] = {}
    for obj in objs:
        values = [getattr(obj, n) for n in names]
        same.setdefault(tuple(_key(v) for v in values), [values, []])[1].append(obj.pk)
    for values, pks in same.values():
        assignments = dict(zip(names, values, strict=True))
        if len(pks) == 1:
            manager.filter(pk=pks[0]).update(**assignments)
            continue
        for part in _chunks(pks, min(batch_size, CHUNK)):
            manager.filter(pk__in=part).update(**assignments)


def _write_links(
    f: models.ManyToManyField, pairs: list[tuple[BulkRow, list]], logged: bool, batch_size: int
) -> list[ChangeLog]:
    """Set the many-to-many field ``f`` of each row to its ids (as ``.set()`` does) and return the
    ChangeLog rows of those that changed."""
    through, source, target = _through(f)
    links: dict = {}
    for part in _chunks([r.obj.pk for r, _ids in pairs]):
        for pk, owner, other in through._base_manager.filter(**{f"{source}__in": part}).values_list(
            "pk", source, target
        ):
            links.setdefault(owner, {})[other] = pk
    removed, added, entries = [], [], []
    for row, ids in pairs:
        old = links.get(row.obj.pk, {})
        new = set(ids)
        removed += [pk for other, pk in old.items() if other not in new]
        added += [through(**{source: row.obj.pk, target: other}) for other in ids if other not in old]
        getattr(row.obj, "_prefetched_objects_cache", {}).pop(f.name, None)
        if set(old) != new:
            row.changed.append(f.name)
            if logged:
                entries.append(
                    changelog_entry(row.obj, ChangeLog.Operation.UPDATE, {f.name: sorted(old)}, {f.name: ids})
                )
    for part in _chunks(removed):
        through._base_manager.filter(pk__in=part).delete()
    through._base_manager.bulk_create(added, batch_size=batch_size)
    return entries
