"""Helpers shared by the ledger's services (the generic ones — ``require``, ``bump_version`` — are in
``ecoinspect.core.services``)."""

from __future__ import annotations

from ecoinspect.core.permissions import active_memberships

from ..models import Problem


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
