"""Writes on a selection of problems (the list's 批量操作): each problem through its own service, in its own
transaction, so that one refusal neither stops nor undoes the others; the outcome says, row by row, what was
done and what was refused and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecoinspect.common.errors import Refusal
from ecoinspect.core.services import require

from ..models import Problem
from .problems import problem_assign, problem_extend_deadline


@dataclass
class RowOutcome:
    problem: Problem
    done: bool
    message: str


@dataclass
class SelectionOutcome:
    """What a write on a selection did: one :class:`RowOutcome` per problem, in the order given."""

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


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("没有权限。")


def _each(action: str, problems: Iterable[Problem], write: Callable[[Problem], object], done: str) -> SelectionOutcome:
    outcome = SelectionOutcome(action)
    for problem in problems:
        try:
            with transaction.atomic():
                write(problem)
        except Refusal as error:
            error.record()  # the refused move goes on the problem's timeline, after the rollback
            outcome.rows.append(RowOutcome(problem, False, _reason(error)))
        except (ValidationError, PermissionDenied) as error:
            outcome.rows.append(RowOutcome(problem, False, _reason(error)))
        else:
            outcome.rows.append(RowOutcome(problem, True, done))
    return outcome


def problems_assign(*, actor, problems: Iterable[Problem]) -> SelectionOutcome:
    """交办 each selected problem (``problem_assign``): a problem not registered, or missing its lead unit,
    acceptance unit or deadline, is refused with the workflow's own reason; the others are assigned."""
    require(actor, "ledger.assign")
    return _each(
        _("批量交办"),
        problems,
        lambda problem: problem_assign(actor=actor, problem=problem),
        _("已交办"),
    )


def problems_extend_deadline(
    *, actor, problems: Iterable[Problem], new_deadline: dt.date, reason: str
) -> SelectionOutcome:
    """Move each selected problem's deadline to ``new_deadline`` with ``reason`` (``problem_extend_deadline``)."""
    require(actor, "ledger.assign")
    return _each(
        _("批量调整时限"),
        problems,
        lambda problem: problem_extend_deadline(
            actor=actor, problem=problem, new_deadline=new_deadline, reason=reason
        ),
        _("时限已调整为 %(d)s") % {"d": new_deadline},
    )
