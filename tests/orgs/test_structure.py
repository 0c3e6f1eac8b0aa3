"""Baiyun's real organisation and the default 三管三必须 matrix, loaded by `ecoinspect orgs load-structure`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import SectorDuty, Unit
from ecoinspect.orgs.selectors import town_from_address

# The district's 20 subdistricts (街道) and 4 towns (镇), as published by the district government.
SUBDISTRICTS = {
    "三元里",
    "松洲",
    "景泰",
    "同德",
    "黄石",
    "棠景",
    "新市",
    "同和",
    "京溪",
    "永平",
    "嘉禾",
    "均禾",
    "石井",
    "金沙",
    "云城",
    "鹤龙",
    "白云湖",
    "石门",
    "龙归",
    "大源",
}
TOWNS = {"江高", "人和", "太和", "钟落潭"}


def load() -> str:
    out = StringIO()
    call_command("orgs", "load-structure", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loading_creates_the_district_its_20_subdistricts_4_towns_and_12_departments():
    output = load()
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    assert district.name == "广州市白云区"
    assert {u.name for u in Unit.objects.filter(kind=UnitKind.SUBDISTRICT)} == {
        f"白云区{n}街道" for n in SUBDISTRICTS
    }
    assert {u.name for u in Unit.objects.filter(kind=UnitKind.TOWN)} == {f"白云区{n}镇" for n in TOWNS}
    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    assert departments.count() == 12
    assert {"白云区水务局", "广州市生态环境局白云分局", "白云区住房和城乡建设局"} <= set(
        departments.values_list("name", flat=True)
    )
    office = Unit.objects.get(kind=UnitKind.OFFICE)
    assert office.parent == district and "督察迎检" in office.name
    assert all(u.parent == district for u in Unit.objects.exclude(kind__in=[UnitKind.DISTRICT]))
    assert "单位新增 38 个，职责新增 14 条。" in output
    assert ActionLog.objects.filter(action="orgs.structure.loaded").count() == 1


@pytest.mark.django_db
def test_every_seeded_duty_names_a_department_and_keywords():
    load()
    duties = SectorDuty.objects.select_related("department")
    assert duties.count() == 14
    for duty in duties:
        assert duty.department.kind == UnitKind.DEPARTMENT
        assert duty.keyword_list(), duty
    water = SectorDuty.objects.get(department__code="swj", sector="城镇污水、河涌与排水")
    assert {"河涌", "污水", "黑臭"} <= set(water.keyword_list())


@pytest.mark.django_db
def test_loading_again_creates_nothing_and_logs_nothing():
    load()
    units, duties, logs = Unit.objects.count(), SectorDuty.objects.count(), ActionLog.objects.count()
    output = load()
    assert "单位新增 0 个，职责新增 0 条。" in output
    assert (Unit.objects.count(), SectorDuty.objects.count(), ActionLog.objects.count()) == (
        units,
        duties,
        logs,
    )


@pytest.mark.django_db
def test_the_offices_edits_to_units_and_the_matrix_survive_loading_again():
    load()
    unit = Unit.objects.get(code="sanyuanli")
    unit.phone, unit.address = "020-86661234", "三元里大道"
    unit.save()
    duty = SectorDuty.objects.get(sector="工业噪声")
    duty.keywords = "工厂噪声,冲压"
    duty.save()
    moved = SectorDuty.objects.get(sector="加油站油气回收与油品质量")
    moved.department = Unit.objects.get(code="sthj")  # the office re-assigns a sector
    moved.save()
    SectorDuty.objects.get(sector="林地、绿地与自然保护地").delete()  # and drops another
    duties = SectorDuty.objects.count()

    load()

    unit.refresh_from_db()
    assert (unit.phone, unit.address) == ("020-86661234", "三元里大道")
    assert SectorDuty.objects.get(sector="工业噪声").keywords == "工厂噪声,冲压"
    assert list(
        SectorDuty.objects.filter(sector="加油站油气回收与油品质量").values_list(
            "department__code", flat=True
        )
    ) == ["sthj"]
    assert not SectorDuty.objects.filter(sector="林地、绿地与自然保护地").exists()
    assert SectorDuty.objects.count() == duties


@pytest.mark.parametrize(
    ("address", "town"),
    [
        ("广州市白云区三元里街道松柏东街12号", "三元里街道"),
        ("白云区太和镇穗丰村", "太和镇"),
        ("白云湖街道夏茅村", "白云湖街道"),  # the longer name wins: 白云湖, not a shorter one inside it
        ("钟落潭镇良田村", "钟落潭镇"),
        ("广州市白云区景泰街道三元里大道1108号", "景泰街道"),  # the 街道 named, not the road's namesake
        ("白云区同和街道京溪路", "同和街道"),
        ("在石井附近的河涌", "石井街道"),  # a bare place name, when no 街道/镇 is named
        ("天河区珠江新城", None),
        ("", None),
    ],
)
def test_the_town_or_subdistrict_named_in_an_address(structure, address, town):
    found = town_from_address(text=address)
    assert (found.short_name if found else None) == town
