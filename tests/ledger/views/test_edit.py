"""The inspection office edits, re-routes and reschedules a problem; two people saving the same problem."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem
from tests.factories import MembershipFactory, ProblemFactory, today

pytestmark = pytest.mark.django_db


def edit_data(problem: Problem, **changes) -> dict:
    data = {
        "version": problem.version,
        "title": problem.title,
        "description": problem.description,
        "source": problem.source,
        "source_ref": problem.source_ref,
        "problem_types": problem.problem_types,
        "severity": problem.severity,
        "handling_mode": problem.handling_mode,
        "address": problem.address,
        "town": problem.town_id or "",
        "supervising_unit": problem.supervising_unit_id or "",
        "acceptance_unit": problem.acceptance_unit_id or "",
        "cooperating_units": [u.pk for u in problem.cooperating_units.all()],
        "responsible_leader": problem.responsible_leader,
        "responsible_person": problem.responsible_person,
        "contact_phone": problem.contact_phone,
        "target": problem.target,
    }
    data.update(changes)
    return data


@pytest.fixture
def second_coordinator(structure, make_user):
    return make_user("coordinator2", structure["yingjianban"], "coordinator", full_name="刘迎检")


def test_the_edit_form_carries_the_version(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    html = (
        as_user(people["coordinator"]).get(reverse("ledger:problem_edit", args=[problem.pk])).content.decode()
    )
    assert f'name="version" value="{problem.version}"' in html
    assert f'value="{problem.title}"' in html


def test_saving_an_edit(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    response = as_user(people["coordinator"]).post(
        reverse("ledger:problem_edit", args=[problem.pk]), edit_data(problem, responsible_person="黄工")
    )
    assert response.status_code == 302
    saved = Problem.objects.get(pk=problem.pk)
    assert saved.responsible_person == "黄工" and saved.version == problem.version + 1


def test_the_second_person_to_save_gets_a_conflict_and_keeps_what_they_typed(people, second_coordinator):
    problem = ProblemFactory(status=S.ASSIGNED)
    url = reverse("ledger:problem_edit", args=[problem.pk])
    first, second = Client(), Client()
    first.force_login(people["coordinator"])
    second.force_login(second_coordinator)
    opened = problem.version  # both open the form on the same version
    assert f'name="version" value="{opened}"' in first.get(url).content.decode()
    assert f'name="version" value="{opened}"' in second.get(url).content.decode()

    assert first.post(url, edit_data(problem, target="旱季无直排，雨季溢流减少 80%")).status_code == 302
    response = second.post(url, edit_data(problem, responsible_person="黄工", contact_phone="020-36000000"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "该问题已被他人修改" in html
    # what they typed is still in the form
    assert 'value="黄工"' in html
    # what the other person saved is shown next to it
    conflict = html.split('data-testid="conflict"', 1)[1].split("</table>", 1)[0]
    assert "整改目标" in conflict and "旱季无直排，雨季溢流减少 80%" in conflict
    assert "责任人" in conflict and "黄工" in conflict
    saved = Problem.objects.get(pk=problem.pk)
    assert saved.responsible_person == "" and saved.target == "旱季无直排，雨季溢流减少 80%"
    # saving again, having seen the conflict, applies their input over the newer version
    assert f'name="version" value="{opened + 1}"' in html
    again = second.post(url, edit_data(saved, responsible_person="黄工", contact_phone="020-36000000"))
    assert again.status_code == 302
    assert Problem.objects.get(pk=problem.pk).responsible_person == "黄工"


def test_unit_staff_cannot_edit(as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    client = as_user(people["water"])
    url = reverse("ledger:problem_edit", args=[problem.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(problem, title="改掉标题"))
    assert response.status_code == 403
    assert "只有区督察迎检办可以执行此操作" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).title == problem.title


def test_a_closed_problem_cannot_be_edited(as_user, people):
    problem = ProblemFactory(status=S.CLOSED)
    response = as_user(people["coordinator"]).get(reverse("ledger:problem_edit", args=[problem.pk]))
    assert response.status_code == 403
    assert "已销号的问题不能修改" in response.content.decode()


def test_rerouting_keeps_the_history(structure, as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    client = as_user(people["coordinator"])
    url = reverse("ledger:problem_reroute", args=[problem.pk])
    response = client.post(
        url,
        {
            "version": problem.version,
            "lead_unit": structure["sanyuanli"].pk,
            "reason": "属地排水户，由街道牵头",
        },
    )

    assert response.status_code == 302
    saved = Problem.objects.get(pk=problem.pk)
    assert saved.lead_unit == structure["sanyuanli"]
    page = client.get(problem.get_absolute_url()).content.decode()
    routing = page.split('data-testid="routing-reason"', 1)[1].split("</dd>", 1)[0]
    assert "系统推荐牵头单位" in routing  # the original proposal is still there
    assert "由 区水务局 改派至 三元里街道：属地排水户，由街道牵头" in routing
    assert "改派牵头单位" in page.split('data-testid="timeline"', 1)[1]
    # the reroute form shows the history too
    assert "由 区水务局 改派至 三元里街道" in client.get(url).content.decode()
    # and the new lead unit now has it on its own list; the old one no longer leads it
    assert ActionLog.objects.for_object(saved).filter(action="ledger.problem.rerouted").exists()


def test_rerouting_without_a_reason_keeps_the_choice(structure, as_user, people):
    problem = ProblemFactory(status=S.ASSIGNED)
    response = as_user(people["coordinator"]).post(
        reverse("ledger:problem_reroute", args=[problem.pk]),
        {"version": problem.version, "lead_unit": structure["sanyuanli"].pk, "reason": ""},
    )
    assert response.status_code == 400
    assert f'<option value="{structure["sanyuanli"].pk}" selected>' in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).lead_unit == structure["swj"]


def test_extending_the_deadline(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    new = problem.deadline + dt.timedelta(days=30)
    client = as_user(people["coordinator"])
    response = client.post(
        reverse("ledger:problem_extend", args=[problem.pk]),
        {"version": problem.version, "new_deadline": new.isoformat(), "reason": "汛期停工"},
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).deadline == new
    assert f"整改时限已调整为 {new}" in client.get(problem.get_absolute_url()).content.decode()


def test_an_earlier_deadline_is_refused_on_its_field(as_user, people):
    problem = ProblemFactory(status=S.RECTIFYING)
    response = as_user(people["coordinator"]).post(
        reverse("ledger:problem_extend", args=[problem.pk]),
        {"version": problem.version, "new_deadline": today().isoformat(), "reason": "提前"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "新时限须晚于原时限" in html.split('data-field="new_deadline"', 1)[1]
    assert "提前</textarea>" in html  # what they typed stays


def test_a_coordinator_of_the_office_is_the_only_one_who_may_reroute(structure, as_user, people):
    MembershipFactory(user=people["water"], unit=structure["sthj"], role="reviewer")
    problem = ProblemFactory(status=S.ASSIGNED)
    assert (
        as_user(people["water"]).get(reverse("ledger:problem_reroute", args=[problem.pk])).status_code == 403
    )
