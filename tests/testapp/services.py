"""The test app's writes: one service per move, registered as the move's performer."""

from django.db import transaction

from ecoinspect.core.workflow import transition

from .models import Ticket
from .workflow import TICKET_WORKFLOW


@TICKET_WORKFLOW.performs("start")
@transaction.atomic
def ticket_start(*, actor, ticket: Ticket) -> Ticket:
    return transition(ticket, action="start", actor=actor)


@TICKET_WORKFLOW.performs("close")
@transaction.atomic
def ticket_close(*, actor, ticket: Ticket) -> Ticket:
    return transition(ticket, action="close", actor=actor)
