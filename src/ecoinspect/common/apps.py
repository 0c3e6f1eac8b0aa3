from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "ecoinspect.common"
    label = "common"
    verbose_name = _("公共")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (calendar cache invalidation)
