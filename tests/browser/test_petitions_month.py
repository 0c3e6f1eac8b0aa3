"""One batch from the inspectors' file to the public page, in Debian's Chromium, as the people who do each step.

The office uploads the evening's transfer table (a real .xlsx with a merged title row), reads the preview
(a case outside the district flagged), commits, accepts the suggested lead department on the batch page and
assigns by the suggestions; the ecology bureau signs for its case from 我的待办, verifies and reports; the
office approves; the publisher discloses the batch; anyone then reads the masked table on the public page
and the case's status by its number.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.browser.people import log_in
from tests.petitions import batch_files as bf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13812345678"


def the_evening_table(tmp_path):
    cases = [list(c) for c in bf.CASES]
    cases[0][2] = f"白云区太和镇大源村某五金厂夜间排放刺鼻废气，举报人电话{PHONE}，附近居民无法开窗。"
    path = tmp_path / "第5批.xlsx"
    path.write_bytes(bf.xlsx(bf.TRANSFER, cases))
    return path, cases[0][1]


def test_a_batch_from_the_inspectors_file_to_the_public_page(page, structure, people, make_user, tmp_path, live_server):
    from ecoinspect.petitions.choices import PetitionStatus as S
    from ecoinspect.petitions.models import Petition, TransferBatch

    page.on("dialog", lambda dialog: dialog.accept())
    make_user("eco", structure["sthj"], "staff")
    path, number = the_evening_table(tmp_path)

    # --- the office takes the batch: upload, preview, commit ------------------------------------------
    log_in(page, "coordinator")
    page.goto("/petitions/batches/")
    page.click('[data-testid="batch-import-link"]')
    page.fill("#id_batch", "5")
    assert page.input_value("#id_received_on"), "the form starts on today's date"
    page.set_input_files("#id_file", str(path))
    page.click('[data-testid="import-form"] button[type=submit]')
    page.wait_for_selector('[data-testid="commit-form"]')
    assert page.locator('[data-testid="count-create"]').inner_text() == "3"
    assert "疑似不在本区" in page.locator('[data-testid="import-rows"]').inner_text()  # the Tianhe row
    page.click('[data-testid="commit-form"] button[type=submit]')
    page.wait_for_selector('[data-testid="import-committed"]')
    batch = TransferBatch.objects.get(number=5)
    case = Petition.objects.get(acceptance_key=number)
    assert case.town.code == "taihe" and case.raw  # the raw row kept, the town matched

    # --- the batch page: accept the suggested department, assign by the suggestions -------------------------
    page.goto(batch.get_absolute_url())
    row = page.locator(f'tr[data-petition="{number}"]')
    department = row.locator('[data-testid="suggestion"][data-kind="department"]').first
    assert "生态环境分局" in department.inner_text()
    department.locator('[data-testid="accept"]').click()
    page.wait_for_selector(f'tr[data-petition="{number}"] [data-kind="department"][data-decision="accepted"]')
    row.locator('[data-testid="select-petition"]').check()
    page.click('[data-testid="bulk-assign-suggested"]')
    page.wait_for_selector('[data-testid="selection-summary"]')
    assert Petition.objects.get(pk=case.pk).status == S.ASSIGNED

    # --- the ecology bureau: 我的待办 → sign → verify → report ----------------------------------------------
    log_in(page, "eco")
    page.goto("/")
    page.locator('[data-testid="queue-item"]', has_text=number).locator("a").first.click()
    page.click('[data-action="sign"]')
    page.click('[data-testid="handling-link"]')
    page.fill("#id_claims-0-text", "五金厂夜间排放刺鼻废气")
    page.fill("#id_claims-0-finding", "现场检查发现喷涂工序废气未经处理直排")
    page.select_option("#id_claims-0-verdict", "true")
    page.fill("#id_investigation", f"经现场核查，该厂喷涂废气未经处理直排。联系电话{PHONE}的举报人已回复。")
    page.fill("#id_closure_target", "完成废气治理设施建设。")
    page.fill("#id_handling", "责令停产整改，立案处罚。")
    page.fill("#id_rectify_orders", "1")
    page.select_option("#id_closure_status", "closed")
    page.click('[data-testid="report-handling"]')
    page.wait_for_selector('[data-testid="petition-status"]')

    # --- the office approves; the publisher discloses the batch ---------------------------------------------
    log_in(page, "coordinator")
    page.goto(f"/petitions/{case.pk}/")
    page.click('[data-action="approve"]')
    page.wait_for_selector('[data-testid="open-problem"]')
    log_in(page, "publisher")
    page.goto(batch.get_absolute_url())
    page.click('[data-testid="batch-disclosure-link"]')
    preview = page.locator('[data-testid="disclosure-preview"]')
    assert PHONE in preview.locator("mark").first.get_attribute("title")  # the masking is shown, with what it hid
    page.click('[data-testid="disclose"]')
    page.wait_for_selector('[data-testid="published-table-1"]')
    assert Petition.objects.get(pk=case.pk).status == S.DISCLOSED

    # --- anyone: the public table and the status by 受理编号 -------------------------------------------------
    public = page.context.browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    public.goto("/public/petitions/")
    public.click('[data-testid="public-batches"] a')
    table = public.locator('[data-testid="published-table-1"]').inner_text()
    assert "五金厂" in table and PHONE not in table and "责令停产整改" in table
    with public.expect_download() as download:
        public.click('[data-testid="public-xlsx"]')
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = [str(c) for r in book.active.iter_rows(values_only=True) for c in r if c is not None]
    assert any("五金厂" in c for c in cells) and not any(PHONE in c for c in cells)
    assert any(number in c for c in cells)  # the case's row, as the page shows it
    public.goto("/public/petitions/")
    public.fill("#id_no", number)
    public.click('[data-testid="lookup-form"] button[type=submit]')
    assert public.locator('[data-testid="public-stage"]').inner_text() == "已公开办理结果"
    public.context.close()
