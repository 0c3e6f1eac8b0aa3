"""The audit pages: the auditor (discipline inspection) and the inspection office read the whole trail;
unit staff, reviewers, publishers and leaders do not."""

from __future__ import annotations

from tests.factories import ActionLogFactory, UnitFactory
from tests.scoping import Case


def _action(marker: str):
    def build(ctx):
        ActionLogFactory(action="testapp.marker.logged", object_repr=marker, payload={"note": marker})
        return {}, marker

    return build


def _change(marker: str):
    def build(ctx):
        UnitFactory(
            village=True,
            code=f"c-{marker.lower()}",
            name=f"{marker} 社区",
            short_name=marker,
            parent=ctx["structure"]["sanyuanli"],
        )
        return {}, marker

    return build


CASES = [
    Case("audit:actionlog_list", _action("AUDIT-MARK-1"), owner="auditor", outsider="leader", kind="list"),
    Case(
        "audit:actionlog_list",
        _action("AUDIT-MARK-2"),
        owner="coordinator",
        outsider="sanyuanli",
        kind="list",
    ),
    Case("audit:actionlog_list", _action("AUDIT-MARK-3"), owner="auditor", outsider="publisher", kind="list"),
    Case(
        "audit:actionlog_list",
        _action("AUDIT-MARK-4"),
        owner="auditor",
        outsider="reviewer",
        kind="list",
        query="format=csv",
    ),
    Case("audit:actionlog_list", _action("AUDIT-MARK-5"), owner="auditor", outsider="water", kind="list"),
    Case("audit:changelog_list", _change("CHANGE-MARK-1"), owner="auditor", outsider="reviewer", kind="list"),
    Case(
        "audit:changelog_list",
        _change("CHANGE-MARK-2"),
        owner="auditor",
        outsider="sanyuanli",
        kind="list",
        query="format=csv",
    ),
    Case("audit:verify", _action("AUDIT-MARK-6"), owner="auditor", outsider="leader", method="post"),
    Case("audit:verify", _action("AUDIT-MARK-7"), owner="auditor", outsider="sanyuanli", method="post"),
]

OPEN: dict[str, str] = {}
