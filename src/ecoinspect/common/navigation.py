"""One entry of the left navigation. Apps declare theirs on their AppConfig (``navigation = (...)``);
``core.navigation`` gathers them and shows each person the entries they hold the permission for."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch

from .reversing import page_url


@dataclass(frozen=True)
class NavItem:
    label: str
    icon: str  # a Bootstrap Icons name
    url_name: str | None
    perm: str  # "app.verb" the person needs anywhere to see the entry
    order: int  # position in the menu; apps leave gaps so a later app can slot in

    def url(self) -> str | None:
        if not self.url_name:
            return None
        try:
            return page_url(self.url_name)
        except NoReverseMatch:
            return None
