"""The change log: before and after of every change, who made it (name copied) and in which request."""

from __future__ import annotations

from django.urls import reverse

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.models import ChangeLog
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import Unit, User
from tests.factories import TicketFactory


def changes_of(obj) -> list[ChangeLog]:
    return list(
        ChangeLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    )


def unit_data(unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "phone": unit.phone,
        "address": unit.address,
        "sort_order": unit.sort_order,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_a_change_made_on_a_page_carries_the_request_id_shown_in_the_response_header(
    login, people, structure
):
    unit = structure["jingtai"]
    response = login(people["coordinator"]).post(
        reverse("orgs:unit_edit", args=[unit.pk]), unit_data(unit, phone="020-1")
    )
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    change = changes_of(unit)[-1]
    assert change.request_id == request_id
    assert (change.user, change.user_name) == (people["coordinator"], "coordinator")
    assert change.operation == "update"
    assert (change.before["phone"], change.after["phone"]) == ("", "020-1")
    assert change.changed_fields == ["phone"]


def test_every_request_gets_its_own_id(login, people):
    client = login(people["sanyuanli"])
    ids = {client.get(reverse("dashboard:home"))["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_the_name_is_copied_so_the_log_still_reads_after_the_person_is_renamed(login, people, structure):
    coordinator = people["coordinator"]
    coordinator.full_name = "陈迎检"
    coordinator.save()
    unit = structure["jingtai"]
    login(coordinator).post(reverse("orgs:unit_edit", args=[unit.pk]), unit_data(unit, phone="020-2"))
    User.objects.filter(pk=coordinator.pk).update(full_name="已调离")
    assert changes_of(unit)[-1].user_name == "陈迎检"


def test_creation_and_deletion_keep_the_whole_record(structure, people):
    with acting_as(people["coordinator"]):
        village = Unit.objects.create(
            code="cl-v", name="测试村", short_name="测试村", kind=UnitKind.VILLAGE, parent=structure["taihe"]
        )
        pk = village.pk
        village.delete()
    created, deleted = ChangeLog.objects.filter(object_type="orgs.unit", object_id=str(pk)).order_by("id")
    assert (created.operation, created.before, created.after["name"]) == ("create", None, "测试村")
    assert (deleted.operation, deleted.before["name"], deleted.after) == ("delete", "测试村", None)
    assert created.request_id and created.request_id == deleted.request_id  # one piece of work
    assert deleted.user_name == "coordinator"


def test_work_done_outside_a_request_is_attributed_to_the_system(structure):
    unit = structure["taihe"]
    unit.phone = "020-3"
    unit.save()
    change = changes_of(unit)[-1]
    assert change.user is None and change.user_name == "系统"


def test_a_save_that_changes_nothing_writes_nothing(structure):
    unit = structure["taihe"]
    count = ChangeLog.objects.count()
    unit.save()
    assert ChangeLog.objects.count() == count


def test_password_hashes_never_reach_the_change_log(people):
    user = people["water"]
    user.set_password("Another-Baiyun-2026")
    user.save()
    for change in changes_of(user):
        assert "password" not in (change.before or {}) and "password" not in (change.after or {})
    assert not any("pbkdf2" in str(c.after) or "md5$" in str(c.after) for c in changes_of(user))


def test_many_to_many_changes_are_logged_as_before_and_after_ids(structure, people):
    ticket = TicketFactory(lead_unit=structure["sanyuanli"])
    with acting_as(people["coordinator"]):
        ticket.cooperating_units.add(structure["taihe"], structure["swj"])
        ticket.cooperating_units.remove(structure["swj"])
    add, remove = [c for c in changes_of(ticket) if "cooperating_units" in (c.after or {})]
    assert add.before == {"cooperating_units": []}
    assert add.after == {"cooperating_units": sorted([structure["taihe"].pk, structure["swj"].pk])}
    assert remove.after == {"cooperating_units": [structure["taihe"].pk]}
    assert remove.user_name == "coordinator"
