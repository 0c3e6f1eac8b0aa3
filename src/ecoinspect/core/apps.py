from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every domain app plugs into: scoping, workflows, queues, navigation, import/export."""

    name = "ecoinspect.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (notifications withdrawn when a person leaves a unit)
