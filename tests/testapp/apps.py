from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ecoinspect.core import workflow
        from ecoinspect.orgs.roles import Role, grant, register_app

        from .models import Ticket
        from .workflow import TICKET_WORKFLOW

        workflow.register(Ticket, TICKET_WORKFLOW)

        # the smallest real app: its own verbs, granted like the ledger's
        register_app(
            "testapp",
            label="测试应用",
            verbs={v: v for v in ("view", "work", "assign", "review", "publish")},
            grants={
                Role.COORDINATOR: grant({"view", "work", "assign", "review", "publish"}, queue={"assign"}),
                Role.LEADER: grant({"view"}),
                Role.STAFF: grant({"view", "work"}, queue={"work"}),
                Role.REVIEWER: grant({"view", "review"}, queue={"review"}),
                Role.PUBLISHER: grant({"view", "publish"}, queue={"publish"}),
                Role.AUDITOR: grant({"view"}),
            },
        )
