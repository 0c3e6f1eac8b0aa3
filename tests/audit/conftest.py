"""The audit tests' fixtures: a morning's action log, and an anchor directory of the test's own."""

from __future__ import annotations

import pytest

from ecoinspect.audit.models import ActionLog
from tests.factories import ActionLogFactory


@pytest.fixture
def chain(people):
    """Seven entries — the structure's own, then six steps: what a morning in the office leaves behind."""
    for i, action in enumerate(
        [
            "orgs.unit.updated",
            "testapp.ticket.assigned",
            "testapp.ticket.started",
            "testapp.ticket.finished",
            "testapp.ticket.accepted",
            "testapp.ticket.closed",
        ],
        start=1,
    ):
        ActionLogFactory(action=action, actor=people["coordinator"], payload={"step": i, "note": f"第{i}步"})
    return list(ActionLog.objects.order_by("seq"))


@pytest.fixture
def anchor_dir(settings, tmp_path):
    """The default anchor directory, empty, for this test only."""
    settings.ECOINSPECT_AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.ECOINSPECT_AUDIT_ANCHOR_DIR
