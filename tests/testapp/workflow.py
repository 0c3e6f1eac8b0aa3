"""The test ticket's state machine: the smallest declared workflow (registered in ``TestAppConfig.ready()``)."""

from ecoinspect.core.workflow import T, Workflow

from .models import Ticket

TICKET_WORKFLOW = Workflow(
    namespace="testapp.ticket",
    transitions=[
        T(
            "assign",
            Ticket.NEW,
            Ticket.ASSIGNED,
            perm="testapp.assign",
            needs=("lead_unit", "deadline"),
            label="交办",
            event="assigned",
        ),
        T(
            "start",
            Ticket.ASSIGNED,
            Ticket.WORKING,
            perm="testapp.work",
            label="开始办理",
            event="started",
            done="已开始办理。",
        ),
        T(
            "finish",
            Ticket.WORKING,
            Ticket.DONE,
            perm="testapp.work",
            needs=("evidence",),
            label="申请验收",
            event="finished",
        ),
        T(
            "accept",
            Ticket.DONE,
            Ticket.ACCEPTED,
            perm="testapp.review",
            needs=("opinion",),
            label="验收通过",
            event="accepted",
        ),
        T(
            "reject",
            Ticket.DONE,
            Ticket.WORKING,
            perm="testapp.review",
            needs=("reason",),
            label="退回",
            event="rejected",
        ),
        T(
            "close",
            Ticket.ACCEPTED,
            Ticket.CLOSED,
            perm="testapp.publish",
            label="销号",
            event="closed",
            style="dark",
            confirm="确认销号？",
        ),
        T(
            "reopen",
            Ticket.CLOSED,
            Ticket.WORKING,
            perm="testapp.assign",
            needs=("reason",),
            label="反弹重启",
            event="reopened",
            todo=False,
        ),
    ],
    stage_timestamps={Ticket.ASSIGNED: "assigned_at", Ticket.DONE: "done_at", Ticket.CLOSED: "closed_at"},
    need_checks={"evidence": lambda obj, payload: bool(payload.get("evidence"))},
    need_labels={"evidence": "佐证材料", "opinion": "验收意见", "reason": "理由"},
    notify=lambda obj, t, actor: [u for u in (obj.lead_unit,) if u is not None],
    move_url="testapp:ticket_move",
    object_arg="ticket",
)
