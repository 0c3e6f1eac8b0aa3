"""A subdistrict officer logs in through the real form and lands on their own unit's home page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sanyuanli_staff_log_in_see_their_unit_in_chinese_switch_to_english_and_a_wrong_password_is_explained(
    page, structure, make_user, tmp_path
):
    make_user("sanyuanli", structure["sanyuanli"], "staff", full_name="李街道")

    page.goto("/")
    assert "/accounts/login/" in page.url  # not logged in: sent to the log-in page

    page.fill("#id_username", "sanyuanli")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit].btn-success")
    error = page.locator('[data-testid="login-error"]')
    assert error.inner_text().strip() == "用户名或密码错误。"
    assert page.input_value("#id_username") == "sanyuanli"

    page.fill("#id_password", "pw-Baiyun-2026")
    page.click("button[type=submit].btn-success")
    page.wait_for_selector('[data-testid="my-queue"]')
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert page.locator('[data-testid="own-unit"]').inner_text().count("白云区三元里街道") == 1
    queue = page.locator('[data-testid="my-queue"]').inner_text()
    assert "我的待办" in queue and "暂无待办事项" in queue
    assert "李街道" in page.locator('[data-testid="current-user"]').inner_text()

    shot = tmp_path / "home-zh.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert len(data) > 10_000 and data[:8] == b"\x89PNG\r\n\x1a\n"

    page.click('[data-testid="language-switch"]')
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator('[data-testid="language-switch"]').inner_text().strip() == "中文"
    assert "白云区三元里街道" in page.locator('[data-testid="own-unit"]').inner_text()
    # Django's own words follow the language: the date line names the weekday in English.
    header = page.locator("main h1 + div").inner_text()
    assert any(
        day in header
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )

    page.click('[data-testid="language-switch"]')
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
