"""Factories of orgs: units, people and their roles, the 三管三必须 matrix, API tokens, log-in attempts.

``person(role, unit)`` is how every other factory finds who does a step: the first active person holding
that role (in that unit, for a unit role), made on the spot when there is none. With the suite's
``people`` fixture loaded it is always one of them (the water bureau's staff is ``people["water"]``).
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import ApiToken, LoginAttempt, Membership, Place, SectorDuty, Unit, User
from ecoinspect.orgs.roles import ROLE_SPECS, Role

PASSWORD = "pw-Baiyun-2026"


class UnitFactory(DjangoModelFactory):
    """A unit, looked up by code first: ``UnitFactory(code="swj")`` is the real water bureau when the
    ``structure`` fixture has loaded Baiyun's units, and a new department otherwise."""

    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n:04d}")
    name = factory.LazyAttribute(lambda o: f"测试单位{o.code}")
    short_name = factory.LazyAttribute(lambda o: o.name[:30])
    kind = UnitKind.DEPARTMENT
    parent = None

    class Params:
        village = factory.Trait(kind=UnitKind.VILLAGE)
        town = factory.Trait(kind=UnitKind.TOWN)


def unit(code: str) -> Unit:
    """The unit with this code (made as a department when it does not exist)."""
    return UnitFactory(code=code)


class UserFactory(DjangoModelFactory):
    """A person who can log in (password ``PASSWORD``); ``unit`` and ``role`` give them one membership."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person-{n:04d}")
    full_name = factory.LazyAttribute(lambda o: o.username)

    @classmethod
    def _create(cls, model_class, *args, unit=None, role=None, password=PASSWORD, **kwargs):
        user = model_class.objects.create_user(*args, password=password, **kwargs)
        if unit is not None and role is not None:
            MembershipFactory(user=user, unit=unit, role=role)
        return user


class MembershipFactory(DjangoModelFactory):
    """A person's role in a unit (staff by default)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.STAFF


def person(role: str, unit: Unit | None = None) -> User:
    """The first active person with ``role`` — in ``unit`` for the unit roles (staff, reviewer) — or a new
    one when nobody holds it. Loaded afresh, so ``restrict()``'s per-object caches start empty."""
    district_wide = ROLE_SPECS[role].district_wide
    memberships = Membership.objects.active().filter(role=role)
    if not district_wide:
        memberships = memberships.filter(unit=unit)
    found = memberships.order_by("pk").values_list("user_id", flat=True).first()
    if found is not None:
        return User.objects.get(pk=found)
    if district_wide:
        unit = Unit.objects.filter(code="yingjianban").first() or UnitFactory(kind=UnitKind.OFFICE)
    return UserFactory(unit=unit, role=role)


class SectorDutyFactory(DjangoModelFactory):
    """One row of the 三管三必须 matrix: a sector, its keywords and the department responsible."""

    class Meta:
        model = SectorDuty

    sector = factory.Sequence(lambda n: f"测试行业{n}")
    department = factory.SubFactory(UnitFactory)
    keywords = "测试关键词"


class PlaceFactory(DjangoModelFactory):
    """One gazetteer entry (a landmark of Baiyun by default), with a source as every entry must have."""

    class Meta:
        model = Place

    code = factory.Sequence(lambda n: f"test-place-{n}")
    name = factory.Sequence(lambda n: f"测试地名{n}")
    kind = "landmark"
    source = "测试数据（tests/factories）"


class ApiTokenFactory(factory.Factory):
    """A token made by the real service (``api_token_create``); the raw key, shown once, is ``token.raw``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "测试令牌"
    days = 90

    @classmethod
    def _create(cls, model_class, *, user, name, days):
        from ecoinspect.orgs.services import api_token_create

        token, raw = api_token_create(actor=user, name=name, days=days)
        token.raw = raw
        return token


class LoginAttemptFactory(DjangoModelFactory):
    """One log-in attempt as the throttle records it."""

    class Meta:
        model = LoginAttempt

    username = factory.Sequence(lambda n: f"person-{n:04d}")
    ip_address = "10.0.0.1"
    succeeded = False
