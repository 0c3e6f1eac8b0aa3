"""One problem from registration to closing, through the pages, as the people who do each step.

The inspection office registers it (the 推荐 button proposes the lead unit and the town, with reasons) and
assigns it; the water bureau finds it on its own list, starts, adds a measure, reports, uploads a photo and
asks for acceptance; the ecology branch's reviewer accepts it on site; the publisher starts the publicity,
cannot close before it ends, and closes it once it has ended. Runs in Debian's Chromium (tests/browser/
conftest.py skips it, saying why, where Chromium is absent).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from tests.browser.people import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def status_of(page) -> str:
    return page.locator('[data-testid="problem-status"]').inner_text().strip()


def actions_of(page) -> list[str]:
    return [
        a.strip() for a in page.locator('[data-testid="problem-actions"] [data-action]').all_inner_texts()
    ]


def open_form(page, name: str) -> None:
    """Unfold a collapsed form and wait until Bootstrap has finished showing it (no half-open clicks)."""
    page.wait_for_load_state("load")  # Bootstrap's handlers are attached once its script has run
    page.click(f'[data-testid="open-{name}-form"]')
    page.wait_for_selector(f"#{name}-form.collapse.show")


def flash(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def photo(tmp_path):
    from PIL import Image

    image = Image.new("RGB", (640, 480), (40, 120, 60))
    for x in range(0, 640, 7):
        image.putpixel((x, 240), (250, 250, 250))
    path = tmp_path / "排水口封堵后.png"
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_problem_from_registration_to_closing(page, structure, people, tmp_path):
    from ecoinspect.ledger.models import Problem, Publicity

    page.on("dialog", lambda dialog: dialog.accept())  # the 交办 / 申请验收 / 销号 buttons ask to confirm
    u = structure
    deadline = timezone.localdate() + dt.timedelta(days=45)

    # --- the inspection office registers the problem; the system proposes who leads it and why ---------
    log_in(page, "coordinator")
    page.goto("/ledger/")
    page.click('[data-testid="register-problem"]')
    page.fill("#id_title", "新市涌支涌排水口旱季污水直排")
    page.fill("#id_description", "群众反映排水口旱季持续排出黑臭污水。")
    page.select_option("#id_source", "feedback")
    page.fill("#id_address", "白云区三元里街道新市涌沿岸")
    page.check("#id_problem_types_1")  # 水
    page.click('[data-testid="propose-routing"]')
    reasons = page.locator('[data-testid="routing-reasons"]')
    reasons.wait_for()
    assert "三管三必须「城镇污水、河涌与排水」→ 区水务局" in reasons.inner_text()
    assert "所在镇街 三元里街道" in reasons.inner_text()
    assert page.input_value("#id_lead_unit") == str(u["swj"].pk)  # filled in place
    assert page.input_value("#id_town") == str(u["sanyuanli"].pk)
    page.select_option("#id_acceptance_unit", str(u["sthj"].pk))
    page.fill("#id_responsible_leader", "王副区长")
    page.fill("#id_target", "排水口旱季无污水直排，河涌水体无黑臭。")
    page.fill("#id_deadline", deadline.isoformat())
    page.click("#problem-form button[type=submit]")

    page.wait_for_selector('[data-testid="problem-number"]')
    number = page.locator('[data-testid="problem-number"]').inner_text().strip()
    assert re.fullmatch(r"ZG-\d{4}-\d{4}", number)
    assert f"已登记 {number}" in flash(page)
    assert status_of(page) == "已登记"
    routing = page.locator('[data-testid="routing-reason"]').inner_text()
    assert "系统推荐牵头单位：三管三必须「城镇污水、河涌与排水」" in routing and "三元里街道" in routing
    assert actions_of(page) == ["交办"]
    page.click('[data-action="assign"]')
    page.wait_for_selector("text=牵头单位已收到通知")
    assert status_of(page) == "已交办"
    problem_url = page.url

    # --- the water bureau finds it on its own list and works it --------------------------------------------
    log_in(page, "water")
    page.click('[data-testid="unit-ledger-link"]')
    page.wait_for_selector('[data-testid="unit-counts"]')
    assert "白云区水务局 整改清单" in page.locator("h1").inner_text()
    assert page.locator('[data-count="lead"]').inner_text() == "1"
    page.click(f"text={number}")
    page.wait_for_selector('[data-testid="problem-number"]')
    assert actions_of(page) == ["开始整改"]
    assert page.locator('[data-testid="manage-menu"]').count() == 0  # no office tools for a unit
    page.click('[data-action="start"]')
    page.wait_for_selector("text=已开始整改")
    assert status_of(page) == "整改中"

    open_form(page, "measure")
    page.fill("#measure_content", "封堵排水口，将沿街商铺污水接入市政管网")
    page.fill("#measure_owner_person", "黄工")
    page.fill("#measure_deadline", (timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.click("#measure-form button[type=submit]")
    page.wait_for_selector("text=已新增整改措施")
    measures = page.locator('[data-testid="measures"]')
    assert (
        "封堵排水口，将沿街商铺污水接入市政管网" in measures.inner_text() and "黄工" in measures.inner_text()
    )
    measures.locator("button", has_text="完成").click()
    page.wait_for_selector("text=措施已标记完成")

    open_form(page, "report")
    page.check("#report_progress_status_3")  # 已完成
    page.fill("#report_text", "排水口已封堵，商铺污水已接驳，旱季巡查无污水外排。")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=已报送整改进展")

    open_form(page, "evidence")
    page.set_input_files("#evidence_file", str(photo(tmp_path)))
    page.fill("#evidence_description", "封堵后的排水口")
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector("text=已上传 排水口封堵后.png")
    evidence = page.locator('[data-testid="evidence"]')
    assert "SHA-256 " in evidence.inner_text()
    thumb = page.locator('[data-testid="evidence-thumb"]')
    thumb.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", thumb.element_handle())  # it loads

    page.click('[data-action="request_acceptance"]')
    page.wait_for_selector("text=已申请验收")
    assert status_of(page) == "申请验收"
    assert actions_of(page) == []

    # --- the ecology branch's reviewer accepts it on site -------------------------------------------------
    log_in(page, "reviewer")
    page.goto(problem_url)
    assert actions_of(page) == ["开始验收", "验收通过", "验收退回"]
    page.click('[data-action="accept"]')
    page.check("#id_method_0")  # 现场核查
    page.fill("#id_opinion", "现场核查：排水口已封堵，河涌无黑臭，同意验收。")
    page.click("form.eco-card button[type=submit]")
    page.wait_for_selector("text=验收通过，待发布销号公示")
    assert status_of(page) == "验收通过待公示"
    assert "同意验收" in page.locator('[data-testid="acceptances"]').inner_text()

    # --- the publisher starts the publicity; closing has to wait for it to end ---------------------------
    log_in(page, "publisher")
    page.goto(problem_url)
    assert actions_of(page) == ["发布销号公示"]
    page.click('[data-action="start_publicity"]')
    page.check("#id_period_1")  # 2 周
    page.fill("#id_objection_phone", "020-86000000")
    page.click("form.eco-card button[type=submit]")
    page.wait_for_selector("text=已发布销号公示")
    assert status_of(page) == "公示中"
    assert "020-86000000" in page.locator('[data-testid="publicities"]').inner_text()
    page.click('[data-action="close"]')
    page.wait_for_selector("text=期满后方可销号")
    assert status_of(page) == "公示中"

    # Two weeks cannot pass in a test: the publicity period is moved into the past through the ORM.
    problem = Problem.objects.get(number=number)
    Publicity.objects.filter(problem=problem).update(
        starts_on=timezone.localdate() - dt.timedelta(days=15),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    page.reload()
    page.click('[data-action="close"]')
    page.wait_for_selector("text=已销号。")
    assert status_of(page) == "已销号"

    # the whole story is on the timeline, newest first, and the record is closed for everyone
    timeline = page.locator('[data-testid="timeline"]').inner_text()
    steps = [
        "销号",
        "发布销号公示",
        "验收通过",
        "申请验收",
        "上传佐证材料",
        "报送整改进展",
        "整改措施完成",
        "新增整改措施",
        "开始整改",
        "交办",
        "登记问题",
    ]
    positions = [timeline.find(step) for step in steps]
    assert all(p >= 0 for p in positions), dict(zip(steps, positions))
    assert positions == sorted(positions)
    assert "期满后方可销号" in timeline  # the refused early close is on record too
    problem.refresh_from_db()
    assert problem.status == "closed" and problem.progress_status == "accepted_closed"

    log_in(page, "water")
    page.goto(f"/ledger/units/{u['swj'].pk}/?status=closed")
    assert number in page.locator('[data-testid="list-table"]').inner_text()
    assert "已销号" in page.locator('[data-testid="list-table"]').inner_text()
