"""problem_register: routing by the 三管三必须 matrix and the address, who may register what, input checks."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import DeadlineKind, ProblemSource, ProblemStatus
from ecoinspect.ledger.models import Problem

pytestmark = pytest.mark.django_db


def _register(actor, **fields):
    base = {"title": "【测试】问题", "source": ProblemSource.SELF_INSPECTION}
    return svc.problem_register(actor=actor, **(base | fields))


# --- routing ----------------------------------------------------------------------------------------------


def test_sewage_outfall_is_routed_to_the_water_bureau_and_the_town_named_in_the_address(people, structure):
    problem = _register(
        people["coordinator"],
        title="【测试】景泰涌支涌雨水排水口旱季污水直排",
        address="广州市白云区景泰街道广园中路景泰涌左岸",
        acceptance_unit=structure["sthj"],
    )

    assert problem.lead_unit == structure["swj"]
    assert problem.town == structure["jingtai"]
    # the reason is recorded: the matrix row and its keywords, and the address that placed it
    assert "三管三必须" in problem.routing_reason
    assert "区水务局" in problem.routing_reason
    assert "污水" in problem.routing_reason
    assert "景泰街道" in problem.routing_reason
    entry = ActionLog.objects.for_object(problem).get(action="ledger.problem.registered")
    assert entry.payload["routing"] == problem.routing_reason
    assert entry.payload["lead_unit"] == structure["swj"].pk


def test_construction_dust_is_proposed_for_housing_with_the_alternatives(structure, people):
    proposal = svc.routing_propose(
        title="【测试】工地施工扬尘，泥头车带泥上路", address="白云区太和镇穗丰村某在建工地"
    )

    assert proposal.lead_unit == structure["zjj"]
    assert structure["jtys"] in proposal.alternatives  # 泥头车 → transport comes second
    assert proposal.town == structure["taihe"]


def test_nothing_is_proposed_when_no_keyword_or_place_matches(people, structure):
    problem = _register(people["coordinator"], title="【测试】群众反映小区门口长期堆放杂物")

    assert problem.lead_unit is None
    assert problem.town is None
    assert problem.routing_reason == ""


def test_choosing_another_lead_unit_than_the_proposal_needs_a_reason(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(
            people["coordinator"],
            title="【测试】石井河沿岸污水直排",
            lead_unit=structure["shijing"],
        )

    assert "override_reason" in refused.value.message_dict
    assert "区水务局" in refused.value.message_dict["override_reason"][0]
    assert not Problem.objects.exists()


def test_an_override_with_a_reason_is_kept_with_the_proposal_it_replaced(people, structure):
    problem = _register(
        people["coordinator"],
        title="【测试】石井河沿岸污水直排",
        lead_unit=structure["shijing"],
        override_reason="属地排水户整治，由街道牵头",
    )

    assert problem.lead_unit == structure["shijing"]
    assert "属地排水户整治，由街道牵头" in problem.routing_reason
    assert "区水务局" in problem.routing_reason  # what the system had proposed


def test_a_blank_override_reason_counts_as_none(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(
            people["coordinator"],
            title="【测试】石井河沿岸污水直排",
            lead_unit=structure["shijing"],
            override_reason="   ",
        )
    assert "override_reason" in refused.value.message_dict


def test_an_explicit_town_wins_over_the_address(people, structure):
    problem = _register(
        people["coordinator"],
        title="【测试】餐饮油烟扰民",
        address="白云区三元里大道",
        town=structure["tonghe"],
    )
    assert problem.town == structure["tonghe"]


def test_a_department_is_refused_as_the_town(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(people["coordinator"], title="【测试】餐饮油烟扰民", town=structure["swj"])
    assert "town" in refused.value.message_dict


# --- who may register -------------------------------------------------------------------------------------


def test_unit_staff_register_a_problem_their_unit_leads(people, structure):
    problem = _register(
        people["water"],
        title="【测试】自查发现新市涌截污闸漏水",
        lead_unit=structure["swj"],
        acceptance_unit=structure["sthj"],
    )
    assert problem.lead_unit == structure["swj"]
    assert problem.registered_by == people["water"]
    assert problem.status == ProblemStatus.REGISTERED


def test_unit_staff_cannot_register_a_problem_another_unit_leads(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(people["housing"], title="【测试】新市涌截污闸漏水", lead_unit=structure["swj"])

    assert "lead_unit" in refused.value.message_dict
    assert not Problem.objects.exists()
    assert not ActionLog.objects.filter(action="ledger.problem.registered").exists()


def test_unit_staff_cannot_register_for_another_unit_by_naming_themselves_cooperating(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(
            people["housing"],
            title="【测试】新市涌截污闸漏水",
            lead_unit=structure["swj"],
            cooperating_units=[structure["zjj"]],
        )

    assert "lead_unit" in refused.value.message_dict
    assert not Problem.objects.exists()


def test_unit_staff_cannot_register_a_problem_without_a_lead_unit(people, structure):
    with pytest.raises(ServiceError):
        _register(people["sanyuanli"], title="【测试】小区门口长期堆放杂物")
    assert not Problem.objects.exists()


def test_town_staff_cannot_register_a_department_led_problem_in_their_town(people, structure):
    with pytest.raises(ServiceError):
        _register(
            people["taihe"],
            title="【测试】太和镇某工地扬尘",
            address="白云区太和镇",
            lead_unit=structure["zjj"],
        )
    assert not Problem.objects.exists()


@pytest.mark.parametrize("who", ["leader", "reviewer", "auditor", "publisher", "nobody"])
def test_roles_without_work_or_assign_cannot_register(people, structure, who):
    with pytest.raises(NotPermitted):
        _register(people[who], title="【测试】问题", lead_unit=structure["sthj"])
    assert not Problem.objects.exists()


# --- input checks -----------------------------------------------------------------------------------------


def test_a_deadline_before_registration_is_refused(people, structure, clock):
    with pytest.raises(ServiceError) as refused:
        _register(
            people["coordinator"],
            lead_unit=structure["sthj"],
            registered_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 8, 31),
        )
    assert "deadline" in refused.value.message_dict
    assert not Problem.objects.exists()


def test_a_deadline_on_the_registration_day_is_accepted(people, structure):
    problem = _register(
        people["coordinator"],
        lead_unit=structure["sthj"],
        registered_on=dt.date(2026, 9, 1),
        deadline=dt.date(2026, 9, 1),
    )
    assert problem.deadline == dt.date(2026, 9, 1)


def test_an_immediate_problem_gets_five_working_days_counted_on_the_chinese_calendar(people, structure):
    # Registered on Tue 2026-09-29: the National Day holiday (1–7 Oct) does not count.
    problem = _register(
        people["coordinator"],
        lead_unit=structure["sthj"],
        registered_on=dt.date(2026, 9, 29),
        deadline_kind=DeadlineKind.IMMEDIATE,
    )
    # 30 Sep, 8 Oct, 9 Oct, 10 Oct (Saturday make-up day), 12 Oct
    assert problem.deadline == dt.date(2026, 10, 12)


def test_a_long_term_problem_has_no_deadline(people, structure):
    problem = _register(
        people["coordinator"],
        lead_unit=structure["sthj"],
        deadline_kind=DeadlineKind.LONG_TERM,
        deadline=dt.date(2026, 12, 31),
    )
    assert problem.deadline is None
    assert problem.deadline_kind == DeadlineKind.LONG_TERM


def test_an_unknown_deadline_kind_is_refused(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(people["coordinator"], lead_unit=structure["sthj"], deadline_kind="someday")
    assert "deadline_kind" in refused.value.message_dict


def test_unknown_problem_types_are_refused_and_named(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(
            people["coordinator"], lead_unit=structure["sthj"], problem_types=["water", "smog", "odour"]
        )
    message = refused.value.message_dict["problem_types"][0]
    assert "smog" in message and "odour" in message
    assert not Problem.objects.exists()


def test_repeated_problem_types_are_kept_once(people, structure):
    problem = _register(
        people["coordinator"], lead_unit=structure["sthj"], problem_types=["water", "air", "water"]
    )
    assert Problem.objects.get(pk=problem.pk).problem_types == ["water", "air"]


def test_an_unknown_source_is_refused(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(people["coordinator"], lead_unit=structure["sthj"], source="newspaper")
    assert "source" in refused.value.message_dict
    assert not Problem.objects.exists()


@pytest.mark.parametrize("field", ["severity", "handling_mode"])
def test_an_unknown_severity_or_handling_mode_is_refused(people, structure, field):
    with pytest.raises(ServiceError) as refused:
        _register(people["coordinator"], lead_unit=structure["sthj"], **{field: "whatever"})
    assert field in refused.value.message_dict
    assert not Problem.objects.exists()


def test_a_blank_title_is_refused(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(people["coordinator"], lead_unit=structure["sthj"], title="  ")
    assert "title" in refused.value.message_dict


def test_the_lead_unit_cannot_also_cooperate(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(
            people["coordinator"],
            lead_unit=structure["swj"],
            title="【测试】新市涌污水直排",
            cooperating_units=[structure["swj"], structure["xinshi"]],
        )
    assert "cooperating_units" in refused.value.message_dict


def test_an_inactive_unit_cannot_be_named(people, structure):
    zjj = structure["zjj"]
    zjj.is_active = False
    zjj.save()
    with pytest.raises(ServiceError) as refused:
        _register(
            people["coordinator"], title="【测试】问题", lead_unit=structure["sthj"], acceptance_unit=zjj
        )
    assert "acceptance_unit" in refused.value.message_dict


# --- numbers ----------------------------------------------------------------------------------------------


def test_numbers_run_in_sequence_per_registration_year(people, structure):
    kw = {"lead_unit": structure["sthj"]}
    first = _register(people["coordinator"], registered_on=dt.date(2026, 3, 1), **kw)
    second = _register(people["coordinator"], registered_on=dt.date(2026, 5, 1), **kw)
    earlier_year = _register(people["coordinator"], registered_on=dt.date(2025, 12, 30), **kw)
    third = _register(people["coordinator"], registered_on=dt.date(2026, 6, 1), **kw)

    assert [first.number, second.number, third.number] == ["ZG-2026-0001", "ZG-2026-0002", "ZG-2026-0003"]
    assert earlier_year.number == "ZG-2025-0001"


def test_a_number_given_by_hand_is_skipped_by_the_sequence(people, structure):
    kw = {"lead_unit": structure["sthj"], "registered_on": dt.date(2026, 3, 1)}
    _register(people["coordinator"], number="ZG-2026-0002", **kw)

    numbers = [_register(people["coordinator"], **kw).number for _ in range(2)]

    assert numbers == ["ZG-2026-0001", "ZG-2026-0003"]


def test_a_duplicate_number_is_refused(people, structure):
    _register(people["coordinator"], lead_unit=structure["sthj"], number="BY-FK-2024-017")

    with pytest.raises(ServiceError) as refused:
        _register(people["coordinator"], lead_unit=structure["sthj"], number="BY-FK-2024-017")

    assert "number" in refused.value.message_dict
    assert Problem.objects.filter(number="BY-FK-2024-017").count() == 1


def test_registration_date_defaults_to_today(people, structure, clock):
    problem = _register(people["coordinator"], lead_unit=structure["sthj"])
    assert problem.registered_on == clock.today
    assert problem.number.startswith(f"ZG-{clock.today.year}-")


def test_unit_staff_may_register_only_self_inspection_problems(people, structure):
    with pytest.raises(ServiceError) as refused:
        _register(people["water"], lead_unit=structure["swj"], source=ProblemSource.FEEDBACK)
    assert "单位只能登记自查自纠问题" in str(refused.value.message_dict["source"])
    assert _register(people["water"], lead_unit=structure["swj"]).source == ProblemSource.SELF_INSPECTION
    assert _register(people["coordinator"], lead_unit=structure["swj"], source=ProblemSource.FEEDBACK).pk
