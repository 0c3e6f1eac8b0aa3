"""The 三管三必须 matrix: published to everyone, edited by the coordinator, used to propose lead departments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import SectorDuty
from ecoinspect.orgs.selectors import sector_duty_match


def duty_form(structure, **overrides) -> dict:
    data = {
        "sector": "机动车维修喷漆",
        "problem_type": "air",
        "keywords": "汽修,喷漆房,钣金",
        "department": structure["jtys"].pk,
        "basis": "交通运输行业管理",
        "sort_order": 500,
    }
    data.update(overrides)
    return data


def test_everyone_logged_in_reads_the_matrix(login, people):
    page = login(people["taihe"]).get(reverse("orgs:sectorduty_list")).content.decode()
    assert "城镇污水、河涌与排水" in page and "区水务局" in page
    assert reverse("orgs:sectorduty_create") not in page  # no "new" button for staff


def test_coordinator_adds_a_duty_which_then_proposes_its_department(login, people, structure):
    client = login(people["coordinator"])
    response = client.post(reverse("orgs:sectorduty_create"), duty_form(structure))
    assert response.status_code == 302 and response["Location"] == reverse("orgs:sectorduty_list")
    duty = SectorDuty.objects.get(sector="机动车维修喷漆")
    assert duty.department == structure["jtys"] and duty.keyword_list() == ["汽修", "喷漆房", "钣金"]
    assert ActionLog.objects.filter(action="orgs.sectorduty.created", object_id=str(duty.pk)).exists()
    best = sector_duty_match(text="小区旁汽修店钣金喷漆房噪声扰民")[0]
    assert best.duty == duty


def test_a_sector_already_assigned_to_that_department_is_refused_keeping_the_input(login, people, structure):
    client = login(people["coordinator"])
    data = duty_form(
        structure, sector="城镇污水、河涌与排水", department=structure["swj"].pk, keywords="新的关键词"
    )
    response = client.post(reverse("orgs:sectorduty_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "已经存在" in page or "已分配给" in page
    assert "新的关键词" in page and 'value="交通运输行业管理"' in page
    assert SectorDuty.objects.filter(sector="城镇污水、河涌与排水").count() == 1


def test_only_departments_can_be_responsible(login, people, structure):
    response = login(people["coordinator"]).post(
        reverse("orgs:sectorduty_create"), duty_form(structure, department=structure["sanyuanli"].pk)
    )
    assert response.status_code == 400
    assert not SectorDuty.objects.filter(sector="机动车维修喷漆").exists()


def test_coordinator_edits_a_duty(login, people, structure):
    duty = SectorDuty.objects.get(sector="工业噪声")
    client = login(people["coordinator"])
    assert 'value="工业噪声"' in client.get(reverse("orgs:sectorduty_edit", args=[duty.pk])).content.decode()
    data = duty_form(
        structure, sector="工业噪声", department=structure["sthj"].pk, keywords="冲压,风机", is_active="on"
    )
    assert client.post(reverse("orgs:sectorduty_edit", args=[duty.pk]), data).status_code == 302
    duty.refresh_from_db()
    assert duty.keywords == "冲压,风机"
    assert ActionLog.objects.get(action="orgs.sectorduty.updated").object_id == str(duty.pk)


def test_a_deactivated_duty_no_longer_proposes_its_department(login, people, structure):
    duty = SectorDuty.objects.get(department__code="swj", sector="城镇污水、河涌与排水")
    assert sector_duty_match(text="河涌水体发黑发臭")[0].duty == duty
    data = duty_form(
        structure, sector=duty.sector, department=duty.department_id, keywords=duty.keywords
    )  # no is_active
    login(people["coordinator"]).post(reverse("orgs:sectorduty_edit", args=[duty.pk]), data)
    assert all(m.duty != duty for m in sector_duty_match(text="河涌水体发黑发臭"))


def test_coordinator_deletes_a_duty(login, people):
    duty = SectorDuty.objects.get(sector="工业噪声")
    response = login(people["coordinator"]).post(reverse("orgs:sectorduty_delete", args=[duty.pk]))
    assert response.status_code == 302
    assert not SectorDuty.objects.filter(pk=duty.pk).exists()
    entry = ActionLog.objects.get(action="orgs.sectorduty.deleted")
    assert entry.payload["sector"] == "工业噪声"


@pytest.mark.parametrize("person", ["water", "auditor", "leader"])
def test_others_cannot_add_edit_or_delete_duties(login, people, structure, person):
    duty = SectorDuty.objects.get(department__code="swj", sector="城镇污水、河涌与排水")
    client = login(people[person])
    logs = ActionLog.objects.count()
    assert client.post(reverse("orgs:sectorduty_create"), duty_form(structure)).status_code == 403
    assert (
        client.post(reverse("orgs:sectorduty_edit", args=[duty.pk]), duty_form(structure)).status_code == 403
    )
    refused = client.post(reverse("orgs:sectorduty_delete", args=[duty.pk]), follow=True)
    assert "只有区督察迎检办可以管理" in refused.content.decode()
    duty.refresh_from_db()
    assert duty.sector == "城镇污水、河涌与排水"
    assert not SectorDuty.objects.filter(sector="机动车维修喷漆").exists()
    assert ActionLog.objects.count() == logs


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("某河涌沿岸生活污水直排，水体发黑发臭", "区水务局"),
        ("工地夜间施工扬尘严重", "区住建局"),
        ("养猪场粪污直排鱼塘", "区农业农村局"),
        ("工厂喷漆车间废气异味扰民", "生态环境分局"),
        ("加油站油气味很大", "区市场监管局"),
    ],
)
def test_try_it_proposes_the_responsible_department_with_its_reason(login, people, text, department):
    page = login(people["sanyuanli"]).get(reverse("orgs:sectorduty_list"), {"try": text}).content.decode()
    matches = page[page.index('data-testid="duty-matches"') :]
    first = matches[: matches.index("</div></div>")]
    assert f"<strong>{department}</strong>" in first
    assert "关键词：" in first
    assert f'value="{text}"' in page  # the text stays in the box


def test_try_it_says_so_when_nothing_matches(login, people):
    page = (
        login(people["sanyuanli"]).get(reverse("orgs:sectorduty_list"), {"try": "天气很好"}).content.decode()
    )
    assert "没有匹配的职责" in page


def test_matches_are_scored_by_keywords_then_problem_type_and_explain_themselves(structure):
    matches = sector_duty_match(text="河涌污水直排，管网破损", problem_types=["water"])
    best = matches[0]
    assert best.duty.department.code == "swj"
    assert set(best.matched_keywords) == {"河涌", "污水", "直排", "管网"}
    assert best.score == 3 * 4 + 1
    assert "河涌" in best.reason and "问题类型：水" in best.reason
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len(sector_duty_match(text="垃圾 油烟 施工 工地 污水 河涌 养殖 工厂", limit=2)) == 2
    only_type = sector_duty_match(text="无关键词", problem_types=["ecology"])
    assert {m.duty.department.code for m in only_type} == {"ghzy", "lyyl", "swj"} and all(
        m.score == 1 for m in only_type
    )
    assert sector_duty_match(text="") == []
