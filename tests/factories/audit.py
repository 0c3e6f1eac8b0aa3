"""Factories of audit. An ActionLog row is appended by the real service, so the hash chain stays intact.

There is no factory of ChangeLog on purpose: its rows are written by saving a ``ChangeLoggedModel``
(make a unit with ``UnitFactory`` and its ChangeLog row follows); writing one directly would forge the trail.
"""

from __future__ import annotations

import factory

from ecoinspect.audit.models import ActionLog


class ActionLogFactory(factory.Factory):
    """One ActionLog entry, appended with ``action_log_append`` (``actor``, ``obj`` optional)."""

    class Meta:
        model = ActionLog

    action = "testapp.marker.logged"
    object_repr = factory.Sequence(lambda n: f"测试对象{n}")
    payload = factory.LazyFunction(dict)

    @classmethod
    def _create(cls, model_class, **fields):
        from ecoinspect.audit.services import action_log_append

        return action_log_append(**fields)
