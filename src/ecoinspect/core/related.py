"""Records of other apps that concern a record, shown on its page without its app importing theirs.

Domain apps are independent (the ledger never imports the petitions app), yet a ledger problem opened from
a petition case should show that case. The app that holds the link registers a *provider* for the other
app's model (by its label, so nothing is imported):

    related.register("ledger.problem", petitions_of_problem)

``provider(record, user)`` returns a :class:`RelatedSection` (or None when there is nothing to show);
it reads through ``restrict()`` like every page, so a person sees only the related records in their scope.
The record's page draws every section with ``{% load related %}{% related_records record %}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class RelatedItem:
    label: str
    url: str = ""
    note: str = ""
    badge: str = ""
    badge_colour: str = "secondary"


@dataclass(frozen=True)
class RelatedSection:
    title: str
    items: list[RelatedItem] = field(default_factory=list)
    icon: str = "link-45deg"
    key: str = ""  # a stable name for the page (data-testid)


Provider = Callable[[models.Model, object], RelatedSection | None]

_PROVIDERS: dict[str, list[Provider]] = {}


def register(model_label: str, provider: Provider) -> None:
    """Show ``provider``'s section on the pages of ``model_label`` ("ledger.problem") records."""
    providers = _PROVIDERS.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def unregister(model_label: str, provider: Provider) -> None:
    providers = _PROVIDERS.get(model_label.lower(), [])
    if provider in providers:
        providers.remove(provider)


def sections_for(obj: models.Model, user) -> list[RelatedSection]:
    """Every registered section with something to show for ``obj``, as ``user`` may see it."""
    sections = []
    for provider in _PROVIDERS.get(obj._meta.label_lower, []):
        section = provider(obj, user)
        if section is not None and section.items:
            sections.append(section)
    return sections
