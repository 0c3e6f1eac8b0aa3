from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ecoinspect.ledger"
    label = "ledger"
    verbose_name = _("整改台账")

    def ready(self) -> None:
        from ecoinspect.common import queues

        from . import labels  # noqa: F401  (timeline words)
        from .models import Problem, SupervisionNotice

        queues.register(
            Problem,
            label=_("整改问题"),
            refine=lambda qs: qs.select_related("lead_unit").order_by("deadline", "pk"),
        )
        queues.register(
            SupervisionNotice,
            label=_("督办单"),
            refine=lambda qs: qs.select_related("unit").order_by("reply_due", "pk"),
        )
