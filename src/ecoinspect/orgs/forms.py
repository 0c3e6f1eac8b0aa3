from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.models import WorkdayOverride
from ecoinspect.common.widgets import EnteredDateField, date_input

from .auth import client_ip
from .choices import UnitKind
from .models import Place, SectorDuty, Unit, User
from .roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。"),
        "inactive": _("该账号已停用，请联系区督察迎检办。"),
        "throttled": _(
            "登录失败次数过多，请 %(minutes)s 分钟后再试。"
        ),
        "throttled_address": _(
            "登录失败次数过多：近 %(window)s 分钟内，从您所在的网络地址有 %(names)s 个以上不同账号登录失败，"
            "已暂停从该地址登录。请 %(minutes)s 分钟后再试；如多人共用此网络出口，请联系区督察迎检办。"
        ),
    }

    def clean(self):
        from django.conf import settings

        from .selectors import login_throttle
        from .services import login_attempt_record

        username = self.cleaned_data.get("username")
        ip = client_ip(self.request)
        throttle = login_throttle(username=username, ip_address=ip) if username else None
        if throttle is not None:
            login_attempt_record(username=username, ip_address=ip, succeeded=False, throttled=True)
            code = "throttled" if throttle.reason == "name" else "throttled_address"
            raise ValidationError(
                self.error_messages[code],
                code=code,
                params={
                    "minutes": throttle.minutes,
                    "window": max(1, settings.LOGIN_FAILURE_IP_WINDOW_SECONDS // 60),
                    "names": settings.LOGIN_FAILURE_IP_LIMIT,
                },
            )
        return super().clean()


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "phone",
            "address",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.active().exclude(kind=UnitKind.VILLAGE)
        self.fields["code"].help_text = _("字母、数字、连字符，例如 sanyuanli")
        if self.instance.pk is None:
            self.fields.pop("is_active")

    def validate_unique(self):
        """Uniqueness is the service's to check, with its own message."""


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("留空则自动生成，并在保存后显示一次"),
    )
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.active(), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", "---------"), *Role.choices()], required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) != bool(data.get("role")):
            raise ValidationError(_("单位和角色需同时填写。"))
        return data


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "email", "is_active"]


class PasswordSetForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            raise ValidationError(_("两次输入的密码不一致。"))
        return data


class OwnPasswordForm(PasswordSetForm):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    field_order = ["old_password", "password", "password2"]


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("用户"), queryset=User.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices())


class SectorDutyForm(forms.ModelForm):
    class Meta:
        model = SectorDuty
        fields = ["sector", "problem_type", "keywords", "department", "basis", "sort_order", "is_active"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Unit.objects.active().departments()
        self.fields["problem_type"].choices = [("", _("（不限）")), *ProblemType.choices()]
        if self.instance.pk is None:
            self.fields.pop("is_active")

    def validate_unique(self):
        """The service reports duplicates."""


class WorkdayOverrideForm(forms.ModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["date", "is_workday", "note"]
        widgets = {"date": date_input()}

    def validate_unique(self):
        """Setting a date again replaces its entry (see the service)."""


class WorkdayCalculatorForm(forms.Form):
    start = EnteredDateField(label=_("起始日期"), widget=date_input())
    days = forms.IntegerField(label=_("工作日数"), min_value=-365, max_value=365)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60)
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=365, initial=90)


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["code", "name", "kind", "town_codes", "district", "aliases", "source", "note", "is_active"]
        widgets = {"source": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields.pop("is_active")
        else:
            self.fields["code"].disabled = True

    def validate_unique(self):
        """The service reports duplicates."""
