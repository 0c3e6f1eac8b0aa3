"""common.reversing gives exactly what reverse() gives, under any script prefix and URLconf."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from ecoinspect.common.reversing import object_url, page_url

NAMES = ["ledger:problem_detail", "ledger:notice_detail", "petitions:petition_detail", "orgs:unit_detail"]


@pytest.mark.parametrize("prefix", ["/", "/huanbao/"])
@pytest.mark.parametrize("name", NAMES)
def test_object_url_is_reverse(name, prefix):
    set_script_prefix(prefix)
    try:
        for pk in (1, 7, 42, 9876543210, 12345678901234):
            assert object_url(name, pk) == reverse(name, args=[pk])
        assert page_url("ledger:problem_list") == reverse("ledger:problem_list")
        assert object_url(name, 5).startswith(prefix)
    finally:
        clear_script_prefix()


def test_a_number_is_required_and_unknown_names_fail_as_reverse_does():
    with pytest.raises(ValueError):
        object_url("ledger:problem_detail", "1/../../admin")
    with pytest.raises(NoReverseMatch):
        page_url("ledger:no_such_page")


@override_settings(ROOT_URLCONF="tests.common.urls_elsewhere")
def test_another_urlconf_is_not_answered_from_the_first():
    assert object_url("ledger:problem_detail", 3) == reverse("ledger:problem_detail", args=[3]) == "/elsewhere/3/"
