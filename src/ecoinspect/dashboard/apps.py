from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.navigation import NavItem


class DashboardConfig(AppConfig):
    name = "ecoinspect.dashboard"
    label = "dashboard"
    verbose_name = _("工作台")

    navigation = (NavItem(_("工作台"), "house-door", "dashboard:home", "dashboard.view", 10),)
    api_routers = (("/", "ecoinspect.dashboard.api:router"),)

    def ready(self) -> None:
        from ecoinspect.orgs.roles import ROLE_SPECS, grant, register_app

        register_app(
            "dashboard",
            label=_("工作台"),
            verbs={"view": _("工作台与我的待办")},
            grants={role: grant({"view"}) for role in ROLE_SPECS},
        )
