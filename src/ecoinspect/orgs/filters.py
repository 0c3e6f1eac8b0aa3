from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.filters import FilterSet

from .choices import PlaceKind, UnitKind
from .models import Place, Unit
from .roles import Role


class UnitFilter(FilterSet):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部类型")), *UnitKind.choices()], required=False
    )
    parent = forms.ModelChoiceField(
        label=_("上级单位"), queryset=Unit.objects.filter(kind=UnitKind.DISTRICT), required=False
    )
    active = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("启用")), ("all", _("全部")), ("inactive", _("已停用"))],
    )
    lookups = {"kind": "kind", "parent": "parent"}
    search_fields = ("name", "short_name", "code")
    sort_fields = {"name": "name", "kind": "kind", "code": "code", "order": "sort_order"}
    default_sort = ("sort_order", "kind", "code")

    def filter_queryset(self, qs):
        status = (self.data.get("active") or "") if self.is_bound else ""
        if status == "inactive":
            qs = qs.filter(is_active=False)
        elif status != "all":
            qs = qs.filter(is_active=True)
        return super().filter_queryset(qs)


class UserFilter(FilterSet):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.active(), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部角色")), *Role.choices()], required=False)
    is_active = forms.NullBooleanField(label=_("启用"), required=False)
    search_fields = ("username", "full_name", "phone")
    sort_fields = {
        "username": "username",
        "name": "full_name",
        "joined": "date_joined",
        "last_login": "last_login",
    }
    default_sort = ("username",)
    lookups = {"is_active": "is_active"}

    def filter_unit(self, qs, unit):
        return qs.filter(memberships__unit=unit, memberships__is_active=True).distinct()

    def filter_role(self, qs, role):
        return qs.filter(memberships__role=role, memberships__is_active=True).distinct()


class SectorDutyFilter(FilterSet):
    department = forms.ModelChoiceField(
        label=_("责任部门"), queryset=Unit.objects.active().departments(), required=False
    )
    problem_type = forms.ChoiceField(
        label=_("问题类型"), choices=[("", _("全部类型")), *ProblemType.choices()], required=False
    )
    lookups = {"department": "department", "problem_type": "problem_type"}
    search_fields = ("sector", "keywords", "basis")
    sort_fields = {"sector": "sector", "department": "department__sort_order", "order": "sort_order"}
    default_sort = ("sort_order", "sector")


class PlaceFilter(FilterSet):
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *PlaceKind.choices()], required=False
    )
    district = forms.ChoiceField(label=_("所在区"), required=False)
    town = forms.ChoiceField(label=_("所属镇街"), required=False)
    lookups = {"kind": "kind", "district": "district", "town": "town_codes__contains"}
    search_fields = ("name", "aliases", "source", "note", "code")
    sort_fields = {"name": "name", "kind": "kind", "district": "district", "code": "code"}
    default_sort = ("district", "kind", "code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        districts = Place.objects.order_by("district").values_list("district", flat=True).distinct()
        self.fields["district"].choices = [("", _("全部"))] + [(d, d) for d in districts]
        towns = Unit.objects.active().towns()
        self.fields["town"].choices = [("", _("全部镇街"))] + [(u.code, str(u)) for u in towns]
