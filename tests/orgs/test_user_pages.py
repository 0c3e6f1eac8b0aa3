"""People and their memberships, managed by the coordinator from the app's own pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.orgs.models import Membership, User
from tests.factories import MembershipFactory


def can_log_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def new_user(structure, **overrides) -> dict:
    data = {
        "username": "lixm",
        "full_name": "李晓明",
        "phone": "13800000001",
        "email": "lixm@example.gov.cn",
        "password": "",
        "unit": structure["sanyuanli"].pk,
        "role": "staff",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_person_with_a_unit_and_the_initial_password_is_shown_once(
    login, people, structure
):
    client = login(people["coordinator"])
    response = client.post(reverse("orgs:user_create"), new_user(structure), follow=True)
    person = User.objects.get(username="lixm")
    assert response.redirect_chain[-1][0] == person.get_absolute_url()
    page = response.content.decode()
    password = re.search(r"初始密码：(\S+?)（仅显示一次）", page).group(1)
    membership = Membership.objects.get(user=person)
    assert (membership.unit, membership.role, membership.is_active) == (structure["sanyuanli"], "staff", True)
    assert [e.action for e in ActionLog.objects.order_by("seq")][-2:] == [
        "orgs.user.created",
        "orgs.membership.created",
    ]
    assert can_log_in("lixm", password)
    change = ChangeLog.objects.get(object_type="orgs.user", object_id=str(person.pk), operation="create")
    assert "password" not in change.after  # the hash never reaches the change log
    assert change.after["full_name"] == "李晓明"
    assert password not in client.get(reverse("orgs:user_detail", args=[person.pk])).content.decode()


def test_the_new_person_sees_their_own_subdistrict_after_logging_in(login, people, structure):
    login(people["coordinator"]).post(
        reverse("orgs:user_create"), new_user(structure, password="Sanyuanli#2026")
    )
    client = Client()
    client.post(reverse("login"), {"username": "lixm", "password": "Sanyuanli#2026"})
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "白云区三元里街道" in home


def test_a_weak_initial_password_is_refused_and_the_form_keeps_what_was_typed(login, people, structure):
    response = login(people["coordinator"]).post(
        reverse("orgs:user_create"), new_user(structure, password="12345678")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="lixm"' in page and 'value="李晓明"' in page
    assert not User.objects.filter(username="lixm").exists()


def test_unit_and_role_go_together(login, people, structure):
    response = login(people["coordinator"]).post(reverse("orgs:user_create"), new_user(structure, role=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "单位和角色需同时填写" in page
    assert 'value="李晓明"' in page
    assert not User.objects.filter(username="lixm").exists()


def test_a_taken_user_name_is_refused_whatever_its_case(login, people, structure):
    response = login(people["coordinator"]).post(
        reverse("orgs:user_create"), new_user(structure, username="SANYUANLI")
    )
    assert response.status_code == 400
    assert "用户名“SANYUANLI”已存在" in response.content.decode()
    assert User.objects.filter(username__iexact="sanyuanli").count() == 1


def test_a_refused_membership_leaves_no_half_created_person(login, people, structure):
    # District-wide roles belong to district-level units; the whole creation is undone, not just the role.
    response = login(people["coordinator"]).post(
        reverse("orgs:user_create"), new_user(structure, role="coordinator")
    )
    assert response.status_code == 400
    assert "全区性角色只能设在区、专责机构或区直部门" in response.content.decode()
    assert not User.objects.filter(username="lixm").exists()
    assert not ActionLog.objects.filter(action="orgs.user.created").exists()


def test_coordinator_resets_a_password_and_the_person_logs_in_with_the_new_one(login, people):
    person = people["sanyuanli"]
    client = login(people["coordinator"])
    response = client.post(
        reverse("orgs:user_password", args=[person.pk]),
        {"password": "Reset-Baiyun-77", "password2": "Reset-Baiyun-77"},
    )
    assert response.status_code == 302
    assert can_log_in("sanyuanli", "Reset-Baiyun-77")
    assert not can_log_in("sanyuanli", "pw-Baiyun-2026")
    entry = ActionLog.objects.get(action="orgs.user.password_set")
    assert entry.payload == {"by_self": False} and entry.actor == people["coordinator"]


def test_a_reset_with_two_different_passwords_changes_nothing(login, people):
    person = people["sanyuanli"]
    response = login(people["coordinator"]).post(
        reverse("orgs:user_password", args=[person.pk]),
        {"password": "Reset-Baiyun-77", "password2": "Reset-Baiyun-78"},
    )
    assert response.status_code == 400 and "两次输入的密码不一致" in response.content.decode()
    assert can_log_in("sanyuanli", "pw-Baiyun-2026")


def test_coordinator_edits_and_deactivates_a_person_who_then_cannot_log_in(login, people):
    person = people["jingtai"]
    client = login(people["coordinator"])
    page = client.get(reverse("orgs:user_edit", args=[person.pk])).content.decode()
    assert 'value="jingtai"' in page  # full name prefilled
    response = client.post(
        reverse("orgs:user_edit", args=[person.pk]), {"full_name": "景泰 王", "phone": "020-1", "email": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.is_active) == ("景泰 王", False)
    assert ActionLog.objects.get(action="orgs.user.updated").payload == {
        "deactivated": True,
        "reactivated": False,
    }
    assert not can_log_in("jingtai", "pw-Baiyun-2026")


def test_an_invalid_edit_keeps_what_was_typed(login, people):
    person = people["jingtai"]
    response = login(people["coordinator"]).post(
        reverse("orgs:user_edit", args=[person.pk]),
        {"full_name": "景泰 王", "phone": "020-2", "email": "not-an-address", "is_active": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="景泰 王"' in page
    person.refresh_from_db()
    assert person.full_name == "jingtai"


def test_the_coordinator_cannot_deactivate_their_own_account(login, people):
    me = people["coordinator"]
    response = login(me).post(
        reverse("orgs:user_edit", args=[me.pk]), {"full_name": "我", "phone": "", "email": ""}
    )
    assert response.status_code == 400 and "不能停用自己的账号" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_the_user_list_finds_people_by_unit_and_role(login, people, structure):
    client = login(people["coordinator"])
    page = client.get(reverse("orgs:user_list"), {"unit": structure["swj"].pk}).content.decode()
    assert ">water<" in page and ">sanyuanli<" not in page
    page = client.get(reverse("orgs:user_list"), {"role": "reviewer"}).content.decode()
    assert ">reviewer<" in page and ">water<" not in page


def test_coordinator_adds_and_ends_a_membership_from_the_unit_page(login, people, structure):
    person, unit = people["nobody"], structure["taihe"]
    client = login(people["coordinator"])
    response = client.post(
        reverse("orgs:membership_add", args=[unit.pk]), {"user": person.pk, "role": "staff"}
    )
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    membership = Membership.objects.get(user=person, unit=unit)
    assert membership.is_active and membership.role == "staff"
    assert ActionLog.objects.filter(action="orgs.membership.created").latest("seq").payload == {
        "user": person.pk,
        "unit": unit.pk,
        "role": "staff",
    }
    assert login(person).get(reverse("dashboard:home")).status_code == 200  # they now have a unit

    client = login(people["coordinator"])
    response = client.post(reverse("orgs:membership_end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert ActionLog.objects.filter(action="orgs.membership.ended").exists()
    assert login(person).get(reverse("dashboard:home")).status_code == 403  # no unit any more


def test_adding_the_same_role_twice_is_refused_with_a_message(login, people, structure):
    client = login(people["coordinator"])
    url = reverse("orgs:membership_add", args=[structure["sanyuanli"].pk])
    response = client.post(url, {"user": people["sanyuanli"].pk, "role": "staff"}, follow=True)
    assert "已是" in response.content.decode()
    assert Membership.objects.filter(user=people["sanyuanli"]).count() == 1


def test_an_ended_membership_can_be_given_again(login, people, structure):
    membership = Membership.objects.get(user=people["sanyuanli"])
    membership.is_active = False
    membership.save()
    client = login(people["coordinator"])
    client.post(
        reverse("orgs:membership_add", args=[structure["sanyuanli"].pk]),
        {"user": people["sanyuanli"].pk, "role": "staff"},
    )
    membership.refresh_from_db()
    assert membership.is_active
    assert Membership.objects.filter(user=people["sanyuanli"]).count() == 1


@pytest.mark.parametrize("person", ["sanyuanli", "auditor", "leader", "publisher"])
def test_only_the_coordinator_manages_people_and_memberships(login, people, structure, person):
    client = login(people[person])
    logs = ActionLog.objects.count()
    membership = Membership.objects.get(user=people["sanyuanli"])
    responses = [
        client.post(reverse("orgs:user_create"), new_user(structure)),
        client.post(
            reverse("orgs:membership_add", args=[structure["sanyuanli"].pk]),
            {"user": people["nobody"].pk, "role": "staff"},
        ),
        client.post(reverse("orgs:membership_end", args=[membership.pk])),
        client.post(
            reverse("orgs:user_password", args=[people["jingtai"].pk]),
            {"password": "Reset-Baiyun-77", "password2": "Reset-Baiyun-77"},
        ),
        client.post(reverse("orgs:user_edit", args=[people["jingtai"].pk]), {"full_name": "x"}),
    ]
    # units are open to read, so managing one is refused (403); people outside the office are not found
    assert [r.status_code for r in responses] == [403, 403, 404, 404, 404]
    assert not User.objects.filter(username="lixm").exists()
    assert not Membership.objects.filter(user=people["nobody"]).exists()
    membership.refresh_from_db()
    assert membership.is_active
    assert can_log_in("jingtai", "pw-Baiyun-2026")
    assert ActionLog.objects.count() == logs + 1  # only can_log_in's own successful log-in


def test_ending_a_membership_returns_to_the_persons_page_but_never_to_another_site(login, people, structure):
    client = login(people["coordinator"])
    person = people["jingtai"]
    first = Membership.objects.get(user=person)
    response = client.post(
        reverse("orgs:membership_end", args=[first.pk]), {"next": person.get_absolute_url()}
    )
    assert response["Location"] == person.get_absolute_url()
    second = MembershipFactory(user=person, unit=structure["taihe"], role="staff")
    response = client.post(
        reverse("orgs:membership_end", args=[second.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == structure["taihe"].get_absolute_url()
    second.refresh_from_db()
    assert not second.is_active
