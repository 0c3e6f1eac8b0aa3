"""During a reading request (GET/HEAD) the answer to "may this person … this record?" is asked of the
database once; a writing request asks every time — after a re-routing the answer is the new one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ecoinspect.core.middleware import ReadingRequestMiddleware
from ecoinspect.core.permissions import has_perm
from tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _served(method: str, user, problem, reroute_to=None):
    """Ask twice (re-routing the problem in between, when told to); the answers and the queries they cost."""
    answers = []

    def view(request):
        answers.append(has_perm(user, "ledger.work", problem))
        if reroute_to is not None:
            type(problem).objects.filter(pk=problem.pk).update(lead_unit=reroute_to)
        answers.append(has_perm(user, "ledger.work", problem))
        return HttpResponse()

    request = getattr(RequestFactory(), method.lower())("/")
    has_perm(user, "ledger.view")  # the person's scope read first, as any page does
    with CaptureQueriesContext(connection) as queries:
        ReadingRequestMiddleware(view)(request)
    return answers, len(queries)


def test_a_reading_request_asks_the_database_once(structure, people):
    problem = ProblemFactory(minimal=True, lead_unit=structure["swj"])
    answers, queries = _served("GET", people["water"], problem)
    assert answers == [True, True] and queries == 1


def test_a_writing_request_asks_every_time_and_sees_the_move(structure, people):
    problem = ProblemFactory(minimal=True, lead_unit=structure["swj"])
    answers, queries = _served("POST", people["water"], problem, reroute_to=structure["zjj"])
    assert answers == [True, False] and queries == 3  # two checks and the move between them


def test_nothing_is_remembered_after_the_request(structure, people):
    problem = ProblemFactory(minimal=True, lead_unit=structure["swj"])
    _served("GET", people["water"], problem)
    type(problem).objects.filter(pk=problem.pk).update(lead_unit=structure["zjj"])
    assert has_perm(people["water"], "ledger.work", problem) is False
