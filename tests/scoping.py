"""The cross-unit harness: every URL and API endpoint, visited as a person of another unit, shows nothing.

Each app declares its URLs in ``tests/<app>/scoping.py`` (an app may split them over ``scoping_<part>.py``
modules beside it, e.g. tests/ledger/scoping_io.py; every such module under tests/ is collected):

* ``CASES`` — :class:`Case` rows: how to build a record owned by one person's unit, which URL shows it,
  who owns it and who is an outsider. The owner must get it (positive control, so the case cannot pass
  vacuously); the outsider must get 403/404 — or, for a list, a page without the record's marker.
  A redirect is not proof that the owner got through: :func:`owner_verdict` follows it and refuses one
  that ends on the log-in page, on a 403/404 (or any page that does not answer 200), on a page showing an
  error message, or on a page that neither shows the record's marker nor is the Case's declared
  ``success`` target.
* ``OPEN`` — URL names that are not unit-scoped, each with the reason (a directory, one's own profile…).

``test_every_url_is_classified`` fails as soon as someone adds a URL without saying which kind it is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import resolve_url
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_HOPS = 5


@dataclass(frozen=True)
class Case:
    """``build(ctx)`` returns ``(url_kwargs, marker)``; ``ctx`` has ``structure``, ``people`` and ``make_user``."""

    url_name: str
    build: Callable[[dict], tuple[dict, str]]
    owner: str
    outsider: str
    kind: str = "detail"  # "detail": outsider gets 403/404; "list": outsider's page lacks the marker
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: str = ""
    #: the URL name (``ledger:problem_detail``) a successful request redirects to, for a POST whose landing
    #: page does not show the marker; without it the landing page must show the marker
    success: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.method}:{self.owner}->{self.outsider}]"


@dataclass(frozen=True)
class Verdict:
    """Whether the owner reached the record, and what the harness saw on the way (for the failure message)."""

    ok: bool
    seen: str


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response) -> str:
    """The response as text; a Word or Excel file is opened and its text read (a marker is searched in
    what a reader of the file sees, not in the zipped bytes)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == DOCX and content:
        return _docx_text(content)
    if kind == XLSX and content:
        return _xlsx_text(content)
    return content.decode(errors="replace")


def _docx_text(content: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx_text(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value is not None
    )


def _url_name(location: str) -> str:
    try:
        return resolve(urlsplit(location).path).view_name
    except Resolver404:
        return "(no such URL)"


def _complaints(response) -> str:
    """The warnings and errors the page was given to show (a refusal that answers 200 or redirects)."""
    shown = [str(m) for m in messages.get_messages(response.wsgi_request) if m.level >= messages.WARNING]
    return " / ".join(shown)


def owner_verdict(client, case: Case, url: str, response, marker: str) -> Verdict:
    """Judge the owner's ``response`` to ``case`` at ``url``; a redirect is followed with the same client."""
    trail = f"{case.owner} {case.method.upper()} {url} → {response.status_code}"

    def refused(why: str) -> Verdict:
        return Verdict(False, f"{trail}: {why}")

    if response.status_code == 200:
        if complaints := _complaints(response):
            return refused(f"the page shows the message {complaints!r}")
        if (case.kind == "list" or case.method == "get") and marker not in body(response):
            return refused(f"the page does not show {marker!r}")
        return Verdict(True, trail)
    if response.status_code not in REDIRECTS:
        return refused("neither 200 nor a redirect")

    first_location = response["Location"]
    login = resolve_url(settings.LOGIN_URL)
    current, location = response, first_location
    for _hop in range(MAX_HOPS):
        location = current["Location"]
        trail += f" {location}"
        if urlsplit(location).path == login:
            return refused("redirected to the log-in page")
        current = client.get(location)
        trail += f" → {current.status_code}"
        if current.status_code not in REDIRECTS:
            break
    else:
        return refused(f"more than {MAX_HOPS} redirects")
    if current.status_code != 200:
        return refused(f"the redirect led to a page answering {current.status_code}")
    if complaints := _complaints(current):
        return refused(f"the redirect led to {_url_name(location)} with the message {complaints!r}")
    if case.success:
        if _url_name(location) != case.success:
            return refused(f"the redirect led to {_url_name(location)}, not to the declared {case.success}")
        return Verdict(True, f"{trail} ({case.success})")
    # The record's own page shows its marker; a page that forwards (opening a notification) may carry it
    # in the address it forwards to.
    if marker in first_location or marker in body(current):
        return Verdict(True, trail)
    return refused(
        f"the redirect led to {_url_name(location)}, which does not show {marker!r} "
        "(declare success=<url name> if a successful request lands there)"
    )


def url_names() -> set[str]:
    """Every named URL in the project, with its namespace (``orgs:unit_detail``, ``api:unit_list``)."""
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def scoping_modules() -> list[str]:
    """The dotted names of every ``scoping.py`` / ``scoping_*.py`` in a package below tests/ (not this one)."""
    root = Path(__file__).parent
    found = []
    for path in sorted(root.rglob("scoping*.py")):
        if path.parent == root or not (path.parent / "__init__.py").exists():
            continue
        if path.stem == "scoping" or path.stem.startswith("scoping_"):
            found.append(".".join(("tests", *path.relative_to(root).with_suffix("").parts)))
    return found


def _modules():
    for name in scoping_modules():
        yield importlib.import_module(name)


def all_cases() -> list[Case]:
    return [case for module in _modules() for case in getattr(module, "CASES", [])]


def all_open() -> dict[str, str]:
    result: dict[str, str] = {}
    for module in _modules():
        result.update(getattr(module, "OPEN", {}))
    return result
