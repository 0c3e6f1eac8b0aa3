from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.navigation import NavItem


class OrgsConfig(AppConfig):
    name = "ecoinspect.orgs"
    label = "orgs"
    verbose_name = _("单位与用户")

    navigation = (
        NavItem(_("单位与人员"), "diagram-3", "orgs:unit_list", "orgs.view", 90),
        NavItem(_("三管三必须"), "grid-3x3", "orgs:sectorduty_list", "orgs.view", 91),
        NavItem(_("地名库"), "geo-alt", "orgs:place_list", "orgs.view", 91),
        NavItem(_("用户管理"), "people", "orgs:user_list", "orgs.manage", 92),
        NavItem(_("工作日历"), "calendar3", "orgs:workday_list", "orgs.view", 93),
        NavItem(_("角色权限"), "person-lock", "orgs:role_matrix", "orgs.view", 94),
    )
    api_routers = (("/", "ecoinspect.orgs.api:router"),)

    def ready(self) -> None:
        from . import roles, signals  # noqa: F401  (the foundation's grants; log-in success / failure records)
