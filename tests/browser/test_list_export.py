"""The list's export button, clicked in a browser on a searched list, downloads exactly the rows on the
screen; the 配合单位 field is a searchable multi-select (Tom Select). Runs in Debian's Chromium."""

from __future__ import annotations

import openpyxl
import pytest

from tests.browser.people import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def numbers_on_screen(page) -> list[str]:
    """The problem number of each row: the first data cell's link (the office's selection checkbox comes
    before it and is not exported)."""
    return [
        n.strip()
        for n in page.eval_on_selector_all(
            '[data-testid="list-table"] tbody tr',
            "rows => rows.map(r => r.querySelector('td:not(.eco-select) a')).filter(a => a).map(a => a.innerText)",
        )
    ]


def test_the_export_of_a_searched_list_holds_the_rows_on_the_screen(page, people, tmp_path):
    from tests.factories.ledger import ProblemFactory

    for i in range(4):
        ProblemFactory(title=f"【测试】第{i}号工地扬尘防治不到位", override_reason="测试指定")
    for i in range(3):
        ProblemFactory(title=f"【测试】第{i}号排水口污水直排")

    log_in(page, "coordinator")
    page.goto("/")
    page.click('.eco-sidebar a:has-text("整改台账")')
    page.fill('[data-testid="problem-filters"] input[name="q"]', "扬尘")
    page.click('[data-testid="problem-filters"] button[type=submit]')
    page.wait_for_url("**q=*")
    on_screen = numbers_on_screen(page)
    assert len(on_screen) == 4
    assert page.locator('[data-testid="pagination"]').get_attribute("data-total") == "4"

    with page.expect_download() as download:
        page.click('[data-testid="export-xlsx"]')
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == on_screen
    assert all("扬尘" in r[1] for r in rows[1:])


def test_cooperating_units_are_chosen_by_typing(page, people):
    log_in(page, "coordinator")
    page.goto("/ledger/")
    page.click('[data-testid="register-problem"]')
    page.wait_for_load_state("load")
    control = page.locator("#id_cooperating_units-ts-control")
    control.click()
    control.type("水务")
    page.locator(".ts-dropdown .option", has_text="区水务局").click()
    control.type("三元里")
    page.locator(".ts-dropdown .option", has_text="三元里街道").click()
    chosen = page.eval_on_selector(
        "#id_cooperating_units", "el => Array.from(el.selectedOptions).map(o => o.text)"
    )
    assert chosen == ["区水务局", "三元里街道"]
    assert page.locator("#id_cooperating_units + .ts-wrapper .item").count() == 2


def test_in_english_at_1440_px_the_problem_list_fits_its_card(page, people):
    """Long English status and progress badges wrap inside their cells: at 1440 × 900 the list table is no
    wider than its card, so nothing has to be scrolled sideways — with the longest unit name on the page too."""
    from ecoinspect.ledger.choices import ProblemSource, ProblemStatus
    from tests.factories.ledger import ProblemFactory
    from tests.factories.orgs import unit

    statuses = (ProblemStatus.ACCEPTED, ProblemStatus.COMPLETED, ProblemStatus.RECTIFYING, ProblemStatus.CLOSED)
    for status in statuses:
        ProblemFactory(
            status=status,
            source=ProblemSource.FEEDBACK,
            title="【测试】某五金厂夜间偷排工业废水，河涌发黑发臭，群众多次反映",
        )
    ProblemFactory(status=ProblemStatus.RECTIFYING, lead_unit=unit("ghzy"), title="【测试】山体采石场扬尘")  # 规划和自然资源分局
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, "coordinator")
    page.click('[data-testid="language-switch"]')
    page.wait_for_selector('html[lang="en"]')
    page.goto("/ledger/")
    page.wait_for_selector('[data-testid="list-table"] tbody tr')
    assert "Accepted, awaiting public notice" in page.inner_text('[data-testid="list-table"]')
    widths = page.eval_on_selector(
        '[data-testid="list-table"]',
        "t => ({table: t.scrollWidth, card: t.closest('.table-responsive').clientWidth})",
    )
    assert widths["table"] <= widths["card"], widths
