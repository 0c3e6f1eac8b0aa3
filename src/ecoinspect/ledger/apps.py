from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.navigation import NavItem


class LedgerConfig(AppConfig):
    name = "ecoinspect.ledger"
    label = "ledger"
    verbose_name = _("整改台账")

    navigation = (
        NavItem(_("整改台账"), "list-check", "ledger:problem_list", "ledger.view", 20),
        NavItem(_("本单位清单"), "building-check", "ledger:my_list", "ledger.view", 21),
        NavItem(_("督办单"), "megaphone", "ledger:notice_list", "ledger.view", 22),
        NavItem(_("整改态势"), "bar-chart-line", "ledger:district_dashboard", "ledger.view", 23),
    )
    api_routers = (("/ledger", "ecoinspect.ledger.api:router"),)

    def ready(self) -> None:
        from ecoinspect.core import queues, workflow
        from ecoinspect.orgs.roles import Role, grant, register_app

        from . import labels, selectors  # noqa: F401  (labels: the timeline words)
        from .models import Problem, SpecialPlan, SupervisionNotice
        from .workflow import NOTICE_WORKFLOW, PLAN_WORKFLOW, PROBLEM_WORKFLOW, PROGRESS_WORKFLOW

        workflow.register(Problem, PROBLEM_WORKFLOW)
        workflow.register(SupervisionNotice, NOTICE_WORKFLOW)
        workflow.register(SpecialPlan, PLAN_WORKFLOW)
        workflow.name_states(Problem, PROGRESS_WORKFLOW)

        register_app(
            "ledger",
            label=_("整改台账"),
            verbs={
                "view": _("查看"),
                "work": _("办理：措施、进展、佐证、申请验收"),
                "assign": _("登记、交办、改派、督办、反弹"),
                "review": _("验收或退回"),
                "publish": _("公示与销号"),
            },
            grants={
                Role.COORDINATOR: grant({"view", "work", "assign", "review", "publish"}, queue={"assign"}),
                Role.LEADER: grant({"view"}),
                Role.STAFF: grant({"view", "work"}, queue={"work"}),
                Role.REVIEWER: grant({"view", "review"}, queue={"review"}),
                Role.PUBLISHER: grant({"view", "publish"}, queue={"publish"}),
                Role.AUDITOR: grant({"view"}),
            },
        )
        queues.register(
            Problem,
            label=_("整改问题"),
            refine=selectors.queue_problems,
            describe=selectors.describe_queued_problem,
            list_url="ledger:problem_list",
            list_query="todo=on&sort=deadline",
            urgent=selectors.overdue_problems,
            urgent_query="due=overdue&sort=deadline",
        )
        queues.register(
            SpecialPlan,
            label=_("专项整改方案"),
            refine=lambda qs: qs.select_related("problem").order_by("submitted_at", "pk"),
        )
        queues.register(
            SupervisionNotice,
            label=_("督办单"),
            refine=lambda qs: qs.select_related("unit").order_by("reply_due", "pk"),
            describe=selectors.describe_queued_notice,
            list_url="ledger:notice_list",
        )
