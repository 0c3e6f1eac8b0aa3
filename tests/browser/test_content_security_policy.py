"""Under the Content-Security-Policy the pages still work and the browser reports no violation (issue #10).

Chromium logs every refused script, style, image, font or connection to the console and fires a
``securitypolicyviolation`` event; both are collected on each main page — the home page, the ledger list,
a problem page, the ledger dashboard's charts (with a tooltip shown), the problem form's HTMX 推荐 button
and the special plan form's 添加时间节点, the petitions list, a case, a batch (an HTMX toggle clicked), the
figures page's charts, the disclosure preview, the inbox, the API's docs page, the log-in page and the
public pages.
"""

from __future__ import annotations

import pytest

from tests.browser.people import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "") +
                              " at " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP complaint (console or event) and every script error collected."""
    complaints: list[str] = []
    page.add_init_script(COLLECT)
    page.on(
        "console",
        lambda m: (
            complaints.append(f"console: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(f"script error: {error}"))
    page.complaints = complaints
    return page


def visit(page, url: str, ready: str = "main") -> None:
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_selector(ready)
    page.wait_for_load_state("load")


def violations(page) -> list[str]:
    """What the policy refused on this page so far (and forget it, so each page reports its own)."""
    page.wait_for_timeout(150)  # a violation event is queued as a task
    found = [*page.complaints, *page.evaluate("window.__cspViolations.splice(0)")]
    page.complaints.clear()
    return found


def _data():
    from ecoinspect.ledger.choices import ProblemStatus
    from tests.factories import BatchFactory, PetitionFactory, ProblemFactory

    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    ProblemFactory(status=ProblemStatus.ASSIGNED)
    batch = BatchFactory()
    petition = PetitionFactory(batch=batch, seq=1)
    PetitionFactory(batch=batch, seq=2, complaint_text="某工地夜间施工噪声扰民。")
    return problem, batch, petition


def test_the_main_pages_work_without_a_single_policy_violation(watched, structure, people):
    page = watched
    problem, batch, petition = _data()
    seen: dict[str, list[str]] = {}
    visit(page, "/accounts/login/", "#id_username")
    seen["log-in page"] = violations(page)
    visit(page, "/public/petitions/")
    seen["public page"] = violations(page)
    log_in(page, "coordinator")

    visit(page, "/")
    seen["home"] = violations(page)
    visit(page, "/ledger/", "table")
    seen["ledger list"] = violations(page)
    visit(page, f"/ledger/{problem.pk}/")
    seen["problem page"] = violations(page)

    visit(page, "/ledger/dashboard/", "#chart-status canvas")
    page.hover("#chart-status canvas", position={"x": 200, "y": 150})  # ECharts draws its tooltip as HTML
    page.wait_for_timeout(300)
    seen["ledger dashboard (charts)"] = violations(page)

    visit(page, "/ledger/new/", "#id_address")
    page.fill("#id_title", "石马桥涌排水口污水直排")
    page.fill("#id_address", "白云区三元里街道石马桥涌")
    with page.expect_response(lambda r: "/ledger/new/proposal/" in r.url):
        page.click('[hx-indicator="#routing-spinner"]')  # HTMX, with its request indicator
    seen["problem form (HTMX 推荐)"] = violations(page)

    visit(page, f"/ledger/{problem.pk}/plans/new/", "#add-milestone")
    before = page.locator("#milestones .row").count()
    page.click("#add-milestone")
    assert page.locator("#milestones .row").count() == before + 1  # the moved script still runs
    seen["plan form"] = violations(page)

    visit(page, "/petitions/", "table")
    seen["petitions list"] = violations(page)
    visit(page, f"/petitions/{petition.pk}/")
    seen["petition page"] = violations(page)
    visit(page, f"/petitions/batches/{batch.pk}/", '[data-testid="toggle-key"]')
    toggle = page.locator('[data-testid="toggle-key"]').first
    pressed = toggle.get_attribute("aria-pressed")
    toggle.click()
    flipped = "false" if pressed == "true" else "true"
    # (no wait_for_function: Playwright evaluates its string with eval, which the policy refuses)
    page.wait_for_selector(f'[data-testid="toggle-key"][aria-pressed="{flipped}"]')
    seen["batch (HTMX toggle)"] = violations(page)
    visit(page, "/petitions/figures/", "#chart-days canvas")
    seen["figures (charts)"] = violations(page)
    visit(page, f"/petitions/batches/{batch.pk}/disclosure/")
    seen["disclosure preview"] = violations(page)
    visit(page, "/notifications/")
    seen["inbox"] = violations(page)
    visit(page, "/api/v1/docs", "#swagger-ui .info")
    seen["API docs"] = violations(page)

    refused = [f"{name}: {item}" for name, found in seen.items() for item in found]
    assert refused == [], "\n".join(refused)


def test_the_tools_the_pages_load_are_all_running(watched, structure, people):
    """Nothing was refused quietly: Bootstrap, HTMX (with its eval switched off), Tom Select and ECharts are
    all there, and HTMX took its configuration from the page."""
    page = watched
    log_in(page, "coordinator")
    visit(page, "/ledger/dashboard/", "#chart-status canvas")
    loaded = page.evaluate(
        """() => ({bootstrap: !!window.bootstrap, htmx: !!window.htmx, tomselect: !!window.TomSelect,
                  echarts: !!window.echarts, indicatorStyles: htmx.config.includeIndicatorStyles,
                  allowEval: htmx.config.allowEval, injectedStyles: document.querySelectorAll('style').length})"""
    )
    assert loaded == {
        "bootstrap": True,
        "htmx": True,
        "tomselect": True,
        "echarts": True,
        "indicatorStyles": False,
        "allowEval": False,
        "injectedStyles": 0,
    }
    assert violations(page) == []
