"""A day's batch worked through the pages, as the people who do each step, in Debian's Chromium.

The inspection office opens the batch, accepts one suggestion and corrects another with a click each (the
row and the counts change in place), merges a repeat into its original, and assigns the batch by the
accepted suggestions; the water bureau finds its case in 我的待办 with both clocks, signs for it, records the
verification per claim with the enforcement figures and reports; the office approves it and opens a ledger
problem, whose page shows the case it came from.
"""

from __future__ import annotations

import os

import pytest

from tests.browser.people import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ECOINSPECT_SCREENSHOTS")  # a folder: save what each step looked like


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def row(page, number: str):
    return page.locator(f'tr[data-petition="{number}"]')


def suggestion(page, number: str, kind: str):
    return row(page, number).locator(f'[data-testid="suggestion"][data-kind="{kind}"]').first


def test_a_batch_from_triage_to_a_ledger_problem(page, structure, people):
    from ecoinspect.petitions.choices import PetitionStatus as S
    from ecoinspect.petitions.choices import SuggestionKind
    from ecoinspect.petitions.models import Petition
    from tests.factories import BatchFactory, PetitionFactory, SuggestionFactory

    page.on("dialog", lambda dialog: dialog.accept())
    u = structure
    batch = BatchFactory(number=7)
    first = PetitionFactory(batch=batch, seq=1, complaint_text="新市街道石马桥涌旁小区污水直排，河涌发黑发臭。")
    repeat = PetitionFactory(batch=batch, seq=2, complaint_text="再次反映：石马桥涌河涌发黑发臭，无人处理。")
    other = PetitionFactory(batch=batch, seq=3, complaint_text="某工地夜间施工噪声扰民。")
    SuggestionFactory(petition=first, kind=SuggestionKind.TOWN, score=0.9)
    SuggestionFactory(
        petition=first,
        kind=SuggestionKind.DEPARTMENT,
        value={"unit": u["zjj"].pk, "name": u["zjj"].name},
        reasons=["三管三必须：住建"],
        score=0.4,
    )
    SuggestionFactory(
        petition=repeat,
        kind=SuggestionKind.DUPLICATE,
        value={"petition": first.pk, "acceptance_no": first.acceptance_no, "matched": ["河涌发黑发臭"]},
        score=0.82,
    )

    # --- the office triages the batch --------------------------------------------------------------------
    log_in(page, "coordinator")
    page.goto("/petitions/batches/")
    page.click(f'text={batch}')
    page.wait_for_selector('[data-testid="batch-petitions"]')
    assert page.locator('[data-testid="triage-row"]').count() == 3
    assert row(page, repeat.acceptance_no).locator("mark").first.inner_text() == "河涌发黑发臭"
    shot(page, "1-batch")

    suggestion(page, first.acceptance_no, "town").locator('[data-testid="accept"]').click()
    page.wait_for_selector(f'tr[data-petition="{first.acceptance_no}"] [data-kind="town"][data-decision="accepted"]')
    counts = page.locator('#suggestion-counts tr[data-kind="town"] [data-count="accepted"]')
    assert counts.inner_text() == "1"

    suggestion(page, first.acceptance_no, "department").locator('[data-testid="correct"]').click()
    form = row(page, first.acceptance_no).locator('[data-testid="correct-form"]')
    form.locator('select[name="unit"]').select_option(label=u["swj"].name)
    shot(page, "2-correct")
    form.locator('button[type="submit"]').click()
    page.wait_for_selector(f'tr[data-petition="{first.acceptance_no}"] [data-kind="department"][data-decision="corrected"]')
    assert u["swj"].name in suggestion(page, first.acceptance_no, "department").inner_text()
    assert page.locator('#suggestion-counts tr[data-kind="department"] [data-count="corrected"]').inner_text() == "1"

    suggestion(page, repeat.acceptance_no, "duplicate").locator('[data-testid="accept"]').click()
    page.wait_for_selector(f'tr[data-petition="{repeat.acceptance_no}"].eco-merged')
    assert Petition.objects.get(pk=repeat.pk).duplicate_of_id == first.pk

    row(page, first.acceptance_no).locator('[data-testid="select-petition"]').check()
    row(page, other.acceptance_no).locator('[data-testid="select-petition"]').check()
    page.click('[data-testid="bulk-assign-suggested"]')
    page.wait_for_selector('[data-testid="selection-summary"]')
    shot(page, "3-assigned")
    assert page.locator(f'tr[data-petition="{first.acceptance_no}"]').get_attribute("data-done") == "1"
    assert page.locator(f'tr[data-petition="{other.acceptance_no}"]').get_attribute("data-done") == "0"
    assert "牵头部门建议尚未采纳" in page.locator(f'tr[data-petition="{other.acceptance_no}"]').inner_text()

    # --- the water bureau: 我的待办, sign, verify per claim, report ------------------------------------------
    log_in(page, "water")
    page.goto("/")
    item = page.locator('[data-testid="queue-item"]', has_text=first.acceptance_no)
    assert item.locator('[data-testid="queue-due"]').count() == 1
    assert item.locator('[data-testid="queue-due-external"]').count() == 1
    item.locator("a").first.click()
    page.click('[data-action="sign"]')
    page.wait_for_selector('[data-testid="handling-link"]')
    page.click('[data-testid="handling-link"]')
    page.fill("#id_claims-0-text", "小区污水直排河涌")
    page.fill("#id_claims-0-finding", "现场发现一处雨污混接排口")
    page.select_option("#id_claims-0-verdict", "true")
    page.fill("#id_investigation", "经现场核查，石马桥涌旁小区存在雨污混接。")
    page.fill("#id_closure_target", "一个月内完成雨污分流改造。")
    page.fill("#id_handling", "责令物业整改，已封堵混接排口。")
    page.fill("#id_rectify_orders", "1")
    page.select_option("#id_closure_status", "stage_closed")
    shot(page, "4-handling")
    page.click('[data-testid="report-handling"]')
    page.wait_for_selector('[data-testid="petition-status"]')
    assert "已反馈" in page.locator('[data-testid="petition-status"]').inner_text()

    # --- the office approves and opens a ledger problem ---------------------------------------------------
    log_in(page, "coordinator")
    page.goto(f"/petitions/{first.pk}/")
    page.click('[data-action="approve"]')
    page.wait_for_selector('[data-testid="open-problem"]')
    page.click('[data-testid="open-problem"]')
    page.wait_for_selector('[data-testid="linked-problem"]')
    shot(page, "5-case")
    page.click('[data-testid="linked-problem"]')
    related = page.locator('[data-testid="related-petitions"]')
    assert first.acceptance_no in related.inner_text()
    assert Petition.objects.get(pk=first.pk).status == S.APPROVED
