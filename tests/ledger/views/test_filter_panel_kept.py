"""A list's filter panel whose choices are all fixed in the code is drawn once per query, language and day and
kept (common.templatetags.eco.filter_panel): the kept panel is the panel drawn afresh, it follows the query
and the language, and a panel listing records (units) is drawn every time."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ecoinspect.common.templatetags import eco

pytestmark = pytest.mark.django_db


def panel(response) -> str:
    html = response.content.decode()
    match = re.search(r'<form method="get" class="eco-card p-3 mb-3" role="search" data-testid="problem-filters">.*?</form>', html, re.S)
    assert match, "the page shows no filter panel"
    return match.group(0)


@pytest.fixture
def unit_list(structure):
    return reverse("ledger:unit_problems", args=[structure["swj"].pk])


def test_the_kept_panel_is_the_panel_drawn_afresh(as_user, people, unit_list):
    client = as_user(people["water"])
    eco._PANELS.clear()
    for query in ("", "?warning=red", "?status=rectifying&status=closed&sort=deadline", "?registered_from=2026-02-30"):
        first = panel(client.get(unit_list + query))
        kept = len(eco._PANELS)
        again = panel(client.get(unit_list + query))
        assert again == first and len(eco._PANELS) == kept  # the second page used the kept panel
        eco._PANELS.clear()
        assert panel(client.get(unit_list + query)) == first  # and it is what drawing it again gives


def test_the_panel_follows_the_query_and_the_language(as_user, people, unit_list):
    client = as_user(people["water"])
    red = panel(client.get(unit_list + "?warning=red"))
    assert re.search(r'<option value="red" selected>', red)
    plain = panel(client.get(unit_list))
    assert not re.search(r'<option value="red" selected>', plain)
    wrong = panel(client.get(unit_list + "?registered_from=2026-02-30"))
    assert "invalid-feedback" in wrong and "invalid-feedback" not in plain
    english = panel(client.get(unit_list + "?warning=red", HTTP_ACCEPT_LANGUAGE="en"))
    assert english != red and "筛选" not in english and "筛选" in red


def test_a_panel_listing_units_is_drawn_every_time(as_user, people):
    client = as_user(people["coordinator"])
    eco._PANELS.clear()
    client.get(reverse("ledger:problem_list"))
    assert not eco._PANELS
