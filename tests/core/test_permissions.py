"""restrict(user, action): the one place that decides who sees and does what."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from ecoinspect.core.permissions import Reach, has_perm, restrict, user_scope
from ecoinspect.orgs.models import Membership, SectorDuty, Unit, User
from ecoinspect.orgs.roles import registered_apps
from tests.conftest import fresh
from tests.factories import MembershipFactory, TicketFactory, UnitFactory
from tests.testapp.models import Ticket

WORK_VERBS = ("view", "work", "assign", "review", "publish")  # the ledger's, and the test app's copy of them
DISTRICT_WIDE = {
    "coordinator": {
        *(f"{app}.{verb}" for app in ("ledger", "testapp") for verb in WORK_VERBS),
        *(f"petitions.{verb}" for verb in ("view", "handle", "assign", "publish")),
        *("orgs.view", "orgs.manage", "audit.audit", "dashboard.view"),
    },
    "leader": {"ledger.view", "testapp.view", "petitions.view", "orgs.view", "dashboard.view"},
    "publisher": {
        *("ledger.view", "ledger.publish", "testapp.view", "testapp.publish", "petitions.view", "petitions.publish"),
        *("orgs.view", "dashboard.view"),
    },
    "auditor": {"ledger.view", "testapp.view", "petitions.view", "audit.audit", "orgs.view", "dashboard.view"},
}
ALL_PERMS = sorted(f"{app.app}.{verb}" for app in registered_apps() for verb in app.verbs)


def units(user, perm: str = "ledger.view"):
    """The units ``user`` reaches for ``perm`` (a ledger grant, asked of the units themselves)."""
    return restrict(Unit.objects.all(), user, perm)


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_every_unit_scoped_model_can_be_restricted(people):
    scoped = [m for m in apps.get_models() if getattr(m, "unit_scope", None)]
    assert {m.__name__ for m in scoped} >= {"Unit", "User", "Membership", "SectorDuty", "Ticket", "Problem"}
    for model in scoped:
        verb = next(iter(model.unit_scope))
        perm = f"{model._meta.app_label}.{'view' if verb == '*' else verb}"
        assert not restrict(model._default_manager.all(), people["nobody"], perm).exists(), model


def test_subdistrict_staff_see_their_own_unit_and_the_villages_below_it_only(structure, people):
    village = UnitFactory(
        village=True, code="sanyuanli-v1", name="三元里村", short_name="三元里村", parent=structure["sanyuanli"]
    )
    UnitFactory(village=True, code="jingtai-v1", name="景泰村", short_name="景泰村", parent=structure["jingtai"])
    visible = units(fresh(people["sanyuanli"]), "ledger.view")
    assert codes(visible) == {"sanyuanli", village.code}


def test_department_staff_do_not_see_towns_or_other_departments(structure, people):
    assert codes(units(people["water"], "ledger.view")) == {"swj"}
    assert codes(units(people["taihe"], "ledger.view")) == {"taihe"}


def test_staff_of_the_district_unit_see_every_unit_below_it(structure, make_user):
    district_staff = make_user("district-staff", structure["baiyun"], "staff")
    assert codes(units(district_staff, "ledger.view")) == set(structure)


@pytest.mark.parametrize("role", sorted(DISTRICT_WIDE))
def test_district_wide_roles_reach_everything_for_their_verbs_and_nothing_else(role, people, structure):
    user = people[role]
    for perm in ALL_PERMS:
        scope = user_scope(user, perm)
        if perm in DISTRICT_WIDE[role]:
            assert scope.everything, (role, perm)
            assert units(user, perm).count() == len(structure)
        else:
            assert scope.nothing, (role, perm)
            assert not units(user, perm).exists()


def test_auditor_may_read_and_audit_but_change_nothing(people, structure):
    auditor = people["auditor"]
    for perm in ("ledger.work", "ledger.assign", "ledger.review", "ledger.publish", "orgs.manage"):
        assert not has_perm(auditor, perm)
        assert not has_perm(auditor, perm, structure["sanyuanli"])
    assert has_perm(auditor, "audit.audit") and has_perm(auditor, "ledger.view", structure["sanyuanli"])


def test_unit_staff_may_work_their_units_records_but_not_review_assign_or_manage(people, structure):
    staff = people["sanyuanli"]
    own, other = structure["sanyuanli"], structure["jingtai"]
    assert has_perm(staff, "ledger.work", own) and not has_perm(staff, "ledger.work", other)
    for perm in ("ledger.review", "ledger.assign", "ledger.publish", "orgs.manage", "audit.audit"):
        assert not has_perm(staff, perm)
        assert not has_perm(staff, perm, own)


def test_reviewer_reviews_only_where_their_unit_is_the_acceptance_unit(people, structure):
    mine = TicketFactory(status=Ticket.DONE, lead_unit=structure["swj"], acceptance_unit=structure["sthj"])
    theirs = TicketFactory(status=Ticket.DONE, lead_unit=structure["sthj"], acceptance_unit=structure["swj"])
    reviewer = people["reviewer"]
    assert has_perm(reviewer, "testapp.review", mine)
    assert not has_perm(reviewer, "testapp.review", theirs)  # leading it is not accepting it
    assert set(Ticket.objects.restrict(reviewer, "review")) == {mine}
    assert set(Ticket.objects.restrict(reviewer, "view")) == {mine, theirs}
    assert not Ticket.objects.restrict(reviewer, "work").exists()


def test_cooperating_units_see_and_work_a_ticket_once_each(people, structure):
    ticket = TicketFactory(
        status=Ticket.WORKING,
        lead_unit=structure["sanyuanli"],
        cooperating=[structure["taihe"], structure["swj"], structure["sanyuanli"]],
    )
    TicketFactory(status=Ticket.WORKING, lead_unit=structure["jingtai"])
    for person in ("sanyuanli", "taihe", "water"):
        assert list(Ticket.objects.restrict(people[person], "work")) == [ticket], person
    assert not Ticket.objects.restrict(people["jingtai"], "work").filter(pk=ticket.pk).exists()
    assert not Ticket.objects.restrict(people["reviewer"], "view").exists()


@pytest.mark.parametrize("how", ["membership ended", "unit deactivated", "user deactivated"])
def test_a_person_without_an_active_membership_sees_nothing(how, people, structure):
    user = people["sanyuanli"]
    if how == "membership ended":
        Membership.objects.filter(user=user).update(is_active=False)
    elif how == "unit deactivated":
        Unit.objects.filter(pk=structure["sanyuanli"].pk).update(is_active=False)
    else:
        User.objects.filter(pk=user.pk).update(is_active=False)
    user = fresh(user)
    assert not units(user, "ledger.view").exists()
    assert not has_perm(user, "ledger.view", structure["sanyuanli"])


def test_a_deactivated_village_is_no_longer_reached_through_its_parent(people, structure):
    village = UnitFactory(
        village=True, code="old-village", name="旧村", short_name="旧村", parent=structure["sanyuanli"], is_active=False
    )
    assert village not in units(fresh(people["sanyuanli"]), "ledger.view")


def test_memberships_in_several_units_add_up(people, structure):
    user = people["water"]
    MembershipFactory(user=user, unit=structure["taihe"], role="reviewer")
    user = fresh(user)
    assert codes(units(user, "ledger.view")) == {"swj", "taihe"}
    assert codes(units(user, "ledger.review")) == {"taihe"}
    assert codes(units(user, "ledger.work")) == {"swj"}


def test_nobody_anonymous_and_superuser(db, people, structure):
    assert not units(AnonymousUser(), "ledger.view").exists()
    assert not units(people["nobody"], "ledger.view").exists()
    root = User.objects.create_superuser("root", password="pw-Baiyun-2026")
    assert units(root, "orgs.manage").count() == len(structure)


def test_users_and_duties_are_scoped_through_their_units(people, structure):
    staff = fresh(people["water"])
    users = restrict(User.objects.all(), staff, "ledger.view")
    assert set(users.values_list("username", flat=True)) == {"water"}
    duties = restrict(SectorDuty.objects.all(), staff, "ledger.view")
    assert set(duties.values_list("department__code", flat=True)) == {"swj"}


def test_an_unknown_verb_or_an_unscoped_model_is_a_programming_error(people):
    from ecoinspect.common.models import WorkdayOverride

    with pytest.raises(ValueError, match="unknown verb"):
        has_perm(people["sanyuanli"], "ledger.approve")
    with pytest.raises(ValueError, match="names no registered app"):
        has_perm(people["sanyuanli"], "screening.work")
    with pytest.raises(ValueError, match="names no app"):
        people["sanyuanli"].has_perm("work")
    with pytest.raises(TypeError, match="no unit_scope"):
        restrict(WorkdayOverride.objects.all(), people["sanyuanli"], "ledger.view")


def test_a_queryset_already_narrowed_inside_the_scope_is_not_scoped_again(people, structure):
    """restrict(within=Reach): the caller's narrowing stands in for the scope only where it provably lies
    inside it — the same unit (or one below), through the verb's own scope paths."""
    water = fresh(people["water"])
    led = TicketFactory(lead_unit=structure["swj"])
    foreign = TicketFactory(lead_unit=structure["sthj"])
    everything = Ticket.objects.all()

    inside = Reach(("lead_unit",), frozenset({structure["swj"].pk}))
    # the promise is taken at its word: nothing is filtered (the caller has filtered already)
    assert set(restrict(everything, water, "view", within=inside)) == {led, foreign}

    # a unit outside the scope, or a path the verb does not scope by, and the scope applies as always
    outside = Reach(("lead_unit",), frozenset({structure["sthj"].pk}))
    assert set(restrict(everything, water, "view", within=outside)) == {led}
    not_a_review_path = Reach(("lead_unit",), frozenset({structure["swj"].pk}))
    assert set(restrict(everything, water, "review", within=not_a_review_path)) == set()
    assert set(restrict(everything, water, "view", within=Reach(("lead_unit",), frozenset()))) == {led}



def test_a_grant_in_one_app_gives_nothing_in_another(people, structure):
    """Roles are granted per app: holding "work" in the ledger says nothing about "work" elsewhere."""
    from ecoinspect.orgs.roles import Role, grant, register_app

    register_app("otherapp", label="other", verbs={"view": "v", "work": "w"}, grants={Role.LEADER: grant({"view"})})
    try:
        staff = people["water"]
        assert has_perm(staff, "ledger.work") and has_perm(staff, "ledger.view")
        assert not has_perm(staff, "otherapp.work") and not has_perm(staff, "otherapp.view")
        assert not people["coordinator"].has_perm("otherapp.work")  # not even the coordinator's ledger grant
        assert people["leader"].has_perm("otherapp.view") and not people["leader"].has_perm("ledger.work")
    finally:
        from ecoinspect.orgs import roles

        roles._APPS.pop("otherapp")


def test_a_grant_of_an_undeclared_verb_or_unknown_role_fails_at_start_up():
    from ecoinspect.orgs.roles import grant, register_app

    with pytest.raises(ValueError, match="undeclared verbs"):
        register_app("x", label="x", verbs={"view": "v"}, grants={"staff": grant({"view", "work"})})
    with pytest.raises(ValueError, match="unknown role"):
        register_app("x", label="x", verbs={"view": "v"}, grants={"janitor": grant({"view"})})


def test_the_unit_tree_is_read_once_a_request_whoever_asks(login, people, structure):
    """Views ask restrict()/has_perm() with request.user (a lazy proxy); Django's user.has_perm() hands the
    backend the object behind it. Both must share the per-request cache: one read of the unit tree."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = login(people["water"])
    url = reverse("ledger:unit_problems", args=[structure["swj"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tree_reads = [q for q in queries.captured_queries if '"parent_id" FROM "orgs_unit"' in q["sql"]]
    assert len(tree_reads) == 1, [q["sql"][:120] for q in queries.captured_queries]
