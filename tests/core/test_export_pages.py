"""The generic export page (core.views.exports), as the test app registers it for its tickets: the rows
the filter selects within one's scope, a preview, and the file built from the same selection."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import TicketFactory


def test_the_page_previews_and_the_file_holds_the_filtered_rows_in_scope(login, people, structure):
    TicketFactory(title="水务工单一", lead_unit=structure["swj"])
    TicketFactory(title="水务工单二", lead_unit=structure["swj"])
    TicketFactory(title="三元里工单", lead_unit=structure["sanyuanli"])
    client = login(people["water"])
    url = reverse("testapp:ticket_export")

    page = client.get(url, {"q": "一"}).content.decode()
    assert 'data-testid="export-preview"' in page and "<th>标题</th>" in page
    assert "水务工单一" in page and "水务工单二" not in page and "三元里工单" not in page
    assert 'href="?q=%E4%B8%80&amp;format=xlsx"' in page and 'data-testid="export-docx"' not in page

    response = client.get(url, {"format": "xlsx"})
    assert (
        response["Content-Disposition"].startswith("attachment")
        and ".xlsx" in response["Content-Disposition"]
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["水务工单一", "水务工单二"]


def test_nothing_to_export_disables_the_buttons(login, people):
    page = login(people["water"]).get(reverse("testapp:ticket_export")).content.decode()
    assert "btn-sm disabled" in page and "没有符合条件的记录。" in page


def test_the_permission_is_asked(login, people):
    assert login(people["nobody"]).get(reverse("testapp:ticket_export")).status_code == 403
