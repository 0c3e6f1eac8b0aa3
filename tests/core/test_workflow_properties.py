"""Random people trying random moves on a ticket: the workflow never leaves its table.

Each hypothesis example runs in a savepoint that is rolled back, so every example starts from the same clean
ticket. The expected outcome of each attempt is computed here from the Ticket's declared table (written out
below, independently of the engine) and from who holds which role where.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoinspect.audit.models import ActionLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.core.workflow import (
    TransitionForbidden,
    TransitionIncomplete,
    TransitionNotDeclared,
    WorkflowError,
    log_refusal,
    transition,
)
from tests.factories import TicketFactory
from tests.testapp.models import Ticket

# (state, action) → (new state, verb, needs from the payload) — the Ticket's workflow as specified.
TABLE = {
    ("new", "assign"): ("assigned", "assign", ()),
    ("assigned", "start"): ("working", "work", ()),
    ("working", "finish"): ("done", "work", ("evidence",)),
    ("done", "accept"): ("accepted", "review", ("opinion",)),
    ("done", "reject"): ("working", "review", ("reason",)),
    ("accepted", "close"): ("closed", "publish", ()),
    ("closed", "reopen"): ("working", "assign", ("reason",)),
}
STATES = {"new", "assigned", "working", "done", "accepted", "closed"}
ACTIONS = sorted({a for _s, a in TABLE} | {"approve", "delete"})
EVENTS = {
    "assign": "assigned",
    "start": "started",
    "finish": "finished",
    "accept": "accepted",
    "reject": "rejected",
    "close": "closed",
    "reopen": "reopened",
}

# Who may do what on a ticket led by 三元里 with 太和 cooperating and 生态环境分局 accepting.
MAY = {
    "coordinator": {"assign", "work", "review", "publish"},
    "sanyuanli": {"work"},  # lead unit staff
    "taihe": {"work"},  # cooperating unit staff
    "reviewer": {"review"},  # acceptance unit
    "publisher": {"publish"},
    "leader": set(),
    "auditor": set(),
    "jingtai": set(),  # staff of an unrelated subdistrict
    "water": set(),  # staff of an unrelated department
    "nobody": set(),
}


def attempt(state: str):
    """One (action, person, brings-needs) try: mostly a move declared from ``state`` by someone allowed, so that
    sequences get past the first steps; otherwise anything at all."""
    declared = sorted(a for s, a in TABLE if s == state)
    likely_action = st.sampled_from(declared) if declared else st.sampled_from(ACTIONS)
    action = st.one_of(likely_action, likely_action, st.sampled_from(ACTIONS))

    def who(action_name):
        verb = TABLE.get((state, action_name), (None, None))[1]
        allowed = sorted(p for p, verbs in MAY.items() if verb in verbs)
        likely = st.sampled_from(allowed) if allowed else st.sampled_from(sorted(MAY))
        anyone = st.sampled_from(sorted(MAY))
        return st.tuples(
            st.just(action_name), st.one_of(likely, likely, anyone), st.sampled_from([True, True, False])
        )

    return action.flatmap(who)


def snapshot(pk) -> tuple[dict, list[int]]:
    ticket = Ticket.objects.get(pk=pk)
    fields = Ticket.objects.filter(pk=pk).values().get()
    return fields, sorted(ticket.cooperating_units.values_list("pk", flat=True))


def log_state() -> tuple[int, int | None]:
    last = ActionLog.objects.order_by("-seq").first()
    return ActionLog.objects.count(), last.seq if last else None


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    steps=st.integers(min_value=4, max_value=20),
    with_deadline=st.sampled_from([True, True, True, False]),
)
def test_random_people_and_moves_never_leave_the_declared_table(
    structure, people, data, steps, with_deadline
):
    with transaction.atomic():
        ticket = TicketFactory(
            title="随机工单",
            lead_unit=structure["sanyuanli"],
            acceptance_unit=structure["sthj"],
            deadline=dt.date(2026, 3, 6) if with_deadline else None,
            cooperating=[structure["taihe"]],
        )
        state = Ticket.NEW
        for _ in range(steps):
            action, person, brings_needs = data.draw(attempt(state))
            row_before = snapshot(ticket.pk)
            count_before, seq_before = log_state()
            declared = TABLE.get((state, action))
            payload = {}
            if declared and brings_needs:
                payload = {need: ["材料"] if need == "evidence" else "说明" for need in declared[2]}
            try:
                moved = transition(
                    Ticket.objects.get(pk=ticket.pk), action=action, actor=people[person], payload=payload
                )
            except WorkflowError as refused:
                # What the engine refused, it refused for the right reason ...
                if declared is None:
                    assert isinstance(refused, TransitionNotDeclared)
                elif declared[1] not in MAY[person]:
                    assert isinstance(refused, TransitionForbidden)
                else:
                    assert isinstance(refused, TransitionIncomplete)
                    assert not brings_needs or (action == "assign" and not with_deadline)
                # ... and changed nothing: neither the record nor the log, until the boundary logs the refusal.
                assert snapshot(ticket.pk) == row_before
                assert log_state() == (count_before, seq_before)
                log_refusal(refused)
                assert ActionLog.objects.count() == count_before + 1
                refusal = ActionLog.objects.order_by("-seq").first()
                assert refusal.action == "testapp.ticket.refused"
                assert refusal.payload["action"] == action and refusal.payload["state"] == state
                continue
            # Every applied move is in the table, by someone allowed, with what it needs.
            assert declared is not None, f"undeclared move {state} --{action}--> applied"
            target, verb, needs = declared
            assert verb in MAY[person], f"{person} made {action} without {verb}"
            assert brings_needs or not needs
            assert moved.status == target
            assert Ticket.objects.get(pk=ticket.pk).status == target
            assert ActionLog.objects.count() == count_before + 1
            entry = ActionLog.objects.order_by("-seq").first()
            assert entry.action == f"testapp.ticket.{EVENTS[action]}"
            assert entry.payload["from"] == state and entry.payload["to"] == target
            state = target
            assert state in STATES
        assert Ticket.objects.get(pk=ticket.pk).status in STATES
        assert verify_chain().ok
        transaction.set_rollback(True)
