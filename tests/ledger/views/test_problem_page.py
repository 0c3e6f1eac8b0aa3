"""A problem's page: the record, the timeline, the warning, and only the moves the person may make;
moves by button — in order, out of order, and by a role that may not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger import services
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem
from tests.factories import ProblemFactory, end_publicity, today

pytestmark = pytest.mark.django_db


def actions_on(html: str) -> list[str]:
    bar = html.split('data-testid="problem-actions"', 1)[1].split('data-testid="manage-menu"', 1)[0]
    return re.findall(r'data-action="(\w+)"', bar)


def move(client, problem, action, **data):
    return client.post(
        reverse("ledger:problem_move", args=[problem.pk, action]), {"version": problem.version, **data}
    )


def refusals(problem) -> list[dict]:
    return [e.payload for e in ActionLog.objects.for_object(problem).filter(action="ledger.problem.refused")]


def test_the_page_shows_the_record_the_routing_and_the_timeline(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED, title="新市涌支涌排水口污水直排")
    html = as_user(people["water"]).get(problem.get_absolute_url()).content.decode()

    assert problem.number in html and "新市涌支涌排水口污水直排" in html
    record = html.split('data-testid="problem-units"', 1)[1]
    assert "区水务局" in record.split("</dd>", 1)[0]
    assert "系统推荐牵头单位" in html.split('data-testid="routing-reason"', 1)[1]
    timeline = html.split('data-testid="timeline"', 1)[1]
    assert timeline.index("交办") < timeline.index("登记问题")  # newest first
    assert "陈迎检" in timeline or "coordinator" in timeline


def test_an_overdue_problem_shows_the_red_light(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    Problem.objects.filter(pk=problem.pk).update(deadline=today() - dt.timedelta(days=2))
    html = as_user(people["water"]).get(problem.get_absolute_url()).content.decode()
    badge = html.split('data-testid="problem-warning"', 1)[1].split("</span></span>", 1)[0]
    assert 'data-warning="red"' in badge and "红灯" in badge


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        (S.REGISTERED, "coordinator", ["assign"]),
        (S.REGISTERED, "water", []),
        (S.ASSIGNED, "water", ["start"]),
        (S.ASSIGNED, "reviewer", []),
        (S.RECTIFYING, "water", ["request_acceptance"]),
        (S.COMPLETED, "reviewer", ["begin_review", "accept", "reject"]),
        (S.COMPLETED, "water", []),
        (S.ACCEPTING, "reviewer", ["accept", "reject"]),
        (S.ACCEPTED, "publisher", ["start_publicity"]),
        (S.ACCEPTED, "reviewer", []),
        (S.PUBLICITY, "publisher", ["uphold_objection", "close"]),
        (S.CLOSED, "coordinator", ["reopen"]),
        (S.CLOSED, "publisher", []),
    ],
)
def test_only_the_moves_the_person_may_make_are_offered(state, role, expected, as_user, people):
    problem = ProblemFactory(status=state)
    html = as_user(people[role]).get(problem.get_absolute_url()).content.decode()
    assert actions_on(html) == expected


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_readers_get_no_buttons_and_no_forms(role, as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    html = as_user(people[role]).get(problem.get_absolute_url()).content.decode()
    assert actions_on(html) == []
    assert 'data-testid="manage-menu"' not in html
    assert 'id="measure-form"' not in html and 'id="report-form"' not in html


def test_the_office_manages_from_the_menu(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    html = as_user(people["coordinator"]).get(problem.get_absolute_url()).content.decode()
    for name in (
        "ledger:problem_edit",
        "ledger:problem_reroute",
        "ledger:problem_extend",
        "ledger:problem_pause",
    ):
        assert reverse(name, args=[problem.pk]) in html
    assert f"{reverse('ledger:notice_create')}?unit={problem.lead_unit_id}&amp;problems={problem.pk}" in html
    assert (
        'data-testid="manage-menu"'
        not in as_user(people["water"]).get(problem.get_absolute_url()).content.decode()
    )


def test_assigning_by_button(as_user, people):
    problem = ProblemFactory(status=S.REGISTERED)
    client = as_user(people["coordinator"])
    response = move(client, problem, "assign")

    problem.refresh_from_db()
    assert response.status_code == 302
    assert problem.status == S.ASSIGNED and problem.assigned_at is not None
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "已交办" in page and "牵头单位已收到通知" in page


def test_a_move_out_of_order_shows_the_workflows_message_and_is_logged(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    client = as_user(people["water"])
    response = move(client, problem, "request_acceptance")

    problem.refresh_from_db()
    assert response.status_code == 302
    assert problem.status == S.ASSIGNED
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "当前状态“已交办”下不能执行“申请验收”" in page
    assert "is not possible" not in page  # one language at a time
    assert [r["action"] for r in refusals(problem)] == ["request_acceptance"]
    assert 'class="refused"' in page.split('data-testid="timeline"', 1)[1]


def test_a_move_missing_what_it_needs_says_what(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    move(client, problem, "request_acceptance")
    page = client.get(problem.get_absolute_url()).content.decode()

    assert "执行“申请验收”前需要：本轮佐证材料、进展报送" in page
    assert Problem.objects.get(pk=problem.pk).status == S.RECTIFYING


def test_a_role_that_may_not_gets_the_403_page_with_the_reason(structure, as_user, people):
    problem = ProblemFactory(status=S.REGISTERED, town=structure["sanyuanli"])
    version = problem.version
    response = move(as_user(people["sanyuanli"]), problem, "assign")  # the town sees it but may not assign

    problem.refresh_from_db()
    assert response.status_code == 403
    assert "您没有权限对该事项执行“交办”" in response.content.decode()
    assert problem.status == S.REGISTERED and problem.version == version
    assert [r["code"] for r in refusals(problem)] == ["transition_forbidden"]


def test_an_outsider_cannot_even_find_the_problem(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    assert move(as_user(people["housing"]), problem, "start").status_code == 404
    assert Problem.objects.get(pk=problem.pk).status == S.ASSIGNED
    assert refusals(problem) == []


def test_a_stale_button_does_not_overwrite_a_newer_save(as_user, people):
    problem = ProblemFactory(status=S.REGISTERED)
    stale = problem.version
    svc.problem_update(
        actor=people["coordinator"], problem=problem, expected_version=stale, target="新的目标"
    )
    client = as_user(people["coordinator"])
    response = client.post(reverse("ledger:problem_move", args=[problem.pk, "assign"]), {"version": stale})

    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == S.REGISTERED
    assert "该问题已被他人修改" in client.get(problem.get_absolute_url()).content.decode()


def test_unknown_moves_and_gets_are_refused(as_user, people):
    problem = ProblemFactory(status=S.REGISTERED)
    client = as_user(people["coordinator"])
    assert client.post(reverse("ledger:problem_move", args=[problem.pk, "teleport"])).status_code == 404
    assert client.get(reverse("ledger:problem_move", args=[problem.pk, "assign"])).status_code == 405


def test_a_key_problem_cannot_start_without_an_approved_plan(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED, is_key=True)
    client = as_user(people["water"])
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'data-testid="needs-plan"' in page

    move(client, problem, "start")
    assert "重点问题须先提交并经批准专项整改方案" in client.get(problem.get_absolute_url()).content.decode()
    assert Problem.objects.get(pk=problem.pk).status == S.ASSIGNED


def test_pause_and_resume_the_clock(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["coordinator"])
    response = client.post(reverse("ledger:problem_pause", args=[problem.pk]), {"reason": "等待法院裁定"})
    assert response.status_code == 302
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "暂停计时：等待法院裁定" in page or "起暂停计时：等待法院裁定" in page
    assert reverse("ledger:problem_resume", args=[problem.pk]) in page

    client.post(reverse("ledger:problem_resume", args=[problem.pk]))
    assert Problem.objects.get(pk=problem.pk).paused_at is None
    assert "已恢复计时" in client.get(problem.get_absolute_url()).content.decode()


def test_resuming_a_running_clock_says_so(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["coordinator"])
    client.post(reverse("ledger:problem_resume", args=[problem.pk]))
    assert "该问题未暂停计时" in client.get(problem.get_absolute_url()).content.decode()


def test_unit_staff_may_not_pause(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    client = as_user(people["water"])
    assert client.get(reverse("ledger:problem_pause", args=[problem.pk])).status_code == 403
    response = client.post(reverse("ledger:problem_pause", args=[problem.pk]), {"reason": "想暂停"})
    assert response.status_code == 403
    assert "只有区督察迎检办可以执行此操作" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).paused_at is None


def test_a_reopened_problem_keeps_each_cycles_evidence_apart(as_user, people):
    problem = ProblemFactory(status=S.CLOSED)
    first_photo = problem.evidence.get()
    svc.problem_reopen(
        actor=people["coordinator"],
        problem=problem,
        reason="群众再次投诉排水口冒黑水",
        new_deadline=today() + dt.timedelta(days=30),
    )
    html = as_user(people["water"]).get(problem.get_absolute_url()).content.decode()

    cycles = html.split('data-testid="cycle"')[1:]
    assert [re.search(r'data-cycle="(\d+)"', c).group(1) for c in cycles] == ["2", "1"]
    assert "第 2 轮整改" in cycles[0] and "当前" in cycles[0]
    assert first_photo.original_name not in cycles[0]
    assert first_photo.original_name in cycles[1] and "验收通过" in cycles[1] and "销号公示" in cycles[1]
    assert "反弹 · 第 2 轮" in html


def test_closing_before_the_publicity_ends_is_refused_with_the_date(as_user, people):
    problem = ProblemFactory(status=S.PUBLICITY)
    client = as_user(people["publisher"])
    move(client, problem, "close")
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "期满后方可销号" in page
    assert Problem.objects.get(pk=problem.pk).status == S.PUBLICITY

    end_publicity(problem)
    move(client, problem, "close")
    assert Problem.objects.get(pk=problem.pk).status == S.CLOSED


MENU = {
    "reroute": ("ledger:problem_reroute", lambda p, who: services.problem_reroute(
        actor=who, problem=p, lead_unit=p.acceptance_unit, reason="改由分局牵头")),
    "extend": ("ledger:problem_extend", lambda p, who: services.problem_extend_deadline(
        actor=who, problem=p, new_deadline=(p.deadline or p.registered_on) + dt.timedelta(days=30), reason="汛期")),
    "pause": ("ledger:problem_pause", lambda p, who: services.problem_pause(actor=who, problem=p, reason="待法院裁定")),
    "resume": ("ledger:problem_resume", lambda p, who: services.problem_resume(actor=who, problem=p)),
}


@pytest.mark.parametrize("state", [S.REGISTERED, S.RECTIFYING, S.COMPLETED, S.CLOSED, "paused"])
@pytest.mark.parametrize("entry", sorted(MENU))
def test_the_manage_menu_offers_exactly_what_the_service_accepts(as_user, people, state, entry):
    """The page asks the services' own rules: an entry is shown if and only if the write would go through."""
    from django.db import transaction

    problem = ProblemFactory(status=S.RECTIFYING if state == "paused" else state)
    if state == "paused":
        services.problem_pause(actor=people["coordinator"], problem=problem, reason="待法院裁定")
    problem = Problem.objects.get(pk=problem.pk)
    url_name, write = MENU[entry]
    shown = reverse(url_name, args=[problem.pk]) in as_user(people["coordinator"]).get(problem.get_absolute_url()).content.decode()
    try:
        with transaction.atomic():
            write(problem, people["coordinator"])
            transaction.set_rollback(True)
        accepted = True
    except ValidationError:
        accepted = False
    assert shown == accepted, (state, entry, shown, accepted)
