"""Helpers shared by the ledger's services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ecoinspect.common.errors import ConcurrentEdit, NotPermitted
from ecoinspect.core.permissions import active_memberships, has_perm

from ..models import Problem


def require(actor, perm: str, obj=None, message: str | None = None) -> None:
    if not has_perm(actor, perm, obj):
        raise NotPermitted(message)


def actor_unit(actor, problem: Problem | None = None):
    """The unit an actor acts for: on a problem, the first of their units named on it; else their first unit."""
    memberships = active_memberships(actor)
    if problem is not None:
        named = {
            problem.lead_unit_id,
            problem.acceptance_unit_id,
            problem.supervising_unit_id,
            problem.town_id,
        }
        named |= set(problem.cooperating_units.values_list("pk", flat=True))
        for m in memberships:
            if m.unit_id in named:
                return m.unit
    return memberships[0].unit if memberships else None


def bump_version(problem: Problem, expected_version: int | None) -> None:
    """Optimistic concurrency: claim the next version or fail if someone saved in between."""
    if expected_version is None:
        expected_version = problem.version
    updated = Problem.objects.filter(pk=problem.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not updated:
        current = Problem.objects.filter(pk=problem.pk).values_list("version", flat=True).first()
        raise ConcurrentEdit(
            _(
                "该问题已被他人修改（当前版本 %(now)s，您编辑的是版本 %(mine)s）。您填写的内容仍保留在下方，请核对后重新保存。"
                " / Someone else saved this problem meanwhile; your input is kept below — review it and save again."
            )
            % {"now": current, "mine": expected_version},
            code="conflict",
        )
    problem.version = expected_version + 1
