"""Writes on a selection of records (a list's 批量操作): each record through its own service, in its own
transaction, so that one refusal neither stops nor undoes the others; the outcome says, row by row, what was
done and what was refused and why. ``core/selection_result.html`` draws it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecoinspect.common.errors import Refusal

__all__ = ["RowOutcome", "SelectionOutcome", "each"]


@dataclass
class RowOutcome:
    record: object
    done: bool
    message: str


@dataclass
class SelectionOutcome:
    """What a write on a selection did: one :class:`RowOutcome` per record, in the order given."""

    action: str
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.done)

    @property
    def refused(self) -> int:
        return sum(1 for r in self.rows if not r.done)

    @property
    def summary(self) -> str:
        return _("%(action)s：选中 %(total)s 项，完成 %(done)s 项，未办理 %(refused)s 项。") % {
            "action": self.action,
            "total": len(self.rows),
            "done": self.done,
            "refused": self.refused,
        }


def refusal_reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("没有权限。")


def each(
    action: str,
    records: Iterable,
    write: Callable[[object], object],
    done: str | Callable[[object, object], str],
) -> SelectionOutcome:
    """``write(record)`` for every record, each in its own transaction. ``done`` is the message of a row
    that went through (or a callable ``(record, result) → message``)."""
    outcome = SelectionOutcome(action)
    for record in records:
        try:
            with transaction.atomic():
                result = write(record)
        except Refusal as error:
            error.record()  # the refused move goes on the record's timeline, after the rollback
            outcome.rows.append(RowOutcome(record, False, refusal_reason(error)))
        except (ValidationError, PermissionDenied) as error:
            outcome.rows.append(RowOutcome(record, False, refusal_reason(error)))
        else:
            message = done(record, result) if callable(done) else done
            outcome.rows.append(RowOutcome(record, True, message))
    return outcome
