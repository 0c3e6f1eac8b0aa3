"""The common template helpers that draw form fields and filters."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from ecoinspect.common.templatetags.eco import filesize, filter_control, is_choice_list, is_date


class _Filters(forms.Form):
    unit = forms.ChoiceField(
        required=False, choices=[("", "全部单位"), ("部门", [("1", "区水务局"), ("2", "区住建局")])]
    )
    status = forms.MultipleChoiceField(
        required=False, choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple
    )
    q = forms.CharField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput)


def test_a_select_is_drawn_in_one_pass_with_its_groups_and_choice():
    html = str(filter_control(_Filters({"unit": "2"})["unit"]))
    assert html.startswith('<select name="unit" id="id_unit" class="form-select">')
    assert (
        '<optgroup label="部门"><option value="1">区水务局</option><option value="2" selected>区住建局</option>'
        in html
    )
    assert '<option value="">全部单位</option>' in html


def test_checkboxes_keep_what_was_ticked():
    html = str(filter_control(_Filters({"status": ["b"]})["status"]))
    assert 'value="a" id="id_status_0">' in html
    assert 'value="b" id="id_status_1" checked>' in html


def test_other_widgets_fall_back_to_the_bootstrap_control():
    assert 'class="form-control"' in str(filter_control(_Filters()["q"]))


def test_field_kinds():
    form = _Filters()
    assert is_choice_list(form["status"]) and not is_choice_list(form["unit"])
    assert is_date(form["day"]) and not is_date(form["q"])


def test_bound_gives_the_field_of_that_name():
    html = Template('{% load eco %}{% with f=form|bound:"q" %}{{ f.name }}{% endwith %}').render(
        Context({"form": _Filters()})
    )
    assert html == "q"


def test_filesize():
    assert [filesize(v) for v in (None, "x", 512, 1536, 3 * 1024 * 1024)] == [
        "—",
        "—",
        "512 B",
        "1.5 KB",
        "3.0 MB",
    ]
