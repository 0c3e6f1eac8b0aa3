"""The left navigation, by module. Modules not yet built are shown disabled and marked as coming."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import has_perm


@dataclass(frozen=True)
class NavItem:
    label: str
    icon: str
    url_name: str | None = None
    perm: str = "view"
    children: tuple[NavItem, ...] = field(default_factory=tuple)

    def url(self) -> str | None:
        if not self.url_name:
            return None
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("工作台"), "house-door", "dashboard:home"),
    NavItem(_("整改台账"), "list-check", "ledger:problem_list"),
    NavItem(_("本单位清单"), "building-check", "ledger:my_list"),
    NavItem(_("督办单"), "megaphone", "ledger:notice_list"),
    NavItem(_("整改态势"), "bar-chart-line", "ledger:district_dashboard"),
    NavItem(_("信访件办理"), "envelope-paper", "petitions:petition_list"),
    NavItem(_("对照过筛"), "funnel", "screening:home"),
    NavItem(_("污染源"), "building", "sources:facility_list"),
    NavItem(_("执法检查"), "shield-check", "enforcement:visit_list"),
    NavItem(_("环境质量"), "graph-up", "monitoring:home"),
    NavItem(_("报表"), "file-earmark-text", "reports:home"),
    NavItem(_("单位与人员"), "diagram-3", "orgs:unit_list"),
    NavItem(_("三管三必须"), "grid-3x3", "orgs:sectorduty_list"),
    NavItem(_("用户管理"), "people", "orgs:user_list", perm="manage"),
    NavItem(_("工作日历"), "calendar3", "orgs:workday_list"),
    NavItem(_("审计日志"), "journal-check", "audit:actionlog_list", perm="audit"),
)


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if not has_perm(user, item.perm):
            continue
        url = item.url()
        items.append(
            {
                "label": item.label,
                "icon": item.icon,
                "url": url,
                "available": url is not None,
                "active": bool(url)
                and (current_path == url or (url != "/" and current_path.startswith(url))),
            }
        )
    # Of nested entries (/ledger/ and /ledger/notices/), only the most specific one is the current page.
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        longest = max(active, key=lambda i: len(i["url"]))
        for i in active:
            i["active"] = i is longest
    return items
