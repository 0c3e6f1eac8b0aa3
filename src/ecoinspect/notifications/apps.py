from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ecoinspect.notifications"
    label = "notifications"
    verbose_name = _("通知")

    api_routers = (("/notifications", "ecoinspect.notifications.api:router"),)

    def ready(self) -> None:
        from ecoinspect.audit.labels import register

        register({"notifications.notification.withdrawn": _("撤回通知（收件人已无权查看该事项）")})
