"""Choice sets: one declaration gives the stored value, the Chinese label and the badge colour."""

from __future__ import annotations

import pytest
from django.utils import translation

from ecoinspect.common.choices import BADGE_COLOURS, Choice, ChoiceSet, ProblemType
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.roles import Role


class Verdict(ChoiceSet):
    TRUE = Choice("true", "属实", "danger")
    FALSE = Choice("false", "不属实", "success")


class ExtendedVerdict(Verdict):
    PARTLY = Choice("partly", "部分属实", "warning")


def test_class_attribute_is_the_stored_value_and_label_and_colour_come_from_the_declaration():
    assert Verdict.TRUE == "true"
    assert Verdict.label("true") == "属实"
    assert Verdict.colour("false") == "success"
    assert Verdict.choices() == [("true", "属实"), ("false", "不属实")]
    assert Verdict.values() == ["true", "false"]
    assert "true" in Verdict and "maybe" not in Verdict
    assert len(Verdict) == 2


def test_unknown_value_shows_as_itself_in_a_neutral_badge():
    assert Verdict.label("maybe") == "maybe"
    assert Verdict.label(None) == ""
    assert Verdict.colour("maybe") == "secondary"


def test_a_subclass_keeps_its_parents_choices_in_order():
    assert ExtendedVerdict.values() == ["true", "false", "partly"]
    assert Verdict.values() == ["true", "false"]  # the parent is unchanged


def test_invalid_badge_colour_is_rejected_when_declared():
    with pytest.raises(ValueError, match="unknown badge colour 'crimson'"):
        Choice("x", "某", "crimson")


@pytest.mark.parametrize("choiceset", [ProblemType, UnitKind, Role])
def test_every_declared_colour_in_the_project_is_a_bootstrap_badge_colour(choiceset):
    assert {c.colour for c in choiceset} <= BADGE_COLOURS


def test_problem_types_are_the_ten_of_the_glossary():
    labels = {str(label) for _value, label in ProblemType.choices()}
    assert labels == {"大气", "水", "噪声", "固废", "生态", "农业农村", "土壤", "海洋", "辐射", "其他"}


def test_labels_are_chinese_by_default():
    with translation.override("zh-hans"):
        assert str(UnitKind.label(UnitKind.SUBDISTRICT)) == "街道"
        assert str(UnitKind.label(UnitKind.TOWN)) == "镇"
