"""The dashboard's endpoint of the JSON API: the queue (我的待办), the same as on the home page."""

from __future__ import annotations

from tests.factories import TicketFactory
from tests.testapp.models import Ticket

API = "/api/v1"


def test_the_queue_endpoint_matches_the_home_page(session, structure, ticket_queue):
    ticket = TicketFactory(title="API工单", status=Ticket.ASSIGNED, lead_unit=structure["sanyuanli"])
    entries = [e for e in session("sanyuanli").get(f"{API}/queue").json() if e["model"] == "testapp.ticket"]
    assert entries == [
        {
            "model": "testapp.ticket",
            "label": "测试工单",
            "count": 1,
            "items": [
                {
                    "id": ticket.pk,
                    "title": "API工单",
                    "status": "assigned",
                    "status_label": "已交办",
                    "url": ticket.get_absolute_url(),
                }
            ],
        }
    ]
    other = [e for e in session("jingtai").get(f"{API}/queue").json() if e["model"] == "testapp.ticket"]
    assert other[0]["count"] == 0 and other[0]["items"] == []
