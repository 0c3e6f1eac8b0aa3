"""Maintained counts: how many records lie in each bucket, kept right by the services that write them.

A page that shows totals over a large table (the ledger's dashboard: problems by unit, status, source,
warning colour, week…) reads them from a small counts table instead of grouping every record. An app
declares a :class:`Tally` — the model, the concrete counts model (a :class:`TallyRow`), the columns and
many-to-many relations the buckets depend on, and ``buckets(values)``: the buckets one record counts in.

The counts are kept in the transaction of the write. A service that writes records runs inside
``TALLY.tracking(records)`` (a model may also wrap its own ``save()`` in it): the records' buckets are read
from the database — the rows locked (``SELECT … FOR UPDATE``) — before the write and again after it, and
the difference is added to the counts with one upsert (``n = n + delta``), so concurrent writers add up
instead of overwriting each other, and a rolled-back write leaves the counts as they were. Trackings nest:
an inner one adds its records to the outermost, which applies the whole difference once.

``recount()`` computes every bucket from the records and compares it with the stored counts — after a bulk
load that bypassed the services, as a nightly check, and in the tests; with ``repair`` it replaces what
differs.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections, models, router, transaction

__all__ = ["EVER", "Bucket", "Recount", "Tally", "TallyRow"]

#: ``on`` of a bucket that has no date (a bucket is (scope, role, kind, key, on)).
EVER = dt.date(1, 1, 1)

Bucket = tuple[int, str, str, str, dt.date]

#: Records read per query (SQLite accepts 32,766 parameters a statement; stay far below).
CHUNK = 900
#: Buckets written per upsert statement.
UPSERT_ROWS = 500


class TallyRow(models.Model):
    """One bucket of a tally and its count. ``scope`` is usually a unit's key (0: none), ``role`` how the
    record belongs to it, ``kind`` what is counted, ``key`` the value counted by, ``on`` a day
    (:data:`EVER` when the bucket has none)."""

    scope = models.IntegerField()
    role = models.CharField(max_length=8)
    kind = models.CharField(max_length=16)
    key = models.CharField(max_length=200, blank=True)
    on = models.DateField()
    n = models.BigIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "role", "kind", "key", "on"], name="%(app_label)s_%(class)s_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.role}/{self.kind}/{self.key}/{self.on}: {self.n}"


@dataclass
class Recount:
    """What a recount found: ``differences`` maps each bucket whose stored count is wrong to (stored,
    counted); ``repaired`` says whether they were replaced."""

    counted: int
    stored: int
    differences: dict[Bucket, tuple[int, int]] = field(default_factory=dict)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.differences


class _Tracker:
    """The records one (outermost) tracking watches and their buckets before the write."""

    def __init__(self, tally: Tally):
        self.tally = tally
        self.before: dict[int, Counter] = {}

    def watch(self, pks: Iterable[int]) -> None:
        new = [pk for pk in dict.fromkeys(pks) if pk is not None and pk not in self.before]
        if new:
            found = self.tally.buckets_of(new, lock=True)
            for pk in new:
                self.before[pk] = found.get(pk, Counter())

    def include(self, records: Iterable) -> None:
        """Records created inside the tracking (they had no buckets before)."""
        for pk in _pks(records):
            if pk is not None:
                self.before.setdefault(pk, Counter())

    def finish(self) -> None:
        if not self.before:
            return
        after = self.tally.buckets_of(list(self.before), lock=False)
        delta: Counter = Counter()
        for pk, buckets in self.before.items():
            delta.update(after.get(pk, Counter()))
            delta.subtract(buckets)
        self.tally.apply(delta)


def _pks(records: Iterable) -> Iterator[int]:
    for record in records:
        yield record if isinstance(record, int) else record.pk


class Tally:
    """Counts of ``model``'s records by bucket, stored in ``counts`` (a concrete :class:`TallyRow`).

    ``fields``: the columns (attnames) ``buckets`` reads; ``relations``: many-to-many fields whose related
    keys it reads (as a sorted list under the field's name); ``buckets(values)`` yields the buckets of one
    record — a bucket may repeat, it then counts that many times.
    """

    _local = threading.local()

    def __init__(
        self,
        *,
        name: str,
        model: type[models.Model],
        counts: type[TallyRow],
        fields: Sequence[str],
        buckets: Callable[[dict], Iterable[Bucket]],
        relations: Sequence[str] = (),
    ):
        self.name = name
        self.model = model
        self.counts = counts
        self.fields = tuple(fields)
        self.relations = tuple(relations)
        self.buckets = buckets

    # --- reading the records' buckets -------------------------------------------------------------------

    def _links(self, pks: Sequence[int] | None) -> dict[str, dict[int, list[int]]]:
        links: dict[str, dict[int, list[int]]] = {}
        for name in self.relations:
            f = self.model._meta.get_field(name)
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            rows = through._base_manager.order_by()
            by_record: dict[int, list[int]] = defaultdict(list)
            parts = (
                [rows]
                if pks is None
                else [rows.filter(**{f"{source}__in": pks[i : i + CHUNK]}) for i in range(0, len(pks), CHUNK)]
            )
            for part in parts:
                for record, other in part.values_list(f"{source}_id", f"{target}_id").iterator(5000):
                    by_record[record].append(other)
            links[name] = by_record
        return links

    def _count(self, rows: Iterable[tuple], links: dict, into: Callable[[int], Counter]) -> None:
        for row in rows:
            values = dict(zip(("pk", *self.fields), row, strict=True))
            for name in self.relations:
                values[name] = sorted(links[name].get(values["pk"], ()))
            into(values["pk"]).update(self.buckets(values))

    def buckets_of(self, pks: Sequence[int], *, lock: bool) -> dict[int, Counter]:
        """The buckets of each of these records as stored now (locking the rows when ``lock`` — before their
        many-to-many links are read, so that a writer holding a row cannot change its links in between)."""
        found: dict[int, Counter] = defaultdict(Counter)
        manager = self.model._base_manager
        rows: list[tuple] = []
        for i in range(0, len(pks), CHUNK):
            part = manager.filter(pk__in=pks[i : i + CHUNK]).order_by()
            if lock:
                part = part.select_for_update()
            rows.extend(part.values_list("pk", *self.fields))
        self._count(rows, self._links(pks), found.__getitem__)
        return found

    # --- keeping the counts -----------------------------------------------------------------------------

    @contextmanager
    def tracking(self, records: Iterable = ()) -> Iterator[_Tracker]:
        """Keep the counts right for a write of ``records`` (instances or keys; records created inside are
        added with ``tracker.include(...)``). Opens a transaction; nested trackings join the outermost."""
        stack = getattr(self._local, self.name, None)
        if stack is not None:
            with transaction.atomic(using=router.db_for_write(self.model)):
                stack.watch(_pks(records))
                yield stack
            return
        tracker = _Tracker(self)
        with transaction.atomic(using=router.db_for_write(self.model)):
            setattr(self._local, self.name, tracker)
            try:
                tracker.watch(_pks(records))
                yield tracker
            finally:
                setattr(self._local, self.name, None)
            tracker.finish()

    def apply(self, delta: Counter) -> None:
        """Add ``delta`` (bucket → change) to the stored counts: ``INSERT … ON CONFLICT DO UPDATE SET
        n = n + excluded.n`` — atomic in the database, so concurrent writers never lose a count."""
        changes = [(bucket, n) for bucket, n in delta.items() if n]
        if not changes:
            return
        meta = self.counts._meta
        connection = connections[router.db_for_write(self.counts)]
        q = connection.ops.quote_name
        columns = [meta.get_field(name).column for name in ("scope", "role", "kind", "key", "on", "n")]
        table, n = q(meta.db_table), q(columns[-1])
        names = ", ".join(q(c) for c in columns)
        conflict = ", ".join(q(c) for c in columns[:-1])
        with connection.cursor() as cursor:
            for i in range(0, len(changes), UPSERT_ROWS):
                part = sorted(changes[i : i + UPSERT_ROWS])  # one order for every writer: no deadlocks
                values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(part))
                params = [value for bucket, change in part for value in (*bucket, change)]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {values} "
                    f"ON CONFLICT ({conflict}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}",
                    params,
                )

    # --- checking them ----------------------------------------------------------------------------------

    def counted(self) -> Counter:
        """Every bucket computed from the records themselves (one pass over the table)."""
        total: Counter = Counter()
        links = self._links(None)
        rows = self.model._base_manager.order_by().values_list("pk", *self.fields).iterator(5000)
        self._count(rows, links, lambda _pk: total)
        return +total

    def stored(self) -> Counter:
        rows = self.counts._base_manager.exclude(n=0).values_list("scope", "role", "kind", "key", "on", "n")
        return Counter({tuple(row[:5]): row[5] for row in rows.iterator(5000)})

    def recount(self, *, repair: bool = False) -> Recount:
        """Compare the stored counts with a recount from the records; ``repair`` replaces the wrong ones
        (in one transaction, the records locked against writers meanwhile on PostgreSQL)."""
        using = router.db_for_write(self.counts)
        with transaction.atomic(using=using):
            if repair and connections[using].vendor == "postgresql":
                with connections[using].cursor() as cursor:
                    table = connections[using].ops.quote_name(self.model._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            counted, stored = self.counted(), self.stored()
            differences = {
                bucket: (stored.get(bucket, 0), counted.get(bucket, 0))
                for bucket in counted.keys() | stored.keys()
                if stored.get(bucket, 0) != counted.get(bucket, 0)
            }
            result = Recount(counted=len(counted), stored=len(stored), differences=differences)
            if repair and differences:
                self.apply(Counter({b: now - was for b, (was, now) in differences.items()}))
                self.counts._base_manager.filter(n=0).delete()
                result.repaired = True
        return result
