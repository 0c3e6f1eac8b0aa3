"""Organisation units, people, their roles, and the 三管三必须 responsibility matrix."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoinspect.audit.models import ChangeLoggedModel
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.fields import ChoiceField
from ecoinspect.common.reversing import object_url

from .choices import TOWN_KINDS, PlaceKind, UnitKind
from .roles import Role


class UserQuerySet(models.QuerySet):
    pass


class RestrictedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(ChangeLoggedModel, AbstractUser):
    """A person who logs in. Their units and roles are :class:`Membership` rows."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    objects = RestrictedUserManager()

    # A user is visible to a unit role holder through the units the user belongs to.
    unit_scope = {"*": ("memberships__unit",)}
    changelog_exclude = ("password", "last_login")

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return object_url("orgs:user_detail", self.pk)


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def towns(self):
        return self.filter(kind__in=TOWN_KINDS)

    def departments(self):
        return self.filter(kind=UnitKind.DEPARTMENT)


class Unit(ChangeLoggedModel):
    """The district, its departments (区直部门), towns and subdistricts (镇街), and villages (村居)."""

    code = models.SlugField(_("单位代码"), max_length=40, unique=True)
    name = models.CharField(_("单位全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    kind = ChoiceField(_("类型"), choiceset=UnitKind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = UnitQuerySet.as_manager()
    unit_scope = {"*": ("self",)}

    class Meta:
        ordering = ["sort_order", "kind", "code"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="unit_not_own_parent",
                violation_error_message=_("上级单位不能是本单位。"),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return object_url("orgs:unit_detail", self.pk)

    @property
    def kind_label(self) -> str:
        return UnitKind.text(self.kind)

    @property
    def is_town(self) -> bool:
        return self.kind in TOWN_KINDS

    def ancestors(self) -> list[Unit]:
        chain, current = [], self.parent
        while current is not None:
            chain.append(current)
            current = current.parent
        return chain


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, unit__is_active=True, user__is_active=True)


class Membership(ChangeLoggedModel):
    """A person's role in a unit. A person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = ChoiceField(_("角色"), choiceset=Role)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    unit_scope = {"*": ("unit",)}

    class Meta:
        ordering = ["unit__sort_order", "unit__code", "role", "user__username"]
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_role",
                violation_error_message=_("此人在该单位已有该角色。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {Role.label(self.role)}"


class SectorDutyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class SectorDuty(ChangeLoggedModel):
    """三管三必须: a sector, industry or kind of problem, and the department responsible for it.

    Used to propose the lead department of a problem or petition: the matcher scores each active row
    by its keywords found in the text and its problem type, and explains which keywords decided.
    """

    sector = models.CharField(_("行业/领域"), max_length=60)
    problem_type = ChoiceField(_("问题类型"), choiceset=ProblemType, blank=True)
    keywords = models.CharField(
        _("关键词"), max_length=400, blank=True, help_text=_("以逗号或空格分隔，用于自动推荐牵头部门")
    )
    department = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="sector_duties",
        limit_choices_to={"kind": UnitKind.DEPARTMENT},
    )
    basis = models.CharField(_("职责依据"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = SectorDutyQuerySet.as_manager()
    unit_scope = {"*": ("department",)}

    class Meta:
        ordering = ["sort_order", "sector"]
        verbose_name = _("三管三必须职责")
        verbose_name_plural = _("三管三必须职责")
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "department"],
                name="sectorduty_unique_sector_department",
                violation_error_message=_(
                    "该行业/领域已分配给此部门。"
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sector} → {self.department}"

    def keyword_list(self) -> list[str]:
        return [
            k for k in self.keywords.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if k
        ]


HOME_DISTRICT = "白云区"


class PlaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Place(ChangeLoggedModel):
    """One entry of the gazetteer: a place of the district (a village, a community, a former town's name,
    a park, a road, a river, a landmark) with the town(s) it lies in — or a neighbouring district's name or
    place, so that an address outside the district is recognised as such. Every entry names its source."""

    code = models.SlugField(_("地名代码"), max_length=40, unique=True)
    name = models.CharField(_("地名"), max_length=60)
    kind = ChoiceField(_("类别"), choiceset=PlaceKind)
    town_codes = models.CharField(
        _("所属镇街"),
        max_length=200,
        blank=True,
        help_text=_("镇街的单位代码，以空格分隔；跨镇街的河流可填多个，不能确定的留空"),
    )
    district = models.CharField(_("所在区"), max_length=20, default=HOME_DISTRICT)
    aliases = models.CharField(_("别名"), max_length=300, blank=True, help_text=_("以逗号或空格分隔"))
    source = models.CharField(_("来源"), max_length=400)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["district", "kind", "code"]
        verbose_name = _("地名")
        verbose_name_plural = _("地名")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:place_edit", args=[self.pk])

    @property
    def in_district(self) -> bool:
        return self.district == HOME_DISTRICT

    def town_code_list(self) -> list[str]:
        return [c for c in self.town_codes.replace(",", " ").split() if c]

    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if a]


class LoginAttempt(models.Model):
    """One log-in attempt, kept for throttling and for the auditor."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"))
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")

    def __str__(self) -> str:
        return f"{self.username} {'✓' if self.succeeded else '✗'} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
