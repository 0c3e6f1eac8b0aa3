"""A Playwright page driving Debian's Chromium against pytest-django's live server.

Skipped, with the reason, where /usr/bin/chromium is not installed (``apt-get install chromium``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ECOINSPECT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); it is not installed"
        )
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
    return report


def _what_the_page_said(page) -> str:
    """The URL, the messages and the form errors on screen: what a failed browser step left behind."""
    try:
        said = page.evaluate(
            """() => Array.from(document.querySelectorAll('.alert, .invalid-feedback, .errorlist, h1'))
                 .map(e => e.innerText.trim()).filter(Boolean).join(' | ')"""
        )
    except Exception as exc:  # the page itself may be what broke
        said = f"(page unreadable: {exc})"
    return f"browser was at {page.url}: {said}"


@pytest.fixture
def page(request, chromium, live_server):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        report.sections.append(("browser", _what_the_page_said(page)))
    context.close()


@pytest.fixture(autouse=True)
def gazetteer(live_server):
    """The gazetteer the migrations load. A browser test runs in a committed transaction and Django empties
    every table after it, migration data included; the next browser test in the same worker would otherwise
    find no places (a Tianhe address then reads as "not recognised" instead of "not in the district")."""
    from ecoinspect.orgs.gazetteer import load_gazetteer

    load_gazetteer()
