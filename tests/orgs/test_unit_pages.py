"""The coordinator keeps the unit tree in the app's own pages; everyone else reads only what is theirs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.core.permissions import restrict
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import Unit
from tests.conftest import fresh
from tests.factories import UnitFactory


def unit_form(structure, **overrides) -> dict:
    data = {
        "name": "白云区示范村",
        "short_name": "示范村",
        "code": "shifan",
        "kind": UnitKind.VILLAGE,
        "parent": structure["sanyuanli"].pk,
        "phone": "020-86000001",
        "address": "三元里大道 1 号",
        "sort_order": 300,
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_village_under_a_subdistrict(login, people, structure):
    client = login(people["coordinator"])
    response = client.post(reverse("orgs:unit_create"), unit_form(structure))
    village = Unit.objects.get(code="shifan")
    assert response.status_code == 302 and response["Location"] == village.get_absolute_url()
    assert (village.parent, village.kind, village.phone) == (
        structure["sanyuanli"],
        UnitKind.VILLAGE,
        "020-86000001",
    )
    entry = ActionLog.objects.get(action="orgs.unit.created")
    assert entry.actor == people["coordinator"] and entry.object_id == str(village.pk)
    change = ChangeLog.objects.get(object_type="orgs.unit", object_id=str(village.pk))
    assert change.operation == "create" and change.user_name == "coordinator"
    assert change.after["phone"] == "020-86000001"
    page = client.get(response["Location"])
    assert "白云区示范村" in page.content.decode() and "已保存" in page.content.decode()


def test_the_new_village_belongs_to_its_subdistricts_staff(login, people, structure):
    login(people["coordinator"]).post(reverse("orgs:unit_create"), unit_form(structure))
    village = Unit.objects.get(code="shifan")
    # the page is open to every role; the village's records are its subdistrict's
    assert login(people["jingtai"]).get(village.get_absolute_url()).status_code == 200
    assert village in restrict(Unit.objects.all(), fresh(people["sanyuanli"]), "ledger.work")
    assert village not in restrict(Unit.objects.all(), fresh(people["jingtai"]), "ledger.work")


@pytest.mark.parametrize(
    ("kind", "parent_code", "complaint"),
    [
        (UnitKind.SUBDISTRICT, "taihe", "“街道”的上级单位不能是“镇”"),
        (UnitKind.TOWN, "sanyuanli", "“镇”的上级单位不能是“街道”"),
        (UnitKind.DEPARTMENT, "swj", "“区直部门”的上级单位不能是“区直部门”"),
        (UnitKind.VILLAGE, "baiyun", "“村（社区）”的上级单位不能是“区”"),
    ],
)
def test_a_unit_cannot_sit_where_the_tree_does_not_allow_and_the_form_keeps_the_input(
    login, people, structure, kind, parent_code, complaint
):
    data = unit_form(
        structure, kind=kind, parent=structure[parent_code].pk, name="白云区错位单位", code="cuowei"
    )
    response = login(people["coordinator"]).post(reverse("orgs:unit_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert complaint in page
    assert 'value="白云区错位单位"' in page and 'value="cuowei"' in page
    assert not Unit.objects.filter(code="cuowei").exists()
    assert not ActionLog.objects.filter(action="orgs.unit.created").exists()


def test_a_unit_code_or_name_already_used_is_refused_next_to_the_field(login, people, structure):
    client = login(people["coordinator"])
    response = client.post(reverse("orgs:unit_create"), unit_form(structure, code="jingtai"))
    assert response.status_code == 400
    assert "单位代码“jingtai”已存在" in response.content.decode()
    response = client.post(reverse("orgs:unit_create"), unit_form(structure, name="白云区景泰街道"))
    assert response.status_code == 400 and "单位“白云区景泰街道”已存在" in response.content.decode()
    assert 'value="示范村"' in response.content.decode()


def test_coordinator_edits_a_unit_and_the_change_is_logged(login, people, structure):
    unit = structure["sanyuanli"]
    client = login(people["coordinator"])
    page = client.get(reverse("orgs:unit_edit", args=[unit.pk]))
    assert 'value="白云区三元里街道"' in page.content.decode()
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "phone": "020-86390000",
        "address": "三元里大道 2 号",
        "sort_order": unit.sort_order,
        "is_active": "on",
    }
    response = client.post(reverse("orgs:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.phone == "020-86390000"
    entry = ActionLog.objects.get(action="orgs.unit.updated")
    assert entry.payload == {"fields": ["address", "phone"]}
    change = ChangeLog.objects.filter(object_type="orgs.unit", object_id=str(unit.pk)).latest("id")
    assert change.changed_fields == ["address", "phone"]
    assert change.before["phone"] == "" and change.after["phone"] == "020-86390000"


def test_saving_a_unit_unchanged_writes_no_log(login, people, structure):
    unit = structure["taihe"]
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "phone": "",
        "address": "",
        "sort_order": unit.sort_order,
        "is_active": "on",
    }
    client = login(people["coordinator"])
    logs, changes = ActionLog.objects.count(), ChangeLog.objects.count()
    assert client.post(reverse("orgs:unit_edit", args=[unit.pk]), data).status_code == 302
    assert (ActionLog.objects.count(), ChangeLog.objects.count()) == (logs, changes)


def test_a_unit_cannot_be_its_own_parent(login, people, structure):
    unit = structure["yingjianban"]
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.pk,
        "phone": "",
        "address": "",
        "sort_order": 2,
        "is_active": "on",
    }
    response = login(people["coordinator"]).post(reverse("orgs:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.parent == structure["baiyun"]


def test_a_unit_with_active_villages_cannot_be_deactivated(login, people, structure):
    unit = structure["sanyuanli"]
    UnitFactory(village=True, code="v1", name="三元里一村", short_name="一村", parent=unit)
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "phone": "020-1",
        "address": "",
        "sort_order": unit.sort_order,
    }
    response = login(people["coordinator"]).post(reverse("orgs:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 400
    assert "该单位还有启用的下级单位，不能停用。" in response.content.decode()
    assert 'value="020-1"' in response.content.decode()
    unit.refresh_from_db()
    assert unit.is_active and unit.phone == ""


@pytest.mark.parametrize("person", ["sanyuanli", "leader", "auditor", "reviewer"])
def test_only_the_coordinator_may_create_or_edit_units(login, people, structure, person):
    client = login(people[person])
    before = Unit.objects.count()
    assert client.post(reverse("orgs:unit_create"), unit_form(structure)).status_code == 403
    unit = structure["sanyuanli"]
    edit = client.post(reverse("orgs:unit_edit", args=[unit.pk]), {"name": "改名", "phone": "1"})
    assert edit.status_code in (403, 404)
    assert Unit.objects.count() == before
    unit.refresh_from_db()
    assert unit.name == "白云区三元里街道"
    assert not ActionLog.objects.filter(action__startswith="orgs.unit.").exists()


def test_the_unit_directory_is_open_to_everyone_logged_in_and_filterable(login, people, structure):
    client = login(people["sanyuanli"])
    page = client.get(reverse("orgs:unit_list")).content.decode()
    assert "白云区景泰街道" in page and "白云区太和镇" in page and "白云区水务局" in page
    towns = client.get(reverse("orgs:unit_list"), {"kind": UnitKind.TOWN}).content.decode()
    assert "白云区太和镇" in towns and "白云区景泰街道" not in towns
    found = client.get(reverse("orgs:unit_list"), {"q": "钟落潭"}).content.decode()
    assert "白云区钟落潭镇" in found and "白云区太和镇" not in found


def test_the_unit_page_shows_members_and_duties(login, people, structure):
    page = login(people["water"]).get(structure["swj"].get_absolute_url()).content.decode()
    assert "白云区水务局" in page and "城镇污水、河涌与排水" in page  # its 三管三必须 row
    assert "water" in page  # its member
    assert reverse("orgs:unit_edit", args=[structure["swj"].pk]) not in page  # no edit button for staff


def test_an_unknown_unit_id_is_not_found(login, people):
    client = login(people["coordinator"])
    assert client.get(reverse("orgs:unit_detail", args=[999999])).status_code == 404
    assert client.get(reverse("orgs:unit_edit", args=[999999])).status_code == 404
    assert "不存在" in client.get(reverse("orgs:unit_detail", args=[999999])).content.decode()
