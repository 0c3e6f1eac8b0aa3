"""Notifications are personal: nobody — not even a district-wide role — reads another person's."""

from __future__ import annotations

from ecoinspect.notifications.services import notification_send
from tests.factories import NotificationFactory
from tests.scoping import Case


def _to_person(person: str, marker: str):
    def build(ctx):
        NotificationFactory(recipient=ctx["people"][person], title=marker)
        return {}, marker

    return build


def _to_unit(code: str, marker: str):
    # sent to the unit, as the ledger sends it: the service fans it out to the unit's members
    def build(ctx):
        notification_send(recipients=[ctx["structure"][code]], title=marker)
        return {}, marker

    return build


def _one_for(person: str, marker: str):
    # Opening a notification redirects to its link; the link carries the marker.
    def build(ctx):
        note = NotificationFactory(
            recipient=ctx["people"][person], title="打开测试", url=f"/orgs/me/?from={marker}"
        )
        return {"pk": note.pk}, marker

    return build


CASES = [
    Case(
        "notifications:inbox",
        _to_person("sanyuanli", "NOTE-MARK-1"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "notifications:inbox",
        _to_person("sanyuanli", "NOTE-MARK-2"),
        owner="sanyuanli",
        outsider="coordinator",
        kind="list",
    ),
    Case(
        "notifications:inbox",
        _to_unit("sanyuanli", "NOTE-MARK-3"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "notifications:inbox", _to_unit("swj", "NOTE-MARK-4"), owner="water", outsider="auditor", kind="list"
    ),
    Case("notifications:open", _one_for("sanyuanli", "NOTE-MARK-5"), owner="sanyuanli", outsider="jingtai"),
    Case("notifications:open", _one_for("taihe", "NOTE-MARK-6"), owner="taihe", outsider="coordinator"),
    # the API (markers are ASCII: the API escapes non-ASCII JSON)
    Case(
        "api:notifications",
        _to_person("sanyuanli", "API-NOTE-1"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "api:notifications",
        _to_person("sanyuanli", "API-NOTE-2"),
        owner="sanyuanli",
        outsider="auditor",
        kind="list",
    ),
]

OPEN = {
    "notifications:mark_read": "POST button acting only on the caller's own notifications; another person's ids change "
    "nothing (tests/notifications/test_notifications.py)",
    "api:mark_read": "acts only on the caller's own notifications; another person's ids change nothing "
    "(tests/notifications/test_api.py)",
}
