"""Registering a problem: the routing proposal (推荐), overriding it with a reason, bad input kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger.models import Problem
from tests.factories import today

pytestmark = pytest.mark.django_db


def register_data(structure, **overrides) -> dict:
    data = {
        "title": "新市涌支涌排水口污水直排",
        "description": "雨后排水口持续排出黑臭污水",
        "source": "feedback",
        "source_ref": "第二轮反馈意见第 12 条",
        "problem_types": ["water"],
        "severity": "serious",
        "handling_mode": "deadline",
        "address": "白云区三元里街道新市涌沿岸",
        "acceptance_unit": structure["sthj"].pk,
        "responsible_leader": "王副区长",
        "target": "排水口旱季无污水直排",
        "deadline_kind": "date",
        "deadline": (today() + dt.timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_proposal_names_the_department_and_the_town_with_its_reasons(structure, as_user, people):
    response = as_user(people["coordinator"]).post(
        reverse("ledger:routing_proposal"),
        {
            "title": "新市涌排水口污水直排",
            "address": "白云区三元里街道新市涌沿岸",
            "problem_types": ["water"],
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "区水务局" in html and "三元里街道" in html
    assert "三管三必须「城镇污水、河涌与排水」" in html  # why
    assert "所在镇街 三元里街道：地址中“白云区三元里街道”" in html
    # the lead-unit and town selects come back filled, swapped in place (hx-swap-oob)
    assert f'<option value="{structure["swj"].pk}" selected>' in html
    assert f'<option value="{structure["sanyuanli"].pk}" selected>' in html
    assert html.count('hx-swap-oob="true"') == 2


def test_no_proposal_says_so(as_user, people):
    html = (
        as_user(people["coordinator"])
        .post(reverse("ledger:routing_proposal"), {"title": "会议室"})
        .content.decode()
    )
    assert "未能从“三管三必须”和地址中得出推荐" in html
    assert "hx-swap-oob" not in html


def test_the_form_has_the_proposal_button(as_user, people):
    html = as_user(people["coordinator"]).get(reverse("ledger:problem_create")).content.decode()
    assert f'hx-post="{reverse("ledger:routing_proposal")}"' in html
    assert 'id="routing-proposal"' in html


def test_registering_takes_the_proposal_and_records_why(structure, as_user, people):
    client = as_user(people["coordinator"])
    response = client.post(reverse("ledger:problem_create"), register_data(structure))

    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == problem.get_absolute_url()
    assert problem.lead_unit == structure["swj"]
    assert problem.town == structure["sanyuanli"]
    assert "系统推荐牵头单位" in problem.routing_reason
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "系统推荐牵头单位" in page
    assert "已登记 " + problem.number in page


def test_choosing_another_lead_unit_needs_a_reason_and_keeps_the_input(structure, as_user, people):
    data = register_data(structure, lead_unit=structure["zjj"].pk)
    response = as_user(people["coordinator"]).post(reverse("ledger:problem_create"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert Problem.objects.count() == 0
    field = html.split('data-field="override_reason"', 1)[1].split('data-field="', 1)[0]
    assert "系统推荐的牵头单位是 区水务局，改为 区住建局 需填写理由" in field
    assert 'value="新市涌支涌排水口污水直排"' in html  # nothing typed is lost
    assert "雨后排水口持续排出黑臭污水</textarea>" in html
    assert f'<option value="{structure["zjj"].pk}" selected>' in html


def test_with_a_reason_the_override_is_recorded(structure, as_user, people):
    data = register_data(structure, lead_unit=structure["zjj"].pk, override_reason="排水口位于在建工地红线内")
    as_user(people["coordinator"]).post(reverse("ledger:problem_create"), data)

    problem = Problem.objects.get()
    assert problem.lead_unit == structure["zjj"]
    assert (
        "人工指定牵头单位 区住建局（系统推荐 区水务局），理由：排水口位于在建工地红线内"
        in problem.routing_reason
    )


def test_a_deadline_before_registration_lands_on_the_deadline_field(structure, as_user, people):
    data = register_data(structure, deadline=(today() - dt.timedelta(days=1)).isoformat())
    html = as_user(people["coordinator"]).post(reverse("ledger:problem_create"), data).content.decode()

    field = html.split('data-field="deadline"', 1)[1]
    assert "早于登记日期" in field
    assert Problem.objects.count() == 0


def test_a_missing_title_is_refused_on_its_field(structure, as_user, people):
    response = as_user(people["coordinator"]).post(
        reverse("ledger:problem_create"), register_data(structure, title="")
    )
    assert response.status_code == 400
    assert 'data-field="title"' in response.content.decode()
    assert Problem.objects.count() == 0


def test_unit_staff_register_their_own_self_inspection_problems(structure, as_user, people):
    data = register_data(structure, source="self_inspection", lead_unit=structure["swj"].pk)
    response = as_user(people["water"]).post(reverse("ledger:problem_create"), data)
    assert response.status_code == 302
    assert Problem.objects.get().registered_by == people["water"]


def test_unit_staff_cannot_register_for_another_unit(structure, as_user, people):
    data = register_data(
        structure, source="self_inspection", lead_unit=structure["zjj"].pk, override_reason="想让住建办"
    )
    response = as_user(people["water"]).post(reverse("ledger:problem_create"), data)
    assert response.status_code == 400
    assert "单位只能登记本单位牵头的问题" in response.content.decode()
    assert Problem.objects.count() == 0


@pytest.mark.parametrize("role", ["leader", "reviewer", "auditor", "publisher"])
def test_read_only_roles_may_not_register(role, structure, as_user, people):
    before = ActionLog.objects.filter(action__startswith="ledger.").count()
    client = as_user(people[role])
    form = client.get(reverse("ledger:problem_create"))
    post = client.post(reverse("ledger:problem_create"), register_data(structure))
    proposal = client.post(reverse("ledger:routing_proposal"), {"title": "排水口"})

    assert form.status_code == post.status_code == proposal.status_code == 403
    assert "只有区督察迎检办可以执行此操作" in form.content.decode()
    assert Problem.objects.count() == 0
    assert ActionLog.objects.filter(action__startswith="ledger.").count() == before


def test_unit_staff_are_offered_only_self_inspection_and_other_sources_are_refused(structure, as_user, people):
    client = as_user(people["water"])
    form = client.get(reverse("ledger:problem_create")).content.decode()
    select = form[form.index('name="source"') : form.index("</select>", form.index('name="source"'))]
    assert 'value="self_inspection"' in select and 'value="feedback"' not in select
    response = client.post(reverse("ledger:problem_create"), register_data(structure, lead_unit=structure["swj"].pk))
    assert response.status_code == 400 and 'data-field="source"' in response.content.decode()
    assert Problem.objects.count() == 0
    # the office still chooses any source
    office = as_user(people["coordinator"]).get(reverse("ledger:problem_create")).content.decode()
    assert 'value="feedback"' in office


def test_a_units_registration_waits_for_the_office_to_assign_it(structure, as_user, people):
    data = register_data(structure, source="self_inspection", lead_unit=structure["swj"].pk)
    response = as_user(people["water"]).post(reverse("ledger:problem_create"), data, follow=True)
    assert "已登记，等待区督察迎检办交办" in response.content.decode()
    problem = Problem.objects.get()
    home = as_user(people["coordinator"]).get(reverse("dashboard:home")).content.decode()
    queue = home[home.index('data-testid="my-queue"') :]
    assert problem.number in queue and "已登记" in queue
