from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.filters import FilterSet
from ecoinspect.common.widgets import date_input


class ActionLogFilter(FilterSet):
    action = forms.CharField(
        label=_("动作（前缀）"), required=False, help_text=_("例如 ledger. 或 auth.login")
    )
    actor_name = forms.CharField(label=_("操作人"), required=False)
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=date_input()
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=date_input()
    )
    lookups = {
        "action": "action__startswith",
        "actor_name": "actor_name__icontains",
        "object_type": "object_type",
        "object_id": "object_id",
        "since": "created_at__date__gte",
        "until": "created_at__date__lte",
    }
    search_fields = ("object_repr", "action", "actor_name")
    sort_fields = {"seq": "seq", "action": "action", "actor": "actor_name"}
    default_sort = ("-seq",)


class ChangeLogFilter(FilterSet):
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    user_name = forms.CharField(label=_("用户"), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=date_input()
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=date_input()
    )
    lookups = {
        "object_type": "object_type",
        "object_id": "object_id",
        "user_name": "user_name__icontains",
        "since": "time__date__gte",
        "until": "time__date__lte",
    }
    search_fields = ("object_repr",)
    sort_fields = {"time": "time"}
    default_sort = ("-time", "-id")
