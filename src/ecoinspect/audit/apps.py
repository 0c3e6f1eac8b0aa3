from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.navigation import NavItem


class AuditConfig(AppConfig):
    name = "ecoinspect.audit"
    label = "audit"
    verbose_name = _("审计")

    navigation = (NavItem(_("审计日志"), "journal-check", "audit:actionlog_list", "audit.audit", 95),)

    def ready(self) -> None:
        from . import signals  # noqa: F401  (ChangeLog for every ChangeLoggedModel)
