"""Every link and button works, and the export is what the screen shows (issue #8).

With the demo data loaded, each demo role starts at the home page and follows what the pages themselves
offer: the navigation, every same-site link and every GET form (submitted as it stands). A 4xx or 5xx for
something a page linked to is a bug. On every list page reached, the export link gives exactly the rows the
screen counts and the page-2 link shows other rows than page 1.

The URLs all come from the pages (parsed HTML); the test builds none of them except the start, "/".
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from ecoinspect.orgs.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("link_walk")]

ROLES = ("coordinator", "leader", "water", "sanyuanli", "taihe", "reviewer", "publisher", "auditor")

#: URL names never followed: they end the session or only take a POST.
SKIPPED_NAMES = {"logout", "set_language"}
#: How many URLs of one kind (URL name and query keys) a walk visits: 50 problem pages say no more than 2.
PER_KIND = 2
#: An upper bound on the requests of one role's walk.
BUDGET = 150


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module inside a transaction that is rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("demo", "load", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


# --- reading pages ------------------------------------------------------------------------------------


def same_site(base: str, href: str) -> str | None:
    """``href`` resolved against the page it is on; None when it leaves the site or is no page."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    url = urlsplit(urljoin(urljoin("http://testserver/", base), href))
    if url.scheme not in ("http", "https") or url.netloc != "testserver":
        return None
    return urlunsplit(("", "", url.path, url.query, ""))


def url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def kind_of(url: str) -> tuple:
    parts = urlsplit(url)
    name = url_name(url) or parts.path
    return name, tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))


def form_url(base: str, form) -> str | None:
    """A GET form submitted as it stands: its inputs' values, the checked boxes, the selected options."""
    action = same_site(base, form.get("action") or base)
    if action is None:
        return None
    pairs = []
    for el in form.iter("input", "select", "textarea"):
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                continue
            if kind in ("checkbox", "radio") and el.get("checked") is None:
                continue
            pairs.append((name, el.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif el.tag == "select":
            options = el.findall(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and el.get("multiple") is None:
                chosen = options[:1]
            pairs.extend((name, o.get("value", o.text_content())) for o in chosen)
        else:
            pairs.append((name, el.text_content()))
    return urlunsplit(("", "", urlsplit(action).path, urlencode(pairs), ""))


def targets(url: str, html: str) -> list[tuple[str, str]]:
    """(what, URL) for every link and GET form on a page."""
    doc = lxml.html.fromstring(html)
    found = []
    for a in doc.iter("a"):
        target = same_site(url, a.get("href"))
        if target:
            found.append((f"link {a.text_content().strip()[:30]!r}", target))
    for el in doc.xpath("//*[@hx-get]"):
        target = same_site(url, el.get("hx-get"))
        if target:
            found.append(("hx-get", target))
    for form in doc.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        target = form_url(url, form)
        if target:
            found.append(("GET form", target))
    return found


@dataclass
class ListPage:
    url: str
    total: int
    numbers: list[str]
    rows: list[str]
    export: str | None
    next_page: str | None


def list_page(url: str, html: str) -> ListPage | None:
    """What a list page says about itself: its count, its rows, its export and page-2 links."""
    doc = lxml.html.fromstring(html)
    tables = doc.xpath('//table[@data-testid="list-table"]')
    if not tables:
        return None
    pagination = doc.xpath('//*[@data-testid="pagination"]')
    total = int(pagination[0].get("data-total")) if pagination else 0
    rows = tables[0].xpath("./tbody/tr[td[2]]")
    # the first data cell (the office's lists have a selection checkbox in front, not exported)
    numbers = [row.xpath("string(./td[not(contains(@class, 'eco-select'))][1])").strip() for row in rows]
    export = doc.xpath('//a[@data-testid="export-xlsx"]/@href')
    next_page = doc.xpath('//a[@data-testid="page-next"]/@href')
    return ListPage(
        url,
        total,
        numbers,
        [" ".join(row.text_content().split()) for row in rows],
        same_site(url, export[0]) if export else None,
        same_site(url, next_page[0]) if next_page else None,
    )


def xlsx_first_column(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return ["" if r[0] is None else str(r[0]) for r in rows[1:]]


# --- the walk -------------------------------------------------------------------------------------------


@dataclass
class Walk:
    client: Client
    visited: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    lists: dict[str, ListPage] = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)

    def get(self, url: str):
        response = self.client.get(url)
        hops = 0
        while response.status_code in (301, 302, 303, 307, 308) and hops < 3:
            target = same_site(url, response["Location"])
            if target is None:
                break
            url, hops = target, hops + 1
            response = self.client.get(url)
        return url, response

    def run(self, start: str = "/") -> None:
        queue = [("start", start, "")]
        while queue and len(self.visited) < BUDGET:
            what, url, source = queue.pop(0)
            if url in self.visited or url_name(url) in SKIPPED_NAMES:
                continue
            kind = kind_of(url)
            if self.kinds[kind] >= PER_KIND:
                continue
            self.kinds[kind] += 1
            final, response = self.get(url)
            self.visited[url] = response.status_code
            if response.status_code >= 400:
                self.problems.append(f"{response.status_code} for {what} → {url} (on {source})")
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            html = response.content.decode()
            page = list_page(final, html)
            if page is not None:
                self.lists[final] = page
            queue.extend((w, t, final) for w, t in targets(final, html) if t not in self.visited)


@pytest.fixture(scope="module")
def walks(demo):
    """One walk per role, shared by the tests below (the walk is the slow part, the checks are quick)."""
    done = {}
    for role in ROLES:
        walk = Walk(client_for(role))
        walk.run()
        done[role] = walk
    return done


@pytest.mark.parametrize("role", ROLES)
def test_every_link_and_get_form_a_page_offers_works(walks, role):
    walk = walks[role]
    assert len(walk.visited) > 10, f"{role} reached only {sorted(walk.visited)}"
    assert not walk.problems, "\n".join(walk.problems)


def exported_file(client, export_url: str):
    """The file an export link gives: at once, or — for more rows than ECOINSPECT_EXPORT_BACKGROUND_ROWS —
    from the download link of the export's own page, which the link leads to (built by the worker, inline
    under the tests' immediate backend)."""
    response = client.get(export_url)
    if response.status_code == 302 and url_name(response["Location"]) == "exports:job":
        job_page = client.get(response["Location"]).content.decode()
        download = lxml.html.fromstring(job_page).xpath('//a[@data-testid="export-download"]/@href')
        assert download, f"the export page {response['Location']} of {export_url} offers no download"
        response = client.get(download[0])
    return response


@pytest.mark.parametrize("role", ROLES)
def test_each_list_pages_export_holds_the_rows_the_screen_counts(walks, role):
    walk = walks[role]
    checked = Counter()
    for seen in walk.lists.values():
        if seen.export is None or checked[url_name(seen.url)] >= 2:
            continue
        # read the page again just before its export: the audit log grows while the walk goes on
        page = list_page(seen.url, walk.client.get(seen.url).content.decode())
        response = exported_file(walk.client, page.export)
        assert response.status_code == 200, f"export of {page.url} → {page.export}: {response.status_code}"
        assert "attachment" in response.get("Content-Disposition", ""), (
            f"{page.export} (the export link of {page.url}) gave a page, not a file"
        )
        exported = xlsx_first_column(response.getvalue())
        assert len(exported) == page.total, (
            f"{page.url} counts {page.total} rows, its export {page.export} holds {len(exported)}"
        )
        if "page" in dict(parse_qsl(urlsplit(page.url).query)):
            assert any(
                exported[i : i + len(page.numbers)] == page.numbers
                for i in range(0, len(exported), len(page.numbers))
            ) or page.total > len(exported), f"{page.url}: the export's rows are not the screen's"
        else:  # the screen may show a time to the minute that the file holds to the second
            assert all(
                file.startswith(screen) for file, screen in zip(exported, page.numbers, strict=False)
            ) and len(exported) >= len(page.numbers), f"{page.url}: the export's rows are not the screen's"
        checked[url_name(seen.url)] += 1
    assert checked, f"{role} reached no list page with an export link"


@pytest.mark.parametrize("role", ROLES)
def test_each_list_pages_next_page_shows_other_rows(walks, role):
    walk = walks[role]
    for seen in walk.lists.values():
        if seen.next_page is None:
            continue
        # page 1 read again just before page 2: the audit log grows while the walk goes on
        page = list_page(seen.url, walk.client.get(seen.url).content.decode())
        following = list_page(page.next_page, walk.client.get(page.next_page).content.decode())
        assert following is not None and following.rows, page.next_page
        assert not set(following.rows) & set(page.rows), (
            f"page 2 of {page.url} ({page.next_page}) shows page 1's rows again"
        )


def test_a_searched_problem_list_exports_and_pages_exactly_what_it_shows(demo):
    """扬尘 on the ledger: the screen's count is the workbook's and the CSV's rows; a smaller page size keeps
    the search and its page 2 goes on where page 1 ended."""
    client = client_for("coordinator")
    home = client.get("/").content.decode()
    ledger = next(url for what, url in targets("/", home) if "整改台账" in what)
    page = client.get(ledger).content.decode()
    form = lxml.html.fromstring(page).xpath('//form[@data-testid="problem-filters"]')[0]
    form.xpath('.//input[@name="q"]')[0].set("value", "扬尘")
    searched_url = form_url(ledger, form)
    searched = client.get(searched_url).content.decode()
    shown = list_page(searched_url, searched)
    everything = list_page(ledger, page)
    assert 0 < shown.total < everything.total
    assert len(shown.numbers) == shown.total  # one page holds them all

    workbook = xlsx_first_column(client.get(shown.export).content)
    assert workbook == shown.numbers
    csv_link = lxml.html.fromstring(searched).xpath('//a[@data-testid="export-csv"]/@href')[0]
    rows = list(
        csv.reader(io.StringIO(client.get(same_site(searched_url, csv_link)).content.decode("utf-8-sig")))
    )
    assert [r[0] for r in rows[1:]] == shown.numbers

    # the page-size choice keeps the search: 10 a page (the form's own select, set as a person would)
    size_form = lxml.html.fromstring(searched).xpath('//form[@data-testid="page-size"]')
    if size_form:  # the choice is offered once there is more than the smallest page
        select = size_form[0].xpath('.//select[@name="per_page"]')[0]
        assert [o.get("value") for o in select.iter("option")] == ["20", "50", "100", "200"]
    small_form = lxml.html.fromstring(page).xpath('//form[@data-testid="page-size"]')[0]
    for option in small_form.iter("option"):
        option.attrib.pop("selected", None)
        if option.get("value") == "20":
            option.set("selected", "selected")
    small_url = form_url(ledger, small_form)
    small = list_page(small_url, client.get(small_url).content.decode())
    assert len(small.numbers) == 20 and small.total == everything.total
    second = list_page(small.next_page, client.get(small.next_page).content.decode())
    assert len(second.numbers) == 20 and not set(second.numbers) & set(small.numbers)
    assert everything.numbers[:40] == small.numbers + second.numbers
    assert re.search(r"per_page=20", small.export) is None  # the export is every row, not one page
