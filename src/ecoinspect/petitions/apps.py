from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.navigation import NavItem


class PetitionsConfig(AppConfig):
    name = "ecoinspect.petitions"
    label = "petitions"
    verbose_name = _("交办信访件")

    navigation = (
        NavItem(_("信访件"), "envelope-paper", "petitions:petition_list", "petitions.view", 30),
        NavItem(_("交办批次"), "inboxes", "petitions:batch_list", "petitions.view", 31),
        NavItem(_("边督边改数据"), "bar-chart-line", "petitions:figures", "petitions.view", 36),
        NavItem(_("重复投诉热点"), "fire", "petitions:hotspots", "petitions.view", 37),
    )
    api_routers = (("/petitions", "ecoinspect.petitions.api:router"),)

    def ready(self) -> None:
        from ecoinspect.core import queues, related, workflow
        from ecoinspect.orgs.roles import Role, grant, register_app

        from . import labels, selectors, services  # noqa: F401  (services: the move performers; labels: timeline words)
        from .models import Petition
        from .workflow import PETITION_WORKFLOW

        workflow.register(Petition, PETITION_WORKFLOW)
        register_app(
            "petitions",
            label=_("交办信访件"),
            verbs={
                "view": _("查看"),
                "handle": _("签收、核查、反馈办理情况"),
                "assign": _("导入批次、交办、审核、退回、合并重复件、回访、销号"),
                "publish": _("公开办理结果"),
            },
            grants={
                Role.COORDINATOR: grant({"view", "handle", "assign", "publish"}, queue={"assign"}),
                Role.LEADER: grant({"view"}),
                Role.STAFF: grant({"view", "handle"}, queue={"handle"}),
                Role.REVIEWER: grant({"view"}),
                Role.PUBLISHER: grant({"view", "publish"}, queue={"publish"}),
                Role.AUDITOR: grant({"view"}),
            },
        )
        queues.register(
            Petition,
            label=_("信访件"),
            refine=selectors.queue_petitions,
            describe=selectors.describe_queued_petition,
            list_url="petitions:petition_list",
            list_query="todo=on&sort=due",
        )
        # the ledger's problem page shows the cases it was opened from (the ledger does not import us)
        related.register("ledger.problem", selectors.petitions_of_problem)
