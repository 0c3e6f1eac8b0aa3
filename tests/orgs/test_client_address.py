"""Throttling and the audit log see the real client, also behind a reverse proxy — and never a forged one."""

from __future__ import annotations

from django.test import RequestFactory, override_settings
from django.urls import reverse

from ecoinspect.orgs.auth import client_ip
from ecoinspect.orgs.models import SectorDuty


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_a_client_cannot_choose_its_address_by_header():
    assert client_ip(request_from("10.1.2.3", "8.8.8.8")) == "10.1.2.3"


@override_settings(ECOINSPECT_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_the_proxy_saw_is_used_not_what_the_client_claimed():
    # The client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the address it saw, 172.16.0.9.
    assert client_ip(request_from("127.0.0.1", "1.1.1.1, 172.16.0.9")) == "172.16.0.9"


@override_settings(ECOINSPECT_TRUSTED_PROXIES=1, LOGIN_FAILURE_IP_LIMIT=3, LOGIN_FAILURE_LIMIT=50)
def test_behind_a_proxy_one_noisy_address_does_not_lock_out_the_district(client, people):
    url = reverse("login")
    for attempt in range(3):
        client.post(
            url,
            {"username": f"guess{attempt}", "password": "x"},
            HTTP_X_FORWARDED_FOR="10.0.0.66",
            REMOTE_ADDR="127.0.0.1",
        )
    refused = client.post(
        url,
        {"username": "sanyuanli", "password": "pw-Baiyun-2026"},
        HTTP_X_FORWARDED_FOR="10.0.0.66",
        REMOTE_ADDR="127.0.0.1",
    )
    assert "登录失败次数过多" in refused.content.decode()
    colleague = client.post(
        url,
        {"username": "sanyuanli", "password": "pw-Baiyun-2026"},
        HTTP_X_FORWARDED_FOR="10.0.0.77",
        REMOTE_ADDR="127.0.0.1",
    )
    assert colleague.status_code == 302  # another desk behind the same proxy still logs in


def test_a_duplicate_duty_is_refused_in_both_languages_and_the_input_kept(login, people, structure):
    existing = SectorDuty.objects.first()
    response = login(people["coordinator"]).post(
        reverse("orgs:sectorduty_create"),
        {
            "sector": existing.sector,
            "department": existing.department_id,
            "keywords": "新关键词",
            "sort_order": 5,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "该行业/领域已分配给此部门" in html
    assert "新关键词" in html
