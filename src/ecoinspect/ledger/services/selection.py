"""Writes on a selection of problems (the list's 批量操作): each problem through its own service, in its own
transaction, so that one refusal neither stops nor undoes the others; the outcome says, row by row, what was
done and what was refused and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ecoinspect.core.selection import SelectionOutcome, each
from ecoinspect.core.services import require

from ..models import Problem
from .problems import problem_assign, problem_extend_deadline

__all__ = ["SelectionOutcome", "problems_assign", "problems_extend_deadline"]


def problems_assign(*, actor, problems: Iterable[Problem]) -> SelectionOutcome:
    """交办 each selected problem (``problem_assign``): a problem not registered, or missing its lead unit,
    acceptance unit or deadline, is refused with the workflow's own reason; the others are assigned."""
    require(actor, "ledger.assign")
    return each(
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
    return each(
        _("批量调整时限"),
        problems,
        lambda problem: problem_extend_deadline(
            actor=actor, problem=problem, new_deadline=new_deadline, reason=reason
        ),
        _("时限已调整为 %(d)s") % {"d": new_deadline},
    )
