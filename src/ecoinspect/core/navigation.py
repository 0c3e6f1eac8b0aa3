"""The left navigation, gathered from the apps' declarations; modules not yet built are shown disabled.

An app lists its entries as ``navigation = (NavItem(...), ...)`` on its AppConfig. The modules DESIGN.md
plans but nobody has built yet stay visible (greyed, marked as coming) so people see where the system goes;
a planned entry disappears as soon as an app declares the same URL name.
"""

from __future__ import annotations

from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.navigation import NavItem

from .permissions import active_memberships, has_perm

PLANNED: tuple[NavItem, ...] = (
    NavItem(_("信访件办理"), "envelope-paper", "petitions:petition_list", "dashboard.view", 30),
    NavItem(_("对照过筛"), "funnel", "screening:home", "dashboard.view", 40),
    NavItem(_("污染源"), "building", "sources:facility_list", "dashboard.view", 50),
    NavItem(_("执法检查"), "shield-check", "enforcement:visit_list", "dashboard.view", 60),
    NavItem(_("环境质量"), "graph-up", "monitoring:home", "dashboard.view", 70),
    NavItem(_("报表"), "file-earmark-text", "reports:home", "dashboard.view", 80),
)


def declared_items() -> list[NavItem]:
    """Every app's entries and the planned modules no app has taken yet, in menu order."""
    items = [item for config in apps.get_app_configs() for item in getattr(config, "navigation", ())]
    taken = {item.url_name for item in items}
    items += [item for item in PLANNED if item.url_name not in taken]
    return sorted(items, key=lambda item: item.order)


#: The entries each kind of person may see, by :func:`_signature`, per script prefix (the URLs) — the same
#: for everyone holding the same roles, so worked out once per process.
_VISIBLE: dict[tuple, tuple[tuple[NavItem, str | None], ...]] = {}


def _signature(user) -> tuple:
    """What decides which entries a person sees: an entry asks for a permission anywhere, which only the
    roles held (in active units) decide — or being a superuser."""
    roles = frozenset(m.role for m in active_memberships(user))
    return (user.is_active, user.is_superuser, roles, get_script_prefix(), get_urlconf())


def _visible(user) -> tuple[tuple[NavItem, str | None], ...]:
    key = _signature(user)
    entries = _VISIBLE.get(key)
    if entries is None:
        entries = tuple((item, item.url()) for item in declared_items() if has_perm(user, item.perm))
        if len(_VISIBLE) > 1000:  # bounded, whatever the deployment's roles
            _VISIBLE.clear()
        _VISIBLE[key] = entries
    return entries


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "INSTALLED_APPS"):
        _VISIBLE.clear()


def navigation_for(user, current_path: str) -> list[dict]:
    items = [
        {
            "label": item.label,
            "icon": item.icon,
            "url": url,
            "available": url is not None,
            "active": bool(url) and (current_path == url or (url != "/" and current_path.startswith(url))),
        }
        for item, url in _visible(user)
    ]
    # Of nested entries (/ledger/ and /ledger/notices/), only the most specific one is the current page.
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        longest = max(active, key=lambda i: len(i["url"]))
        for i in active:
            i["active"] = i is longest
    return items
