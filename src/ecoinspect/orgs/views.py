"""Pages for units, people, memberships, the responsibility matrix, the working-day calendar and the profile."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.audit.selectors import action_log_for
from ecoinspect.common import calendar
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.errors import NotPermitted
from ecoinspect.common.models import WorkdayOverride
from ecoinspect.common.tables import Column
from ecoinspect.common.views import (
    FilteredListView,
    ServiceFormView,
    form_add_service_errors,
    service_refused,
)

from . import selectors, services
from .access import holds
from .choices import PlaceKind, UnitKind
from .filters import PlaceFilter, SectorDutyFilter, UnitFilter, UserFilter
from .forms import (
    ApiTokenForm,
    LoginForm,
    MembershipForm,
    OwnPasswordForm,
    PasswordSetForm,
    PlaceForm,
    SectorDutyForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
    WorkdayCalculatorForm,
    WorkdayOverrideForm,
)
from .models import ApiToken, Membership, Place, SectorDuty, Unit
from .roles import ROLE_SPECS, Role


class EcoLoginView(LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


# ---- units ---------------------------------------------------------------------------------------------


class UnitListView(FilteredListView):
    list_perm = "orgs.view"
    create_perm = "orgs.manage"
    title = _lazy("单位名录")
    intro = _lazy("全区区直部门、镇街及村居。点击单位名称查看本单位主页。")
    filterset_class = UnitFilter
    export_name = "units"
    create_url = reverse_lazy("orgs:unit_create")
    paginate_by = 100
    columns = (
        Column("name", _lazy("单位全称"), sort="name", link=True),
        Column("short_name", _lazy("简称")),
        Column("kind", _lazy("类型"), sort="kind", choiceset=UnitKind),
        Column("parent", _lazy("上级单位")),
        Column("code", _lazy("单位代码"), sort="code"),
        Column("phone", _lazy("联系电话")),
        Column("is_active", _lazy("启用")),
    )

    def selector(self, *, user, filters):
        return selectors.unit_directory(filters=filters)


def _unit_or_404(request, pk: int, *, manage: bool = False) -> Unit:
    try:
        unit = selectors.unit_get(user=request.user, pk=pk)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    if manage and not holds(request.user, "orgs.manage"):
        raise PermissionDenied
    return unit


@login_required
def unit_detail(request, pk: int):
    unit = _unit_or_404(request, pk)
    context = {
        "unit": unit,
        "children": unit.children.all(),
        "members": selectors.unit_members(unit=unit),
        "duties": unit.sector_duties.filter(is_active=True),
        "timeline": action_log_for(obj=unit)[:30],
        "can_manage": holds(request.user, "orgs.manage"),
        "membership_form": MembershipForm() if holds(request.user, "orgs.manage") else None,
    }
    return render(request, "orgs/unit_detail.html", context)


class UnitCreateView(ServiceFormView):
    perm = "orgs.manage"
    form_class = UnitForm
    title = _lazy("新增单位")
    cancel_url = reverse_lazy("orgs:unit_list")

    def perform(self, form):
        data = form.cleaned_data
        return services.unit_create(
            actor=self.request.user,
            code=data["code"],
            name=data["name"],
            short_name=data["short_name"],
            kind=data["kind"],
            parent=data["parent"],
            phone=data["phone"],
            address=data["address"],
            sort_order=data["sort_order"],
        )


class UnitEditView(ServiceFormView):
    perm = "orgs.manage"
    form_class = UnitForm
    title = _lazy("编辑单位")

    def get_object(self):
        return _unit_or_404(self.request, self.kwargs["pk"], manage=True)

    def get_form(self, data=None):
        return UnitForm(data, instance=Unit.objects.get(pk=self.object.pk))

    def perform(self, form):
        changes = {name: form.cleaned_data[name] for name in form.fields}
        return services.unit_update(actor=self.request.user, unit=self.object, **changes)


@login_required
@require_POST
def membership_add(request, pk: int):
    unit = _unit_or_404(request, pk, manage=True)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_create(
                actor=request.user, user=form.cleaned_data["user"], unit=unit, role=form.cleaned_data["role"]
            )
            messages.success(request, _("已添加成员。"))
        except (ValidationError, NotPermitted) as exc:
            service_refused(request, exc)
    else:
        messages.error(request, _("请选择用户和角色。"))
    return redirect(unit.get_absolute_url())


@login_required
@require_POST
def membership_end(request, pk: int):
    if not holds(request.user, "orgs.manage"):
        raise Http404
    membership = get_object_or_404(Membership, pk=pk)
    try:
        services.membership_end(actor=request.user, membership=membership)
        messages.success(request, _("已取消该成员身份。"))
    except NotPermitted as exc:
        service_refused(request, exc)
    target = request.POST.get("next")
    if not (target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
        target = membership.unit.get_absolute_url()
    return redirect(target)


# ---- users ---------------------------------------------------------------------------------------------


class UserListView(FilteredListView):
    title = _lazy("用户管理")
    filterset_class = UserFilter
    export_name = "users"
    list_perm = "orgs.manage"
    create_perm = "orgs.manage"
    create_url = reverse_lazy("orgs:user_create")
    columns = (
        Column("username", _lazy("用户名"), sort="username", link=True),
        Column("full_name", _lazy("姓名"), sort="name"),
        Column("phone", _lazy("联系电话")),
        Column("membership_count", _lazy("有效身份数")),
        Column("is_active", _lazy("启用")),
        Column("last_login", _lazy("最近登录"), sort="last_login"),
    )

    def selector(self, *, user, filters):
        return selectors.user_list(user=user, filters=filters)


class UserCreateView(ServiceFormView):
    perm = "orgs.manage"
    form_class = UserCreateForm
    title = _lazy("新增用户")
    cancel_url = reverse_lazy("orgs:user_list")

    def perform(self, form):
        data = form.cleaned_data
        from django.db import transaction

        with transaction.atomic():
            user, password = services.user_create(
                actor=self.request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"] or None,
                phone=data["phone"],
                email=data["email"],
            )
            if data.get("unit"):
                services.membership_create(
                    actor=self.request.user, user=user, unit=data["unit"], role=data["role"]
                )
        self.initial_password = password
        return user

    def success_message(self, result):
        return _(
            "已创建用户 %(u)s，初始密码：%(p)s（仅显示一次）。"
        ) % {
            "u": result.username,
            "p": self.initial_password,
        }


def _user_or_404(request, pk: int):
    try:
        return selectors.user_get(user=request.user, pk=pk)
    except Exception as exc:
        if exc.__class__.__name__ == "DoesNotExist":
            raise Http404 from exc
        raise


@login_required
def user_detail(request, pk: int):
    person = _user_or_404(request, pk)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("unit").order_by("-is_active", "unit__sort_order"),
        "timeline": action_log_for(obj=person)[:30],
        "password_form": PasswordSetForm(),
    }
    return render(request, "orgs/user_detail.html", context)


class UserEditView(ServiceFormView):
    perm = "orgs.manage"
    form_class = UserEditForm
    title = _lazy("编辑用户")

    def get_object(self):
        return _user_or_404(self.request, self.kwargs["pk"])

    def get_form(self, data=None):
        return UserEditForm(data, instance=type(self.object).objects.get(pk=self.object.pk))

    def perform(self, form):
        return services.user_update(actor=self.request.user, user=self.object, **form.cleaned_data)


class UserPasswordView(ServiceFormView):
    perm = "orgs.manage"
    form_class = PasswordSetForm
    title = _lazy("重置密码")

    def get_object(self):
        return _user_or_404(self.request, self.kwargs["pk"])

    def perform(self, form):
        return services.user_set_password(
            actor=self.request.user, user=self.object, password=form.cleaned_data["password"]
        )

    def success_message(self, result):
        return _("密码已重置。")


# ---- the responsibility matrix ---------------------------------------------------------------------------


class SectorDutyListView(FilteredListView):
    list_perm = "orgs.view"
    create_perm = "orgs.manage"
    title = _lazy("三管三必须职责清单")
    intro = _lazy("管发展必须抓环保、管生产必须抓环保、管行业必须抓环保。登记问题时据此推荐牵头部门。")
    filterset_class = SectorDutyFilter
    export_name = "sector-duties"
    create_url = reverse_lazy("orgs:sectorduty_create")
    paginate_by = 100
    template_name = "orgs/sectorduty_list.html"
    columns = (
        Column("sector", _lazy("行业/领域"), sort="sector"),
        Column("problem_type", _lazy("问题类型"), choiceset=ProblemType),
        Column("department", _lazy("责任部门"), sort="department"),
        Column("keywords", _lazy("关键词")),
        Column("basis", _lazy("职责依据")),
        Column("is_active", _lazy("启用")),
    )

    def selector(self, *, user, filters):
        return selectors.sector_duty_list(filters=filters)

    def extra_context(self, request):
        text = request.GET.get("try", "")
        return {
            "try_text": text,
            "matches": selectors.sector_duty_match(text=text) if text else None,
            "can_manage": holds(request.user, "orgs.manage"),
        }


class SectorDutyCreateView(ServiceFormView):
    perm = "orgs.manage"
    form_class = SectorDutyForm
    title = _lazy("新增职责")
    cancel_url = reverse_lazy("orgs:sectorduty_list")

    def perform(self, form):
        return services.sector_duty_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result):
        return reverse("orgs:sectorduty_list")


class SectorDutyEditView(ServiceFormView):
    perm = "orgs.manage"
    form_class = SectorDutyForm
    title = _lazy("编辑职责")
    cancel_url = reverse_lazy("orgs:sectorduty_list")

    def get_object(self):
        return get_object_or_404(SectorDuty, pk=self.kwargs["pk"])

    def check_permission(self, obj):
        if not holds(self.request.user, "orgs.manage"):
            raise PermissionDenied

    def get_form(self, data=None):
        return SectorDutyForm(data, instance=SectorDuty.objects.get(pk=self.object.pk))

    def perform(self, form):
        return services.sector_duty_update(actor=self.request.user, duty=self.object, **form.cleaned_data)

    def success_url(self, result):
        return reverse("orgs:sectorduty_list")


class PlaceListView(FilteredListView):
    list_perm = "orgs.view"
    create_perm = "orgs.manage"
    title = _lazy("地名库")

    @property
    def intro(self) -> str:
        return _(
            "%(district)s的镇街、村居、原镇名、工业园、道路、河涌和地标，以及邻区地名；每条注明来源。"
            "登记和导入问题时据此判断所在镇街、是否在本区。"
        ) % {"district": settings.ECOINSPECT_DISTRICT_NAME}

    filterset_class = PlaceFilter
    export_name = "places"
    create_url = reverse_lazy("orgs:place_create")
    paginate_by = 100
    template_name = "orgs/place_list.html"
    columns = (
        Column("name", _lazy("地名"), sort="name"),
        Column("kind", _lazy("类别"), choiceset=PlaceKind, sort="kind"),
        Column("town_codes", _lazy("所属镇街")),
        Column("district", _lazy("所在区"), sort="district"),
        Column("aliases", _lazy("别名")),
        Column("source", _lazy("来源")),
        Column("is_active", _lazy("启用")),
    )

    def selector(self, *, user, filters):
        return selectors.place_list(filters=filters)

    def extra_context(self, request):
        address, text = request.GET.get("try_address", ""), request.GET.get("try_text", "")
        return {
            "try_address": address,
            "try_text": text,
            "match": selectors.place_match(address=address, text=text) if (address or text) else None,
            "can_manage": holds(request.user, "orgs.manage"),
        }


class PlaceCreateView(ServiceFormView):
    perm = "orgs.manage"
    form_class = PlaceForm
    title = _lazy("新增地名")
    cancel_url = reverse_lazy("orgs:place_list")

    def perform(self, form):
        return services.place_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result):
        return reverse("orgs:place_list")


class PlaceEditView(ServiceFormView):
    perm = "orgs.manage"
    form_class = PlaceForm
    title = _lazy("编辑地名")
    cancel_url = reverse_lazy("orgs:place_list")

    def get_object(self):
        return get_object_or_404(Place, pk=self.kwargs["pk"])

    def check_permission(self, obj):
        if not holds(self.request.user, "orgs.manage"):
            raise PermissionDenied

    def get_form(self, data=None):
        return PlaceForm(data, instance=Place.objects.get(pk=self.object.pk))

    def perform(self, form):
        return services.place_update(actor=self.request.user, place=self.object, **form.cleaned_data)

    def success_url(self, result):
        return reverse("orgs:place_list")


@login_required
@require_POST
def sector_duty_delete(request, pk: int):
    duty = get_object_or_404(SectorDuty, pk=pk)
    try:
        services.sector_duty_delete(actor=request.user, duty=duty)
        messages.success(request, _("已删除。"))
    except NotPermitted as exc:
        service_refused(request, exc)
    return redirect("orgs:sectorduty_list")


# ---- working-day calendar ----------------------------------------------------------------------------------


@login_required
def workday_list(request):
    can_manage = holds(request.user, "orgs.manage")
    form = WorkdayOverrideForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.workday_override_set(actor=request.user, **form.cleaned_data)
                messages.success(request, _("已保存。"))
                return redirect("orgs:workday_list")
            except ValidationError as exc:
                form_add_service_errors(form, exc)
    calc = WorkdayCalculatorForm(request.GET or None)
    result = None
    if calc.is_bound and calc.is_valid():
        start, days = calc.cleaned_data["start"], calc.cleaned_data["days"]
        cal = calendar.default_calendar()
        due = cal.add_workdays(start, days)
        result = {
            "due": due,
            "estimated": cal.estimated_between(start, due),
        }
    today = dt.date.today()
    cal = calendar.default_calendar()
    context = {
        "overrides": WorkdayOverride.objects.all(),
        "form": form,
        "calc": calc,
        "result": result,
        "can_manage": can_manage,
        "estimated_from": next(
            (
                dt.date(y, 1, 1)
                for y in range(today.year, today.year + 3)
                if cal.is_estimated(dt.date(y, 6, 1))
            ),
            None,
        ),
    }
    if context["estimated_from"] is not None:
        context["statutory"] = list(calendar.statutory_holidays(context["estimated_from"].year).items())
    return render(
        request, "orgs/workday_list.html", context, status=400 if form is not None and form.errors else 200
    )


@login_required
@require_POST
def workday_delete(request, pk: int):
    override = get_object_or_404(WorkdayOverride, pk=pk)
    try:
        services.workday_override_delete(actor=request.user, override=override)
        messages.success(request, _("已删除。"))
    except NotPermitted as exc:
        service_refused(request, exc)
    return redirect("orgs:workday_list")


# ---- the person's own profile ------------------------------------------------------------------------------


@login_required
def role_matrix(request):
    """角色权限: what each role may do in each app (read-only; the grants are declared by the apps)."""
    if not holds(request.user, "orgs.view"):
        raise PermissionDenied
    return render(request, "orgs/role_matrix.html", {"apps": selectors.role_matrix()})


@login_required
def profile(request):
    token_form = ApiTokenForm(request.POST or None) if request.POST.get("form") == "token" else ApiTokenForm()
    password_form = (
        OwnPasswordForm(request.POST or None) if request.POST.get("form") == "password" else OwnPasswordForm()
    )
    new_key = None
    if request.method == "POST":
        if request.POST.get("form") == "token" and token_form.is_valid():
            _token, new_key = services.api_token_create(actor=request.user, **token_form.cleaned_data)
            messages.success(
                request, _("令牌已创建，请立即复制保存，它不会再次显示。")
            )
        elif request.POST.get("form") == "password" and password_form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user,
                    user=request.user,
                    password=password_form.cleaned_data["password"],
                    old_password=password_form.cleaned_data["old_password"],
                )
                from django.contrib.auth import update_session_auth_hash

                update_session_auth_hash(request, request.user)
                messages.success(request, _("密码已修改。"))
                return redirect("orgs:profile")
            except ValidationError as exc:
                form_add_service_errors(password_form, exc)
    context = {
        "memberships": selectors.memberships_of(user=request.user),
        "role_specs": ROLE_SPECS,
        "roles": Role,
        "tokens": ApiToken.objects.filter(user=request.user),
        "token_form": token_form,
        "password_form": password_form,
        "new_key": new_key,
    }
    return render(request, "orgs/profile.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("orgs:profile")
