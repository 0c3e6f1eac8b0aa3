"""orgs services: only the coordinator manages; refusals write nothing; tokens expire and can be revoked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.common.models import WorkdayOverride
from ecoinspect.orgs import services
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import ApiToken, Membership, SectorDuty, Unit, User


def manage_calls(structure, people):
    unit = structure["sanyuanli"]
    duty = SectorDuty.objects.first()
    membership = Membership.objects.get(user=people["sanyuanli"])
    return {
        "unit_create": lambda a: services.unit_create(
            actor=a, code="newv", name="新村", short_name="新村", kind=UnitKind.VILLAGE, parent=unit
        ),
        "unit_update": lambda a: services.unit_update(actor=a, unit=unit, phone="1"),
        "user_create": lambda a: services.user_create(
            actor=a, username="x1", full_name="某", password="Xx-Baiyun-2026"
        ),
        "user_update": lambda a: services.user_update(
            actor=a, user=people["jingtai"], full_name="某", is_active=False
        ),
        "user_set_password": lambda a: services.user_set_password(
            actor=a, user=people["jingtai"], password="Xx-Baiyun-2026"
        ),
        "membership_create": lambda a: services.membership_create(
            actor=a, user=people["nobody"], unit=unit, role="staff"
        ),
        "membership_end": lambda a: services.membership_end(actor=a, membership=membership),
        "sector_duty_create": lambda a: services.sector_duty_create(
            actor=a, sector="新行业", department=structure["swj"]
        ),
        "sector_duty_update": lambda a: services.sector_duty_update(actor=a, duty=duty, keywords="改"),
        "sector_duty_delete": lambda a: services.sector_duty_delete(actor=a, duty=duty),
        "workday_override_set": lambda a: services.workday_override_set(
            actor=a, date=dt.date(2026, 2, 16), is_workday=True
        ),
    }


def database_state():
    return (
        ActionLog.objects.count(),
        ChangeLog.objects.count(),
        list(Unit.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("username", "full_name", "is_active", "password")),
        list(Membership.objects.order_by("pk").values()),
        list(SectorDuty.objects.order_by("pk").values()),
        list(WorkdayOverride.objects.values()),
    )


@pytest.mark.parametrize(
    "person", ["auditor", "leader", "sanyuanli", "water", "reviewer", "publisher", "nobody"]
)
def test_nobody_but_the_coordinator_manages_and_a_refusal_writes_nothing(structure, people, person):
    calls = manage_calls(structure, people)
    before = database_state()
    for name, call in calls.items():
        with pytest.raises(NotPermitted) as refused:
            call(people[person])
        assert "只有区督察迎检办" in str(refused.value.args[0]), name
    assert database_state() == before


def test_the_coordinator_may_do_each_of_them(structure, people):
    for name, call in manage_calls(structure, people).items():
        call(people["coordinator"])
        assert ActionLog.objects.order_by("-seq").first().actor == people["coordinator"], name


def test_membership_rules(structure, people):
    coordinator = people["coordinator"]
    with pytest.raises(ServiceError, match="未知角色"):
        services.membership_create(
            actor=coordinator, user=people["nobody"], unit=structure["taihe"], role="mayor"
        )
    structure["taihe"].is_active = False
    structure["taihe"].save()
    with pytest.raises(ServiceError, match="已停用"):
        services.membership_create(
            actor=coordinator, user=people["nobody"], unit=structure["taihe"], role="staff"
        )
    for role in ("coordinator", "leader", "publisher", "auditor"):
        with pytest.raises(ServiceError, match="全区性角色只能设在"):
            services.membership_create(
                actor=coordinator, user=people["nobody"], unit=structure["jingtai"], role=role
            )
    services.membership_create(
        actor=coordinator, user=people["nobody"], unit=structure["gaj"], role="auditor"
    )
    assert not Membership.objects.filter(user=people["nobody"], unit=structure["jingtai"]).exists()


def test_tokens_expire_and_revoked_or_deactivated_ones_stop_working(people):
    water = people["water"]
    token, raw = services.api_token_create(actor=water, name="对接", days=30)
    assert services.api_token_authenticate(raw) == water
    assert services.api_token_authenticate(raw + "x") is None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.api_token_authenticate(raw) is None

    _token2, raw2 = services.api_token_create(actor=water, name="长期", days=None)
    assert services.api_token_authenticate(raw2) == water
    User.objects.filter(pk=water.pk).update(is_active=False)
    assert services.api_token_authenticate(raw2) is None


def test_a_token_is_revoked_by_its_owner_or_the_coordinator_only(people):
    token, raw = services.api_token_create(actor=people["water"], name="对接")
    with pytest.raises(NotPermitted):
        services.api_token_revoke(actor=people["auditor"], token=token)
    assert services.api_token_authenticate(raw) == people["water"]
    services.api_token_revoke(actor=people["coordinator"], token=token)
    assert services.api_token_authenticate(raw) is None
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    services.api_token_revoke(actor=people["water"], token=token)  # again: nothing changes
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert ActionLog.objects.filter(action="orgs.apitoken.revoked").count() == 1


def test_using_a_token_records_when_it_was_last_used(people):
    token, raw = services.api_token_create(actor=people["water"], name="对接")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    services.api_token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
