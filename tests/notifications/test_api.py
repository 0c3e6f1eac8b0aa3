"""notifications' endpoints of the JSON API: one's own notifications, marked read by oneself only."""

from __future__ import annotations

import json

from tests.factories import NotificationFactory

API = "/api/v1"


def test_notifications_are_ones_own_and_can_be_marked_read(session, people):
    NotificationFactory(recipient=people["sanyuanli"], title="三元里：请核查")
    NotificationFactory(recipient=people["sanyuanli"], title="三元里：请反馈")
    NotificationFactory(recipient=people["jingtai"], title="景泰：请核查")
    client = session("sanyuanli")
    listed = client.get(f"{API}/notifications").json()
    assert listed["count"] == 2 and {n["title"] for n in listed["items"]} == {
        "三元里：请核查",
        "三元里：请反馈",
    }
    first = listed["items"][0]["id"]
    marked = client.post(
        f"{API}/notifications/read", json.dumps({"ids": [first]}), content_type="application/json"
    )
    assert marked.json() == {"marked": 1}
    assert client.get(f"{API}/notifications", {"unread": True}).json()["count"] == 1
    assert client.post(f"{API}/notifications/read", "{}", content_type="application/json").json() == {
        "marked": 1
    }
    assert client.get(f"{API}/notifications", {"unread": True}).json()["count"] == 0


def test_nobody_marks_someone_elses_notification_read(session, people):
    theirs = NotificationFactory(recipient=people["jingtai"], title="景泰：请核查")
    response = session("sanyuanli").post(
        f"{API}/notifications/read", json.dumps({"ids": [theirs.pk]}), content_type="application/json"
    )
    assert response.json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
