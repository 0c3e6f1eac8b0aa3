"""Writes on a selection: each problem through its own service and transaction, with a per-row outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.common.errors import NotPermitted
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import ProblemStatus as S
from tests.factories import ProblemFactory, reload

pytestmark = pytest.mark.django_db


def test_one_refused_row_neither_stops_nor_undoes_the_others(people):
    first, refused, last = ProblemFactory(), ProblemFactory(status=S.ASSIGNED), ProblemFactory()
    outcome = svc.problems_assign(actor=people["coordinator"], problems=[first, refused, last])
    assert [r.done for r in outcome.rows] == [True, False, True]
    assert (outcome.done, outcome.refused) == (2, 1)
    assert reload(first).status == reload(last).status == S.ASSIGNED
    assert "选中 3 项，完成 2 项，未办理 1 项" in outcome.summary


def test_a_deadline_not_later_is_refused_for_that_row_only(people, clock):
    early = ProblemFactory(status=S.ASSIGNED, deadline=clock.today + dt.timedelta(days=30))
    late = ProblemFactory(status=S.ASSIGNED, deadline=clock.today + dt.timedelta(days=90))
    new = clock.today + dt.timedelta(days=60)
    outcome = svc.problems_extend_deadline(
        actor=people["coordinator"], problems=[early, late], new_deadline=new, reason="汛期"
    )
    assert [r.done for r in outcome.rows] == [True, False]
    assert "新时限须晚于原时限" in outcome.rows[1].message
    assert reload(early).deadline == new and reload(late).deadline == late.deadline


def test_unit_staff_may_not_act_on_a_selection(people):
    with pytest.raises(NotPermitted):
        svc.problems_assign(actor=people["water"], problems=[ProblemFactory()])
