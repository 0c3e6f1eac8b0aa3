"""An import with the worker, in a browser: after the upload the page shows the job waiting, polls it (the
vendored HTMX) and shows the preview by itself once the worker has checked the file; after 确认导入 it says
the file is being written and shows the result by itself once the worker is done. Runs in Debian's Chromium."""

from __future__ import annotations

import pytest

from tests.browser.people import log_in
from tests.factories import import_row, import_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_the_page_follows_the_worker_without_being_reloaded(page, people, task_queue, run_worker, tmp_path):
    workbook = tmp_path / "台账.xlsx"
    workbook.write_bytes(import_workbook([import_row("BY-101"), import_row("BY-102")]))
    log_in(page, "coordinator")
    page.goto("/")
    page.click('.eco-sidebar a:has-text("整改台账")')
    page.click('[data-testid="import-link"]')
    page.set_input_files('[data-testid="import-form"] input[type=file]', str(workbook))
    page.click('[data-testid="import-form"] button[type=submit]')
    page.wait_for_selector('[data-testid="import-progress"][data-phase="queued"]')
    preview_url = page.url

    run_worker()
    page.wait_for_selector('[data-testid="commit-form"]')  # the poll saw it done and reloaded the page
    assert page.url == preview_url
    assert page.locator('[data-testid="count-create"]').inner_text() == "2"

    page.click('[data-testid="commit-form"] button[type=submit]')
    page.wait_for_selector('[data-testid="import-progress"][data-phase="committing"]')
    run_worker()
    page.wait_for_selector('[data-testid="import-committed"]')
    assert "导入完成：新增 2 条" in page.locator('[data-testid="import-committed"]').inner_text()
