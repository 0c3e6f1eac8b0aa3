"""The places page (/orgs/places/): everyone reads and tries the matcher; the inspection office adds and edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import Place


def test_the_list_filters_searches_and_tries_the_matcher(login, people, structure):
    client = login(people["taihe"])
    response = client.get(reverse("orgs:place_list"), {"town": "zhongluotan", "q": "长沙埗"})
    html = response.content.decode()
    assert response.status_code == 200 and "长沙埗村" in html and "蚌湖社区" not in html
    tried = client.get(reverse("orgs:place_list"), {"try_address": "佛山市南海区九江镇"}).content.decode()
    assert "不在白云区（南海区）" in tried


def test_the_coordinator_adds_and_edits_an_entry_with_its_source(login, people, structure):
    client = login(people["coordinator"])
    response = client.post(
        reverse("orgs:place_create"),
        {
            "code": "t-park",
            "name": "测试工业园",
            "kind": "park",
            "town_codes": "taihe",
            "district": "白云区",
            "aliases": "",
            "source": "",
            "note": "",
        },
    )
    assert (
        response.status_code != 302 and not Place.objects.filter(code="t-park").exists()
    )  # no source: refused
    response = client.post(
        reverse("orgs:place_create"),
        {
            "code": "t-park",
            "name": "测试工业园",
            "kind": "park",
            "town_codes": "taihe",
            "district": "白云区",
            "aliases": "",
            "source": "区工信局村级工业园名录（测试）",
            "note": "",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(code="t-park")
    response = client.post(
        reverse("orgs:place_edit", args=[place.pk]),
        {
            "name": "测试工业园",
            "kind": "park",
            "town_codes": "renhe",
            "district": "白云区",
            "aliases": "测试园",
            "source": place.source,
            "note": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.town_codes == "renhe" and place.aliases == "测试园"
    assert ActionLog.objects.filter(action__in=["orgs.place.created", "orgs.place.updated"]).count() == 2


@pytest.mark.parametrize("person", ["taihe", "auditor", "leader"])
def test_others_read_but_cannot_add_or_edit(login, people, structure, person):
    client = login(people[person])
    assert client.get(reverse("orgs:place_list")).status_code == 200
    place = Place.objects.get(code="zhongluotan-v01")
    assert client.get(reverse("orgs:place_edit", args=[place.pk])).status_code in (403, 404)
    client.post(reverse("orgs:place_create"), {"code": "t-x", "name": "x", "kind": "park", "source": "x"})
    assert not Place.objects.filter(code="t-x").exists()
