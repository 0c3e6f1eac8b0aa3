"""The demo inspection month: loaded through the services (a smaller month in the test settings, the same
code), in every state, marked as demo, with repeats, stage closures and return visits; a second load
changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.core.demo import load_people
from ecoinspect.orgs.models import User
from ecoinspect.petitions import demo, hotspots, stats
from ecoinspect.petitions.choices import ClosureStatus, Origin, PetitionStatus
from ecoinspect.petitions.models import Assignment, InspectionRound, Petition, ReturnVisit, TransferBatch
from ecoinspect.petitions.selectors import figures_queryset

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(structure):
    call_command("orgs", "load-structure", stdout=io.StringIO())
    load_people()
    out = io.StringIO()
    counts = demo.load(out)
    return {"counts": counts, "output": out.getvalue()}


def _counts():
    return {m.__name__: m.objects.count() for m in (Petition, Assignment, ReturnVisit, TransferBatch, ActionLog, ChangeLog, User)}


def test_the_demo_month_is_in_every_state_through_the_services_and_loads_once(loaded):
    cases = Petition.objects.all()
    today = timezone.localdate()
    # every case marked, every state reached, the counts said
    assert cases.exists() and all(t.startswith("【演示】") for t in cases.values_list("complaint_text", flat=True))
    assert set(cases.values_list("status", flat=True)) == set(PetitionStatus.values())
    assert "信访件演示数据" in loaded["output"] and str(cases.count()) in loaded["output"]

    # a round stationed thirty days ago with a batch a day, and an earlier round's history batch
    current = InspectionRound.objects.get(is_current=True)
    assert current.name.startswith("【演示】") and current.stationed_on == today - dt.timedelta(days=30)
    assert current.batches.count() == 30 and current.batches.latest("number").received_on == today
    history = InspectionRound.objects.exclude(pk=current.pk).get()
    assert history.batches.get().origin == Origin.HISTORY and history.stationed_on < today - dt.timedelta(days=365)
    assert all(note.startswith("【演示】") for note in TransferBatch.objects.values_list("note", flat=True))

    # across the district's units, several units on some cases (一件多派)
    assert Assignment.objects.values("unit").distinct().count() >= 20
    assert Assignment.objects.filter(role="cooperating").exists()
    # repeats merged, stage closures, sent-back reports, return visits (some unsatisfied, sending the case back)
    assert cases.filter(status=PetitionStatus.MERGED, duplicate_of__isnull=False).exists()
    assert cases.filter(closure_status=ClosureStatus.STAGE_CLOSED, status=PetitionStatus.DISCLOSED).exists() or cases.filter(
        closure_status=ClosureStatus.STAGE_CLOSED, status=PetitionStatus.VERIFYING
    ).exists()
    assert ActionLog.objects.filter(action="petitions.petition.sent_back").exists()
    assert ReturnVisit.objects.filter(satisfied=True).exists() and ReturnVisit.objects.filter(satisfied=False).exists()
    assert ActionLog.objects.filter(action="petitions.petition.resumed").exists()
    assert cases.filter(problem__isnull=False).exists() and cases.filter(is_key=True).exists()

    # through the services: every case registered in the log, nothing dated after now, the chain verifies
    assert ActionLog.objects.filter(action="petitions.petition.registered").count() == cases.count()
    assert not ActionLog.objects.filter(created_at__gt=timezone.now()).exists()
    assert max(cases.values_list("received_on", flat=True)) == today
    report = verify_chain()
    assert report.ok, report.message()

    # no real personal data: people are 某某, telephone numbers visibly fake
    texts = " ".join(cases.values_list("complaint_text", flat=True))
    assert set(re.findall(r"电话 (\d{3} \d{4})", texts)) <= {"138 0000"}
    assert not re.search(r"1[3-9]\d{9}", re.sub(r"138 0000 \d{4}", "", texts).replace(" ", ""))

    # a second load changes nothing
    before = _counts()
    out = io.StringIO()
    assert demo.load(out) == {}
    assert _counts() == before and "已存在" in out.getvalue()


def test_the_demo_feeds_the_figures_and_the_hotspots(loaded, client):
    leader = User.objects.get(username="leader")
    current = InspectionRound.objects.get(is_current=True)
    rf = stats.round_figures(figures_queryset(user=leader), rnd=current, day=timezone.localdate())
    assert rf.total.received == Petition.objects.filter(round=current).count()
    assert rf.total.handled > 0 and rf.total.repeats > 0 and len(rf.batches) == 30
    assert Counter(c["key"] for c in rf.total.channels if c["count"])["phone"] == 1
    found = hotspots.hotspots(figures_queryset(user=leader), user=leader)
    assert found and any(len(h.rounds) == 2 for h in found)  # complained about in both rounds
    assert any(not h.covered for h in found)

    client.force_login(leader)
    assert client.get(reverse("petitions:figures")).status_code == 200
    page = client.get(reverse("petitions:hotspots")).content.decode()
    assert "【演示】第二轮中央生态环境保护督察" in page
