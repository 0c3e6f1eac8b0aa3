"""Every filter's empty choice reads 全部 (not "---------" or "未知"), and sortable headers say so."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory

from ecoinspect.common.filters import FilterSet
from ecoinspect.common.tables import Column
from ecoinspect.common.templatetags.eco import filter_control, sort_link
from ecoinspect.orgs.models import Unit


class Everything(FilterSet):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    flag = forms.NullBooleanField(required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    own = forms.ChoiceField(choices=[("", "全部来源"), ("a", "A")], required=False)


@pytest.mark.django_db
def test_an_empty_filter_reads_everything():
    filters = Everything()
    for name in ("unit", "flag", "kind"):
        html = str(filter_control(filters[name]))
        assert '<option value="" selected>全部</option>' in html, html
        assert "---------" not in html and "未知" not in html
    assert '<option value="" selected>全部来源</option>' in str(
        filter_control(filters["own"])
    )  # its own word kept
    assert Everything({"flag": "true"}).filter_queryset  # the values still mean what they meant
    bound = Everything({"flag": "false"})
    assert bound.is_valid() and bound.cleaned_data["flag"] is False


def test_a_sortable_header_shows_it_can_sort_and_which_way_it_does():
    column = Column("number", "编号", sort="number")
    request = RequestFactory().get("/", {"q": "扬尘", "page": "3", "sort": "number"})
    html = sort_link({"request": request}, column, "number")
    assert 'class="eco-sort"' in html and 'data-sort="ascending"' in html and "bi-sort-up" in html
    assert 'href="?q=%E6%89%AC%E5%B0%98&amp;sort=-number"' in html  # keeps the search, drops the page
    idle = sort_link({"request": RequestFactory().get("/")}, column, "")
    assert 'data-sort="none"' in idle and "bi-arrow-down-up" in idle
