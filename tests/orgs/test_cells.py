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
