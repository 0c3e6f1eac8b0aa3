"""The one matcher from an address to its town or subdistrict (orgs.selectors.TownMatcher).

tests/orgs/test_structure.py lists what ``town_from_address`` answers; here: a matcher built once gives the
same answers without touching the database again, and the rule "a name written with its 街道/镇 wins over
a bare namesake" holds wherever the two appear in the text.
"""

from __future__ import annotations

import pytest

from ecoinspect.orgs.models import Unit
from ecoinspect.orgs.selectors import TownMatcher, town_from_address

ADDRESSES = {
    "广州市白云区景泰街道三元里大道1108号": "jingtai",  # 三元里 is the road's namesake
    "白云区同和街道京溪路": "tonghe",  # 京溪 is the road's namesake (and a subdistrict's name)
    "京溪路，同和街道": "tonghe",  # wherever the 街道 is written
    "三元里大道旁": "sanyuanli",  # no 街道/镇 written: the bare name places it
    "白云湖街道夏茅村": "baiyunhu",
    "天河区珠江新城": None,
}


def code(unit) -> str | None:
    return unit.code if unit is not None else None


@pytest.mark.parametrize(("address", "expected"), ADDRESSES.items())
def test_the_named_town_wins_over_a_bare_namesake(structure, address, expected):
    assert code(town_from_address(text=address)) == expected


def test_a_matcher_built_once_answers_like_town_from_address_without_queries(
    structure, django_assert_num_queries
):
    matcher = TownMatcher()
    with django_assert_num_queries(0):
        found = {address: code(matcher.match(address)) for address in ADDRESSES}
        assert {a: code(town_from_address(text=a, matcher=matcher)) for a in ADDRESSES} == found
    assert found == ADDRESSES


def test_only_active_towns_are_matched(structure):
    Unit.objects.filter(code="jingtai").update(is_active=False)
    # the 街道 written is no longer a unit: the road's namesake is all that is left
    assert code(TownMatcher().match("景泰街道三元里大道")) == "sanyuanli"
    assert TownMatcher().match("景泰街道") is None
