"""When a problem may be re-routed, given a new deadline, paused, resumed or supervised — one answer each,
asked by the service that refuses and by the page that decides which entries of its 管理 menu to show."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ecoinspect.common.errors import ServiceError
from ecoinspect.core.permissions import has_perm

from ..choices import OPEN_STATES, DeadlineKind, ProblemStatus
from ..models import Problem

_STILL_RUNNING = (ProblemStatus.REGISTERED, *OPEN_STATES)


def problem_is_editable(problem: Problem) -> bool:
    """May the problem's descriptive fields still be edited? Not once it is closed (销号): a problem that
    comes back is reopened (反弹重启) first. The one rule behind the edit form, the API and the import."""
    return problem.status != ProblemStatus.CLOSED


def problem_check_editable(problem: Problem) -> None:
    """Raise ServiceError (code "closed") unless :func:`problem_is_editable`."""
    if not problem_is_editable(problem):
        raise ServiceError(
            _(
                "已销号的问题不能修改，如有反弹请先反弹重启。"
            ),
            code="closed",
        )


def reroute_refusal(problem: Problem) -> str | None:
    if problem.status not in _STILL_RUNNING:
        return _("只有尚在整改的问题可以改派。")
    return None


def extend_refusal(problem: Problem) -> str | None:
    if problem.status not in _STILL_RUNNING:
        return _("该问题已完成整改，不能调整时限。")
    if problem.deadline_kind == DeadlineKind.LONG_TERM:
        return _("长期坚持类问题没有整改时限。")
    return None


def pause_refusal(problem: Problem) -> str | None:
    if problem.status not in OPEN_STATES or problem.paused_at is not None:
        return _("只有正在整改且未暂停的问题可以暂停计时。")
    return None


def resume_refusal(problem: Problem) -> str | None:
    if problem.paused_at is None:
        return _("该问题未暂停计时。")
    return None


def supervise_refusal(problem: Problem) -> str | None:
    if problem.status not in OPEN_STATES or problem.lead_unit_id is None:
        return _("只有正在整改的问题可以督办。")
    return None


def refuse_unless_allowed(refusal: str | None) -> None:
    """Raise the rule's refusal, if it has one."""
    if refusal:
        raise ServiceError(refusal)


def problem_options(user, problem: Problem) -> dict[str, bool]:
    """What ``user`` may do with ``problem`` beyond the workflow's moves: the same rules the services apply."""
    can_assign = has_perm(user, "ledger.assign", problem)
    return {
        "can_assign": can_assign,
        "can_work": problem.status in OPEN_STATES and has_perm(user, "ledger.work", problem),
        "can_edit": can_assign and problem_is_editable(problem),
        "can_reroute": can_assign and reroute_refusal(problem) is None,
        "can_extend": can_assign and extend_refusal(problem) is None,
        "can_pause": can_assign and pause_refusal(problem) is None,
        "can_resume": can_assign and resume_refusal(problem) is None,
        "can_supervise": can_assign and supervise_refusal(problem) is None,
    }
