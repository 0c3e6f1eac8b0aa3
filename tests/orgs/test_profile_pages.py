"""One's own profile: units and roles, one's own password, API tokens."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import ApiToken

URL = reverse("orgs:profile")


def test_the_profile_shows_ones_own_units_and_roles(login, people):
    page = login(people["reviewer"]).get(URL).content.decode()
    assert "广州市生态环境局白云分局" in page and "验收销号人员" in page
    assert "对本单位负责验收的事项验收或退回" in page


def test_a_person_changes_their_own_password_and_stays_logged_in(login, people):
    client = login(people["taihe"])
    response = client.post(
        URL,
        {
            "form": "password",
            "old_password": "pw-Baiyun-2026",
            "password": "Taihe#New2026",
            "password2": "Taihe#New2026",
        },
    )
    assert response.status_code == 302
    assert client.get(URL).status_code == 200  # the session survives the change
    entry = ActionLog.objects.get(action="orgs.user.password_set")
    assert entry.payload == {"by_self": True} and entry.actor == people["taihe"]
    assert (
        Client().post(reverse("login"), {"username": "taihe", "password": "Taihe#New2026"}).status_code == 302
    )


def test_a_wrong_current_password_changes_nothing(login, people):
    client = login(people["taihe"])
    response = client.post(
        URL,
        {
            "form": "password",
            "old_password": "guess",
            "password": "Taihe#New2026",
            "password2": "Taihe#New2026",
        },
    )
    assert response.status_code == 200
    assert (
        "原密码不正确" in response.content.decode()
    )
    people["taihe"].refresh_from_db()
    assert people["taihe"].check_password("pw-Baiyun-2026")
    assert not ActionLog.objects.filter(action="orgs.user.password_set").exists()


def test_a_token_is_shown_once_and_works_for_the_api_until_revoked(login, people):
    client = login(people["water"])
    page = client.post(URL, {"form": "token", "name": "河长制平台对接", "days": 30}).content.decode()
    raw = re.search(r'data-testid="new-token">([^<]+)<', page).group(1)
    token = ApiToken.objects.get(user=people["water"])
    assert token.name == "河长制平台对接" and raw.startswith("eco_") and raw[4:12] == token.prefix
    assert raw not in client.get(URL).content.decode()  # never shown again
    assert raw not in token.key_hash  # only a hash is kept

    api = Client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["username"] == "water"

    assert client.post(reverse("orgs:apitoken_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert [
        e.action for e in ActionLog.objects.filter(action__startswith="orgs.apitoken.").order_by("seq")
    ] == [
        "orgs.apitoken.created",
        "orgs.apitoken.revoked",
    ]


def test_an_invalid_token_request_keeps_the_name_typed(login, people):
    page = login(people["water"]).post(URL, {"form": "token", "name": "对接测试", "days": 0}).content.decode()
    assert 'value="对接测试"' in page
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(login, people, api_token):
    raw = api_token(people["water"])
    token = ApiToken.objects.get(user=people["water"])
    for person in ("housing", "coordinator"):
        assert login(people[person]).post(reverse("orgs:apitoken_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
