"""core.related: a record's page shows what other apps register for it, as the person may see it."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from ecoinspect.core import related
from tests.factories import TicketFactory
from tests.testapp.models import Ticket


@pytest.fixture
def provider():
    def tickets_named_alike(ticket, user):
        if user.username == "nobody":
            return None
        return related.RelatedSection(
            title="同名工单",
            items=[related.RelatedItem(label=f"RELATED-{ticket.pk}", url="/x/", badge="新", badge_colour="info")],
            key="alike",
        )

    related.register("testapp.ticket", tickets_named_alike)
    related.register("testapp.ticket", tickets_named_alike)  # registering twice draws it once
    yield tickets_named_alike
    related.unregister("testapp.ticket", tickets_named_alike)


def draw(ticket, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load related %}{% related_records ticket %}").render(Context({"ticket": ticket, "request": request}))


@pytest.mark.django_db
def test_a_registered_section_is_drawn_once_and_only_for_whom_the_provider_answers(provider, people, structure):
    ticket = TicketFactory(title="t", status=Ticket.WORKING, lead_unit=structure["swj"])
    html = draw(ticket, people["water"])
    assert html.count(f"RELATED-{ticket.pk}") == 1 and 'data-testid="related-alike"' in html
    assert "同名工单" in html and 'text-bg-info' in html
    assert draw(ticket, people["nobody"]).strip() == ""
    related.unregister("testapp.ticket", provider)
    assert draw(ticket, people["water"]).strip() == ""
