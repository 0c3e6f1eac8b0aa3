"""The cross-unit harness: every URL and API endpoint, visited as a person of another unit, shows nothing.

Each app declares its URLs in ``tests/<app>/scoping.py`` (an app may split them over ``scoping_<part>.py``
modules beside it, e.g. tests/ledger/scoping_io.py; every such module under tests/ is collected):

* ``CASES`` — :class:`Case` rows: how to build a record owned by one person's unit, which URL shows it,
  who owns it and who is an outsider. The owner must get it (positive control, so the case cannot pass
  vacuously); the outsider must get 403/404 — or, for a list, a page without the record's marker.
* ``OPEN`` — URL names that are not unit-scoped, each with the reason (a directory, one's own profile…).

``test_every_url_is_classified`` fails as soon as someone adds a URL without saying which kind it is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver


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

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.method}:{self.owner}->{self.outsider}]"


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
