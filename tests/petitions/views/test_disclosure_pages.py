"""The publisher's disclosure pages, as a publisher uses them: from the batch to its preview with every
masking highlighted, correcting a masked text, 公开, and the Word and Excel files — opened with python-docx
and openpyxl and compared with the rows the preview showed."""

from __future__ import annotations

import io
from urllib.parse import urljoin

import docx
import lxml.html
import openpyxl
import pytest

from ecoinspect.petitions import disclosure as pub
from ecoinspect.petitions.choices import ClosureStatus, Origin, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Disclosure, Petition
from tests.factories import BatchFactory, PetitionFactory

PERSONAL = "举报人张伟反映，其住机场路12号5栋1203房，电话13812345678，粤A12345的货车夜间偷倒。"
HEADERS = [str(c.header) for c in pub.COLUMNS]


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def href(response, testid: str) -> str:
    """The address a link of the page leads to (relative links resolved as a browser does)."""
    return urljoin(response.wsgi_request.get_full_path(), one(page(response), testid).get("href"))


def one(tree, testid: str):
    [element] = tree.xpath(f'//*[@data-testid="{testid}"]')
    return element


def preview_rows(tree) -> list[list[str]]:
    table = one(tree, "disclosure-preview")
    return [
        [td.xpath('.//span[@class="eco-cell-text"]')[0].text_content() for td in tr.xpath("./td")]
        for tr in table.xpath("./tbody/tr")
    ]


@pytest.fixture
def batch(people):
    batch = BatchFactory(number=12)
    PetitionFactory(batch=batch, seq=1, status=S.APPROVED, complaint_text=PERSONAL)
    PetitionFactory(batch=batch, seq=2, status=S.APPROVED, complaint_text="=HYPERLINK(\"http://x\") 白云大道北1号噪声")
    PetitionFactory(batch=batch, seq=3, status=S.VERIFYING, complaint_text="尚在办理，不公开。")
    return batch


def open_preview(login, people, batch):
    client = login(people["publisher"])
    detail = page(client.get(batch.get_absolute_url()))
    return client, client.get(one(detail, "batch-disclosure-link").get("href"))


def test_the_preview_lists_the_approved_cases_with_every_masking_highlighted(login, people, batch):
    client, response = open_preview(login, people, batch)
    tree = page(response)
    assert [th.text_content() for th in one(tree, "disclosure-preview").xpath("./thead/tr/th")] == HEADERS
    rows = preview_rows(tree)
    assert [r[0] for r in rows] == ["1", "2"]  # the case still being handled is not in it
    assert rows[0][2] == "举报人张某反映，其住机场路12号5栋**房，电话138****5678，粤A****5的货车夜间偷倒。"
    marks = tree.xpath('//table[@data-testid="disclosure-preview"]//mark')
    assert [(m.get("data-kind"), m.text_content()) for m in marks] == [
        ("name", "张某"),
        ("address", "**房"),
        ("phone", "138****5678"),
        ("plate", "粤A****5"),
    ]
    assert "张伟" in marks[0].get("title")  # the publisher sees what was masked
    assert "2 件，自动脱敏 4 处" in one(tree, "preview-summary").text_content()


def test_the_publisher_corrects_a_masked_text_from_the_preview(login, people, batch):
    client, response = open_preview(login, people, batch)
    tree = page(response)
    edit = tree.xpath('//tr[1]//a[@data-testid="edit-complaint_text"]')[0].get("href")
    form = page(client.get(edit))
    assert one(form, "source-text").text_content() == PERSONAL
    version = form.xpath('//input[@name="expected_version"]')[0].get("value")
    corrected = "举报人反映，某小区旁有货车夜间偷倒。"
    saved = client.post(edit, {"text": corrected, "expected_version": version}, follow=True)
    tree = page(saved)
    assert preview_rows(tree)[0][2] == corrected
    assert tree.xpath('//tr[1]//td[@data-column="complaint_text"]//*[@data-testid="corrected"]')


def test_disclosing_and_the_files_match_the_preview(login, people, batch):
    client, response = open_preview(login, people, batch)
    tree = page(response)
    shown = preview_rows(tree)
    form = one(tree, "disclose-form")
    token = form.xpath('.//input[@name="csrfmiddlewaretoken"]')[0].get("value")
    landed = client.post(form.get("action"), {"csrfmiddlewaretoken": token}, follow=True)
    after = page(landed)
    assert Petition.objects.filter(batch=batch, status=S.DISCLOSED).count() == 2
    assert one(after, "nothing-to-disclose") is not None
    published = [[td.text_content() for td in tr.xpath("./td")] for tr in one(after, "published-table-1").xpath("./tbody/tr")]
    assert published == shown

    workbook = client.get(href(landed, "download-xlsx"))
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "群众信访举报转办和边督边改公开情况一览表（第十二批）"
    start = values.index(HEADERS) + 1
    body = [["" if v is None else str(v) for v in row] for row in values[start : start + 2]]
    formula_cell = sheet.cell(row=start + 2, column=3)
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("=HYPERLINK")  # never a formula
    assert body == shown[:2]  # shown as written

    word = docx.Document(io.BytesIO(client.get(href(landed, "download-docx")).content))
    assert word.paragraphs[0].text == "群众信访举报转办和边督边改公开情况一览表（第十二批）"
    [table] = word.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == HEADERS
    assert cells[1:] == shown


def test_a_stage_closed_case_disclosed_again_shows_both_disclosures(login, people, batch):
    from tests.petitions.services.test_disclosure import test_a_stage_closed_case_is_disclosed_again_when_done

    other = BatchFactory(number=13)
    test_a_stage_closed_case_is_disclosed_again_when_done(people, other)
    client = login(people["publisher"])
    tree = page(client.get(f"/petitions/batches/{other.pk}/disclosure/"))
    first, second = one(tree, "published-table-1"), one(tree, "published-table-2")
    assert first.xpath('.//td[@data-column="closure_status"]')[0].text_content() == "阶段性办结"
    assert "前次公开：阶段性办结" in second.xpath('.//td[@data-column="closure_status"]')[0].text_content()
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/petitions/batches/{other.pk}/disclosure/?format=xlsx").content))
    texts = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert any(str(t).startswith("第一次公开") for t in texts) and any(str(t).startswith("第二次公开") for t in texts)


def test_a_history_batch_is_previewed_and_exported_masked_without_being_disclosed(login, people):
    history = BatchFactory(number=4, origin=Origin.HISTORY)
    PetitionFactory(
        batch=history,
        seq=1,
        origin=Origin.HISTORY,
        complaint_text=PERSONAL,
        verdict=Verdict.TRUE,
        handling="已责令整改。",
        closure_status=ClosureStatus.CLOSED,
    )
    client = login(people["publisher"])
    response = client.get(f"/petitions/batches/{history.pk}/disclosure/")
    tree = page(response)
    assert one(tree, "history-note") is not None and not tree.xpath('//*[@data-testid="disclose-form"]')
    shown = preview_rows(tree)
    book = openpyxl.load_workbook(io.BytesIO(client.get(href(response, "download-xlsx")).content))
    values = [["" if c.value is None else str(c.value) for c in row] for row in book.active.iter_rows()]
    assert values[values.index(HEADERS) + 1] == shown[0]
    assert "13812345678" not in str(values) and "张伟" not in str(values)
    assert not Disclosure.objects.exists()


def test_nothing_disclosed_yet_means_no_file(login, people, batch):
    response = login(people["publisher"]).get(f"/petitions/batches/{batch.pk}/disclosure/?format=docx", follow=True)
    assert "本批次尚未公开" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?format=xlsx"])
def test_a_unit_cannot_open_the_disclosure_of_its_own_cases(login, people, batch, query):
    response = login(people["water"]).get(f"/petitions/batches/{batch.pk}/disclosure/{query}")
    assert response.status_code == 403
