"""Writes for units, people, memberships, the responsibility matrix, working-day overrides and API tokens.

Every function is keyword-only, takes the acting person, checks their permission, runs in one transaction
and appends one ActionLog entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.audit.context import acting_as
from ecoinspect.audit.services import action_log_append
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.common.models import WorkdayOverride

from .access import holds
from .choices import UnitKind
from .events import membership_ended
from .models import HOME_DISTRICT, ApiToken, LoginAttempt, Membership, Place, SectorDuty, Unit, User
from .roles import ROLE_SPECS, Role

#: Which kinds of unit may sit under which (None: top level).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    UnitKind.DISTRICT: (None,),
    UnitKind.OFFICE: (UnitKind.DISTRICT, UnitKind.DEPARTMENT),
    UnitKind.DEPARTMENT: (UnitKind.DISTRICT,),
    UnitKind.TOWN: (UnitKind.DISTRICT,),
    UnitKind.SUBDISTRICT: (UnitKind.DISTRICT,),
    UnitKind.VILLAGE: (UnitKind.TOWN, UnitKind.SUBDISTRICT),
}


def require_manage(actor) -> None:
    if not holds(actor, "orgs.manage"):
        raise NotPermitted(
            _(
                "只有区督察迎检办可以管理单位、人员和职责清单。"
            )
        )


def _validate_unit_tree(*, unit: Unit | None, kind: str, parent: Unit | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        raise ServiceError(
            {
                "parent": _(
                    "“%(kind)s”的上级单位不能是“%(parent)s”。"
                )
                % {
                    "kind": UnitKind.label(kind),
                    "parent": UnitKind.label(parent_kind) if parent_kind else _("无"),
                    "kind_en": kind,
                    "parent_en": parent_kind or "nothing",
                }
            }
        )
    if unit is not None and unit.pk is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise ServiceError(
                    {"parent": _("上级单位不能是本单位或其下级单位。")}
                )
            ancestor = ancestor.parent


UNIT_FIELDS = ("code", "name", "short_name", "kind", "parent", "phone", "address", "sort_order", "is_active")


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name: str,
    short_name: str,
    kind: str,
    parent: Unit | None = None,
    phone: str = "",
    address: str = "",
    sort_order: int = 100,
) -> Unit:
    require_manage(actor)
    _validate_unit_tree(unit=None, kind=kind, parent=parent)
    if Unit.objects.filter(code=code).exists():
        raise ServiceError(
            {"code": _("单位代码“%(code)s”已存在。") % {"code": code}}
        )
    if Unit.objects.filter(name=name).exists():
        raise ServiceError(
            {"name": _("单位“%(name)s”已存在。") % {"name": name}}
        )
    with acting_as(actor):
        unit = Unit.objects.create(
            code=code,
            name=name,
            short_name=short_name or name,
            kind=kind,
            parent=parent,
            phone=phone,
            address=address,
            sort_order=sort_order,
        )
        action_log_append(
            action="orgs.unit.created",
            actor=actor,
            obj=unit,
            payload={"kind": kind, "parent": parent.pk if parent else None},
        )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    require_manage(actor)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update got unknown fields: {sorted(unknown)}")
    kind = changes.get("kind", unit.kind)
    parent = changes.get("parent", unit.parent)
    _validate_unit_tree(unit=unit, kind=kind, parent=parent)
    if changes.get("is_active") is False and unit.is_active and unit.children.filter(is_active=True).exists():
        raise ServiceError(
            {"is_active": _("该单位还有启用的下级单位，不能停用。")}
        )
    for dup_field in ("code", "name"):
        if (
            dup_field in changes
            and Unit.objects.exclude(pk=unit.pk).filter(**{dup_field: changes[dup_field]}).exists()
        ):
            raise ServiceError(
                {
                    dup_field: _("“%(value)s”已被其他单位使用。")
                    % {"value": changes[dup_field]}
                }
            )
    changed = {k: v for k, v in changes.items() if getattr(unit, k) != v}
    if not changed:
        return unit
    with acting_as(actor):
        for key, value in changed.items():
            setattr(unit, key, value)
        unit.save()
        action_log_append(
            action="orgs.unit.updated", actor=actor, obj=unit, payload={"fields": sorted(changed)}
        )
    return unit


def _check_password(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *, actor, username: str, full_name: str, password: str | None = None, phone: str = "", email: str = ""
) -> tuple[User, str]:
    """Create a person; returns the user and the initial password (generated when none is given)."""
    require_manage(actor)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(
            {"username": _("用户名“%(u)s”已存在。") % {"u": username}}
        )
    initial = password or secrets.token_urlsafe(9)
    candidate = User(username=username, full_name=full_name, phone=phone, email=email)
    _check_password(initial, candidate)
    with acting_as(actor):
        candidate.set_password(initial)
        candidate.save()
        action_log_append(action="orgs.user.created", actor=actor, obj=candidate)
    return candidate, initial


@transaction.atomic
def user_update(
    *, actor, user: User, full_name: str, phone: str = "", email: str = "", is_active: bool = True
) -> User:
    require_manage(actor)
    if user.pk == actor.pk and not is_active:
        raise ServiceError({"is_active": _("不能停用自己的账号。")})
    with acting_as(actor):
        was_active = user.is_active
        user.full_name, user.phone, user.email, user.is_active = full_name, phone, email, is_active
        user.save()
        action_log_append(
            action="orgs.user.updated",
            actor=actor,
            obj=user,
            payload={
                "deactivated": was_active and not is_active,
                "reactivated": is_active and not was_active,
            },
        )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str, old_password: str | None = None) -> User:
    """The office resets anyone's password; a person changes their own with the old one."""
    if actor.pk == user.pk:
        if old_password is None or not user.check_password(old_password):
            raise ServiceError({"old_password": _("原密码不正确。")})
    else:
        require_manage(actor)
    _check_password(password, user)
    with acting_as(actor):
        user.set_password(password)
        user.save()
        action_log_append(
            action="orgs.user.password_set", actor=actor, obj=user, payload={"by_self": actor.pk == user.pk}
        )
    return user


@transaction.atomic
def membership_create(*, actor, user: User, unit: Unit, role: str) -> Membership:
    require_manage(actor)
    if role not in Role:
        raise ServiceError({"role": _("未知角色“%(r)s”。") % {"r": role}})
    if not unit.is_active:
        raise ServiceError({"unit": _("单位“%(u)s”已停用。") % {"u": unit}})
    if ROLE_SPECS[role].district_wide and unit.kind not in (
        UnitKind.DISTRICT,
        UnitKind.OFFICE,
        UnitKind.DEPARTMENT,
    ):
        raise ServiceError(
            {
                "role": _(
                    "全区性角色只能设在区、专责机构或区直部门。"
                )
            }
        )
    with acting_as(actor):
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if not created and membership.is_active:
            raise ServiceError(
                {
                    "role": _("%(user)s 已是 %(unit)s 的 %(role)s。")
                    % {"user": user, "unit": unit, "role": Role.label(role)}
                }
            )
        if not created:
            membership.is_active = True
            membership.save()
        action_log_append(
            action="orgs.membership.created",
            actor=actor,
            obj=membership,
            payload={"user": user.pk, "unit": unit.pk, "role": role},
        )
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership) -> Membership:
    require_manage(actor)
    if not membership.is_active:
        return membership
    with acting_as(actor):
        membership.is_active = False
        membership.save()
        action_log_append(
            action="orgs.membership.ended",
            actor=actor,
            obj=membership,
            payload={"user": membership.user_id, "unit": membership.unit_id, "role": membership.role},
        )
        # the layers above (core) withdraw what the person may no longer open, in this transaction
        membership_ended.send(sender=Membership, membership=membership, actor=actor)
    return membership


SECTOR_DUTY_FIELDS = ("sector", "problem_type", "keywords", "department", "basis", "sort_order", "is_active")


def _validate_duty(department: Unit) -> None:
    if department.kind != UnitKind.DEPARTMENT:
        raise ServiceError(
            {"department": _("责任部门必须是区直部门。")}
        )


@transaction.atomic
def sector_duty_create(
    *,
    actor,
    sector: str,
    department: Unit,
    problem_type: str = "",
    keywords: str = "",
    basis: str = "",
    sort_order: int = 100,
) -> SectorDuty:
    require_manage(actor)
    _validate_duty(department)
    with acting_as(actor):
        try:
            with transaction.atomic():
                duty = SectorDuty.objects.create(
                    sector=sector,
                    department=department,
                    problem_type=problem_type,
                    keywords=keywords,
                    basis=basis,
                    sort_order=sort_order,
                )
        except IntegrityError as exc:
            raise ServiceError(
                {
                    "sector": _("“%(s)s”已分配给 %(d)s。")
                    % {"s": sector, "d": department}
                }
            ) from exc
        action_log_append(action="orgs.sectorduty.created", actor=actor, obj=duty)
    return duty


@transaction.atomic
def sector_duty_update(*, actor, duty: SectorDuty, **changes) -> SectorDuty:
    require_manage(actor)
    unknown = set(changes) - set(SECTOR_DUTY_FIELDS)
    if unknown:
        raise TypeError(f"sector_duty_update got unknown fields: {sorted(unknown)}")
    _validate_duty(changes.get("department", duty.department))
    with acting_as(actor):
        for key, value in changes.items():
            setattr(duty, key, value)
        try:
            with transaction.atomic():
                duty.save()
        except IntegrityError as exc:
            raise ServiceError(
                {"sector": _("该行业已分配给此部门。")}
            ) from exc
        action_log_append(
            action="orgs.sectorduty.updated", actor=actor, obj=duty, payload={"fields": sorted(changes)}
        )
    return duty


@transaction.atomic
def sector_duty_delete(*, actor, duty: SectorDuty) -> None:
    require_manage(actor)
    with acting_as(actor):
        action_log_append(
            action="orgs.sectorduty.deleted",
            actor=actor,
            obj=duty,
            payload={"sector": duty.sector, "department": duty.department_id},
        )
        duty.delete()


PLACE_FIELDS = ("name", "kind", "town_codes", "district", "aliases", "source", "note", "is_active")


def _validate_place(*, kind: str, town_codes: str, source: str, district: str) -> None:
    errors = {}
    if not (source or "").strip():
        errors["source"] = _("每个地名都须注明来源（网址或文件名）。")
    codes = [c for c in (town_codes or "").replace(",", " ").split() if c]
    known = set(Unit.objects.towns().filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors["town_codes"] = _("未知的镇街代码：%(c)s") % {"c": "、".join(unknown)}
    if codes and district != HOME_DISTRICT:
        errors["town_codes"] = _("区外地名不能属于%(district)s的镇街。") % {
            "district": settings.ECOINSPECT_DISTRICT_NAME
        }
    if errors:
        raise ServiceError(errors)


@transaction.atomic
def place_create(*, actor, code: str, name: str, kind: str, source: str, town_codes: str = "",
                 district: str = HOME_DISTRICT, aliases: str = "", note: str = "") -> Place:
    """A new gazetteer entry (the inspection office), with its source."""
    require_manage(actor)
    district = (district or HOME_DISTRICT).strip()
    _validate_place(kind=kind, town_codes=town_codes, source=source, district=district)
    if Place.objects.filter(code=code).exists():
        raise ServiceError({"code": _("地名代码“%(c)s”已存在。") % {"c": code}})
    with acting_as(actor):
        place = Place.objects.create(
            code=code, name=name.strip(), kind=kind, town_codes=town_codes.strip(), district=district,
            aliases=aliases.strip(), source=source.strip(), note=note.strip(),
        )
        action_log_append(action="orgs.place.created", actor=actor, obj=place)
    return place


@transaction.atomic
def place_update(*, actor, place: Place, **changes) -> Place:
    require_manage(actor)
    changes.pop("code", None)
    unknown = set(changes) - set(PLACE_FIELDS)
    if unknown:
        raise TypeError(f"place_update got unknown fields: {sorted(unknown)}")
    merged = {f: changes.get(f, getattr(place, f)) for f in ("kind", "town_codes", "source", "district")}
    _validate_place(**merged)
    with acting_as(actor):
        for key, value in changes.items():
            setattr(place, key, value.strip() if isinstance(value, str) else value)
        place.save()
        action_log_append(action="orgs.place.updated", actor=actor, obj=place, payload={"fields": sorted(changes)})
    return place


@transaction.atomic
def workday_override_set(*, actor, date: dt.date, is_workday: bool, note: str = "") -> WorkdayOverride:
    require_manage(actor)
    with acting_as(actor):
        override, _created = WorkdayOverride.objects.update_or_create(
            date=date, defaults={"is_workday": is_workday, "note": note}
        )
        action_log_append(
            action="common.workday.set",
            actor=actor,
            obj=override,
            payload={"date": date, "is_workday": is_workday, "note": note},
        )
    return override


@transaction.atomic
def workday_override_delete(*, actor, override: WorkdayOverride) -> None:
    require_manage(actor)
    with acting_as(actor):
        action_log_append(
            action="common.workday.deleted", actor=actor, obj=override, payload={"date": override.date}
        )
        override.delete()


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """A new token for the actor's own use; the raw key is returned once and never stored."""
    if not actor.is_authenticated:
        raise NotPermitted()
    raw = "eco_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        key_hash=_hash_key(raw),
        prefix=raw[4:12],
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    action_log_append(
        action="orgs.apitoken.created", actor=actor, obj=token, payload={"prefix": token.prefix}
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not holds(actor, "orgs.manage"):
        raise NotPermitted()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        action_log_append(
            action="orgs.apitoken.revoked", actor=actor, obj=token, payload={"prefix": token.prefix}
        )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user owning an unexpired, unrevoked token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_key(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_attempt_record(
    *,
    username: str,
    ip_address: str | None,
    succeeded: bool,
    user: User | None = None,
    throttled: bool = False,
) -> None:
    """Record a log-in attempt: the ActionLog entry always; the LoginAttempt row that throttling counts only
    for an attempt whose password was checked — a refused one (``throttled``) is not counted, so a lock ends
    when its message said it would, and colleagues trying while an address is locked do not prolong it."""
    if not throttled:
        LoginAttempt.objects.create(username=username[:150], ip_address=ip_address, succeeded=succeeded)
    if throttled:
        action = "auth.login.throttled"
    else:
        action = "auth.login.succeeded" if succeeded else "auth.login.failed"
    action_log_append(
        action=action,
        actor=user if succeeded else None,
        payload={"username": username[:150], "ip": ip_address},
        object_type="orgs.user" if user else "",
        object_id=str(user.pk) if user else "",
        object_repr=str(user) if user else username[:150],
    )
