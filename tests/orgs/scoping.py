"""orgs pages for the cross-unit harness.

A unit's page belongs to the unit's members (and members of the units above it) and to district-wide roles.
Managing units, people, memberships and the 三管三必须 matrix is the inspection office's (coordinator's):
for those pages the "owner" is the coordinator and the outsiders are unit staff — even of the unit concerned —
the auditor and the leader, who read but change nothing.
"""

from __future__ import annotations

from ecoinspect.orgs.models import Unit
from tests.factories import (
    ApiTokenFactory,
    MembershipFactory,
    PlaceFactory,
    SectorDutyFactory,
    UnitFactory,
    UserFactory,
)
from tests.scoping import Case


def _unit_with_phone(code: str, marker: str):
    def build(ctx):
        unit = ctx["structure"][code]
        Unit.objects.filter(pk=unit.pk).update(phone=marker)
        return {"pk": unit.pk}, marker

    return build


def _village_under(code: str, marker: str):
    def build(ctx):
        village = UnitFactory(
            village=True,
            code=f"v-{marker.lower()}",
            name=f"{marker} 村委会",
            short_name=marker,
            parent=ctx["structure"][code],
            phone=marker,
        )
        return {"pk": village.pk}, marker

    return build


def _unit_by_id(code: str, marker: str):
    """The API's unit URL takes ``unit_id`` (markers are ASCII: the API escapes non-ASCII JSON)."""

    def build(ctx):
        kwargs, marker_ = _unit_with_phone(code, marker)(ctx)
        return {"unit_id": kwargs["pk"]}, marker_

    return build


def _newcomer_for(code: str, marker: str):
    """The unit (its phone is the marker) and the POST data adding a new person to it as staff: the user's id
    is only known once built, so ``build`` fills the dict the Case sends."""
    data: dict = {}

    def build(ctx):
        newcomer = UserFactory()
        data.clear()
        data.update({"user": newcomer.pk, "role": "staff"})
        return _unit_with_phone(code, marker)(ctx)

    return build, data


def _unit_form(code: str, marker: str):
    # The edit form shows the unit's own values; the phone is the marker.
    return _unit_with_phone(code, marker)


def _nothing(marker: str):
    def build(ctx):
        return {}, marker

    return build


def _person_in(code: str, username: str, full_name: str, marker_is: str = "full_name", listed: bool = False):
    def build(ctx):
        user = UserFactory(username=username, unit=ctx["structure"][code], role="staff", full_name=full_name)
        return ({} if listed else {"pk": user.pk}), (full_name if marker_is == "full_name" else username)

    return build


_counter = {"n": 0}


def _new_member_of(code: str):
    def build(ctx):
        _counter["n"] += 1
        username = f"member-to-end-{_counter['n']}"
        membership = MembershipFactory(user__username=username, unit=ctx["structure"][code], role="staff")
        return {"pk": membership.pk}, username

    return build


def _duty_of(code: str, marker: str):
    def build(ctx):
        duty = SectorDutyFactory(sector=marker, department=ctx["structure"][code], keywords="marker-keyword")
        return {"pk": duty.pk}, marker

    return build


def _place_named(marker: str):
    def build(ctx):
        place = PlaceFactory(code=f"t-{marker.lower()}", name=marker, note=marker)
        return {"pk": place.pk}, marker

    return build


def _token_of(person: str, marker: str):
    def build(ctx):
        token = ApiTokenFactory(user=ctx["people"][person], name=marker, days=30)
        return {"pk": token.pk}, marker

    return build


_newcomer_to_sanyuanli_1 = _newcomer_for("sanyuanli", "020-3600-0201")
_newcomer_to_sanyuanli_2 = _newcomer_for("sanyuanli", "020-3600-0202")

CASES = [
    # A unit's own page: its members, members of the units above it, district-wide roles.
    # Units are not secret: every person with a role sees every unit's page (another unit's staff, a
    # reviewer, the auditor); a person without any role sees none. What a unit handles stays scoped.
    Case("orgs:unit_detail", _unit_with_phone("sanyuanli", "020-3600-0001"), owner="jingtai", outsider="nobody"),
    Case("orgs:unit_detail", _village_under("sanyuanli", "VILLAGE-MARK-1"), owner="taihe", outsider="nobody"),
    Case("api:unit_detail", _unit_by_id("sanyuanli", "020-3700-0001"), owner="jingtai", outsider="nobody"),
    # Manage-only pages: the coordinator owns them; the unit's own staff, the auditor and the leader do not.
    Case(
        "orgs:unit_edit", _unit_form("sanyuanli", "020-3600-0101"), owner="coordinator", outsider="sanyuanli"
    ),
    Case("orgs:unit_edit", _unit_form("sanyuanli", "020-3600-0102"), owner="coordinator", outsider="auditor"),
    Case("orgs:unit_edit", _unit_form("swj", "020-3600-0103"), owner="coordinator", outsider="leader"),
    Case("orgs:unit_create", _nothing('name="code"'), owner="coordinator", outsider="sanyuanli"),
    Case("orgs:unit_create", _nothing('name="code"'), owner="coordinator", outsider="auditor"),
    Case(
        "orgs:membership_add",
        _newcomer_to_sanyuanli_1[0],
        owner="coordinator",
        outsider="sanyuanli",
        method="post",
        data=_newcomer_to_sanyuanli_1[1],
    ),
    Case(
        "orgs:membership_add",
        _newcomer_to_sanyuanli_2[0],
        owner="coordinator",
        outsider="auditor",
        method="post",
        data=_newcomer_to_sanyuanli_2[1],
    ),
    Case(
        "orgs:membership_end",
        _new_member_of("sanyuanli"),
        owner="coordinator",
        outsider="sanyuanli",
        method="post",
    ),
    Case("orgs:membership_end", _new_member_of("swj"), owner="coordinator", outsider="leader", method="post"),
    Case(
        "orgs:user_list",
        _person_in("sanyuanli", "listed-person", "名单甲", "username", listed=True),
        owner="coordinator",
        outsider="sanyuanli",
        kind="list",
    ),
    Case(
        "orgs:user_list",
        _person_in("swj", "listed-person", "名单甲", "username", listed=True),
        owner="coordinator",
        outsider="auditor",
        kind="list",
    ),
    Case("orgs:user_create", _nothing('name="username"'), owner="coordinator", outsider="leader"),
    Case(
        "orgs:user_detail",
        _person_in("sanyuanli", "detail-person", "详情乙", "username"),
        owner="coordinator",
        outsider="sanyuanli",
    ),
    Case(
        "orgs:user_detail",
        _person_in("swj", "detail-person", "详情乙", "username"),
        owner="coordinator",
        outsider="auditor",
    ),
    Case(
        "orgs:user_edit",
        _person_in("sanyuanli", "edit-person", "编辑丙"),
        owner="coordinator",
        outsider="sanyuanli",
    ),
    Case(
        "orgs:user_edit", _person_in("taihe", "edit-person", "编辑丙"), owner="coordinator", outsider="leader"
    ),
    Case(
        "orgs:user_password",
        _person_in("sanyuanli", "pw-person", "密码丁"),
        owner="coordinator",
        outsider="sanyuanli",
    ),
    Case(
        "orgs:user_password",
        _person_in("swj", "pw-person", "密码丁"),
        owner="coordinator",
        outsider="auditor",
    ),
    Case("orgs:sectorduty_create", _nothing('name="keywords"'), owner="coordinator", outsider="water"),
    Case("orgs:sectorduty_edit", _duty_of("swj", "MARKER-SECTOR-1"), owner="coordinator", outsider="water"),
    Case("orgs:sectorduty_edit", _duty_of("swj", "MARKER-SECTOR-2"), owner="coordinator", outsider="auditor"),
    Case("orgs:place_create", _nothing('name="source"'), owner="coordinator", outsider="water"),
    Case("orgs:place_edit", _place_named("MARKER-PLACE-1"), owner="coordinator", outsider="taihe"),
    Case("orgs:place_edit", _place_named("MARKER-PLACE-2"), owner="coordinator", outsider="auditor"),
    # A person's own API token: nobody else revokes it through the profile page.
    Case(
        "orgs:apitoken_revoke",
        _token_of("sanyuanli", "TOKEN-MARK-1"),
        owner="sanyuanli",
        outsider="jingtai",
        method="post",
    ),
    Case(
        "orgs:apitoken_revoke",
        _token_of("sanyuanli", "TOKEN-MARK-2"),
        owner="sanyuanli",
        outsider="coordinator",
        method="post",
    ),
]

OPEN = {
    "orgs:unit_list": "the unit directory (names, kinds, phones) is deliberately open to everyone logged in",
    "orgs:sectorduty_list": "the 三管三必须 matrix and its 试一试 matcher are a published rule, open to everyone logged in",
    "orgs:place_list": "the gazetteer (places with their public sources) and its 试一试 matcher are public "
    "knowledge, open to everyone logged in; only the inspection office adds or edits (tests/orgs/test_place_pages.py)",
    "orgs:sectorduty_delete": "POST button, no data shown; non-managers are refused with a message and nothing is deleted "
    "(tests/orgs/test_sector_duty_pages.py)",
    "orgs:workday_list": "the working-day calendar is the same for everyone; only managers may post overrides "
    "(tests/orgs/test_workday_pages.py)",
    "orgs:workday_delete": "POST button, no data shown; non-managers are refused and nothing is deleted "
    "(tests/orgs/test_workday_pages.py)",
    "orgs:role_matrix": "the roles and what each app grants them are the system's published rules, the same for "
    "everyone with a role (tests/orgs/test_role_matrix.py)",
    "orgs:profile": "one's own profile, memberships and API tokens only (tests/orgs/test_profile_pages.py)",
    "api:me": "the caller's own identity, memberships and scopes",
    "api:unit_list": "the unit directory, open to everyone logged in like orgs:unit_list",
    "api:sector_duty_list": "the published 三管三必须 matrix, like orgs:sectorduty_list",
    "api:sector_duty_match": "the matcher over the published matrix; reads no unit-owned record",
    "api:place_match": "the place matcher over the public gazetteer; reads no unit-owned record",
    "api:workdays_add": "working-day arithmetic, the same for everyone",
}
