"""The demo ledger: `ecoinspect demo load` fills every state through the services, and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.common.choices import ProblemType
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import HandlingMode, ProblemSource, ProblemStatus, WarningLevel
from ecoinspect.ledger.models import (
    Acceptance,
    Evidence,
    JointAction,
    Measure,
    Problem,
    ProgressReport,
    Publicity,
    SpecialPlan,
    SupervisionNotice,
)
from ecoinspect.ledger.selectors import problem_list
from ecoinspect.orgs.models import Unit, User

pytestmark = pytest.mark.django_db

COUNTED = (
    Problem,
    Measure,
    ProgressReport,
    Evidence,
    SpecialPlan,
    JointAction,
    Acceptance,
    Publicity,
    SupervisionNotice,
)


def _counts():
    return {model.__name__: model.objects.count() for model in (*COUNTED, ActionLog, ChangeLog, User)}


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    began = time.monotonic()
    call_command("demo", "load", stdout=out)
    return {"seconds": time.monotonic() - began, "output": out.getvalue()}


def test_the_demo_ledger_covers_every_state_and_a_second_load_changes_nothing(loaded):
    demo = Problem.objects.filter(title__startswith="【演示】")
    today = timezone.localdate()

    # a few hundred problems, every one marked as demo
    assert 200 <= demo.count() == Problem.objects.count() <= 400
    assert "整改台账演示数据：" in loaded["output"]

    # every state, reopened ones included, and every source, handling mode and problem type
    states = Counter(demo.values_list("status", flat=True))
    assert set(states) == set(ProblemStatus.values()), states
    assert demo.filter(cycle=2, status=ProblemStatus.RECTIFYING).exists()
    assert set(demo.values_list("source", flat=True)) == set(ProblemSource.values())
    assert set(demo.values_list("handling_mode", flat=True)) == set(HandlingMode.values())
    types = {t for types in demo.values_list("problem_types", flat=True) for t in types}
    assert types >= set(ProblemType.values()) - {"other"}

    # warnings of every colour today, computed as the list page does
    colours = Counter(
        problem_list(user=User.objects.get(username="leader")).values_list("warning", flat=True)
    )
    assert all(colours[level] > 0 for level in WarningLevel.values()), colours

    # across Baiyun's real units: every department, town and subdistrict leads some problems
    leads = set(demo.values_list("lead_unit__code", flat=True))
    working_units = set(
        Unit.objects.filter(kind__in=("department", "town", "subdistrict")).values_list("code", flat=True)
    )
    assert leads >= working_units

    # key problems with approved plans, complex ones with joint actions, and the rest of the life of a problem
    assert demo.filter(is_key=True, plans__status="approved").exists()
    assert demo.filter(is_complex=True, joint_actions__isnull=False).exists()
    assert Measure.objects.filter(done_on__isnull=False).exists()
    assert (
        Acceptance.objects.filter(passed=False).exists() and Acceptance.objects.filter(passed=True).exists()
    )
    assert Publicity.objects.filter(objection_received=True).exists()
    assert SupervisionNotice.objects.values("status").distinct().count() == 3
    for problem in demo.filter(status=ProblemStatus.CLOSED)[:20]:
        assert problem.closed_at.date() > problem.publicities.latest("pk").ends_on

    # the history is spread over the last months and nothing is dated in the future
    registered = list(demo.values_list("registered_on", flat=True))
    assert min(registered) < today - dt.timedelta(days=150) and max(registered) <= today
    assert not ActionLog.objects.filter(created_at__gt=dt.datetime.now(dt.UTC)).exists()
    assert ActionLog.objects.filter(action="ledger.problem.registered").count() == demo.count()

    # evidence: real files, images and PDFs, each still hashing to what was logged
    evidence = Evidence.objects.all()
    assert (
        evidence.filter(content_type="image/png").exists()
        and evidence.filter(content_type="application/pdf").exists()
    )
    for item in evidence.order_by("?")[:25]:
        assert svc.evidence_verify(item)

    # the audit chain verifies
    report = verify_chain()
    assert report.ok, report.message()

    # a second load changes nothing
    before = _counts()
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert _counts() == before
    assert "已存在" in out.getvalue()


def test_every_demo_address_resolves_to_the_town_it_is_written_for(structure):
    """The demo's invented addresses use real place names; none may name a place the gazetteer puts in
    another town (else the routing proposal contradicts the town the story is about)."""
    from ecoinspect.ledger.demo.places import PLACES
    from ecoinspect.orgs.gazetteer import PlaceMatcher

    matcher = PlaceMatcher()
    wrong = {}
    for code, (places, _rivers) in PLACES.items():
        town = Unit.objects.get(code=code)
        for place in places:
            found = matcher.match_place(address=f"广州市白云区{town.short_name}{place}")
            if found.town != town:
                wrong[f"{town.short_name}{place}"] = found.reason
    assert not wrong, wrong
