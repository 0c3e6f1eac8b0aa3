"""The form renderer draws the common widgets in Python: the markup must be Django's own, character for
character, for every value a form gives them (escaping, localised labels, True/False attributes, groups)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.forms_renderer import FastRenderer

TRICKY = "<b>\"引号\" & '单引号'</b>"


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="帮助")
    optional = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": TRICKY, "readonly": True})
    )
    number = forms.IntegerField(min_value=0)
    amount = forms.DecimalField(max_digits=8, decimal_places=2)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField()
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    mail = forms.EmailField()
    agree = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(choices=[("", "全部"), ("a", _lazy("甲")), ("b", TRICKY), (3, 3)])
    grouped = forms.ChoiceField(
        choices=[("组一", [("1", "一"), ("2", "二")]), ("x", "散项"), (TRICKY, [("<", "<")])], required=False
    )
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙"), ("c", "丙")], required=False)
    maybe = forms.NullBooleanField(required=False)
    dated = forms.ChoiceField(
        choices=[(1, dt.date(2026, 12, 5)), (2, decimal.Decimal("1234.50"))], required=False
    )
    safe = forms.CharField(required=False, widget=forms.TextInput(attrs={"data-x": mark_safe("<i>安全</i>")}))


VALUES = [
    {},
    {
        "text": TRICKY, "optional": "", "number": "12", "amount": "3.50", "day": "2026-12-05",
        "moment": "2026-12-05 08:30", "secret": "不回显", "hidden": TRICKY, "mail": "a@b.cn", "agree": "on",
        "note": f"第一行\n{TRICKY}", "kind": "b", "grouped": "2", "many": ["a", "c"], "maybe": "true",
        "dated": "1", "safe": "<s>",
    },
    {"number": "不是数字", "day": "2026-02-30", "kind": "不存在", "many": ["z"], "maybe": "false", "note": ""},
]  # fmt: skip


def rendered(renderer, data):
    form = Everything(data or None, initial={"text": "初始", "day": dt.date(2026, 1, 2), "agree": True})
    form.is_bound and form.is_valid()
    return {name: _widget(form, name, renderer) for name in form.fields}


def _widget(form, name, renderer):
    bound = form[name]
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({"class": "form-control"})
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    return widget.render(bound.html_name, bound.value(), attrs=attrs, renderer=renderer)


@pytest.mark.parametrize("data", VALUES, ids=["unbound", "filled", "invalid"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_widget_is_drawn_exactly_as_its_template_draws_it(data, language):
    from django.utils import translation

    with translation.override(language):
        ours = rendered(FastRenderer(), data)
        django = rendered(DjangoTemplates(), data)
    assert ours == django
    assert "&lt;b&gt;&quot;引号&quot;" in ours["optional"] and "<i>安全</i>" in ours["safe"]


def test_whole_forms_are_the_same_and_the_settings_use_it():
    form = Everything(VALUES[1])
    form.is_valid()
    assert form.render(renderer=FastRenderer()) == form.render(renderer=DjangoTemplates())
    assert isinstance(get_default_renderer(), FastRenderer)


def test_a_template_it_does_not_know_goes_to_the_templates():
    class Radio(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
        file = forms.FileField(widget=forms.ClearableFileInput)

    form = Radio({"choice": "a"})
    assert form.render(renderer=FastRenderer()) == form.render(renderer=DjangoTemplates())
