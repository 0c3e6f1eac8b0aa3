"""Old one-time form keys are forgotten by ``ecoinspect submissions prune``; recent ones keep guarding."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ecoinspect.core.models import Submission
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def _sent(days_ago: float) -> Submission:
    submission = SubmissionFactory()
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return submission


def test_prune_forgets_keys_older_than_the_keeping_time_only():
    old, older, recent = _sent(8), _sent(30), _sent(6.9)
    out = StringIO()
    call_command("submissions", "prune", stdout=out)
    assert set(Submission.objects.values_list("key", flat=True)) == {recent.key}
    assert "2" in out.getvalue() and old.key != recent.key != older.key


def test_the_keeping_time_can_be_set_and_must_be_a_day_at_least():
    _sent(3), _sent(1.5)
    call_command("submissions", "prune", "--days", "2", stdout=StringIO())
    assert Submission.objects.count() == 1
    for days in ("0", "-3", "1000000"):  # a million days back is before year 1: refused in words, not a traceback
        with pytest.raises(CommandError, match="1 到 3650 天之间"):
            call_command("submissions", "prune", "--days", days, stdout=StringIO())
    assert Submission.objects.count() == 1
