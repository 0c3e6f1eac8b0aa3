"""The JSON API under the same scoping as the pages (markers are ASCII: the API escapes non-ASCII JSON)."""

from __future__ import annotations

from ecoinspect.orgs.models import Unit
from tests.dashboard.scoping import _queued_ticket
from tests.notifications.scoping import _to_person
from tests.scoping import Case


def _unit(code: str, marker: str):
    def build(ctx):
        unit = ctx["structure"][code]
        Unit.objects.filter(pk=unit.pk).update(phone=marker)
        return {"unit_id": unit.pk}, marker

    return build


CASES = [
    # Units are not secret: every person with a role sees every unit; one without a role sees none.
    Case("api:unit_detail", _unit("sanyuanli", "020-3700-0001"), owner="jingtai", outsider="nobody"),
    Case(
        "api:notifications",
        _to_person("sanyuanli", "API-NOTE-1"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "api:notifications",
        _to_person("sanyuanli", "API-NOTE-2"),
        owner="sanyuanli",
        outsider="auditor",
        kind="list",
    ),
    Case(
        "api:queue",
        _queued_ticket("sanyuanli", "API-QUEUE-1"),
        owner="sanyuanli",
        outsider="taihe",
        kind="list",
    ),
    Case(
        "api:queue",
        _queued_ticket("taihe", "API-QUEUE-2", acceptance_unit="sthj"),
        owner="taihe",
        outsider="water",
        kind="list",
    ),
]

OPEN = {
    "api:api-root": "django-ninja's root path; it serves nothing (404)",
    "api:me": "the caller's own identity, memberships and scopes",
    "api:unit_list": "the unit directory, open to everyone logged in like orgs:unit_list",
    "api:sector_duty_list": "the published 三管三必须 matrix, like orgs:sectorduty_list",
    "api:sector_duty_match": "the matcher over the published matrix; reads no unit-owned record",
    "api:workdays_add": "working-day arithmetic, the same for everyone",
    "api:mark_read": "acts only on the caller's own notifications; another person's ids change nothing "
    "(tests/api/test_notifications_api.py)",
}
