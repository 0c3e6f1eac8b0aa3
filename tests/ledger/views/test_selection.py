"""Bulk actions on a selection of the problem list: the office ticks problems and assigns them, moves their
deadlines with a reason or exports them — each problem through its own service, row by row."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger.choices import ProblemStatus as S
from tests.factories import ProblemFactory, reload, today

pytestmark = pytest.mark.django_db

LIST = reverse("ledger:problem_list")


def the_form(page: str) -> tuple[str, dict]:
    """The list's selection form: its action URL and its hidden fields."""
    start = page.index('data-testid="selection-form"')
    form = page[page.rindex("<form", 0, start) : page.index("</form>", start)]
    action = re.search(r'action="([^"]+)"', form).group(1)
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))
    boxes = re.findall(r'name="problems" value="(\d+)"', form)
    return action, hidden, boxes


def tick(client, problems, **fields):
    page = client.get(LIST).content.decode()
    action, hidden, boxes = the_form(page)
    ids = [str(p.pk) for p in problems]
    assert set(ids) <= set(boxes)  # every one of them is offered on the page
    return client.post(action, {**hidden, "problems": ids, **fields})


def test_the_office_assigns_the_ticked_problems_and_is_told_row_by_row(as_user, people):
    ready = ProblemFactory(title="可交办的问题")
    no_deadline = ProblemFactory(title="未定时限的问题", deadline=None)
    already = ProblemFactory(title="已交办的问题", status=S.ASSIGNED)
    response = tick(as_user(people["coordinator"]), [ready, no_deadline, already], action="assign")
    page = response.content.decode()
    assert response.status_code == 200
    assert "选中 3 项，完成 1 项，未办理 2 项" in page
    assert reload(ready).status == S.ASSIGNED and reload(no_deadline).status == S.REGISTERED
    rows = dict(re.findall(r'data-problem="([^"]+)" data-done="(\d)"', page))
    assert rows == {ready.number: "1", no_deadline.number: "0", already.number: "0"}
    assert "执行“交办”前需要：整改时限" in page
    assert "当前状态“已交办”下不能执行“交办”" in page
    # the refusals are on the problems' timelines, as a single refused move would be
    assert ActionLog.objects.filter(action="ledger.problem.refused", object_id=str(no_deadline.pk)).exists()


def test_the_office_moves_the_deadlines_of_the_ticked_problems_with_a_reason(as_user, people):
    first = ProblemFactory(title="时限一", status=S.ASSIGNED)
    second = ProblemFactory(title="时限二", status=S.ASSIGNED)
    new = today() + dt.timedelta(days=120)
    response = tick(
        as_user(people["coordinator"]),
        [first, second],
        action="extend",
        new_deadline=new.isoformat(),
        reason="汛期施工受限",
    )
    assert "选中 2 项，完成 2 项，未办理 0 项" in response.content.decode()
    assert reload(first).deadline == reload(second).deadline == new
    logged = ActionLog.objects.filter(action="ledger.problem.deadline_extended", object_id=str(first.pk)).get()
    assert logged.payload["reason"] == "汛期施工受限"


def test_moving_deadlines_needs_a_date_and_a_reason(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    response = tick(as_user(people["coordinator"]), [problem], action="extend", new_deadline="", reason="")
    assert response.status_code == 400
    assert "调整时限须填写理由" in response.content.decode()
    assert reload(problem).deadline == problem.deadline


def test_the_ticked_problems_are_exported_with_the_lists_columns(as_user, people):
    wanted = ProblemFactory(title="导出的问题")
    ProblemFactory(title="未勾选的问题")
    client = as_user(people["coordinator"])
    response = tick(client, [wanted], action="export")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    whole = openpyxl.load_workbook(io.BytesIO(client.get(LIST, {"format": "xlsx"}).content)).active
    assert rows[0] == next(whole.iter_rows(values_only=True))  # the same columns as the list's export
    assert [r[1] for r in rows[1:]] == ["导出的问题"]


def test_unit_staff_have_no_actions_bar_and_cannot_post_to_it(as_user, people):
    problem = ProblemFactory()
    client = as_user(people["water"])
    assert 'data-testid="selection-form"' not in client.get(LIST).content.decode()
    response = client.post(reverse("ledger:problem_selection"), {"problems": [problem.pk], "action": "assign"})
    assert response.status_code == 403
    assert reload(problem).status == S.REGISTERED
