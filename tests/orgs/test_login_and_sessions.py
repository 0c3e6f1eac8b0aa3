"""Logging in: bilingual refusals, throttling after repeated failures, idle sessions expire, CSRF enforced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import LoginAttempt

LOGIN = reverse("login")
HOME = reverse("dashboard:home")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def login_error(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="login-error"')
    return page[page.index(">", start) + 1 : page.index("</div>", start)]


def test_the_right_password_opens_the_home_page_and_is_logged(client, people):
    response = attempt(client, "sanyuanli", "pw-Baiyun-2026")
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    entry = ActionLog.objects.get(action="auth.login.succeeded")
    assert entry.actor == people["sanyuanli"] and entry.payload["username"] == "sanyuanli"
    assert LoginAttempt.objects.get().succeeded


def test_a_wrong_password_is_refused_and_logged(client, people):
    response = attempt(client, "sanyuanli", "wrong-password")
    assert response.status_code == 200
    assert login_error(response) == "用户名或密码错误。"
    assert 'value="sanyuanli"' in response.content.decode()  # the user name stays in the box
    entry = ActionLog.objects.get(action="auth.login.failed")
    assert entry.actor is None and entry.payload == {"username": "sanyuanli", "ip": "127.0.0.1"}
    assert client.get(HOME).status_code == 302  # still not logged in


def test_an_unknown_user_name_gets_the_same_message(client, people):
    response = attempt(client, "no-such-person", "whatever")
    assert login_error(response) == "用户名或密码错误。"
    assert ActionLog.objects.get(action="auth.login.failed").object_repr == "no-such-person"


def test_after_repeated_failures_even_the_right_password_is_refused_until_the_window_passes(client, people):
    limit = settings.LOGIN_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit):
        assert "用户名或密码错误" in login_error(attempt(client, "sanyuanli", "wrong"))
    refused = attempt(client, "sanyuanli", "pw-Baiyun-2026")
    message = login_error(refused)
    minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
    assert (
        message
        == f"登录失败次数过多，请 {minutes} 分钟后再试。"
    )
    assert client.get(HOME).status_code == 302
    assert ActionLog.objects.filter(action="auth.login.throttled").count() == 1

    # The window passes: the failures are now older than it.
    past = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    LoginAttempt.objects.update(at=past)
    assert attempt(client, "sanyuanli", "pw-Baiyun-2026").status_code == 302
    assert client.get(HOME).status_code == 200


def test_fewer_failures_than_the_limit_do_not_lock_anyone_out(client, people):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        attempt(client, "sanyuanli", "wrong")
    assert attempt(client, "sanyuanli", "pw-Baiyun-2026").status_code == 302


def test_throttling_one_name_does_not_lock_out_colleagues(client, people):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "sanyuanli", "wrong")
    assert attempt(Client(), "jingtai", "pw-Baiyun-2026").status_code == 302


def test_an_idle_session_expires_and_leads_back_to_the_login_page(client, people):
    attempt(client, "sanyuanli", "pw-Baiyun-2026")
    assert client.get(HOME).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def _renewed_long_ago(client):
    session = client.session
    session["_idle_renewed"] = 0
    session.save()


def test_activity_restarts_the_idle_clock(client, people):
    attempt(client, "sanyuanli", "pw-Baiyun-2026")
    _renewed_long_ago(client)
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))  # nearly idle too long
    before = timezone.now()
    assert client.get(HOME).status_code == 200
    expiry = Session.objects.get().expire_date
    assert expiry >= before + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_requests_in_quick_succession_do_not_rewrite_the_session(client, people):
    attempt(client, "sanyuanli", "pw-Baiyun-2026")
    client.get(HOME)  # renews once after logging in
    expiry = Session.objects.get().expire_date
    client.get(HOME)
    assert Session.objects.get().expire_date == expiry


def test_sessions_last_a_working_day_at_most_and_end_with_the_browser():
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.ECOINSPECT_SESSION_REFRESH_SECONDS <= 600


def test_a_page_form_posted_without_the_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["coordinator"])
    response = client.post(reverse("orgs:workday_list"), {"date": "2026-02-16", "is_workday": "on"})
    assert response.status_code == 403
    from ecoinspect.common.models import WorkdayOverride

    assert not WorkdayOverride.objects.exists()


def test_the_login_form_itself_needs_the_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "sanyuanli", "password": "pw-Baiyun-2026"}).status_code == 403
    page = client.get(LOGIN)
    token = page.cookies["csrftoken"].value
    response = client.post(
        LOGIN, {"username": "sanyuanli", "password": "pw-Baiyun-2026", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url_name", ["dashboard:home", "orgs:unit_list", "orgs:profile", "notifications:inbox"]
)
def test_a_person_without_a_unit_sees_one_clear_page(client, people, url_name):
    client.force_login(people["nobody"])
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="no-membership"' in page and "尚未分配单位" in page
    entry = ActionLog.objects.get(action="orgs.access.no_membership")
    assert entry.actor == people["nobody"] and entry.payload == {"path": reverse(url_name)}


def test_the_missing_unit_is_logged_once_per_session(client, people):
    client.force_login(people["nobody"])
    for _ in range(3):
        client.get(HOME)
    assert ActionLog.objects.filter(action="orgs.access.no_membership").count() == 1


def test_a_person_without_a_unit_can_still_log_out(client, people):
    client.force_login(people["nobody"])
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(HOME).status_code == 302


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("orgs:unit_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
