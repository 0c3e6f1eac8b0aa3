"""Issue #8 part 2: a problem whose place is outside the district is flagged when it is registered or imported
(every way in), shown as such, and not closed or disclosed as Baiyun's before the office records a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.core.workflow import TransitionIncomplete
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import ProblemStatus
from ecoinspect.ledger.models import Problem
from tests.factories import ProblemFactory, reload
from tests.ledger.test_one_town_rule import PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "media_root")]

JIUJIANG = "佛山市南海区九江镇沙头村"
MONDAY_BEFORE_NATIONAL_DAY = dt.date(2026, 9, 28)


def test_every_way_in_flags_a_place_outside_the_district(people, units):
    for n, path in enumerate(PATHS, start=1):
        problem = path(people, units, f"OUT-{n}", JIUJIANG, "五金厂夜间排放废气")
        problem.refresh_from_db()
        assert problem.outside_district, path.__name__
        assert problem.town is None
        assert "不在白云区（南海区）" in problem.routing_reason, path.__name__


def test_a_place_in_the_district_is_not_flagged(people, units):
    problem = PATHS[2](people, units, "IN-1", "广州市白云区钟落潭镇长沙埗村", "五金厂夜间排放废气")
    problem.refresh_from_db()
    assert not problem.outside_district and problem.town.code == "zhongluotan"


def _publish(people, problem):
    return svc.publicity_start(
        actor=people["publisher"],
        problem=reload(problem),
        starts_on=MONDAY_BEFORE_NATIONAL_DAY,
        period="10_workdays",
        channel="白云区人民政府网站“督察整改”专栏",
        objection_phone="020-36363636",
    )


def test_no_publicity_or_closing_before_a_decision(people, clock):
    problem = ProblemFactory(status=ProblemStatus.ACCEPTED)
    Problem.objects.filter(pk=problem.pk).update(outside_district=True)
    clock.set(MONDAY_BEFORE_NATIONAL_DAY)
    with pytest.raises(TransitionIncomplete) as refused:
        _publish(people, problem)
    assert "疑似不在白云区" in str(refused.value)
    with pytest.raises(ServiceError):
        svc.problem_decide_district(actor=people["coordinator"], problem=reload(problem), keep=True, reason=" ")
    svc.problem_decide_district(
        actor=people["coordinator"], problem=reload(problem), keep=False, reason="属佛山市南海区九江镇，已转交"
    )
    with pytest.raises(TransitionIncomplete) as refused:
        _publish(people, problem)
    assert "不属本区" in str(refused.value)
    svc.problem_decide_district(
        actor=people["coordinator"], problem=reload(problem), keep=True, reason="核实为白云区江高镇辖内，地址笔误"
    )
    _publish(people, problem)
    clock.set(dt.date(2026, 10, 16))
    closed = svc.problem_close(actor=people["publisher"], problem=reload(problem))
    assert closed.status == ProblemStatus.CLOSED
    logged = ActionLog.objects.filter(action="ledger.problem.district_decided", object_id=str(problem.pk))
    assert [e.payload["decision"] for e in logged.order_by("pk")] == ["not_ours", "keep"]


def test_only_the_office_decides_and_the_page_shows_the_flag(people, client):
    def as_user(person):
        client.force_login(person)
        return client

    problem = ProblemFactory(status=ProblemStatus.RECTIFYING)
    Problem.objects.filter(pk=problem.pk).update(outside_district=True)
    with pytest.raises(NotPermitted):
        svc.problem_decide_district(actor=people["water"], problem=reload(problem), keep=True, reason="x")
    page = as_user(people["coordinator"]).get(problem.get_absolute_url()).content.decode()
    assert "疑似不在本区" in page and reverse("ledger:problem_district", args=[problem.pk]) in page
    response = as_user(people["coordinator"]).post(
        reverse("ledger:problem_district", args=[problem.pk]), {"keep": "1", "reason": "核实属白云区"}
    )
    assert response.status_code == 302
    assert reload(problem).district_decision == "keep"
    listing = as_user(people["coordinator"]).get(reverse("ledger:problem_list")).content.decode()
    assert problem.number in listing


def test_a_tie_in_the_matrix_is_proposed_as_a_tie(structure):
    proposal = svc.routing_propose(title="工地旁边有人烧烤")  # 工地 (住建) and 烧烤 (城管) score alike
    assert proposal.lead_unit is None
    assert {u.code for u in proposal.alternatives} == {"zjj", "cgzf"}
    assert "三管三必须并列" in proposal.reasons[0] and "问题描述中含关键词" in proposal.reasons[0]


def test_the_messages_name_the_configured_district(people, units, clock, client, settings):
    """No message hard-codes 白云区: the district's name is the one configured (ECOINSPECT_DISTRICT_NAME)."""
    settings.ECOINSPECT_DISTRICT_NAME = "测试区"
    problem = PATHS[2](people, units, "OUT-9", JIUJIANG, "五金厂夜间排放废气")
    problem.refresh_from_db()
    assert "不在测试区（南海区）" in problem.routing_reason and "白云区（南海区）" not in problem.routing_reason
    accepted = ProblemFactory(status=ProblemStatus.ACCEPTED)
    Problem.objects.filter(pk=accepted.pk).update(outside_district=True)
    clock.set(MONDAY_BEFORE_NATIONAL_DAY)
    with pytest.raises(TransitionIncomplete) as refused:
        _publish(people, accepted)
    assert "疑似不在测试区" in str(refused.value)
    client.force_login(people["coordinator"])
    page = client.get(reverse("ledger:problem_district", args=[accepted.pk])).content.decode()
    assert "系统判断该问题地点疑似不在测试区" in page
    proposal = client.get(reverse("ledger:routing_proposal"), {"address": JIUJIANG}).content.decode()
    assert "不在测试区（南海区）" in proposal
