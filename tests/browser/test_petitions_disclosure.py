"""The publisher discloses a batch in the browser — preview with the maskings, one correction, 公开 — and
anyone then finds the table and a case's status on the public pages, without logging in."""

from __future__ import annotations

import os

import pytest

from ecoinspect.petitions.choices import PetitionStatus as S
from tests.factories import BatchFactory, PetitionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAL = "举报人张伟反映，其住机场路12号5栋1203房，电话13812345678，粤A12345的货车夜间在白云大道北1号旁偷倒建筑垃圾。"


def test_a_batch_from_preview_to_public_page(page, people, tmp_path, live_server):
    batch = BatchFactory(number=3)
    first = PetitionFactory(batch=batch, seq=1, status=S.APPROVED, complaint_text=PERSONAL)
    PetitionFactory(batch=batch, seq=2, status=S.APPROVED, complaint_text="白云大道北1号工地夜间施工噪声扰民。")
    shots = os.environ.get("ECOINSPECT_SCREENSHOTS")

    page.goto("/accounts/login/")
    page.fill("#id_username", "publisher")
    page.fill("#id_password", "pw-Baiyun-2026")
    page.click("button[type=submit].btn-success")
    page.wait_for_selector('[data-testid="current-user"]')
    page.goto(batch.get_absolute_url())
    page.click('[data-testid="batch-disclosure-link"]')
    marks = page.locator('[data-testid="disclosure-preview"] mark')
    assert marks.count() == 4
    assert "张伟" in marks.first.get_attribute("title")
    if shots:
        page.screenshot(path=os.path.join(shots, "disclosure-preview.png"), full_page=True)

    page.locator('tr:first-child [data-testid="edit-complaint_text"]').click()
    page.fill("#id_text", "举报人反映，某小区旁有货车夜间在白云大道北1号旁偷倒建筑垃圾。")
    if shots:
        page.screenshot(path=os.path.join(shots, "disclosure-correct.png"), full_page=True)
    page.click("form button[type=submit].btn-success")
    page.wait_for_selector('[data-testid="corrected"]')

    page.once("dialog", lambda dialog: dialog.accept())
    page.click('[data-testid="disclose"]')
    page.wait_for_selector('[data-testid="published-table-1"]')
    assert "已公开" in page.locator(".alert-success").inner_text()

    public = page.context.browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    public.goto("/public/petitions/")
    public.click('[data-testid="public-batches"] a')
    table = public.locator('[data-testid="published-table-1"]').inner_text()
    assert "某小区旁有货车" in table and "张伟" not in table and "13812345678" not in table
    if shots:
        public.screenshot(path=os.path.join(shots, "public-batch.png"), full_page=True)
    public.goto("/public/petitions/")
    public.fill("#id_no", first.acceptance_no)
    public.click('[data-testid="lookup-form"] button[type=submit]')
    assert public.locator('[data-testid="public-stage"]').inner_text() == "已公开办理结果"
    if shots:
        public.screenshot(path=os.path.join(shots, "public-status.png"), full_page=True)
    public.context.close()
