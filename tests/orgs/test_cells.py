"""Reading a unit from a spreadsheet cell: by full name, short name, code or a place name inside it."""

from __future__ import annotations

import pytest

from ecoinspect.common import import_cells as cells
from ecoinspect.orgs import cells as unit_cells


def test_units(structure):
    parse = unit_cells.unit()
    cache: dict = {}
    water = structure["swj"]
    for name in ("白云区水务局", "区水务局", "swj", " 区水务局 "):
        assert parse(name, cache) == water
    assert parse("三元里", cache) == structure["sanyuanli"]
    assert parse("广州市白云区太和镇", cache) == structure["taihe"]
    with pytest.raises(cells.CellProblem) as info:
        parse("区水利局", cache)
    assert "区水务局" in info.value.reason


def test_town_columns_accept_only_towns(structure):
    from ecoinspect.orgs.choices import TOWN_KINDS

    with pytest.raises(cells.CellProblem) as info:
        unit_cells.unit(TOWN_KINDS)("区水务局", {})
    assert "镇街" in info.value.reason


@pytest.mark.parametrize(
    "value, town, locality, noted",
    [
        ("广州市白云区", None, "", "是全区"),
        ("白云区", None, "", "是全区"),  # the district, not 白云湖街道
        ("广州市白云区(和龙水库上游)", None, "和龙水库上游", "和龙水库上游"),
        ("广州市白云区（和龙水库上游）", None, "和龙水库上游", "和龙水库上游"),
        ("三元里街", "sanyuanli", "", "三元里"),
        ("广州市白云区三元里街道", "sanyuanli", "", ""),
        ("太和镇穗丰村", "taihe", "", "按地名识别"),  # the one matcher reads the place
    ],
)
def test_a_published_region_reads_the_district_as_no_town(structure, value, town, locality, noted):
    result = unit_cells.parse_region(value, {})
    assert result.value.raw == value
    assert result.value.town == (structure[town] if town else None)
    assert result.value.locality == locality
    assert noted in " ".join(result.notes)


def test_a_region_outside_the_district_is_refused(structure):
    with pytest.raises(cells.CellProblem):
        unit_cells.parse_region("广州市天河区", {})
