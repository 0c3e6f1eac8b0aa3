"""Races in the petitions app, with real threads on real connections (tests/concurrency.py): a return
visit, a typed-in case and the unit's handling sent twice at the same moment are written once, the second
sending is answered with the first one's page and "已提交过"; the same acceptance number registered twice at
once is refused in words."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Petition, ReturnVisit
from ecoinspect.petitions.services import petition_register
from tests.concurrency import client_of, race, said
from tests.factories import PetitionFactory, RoundFactory
from tests.petitions.views.test_case_page import form_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("racing_db")]




def key_of(client, url) -> str:
    page = client.get(url)
    key = page.context["form"]["submission_key"].value()
    assert key and f'value="{key}"' in page.content.decode()
    return key


def test_a_return_visit_sent_twice_at_once_is_recorded_once(people):
    petition = PetitionFactory(status=S.DISCLOSED)
    coordinator = people["coordinator"]
    url = reverse("petitions:petition_visit", args=[petition.pk])
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "method": "phone",
        "satisfied": "yes",
        "note": "",
        "submission_key": key_of(client_of(coordinator), url),
    }
    clients = [client_of(coordinator) for _ in range(2)]

    outcomes = race(2, lambda i: clients[i].post(url, data))

    assert [o.error for o in outcomes] == [None, None]
    assert [o.value.status_code for o in outcomes] == [302, 302]
    assert {o.value["Location"] for o in outcomes} == {petition.get_absolute_url()}
    messages = [said(o.value) for o in outcomes]
    assert sum("已登记回访" in m for m in messages) == 1 and sum("已提交过" in m for m in messages) == 1, (
        messages
    )
    assert ReturnVisit.objects.filter(petition=petition).count() == 1


def test_a_case_typed_in_and_sent_twice_at_once_is_registered_once(people):
    rnd = RoundFactory()
    coordinator = people["coordinator"]
    url = reverse("petitions:petition_register")
    data = {
        "round": rnd.pk,
        "acceptance_no": "D3GD202311250099",
        "complaint_text": "江高镇某河涌发黑发臭，有污水直排。",
        "region_text": "广州市白云区",
        "received_on": "2023-11-25",
        "channel": "phone",
        "submission_key": key_of(client_of(coordinator), url),
    }
    clients = [client_of(coordinator) for _ in range(2)]

    outcomes = race(2, lambda i: clients[i].post(url, data))

    assert [o.error for o in outcomes] == [None, None]
    petition = Petition.objects.get(acceptance_no="D3GD202311250099")
    assert [o.value["Location"] for o in outcomes] == [petition.get_absolute_url()] * 2
    assert sum("已提交过" in said(o.value) for o in outcomes) == 1


def test_one_acceptance_number_registered_twice_at_once_is_refused_in_words(people):
    rnd = RoundFactory()
    coordinator = people["coordinator"]

    def register(i):
        return petition_register(
            actor=coordinator,
            round=rnd,
            acceptance_no="D3GD202311250100",
            complaint_text=f"第 {i} 次登记",
            received_on=timezone.localdate(),
        )

    outcomes = race(2, register)

    assert sum(o.ok for o in outcomes) == 1
    refused = next(o.error for o in outcomes if not o.ok)
    assert "D3GD202311250100" in " ".join(refused.messages) and "已存在" in " ".join(refused.messages), (
        refused
    )
    assert Petition.objects.filter(round=rnd).count() == 1


def test_the_handling_sent_twice_at_once_is_saved_once_and_the_second_is_told_so_not_blamed_on_others(people):
    petition = PetitionFactory(status=S.VERIFYING)
    water = people["water"]
    url = reverse("petitions:petition_handling", args=[petition.pk])
    data = {
        **form_data(client_of(water).get(url).content.decode()),
        "claims-0-text": "小区污水直排河涌",
        "claims-0-finding": "发现雨污混接",
        "claims-0-verdict": "true",
        "claims-TOTAL_FORMS": "1",
        "investigation": "现场核查。",
        "save": "1",
    }
    assert data["submission_key"]
    clients = [client_of(water) for _ in range(2)]

    outcomes = race(2, lambda i: clients[i].post(url, data))

    assert [o.error for o in outcomes] == [None, None]
    assert [o.value.status_code for o in outcomes] == [302, 302]
    messages = [said(o.value) for o in outcomes]
    assert (
        sum("办理情况已保存" in m for m in messages) == 1 and sum("已提交过" in m for m in messages) == 1
    ), messages
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.investigation == "现场核查。" and petition.claims.count() == 1
