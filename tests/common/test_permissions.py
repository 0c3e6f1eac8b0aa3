"""restrict(user, action): the one place that decides who sees and does what."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from ecoinspect.common.permissions import Reach, has_perm, restrict, user_scope
from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import Membership, SectorDuty, Unit, User
from ecoinspect.orgs.roles import Verb
from tests.conftest import fresh
from tests.factories import TicketFactory
from tests.testapp.models import Ticket

DISTRICT_WIDE = {
    "coordinator": set(Verb.ALL),
    "leader": {Verb.VIEW},
    "publisher": {Verb.VIEW, Verb.PUBLISH},
    "auditor": {Verb.VIEW, Verb.AUDIT},
}


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_every_unit_scoped_model_can_be_restricted():
    scoped = [m for m in apps.get_models() if getattr(m, "unit_scope", None)]
    assert {m.__name__ for m in scoped} >= {"Unit", "User", "Membership", "SectorDuty", "Ticket"}
    for model in scoped:
        assert hasattr(model._default_manager, "restrict"), model
        assert hasattr(model._default_manager.all(), "restrict"), model


def test_subdistrict_staff_see_their_own_unit_and_the_villages_below_it_only(structure, people):
    village = Unit.objects.create(
        code="sanyuanli-v1",
        name="三元里村",
        short_name="三元里村",
        kind=UnitKind.VILLAGE,
        parent=structure["sanyuanli"],
    )
    Unit.objects.create(
        code="jingtai-v1",
        name="景泰村",
        short_name="景泰村",
        kind=UnitKind.VILLAGE,
        parent=structure["jingtai"],
    )
    visible = Unit.objects.restrict(fresh(people["sanyuanli"]), "view")
    assert codes(visible) == {"sanyuanli", village.code}


def test_department_staff_do_not_see_towns_or_other_departments(structure, people):
    assert codes(Unit.objects.restrict(people["water"], "view")) == {"swj"}
    assert codes(Unit.objects.restrict(people["taihe"], "view")) == {"taihe"}


def test_staff_of_the_district_unit_see_every_unit_below_it(structure, make_user):
    district_staff = make_user("district-staff", structure["baiyun"], "staff")
    assert codes(Unit.objects.restrict(district_staff, "view")) == set(structure)


@pytest.mark.parametrize("role", sorted(DISTRICT_WIDE))
def test_district_wide_roles_reach_everything_for_their_verbs_and_nothing_else(role, people, structure):
    user = people[role]
    for verb in Verb.ALL:
        scope = user_scope(user, verb)
        if verb in DISTRICT_WIDE[role]:
            assert scope.everything, (role, verb)
            assert Unit.objects.restrict(user, verb).count() == len(structure)
        else:
            assert scope.nothing, (role, verb)
            assert not Unit.objects.restrict(user, verb).exists()


def test_auditor_may_read_and_audit_but_change_nothing(people, structure):
    auditor = people["auditor"]
    for verb in (Verb.WORK, Verb.ASSIGN, Verb.REVIEW, Verb.PUBLISH, Verb.MANAGE):
        assert not has_perm(auditor, f"ledger.{verb}")
        assert not has_perm(auditor, verb, structure["sanyuanli"])
    assert has_perm(auditor, "audit.audit") and has_perm(auditor, "view", structure["sanyuanli"])


def test_unit_staff_may_work_their_units_records_but_not_review_assign_or_manage(people, structure):
    staff = people["sanyuanli"]
    own, other = structure["sanyuanli"], structure["jingtai"]
    assert has_perm(staff, "ledger.work", own) and not has_perm(staff, "ledger.work", other)
    for verb in (Verb.REVIEW, Verb.ASSIGN, Verb.PUBLISH, Verb.MANAGE, Verb.AUDIT):
        assert not has_perm(staff, verb)
        assert not has_perm(staff, verb, own)


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
    assert not Unit.objects.restrict(user, "view").exists()
    assert not has_perm(user, "view", structure["sanyuanli"])


def test_a_deactivated_village_is_no_longer_reached_through_its_parent(people, structure):
    village = Unit.objects.create(
        code="old-village",
        name="旧村",
        short_name="旧村",
        kind=UnitKind.VILLAGE,
        parent=structure["sanyuanli"],
        is_active=False,
    )
    assert village not in Unit.objects.restrict(fresh(people["sanyuanli"]), "view")


def test_memberships_in_several_units_add_up(people, structure):
    user = people["water"]
    Membership.objects.create(user=user, unit=structure["taihe"], role="reviewer")
    user = fresh(user)
    assert codes(Unit.objects.restrict(user, "view")) == {"swj", "taihe"}
    assert codes(Unit.objects.restrict(user, "review")) == {"taihe"}
    assert codes(Unit.objects.restrict(user, "work")) == {"swj"}


def test_nobody_anonymous_and_superuser(db, people, structure):
    assert not Unit.objects.restrict(AnonymousUser(), "view").exists()
    assert not Unit.objects.restrict(people["nobody"], "view").exists()
    root = User.objects.create_superuser("root", password="pw-Baiyun-2026")
    assert Unit.objects.restrict(root, "manage").count() == len(structure)


def test_users_and_duties_are_scoped_through_their_units(people, structure):
    staff = fresh(people["water"])
    assert set(User.objects.restrict(staff, "view").values_list("username", flat=True)) == {"water"}
    assert set(SectorDuty.objects.restrict(staff, "view").values_list("department__code", flat=True)) == {
        "swj"
    }


def test_an_unknown_verb_or_an_unscoped_model_is_a_programming_error(people):
    from ecoinspect.common.models import WorkdayOverride

    with pytest.raises(ValueError, match="unknown permission verb"):
        has_perm(people["sanyuanli"], "ledger.approve")
    with pytest.raises(TypeError, match="no unit_scope"):
        restrict(WorkdayOverride.objects.all(), people["sanyuanli"], "view")


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

