"""Reading what a page shows, to follow it as a person would: its links, forms and HTMX polls by test id."""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html


def _one(html: str, testid: str):
    found = lxml.html.fromstring(html).xpath(f'//*[@data-testid="{testid}"]')
    assert found, f"the page shows nothing with data-testid={testid!r}"
    return found[0]


def shows(html: str, testid: str) -> bool:
    return bool(lxml.html.fromstring(html).xpath(f'//*[@data-testid="{testid}"]'))


def link(html: str, testid: str, page_url: str = "") -> str:
    """The address of the link the page at ``page_url`` shows as ``testid`` (a relative one resolved
    against the page's address, as a browser does)."""
    href = _one(html, testid).get("href")
    return urljoin(str(page_url), href) if page_url else href


def form_action(html: str, testid: str, page_url: str) -> str:
    """Where the form ``testid`` posts to (its own page when it names no action)."""
    return _one(html, testid).get("action") or page_url


def poll(html: str, testid: str) -> str:
    """The address the element ``testid`` asks again and again (HTMX ``hx-get``)."""
    url = _one(html, testid).get("hx-get")
    assert url, f"{testid!r} does not poll"
    return url


def attribute(html: str, testid: str, name: str) -> str:
    return _one(html, testid).get(name) or ""


def text(html: str, testid: str) -> str:
    return " ".join(_one(html, testid).text_content().split())
