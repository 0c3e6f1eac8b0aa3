"""Log-in throttling that protects accounts without locking out an office behind one address (issue #10: 20
failed log-ins from one address locked out everyone behind that NAT for 15 minutes).

Per user name: 5 failures in 15 minutes lock that name, from anywhere. Per address: failures for 10
*different* names within 5 minutes lock the address for those 5 minutes — someone trying names. One person's
failures, however many, count once; refused attempts are not counted at all.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import LoginAttempt

LOGIN = reverse("login")
HOME = reverse("dashboard:home")
PASSWORD = "pw-Baiyun-2026"
OFFICE = "10.20.30.40"  # the address a subdistrict office's NAT shows the server


def attempt(username: str, password: str, address: str = OFFICE):
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def login_error(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="login-error"')
    return page[page.index(">", start) + 1 : page.index("</div>", start)].strip()


def age_attempts(seconds: int) -> None:
    LoginAttempt.objects.update(at=timezone.now() - dt.timedelta(seconds=seconds))


def test_the_settings_say_what_the_rules_are():
    assert settings.LOGIN_FAILURE_LIMIT == 5 and settings.LOGIN_FAILURE_WINDOW_SECONDS == 900
    assert settings.LOGIN_FAILURE_IP_LIMIT == 10 and settings.LOGIN_FAILURE_IP_WINDOW_SECONDS == 300


def test_twenty_failures_by_one_person_do_not_lock_out_a_colleague_behind_the_same_nat(people):
    for _ in range(20):
        attempt("sanyuanli", "wrong-password")
    refused = attempt("sanyuanli", PASSWORD)
    assert login_error(refused) == "登录失败次数过多，请 15 分钟后再试。"  # that account is protected

    colleague = attempt("jingtai", PASSWORD)
    assert colleague.status_code == 302 and colleague["Location"] == HOME
    # 5 failures counted; the 15 attempts refused unread were logged for the auditor but not counted
    assert LoginAttempt.objects.filter(succeeded=False).count() == 5
    assert ActionLog.objects.filter(action="auth.login.throttled").count() == 16
    # …and typing the same name in other case is the same name, refused, and not counted
    for name in ("Sanyuanli", "SANYUANLI"):
        attempt(name, "wrong-password")
    assert attempt("taihe", PASSWORD).status_code == 302


def test_thirty_different_names_from_one_address_lock_that_address_for_five_minutes(people):
    for i in range(30):
        attempt(f"guess{i:02d}", "123456")

    refused = attempt("jingtai", PASSWORD)  # the right password: still refused from this address
    message = login_error(refused)
    assert message == (
        "登录失败次数过多：近 5 分钟内，从您所在的网络地址有 10 个以上不同账号登录失败，已暂停从该地址登录。"
        "请 5 分钟后再试；如多人共用此网络出口，请联系区督察迎检办。"
    )
    assert refused.status_code == 200 and Client().get(HOME).status_code == 302
    assert attempt("jingtai", PASSWORD, address="10.20.30.99").status_code == 302  # another address

    age_attempts(settings.LOGIN_FAILURE_IP_WINDOW_SECONDS + 1)  # the short window passes
    assert attempt("jingtai", PASSWORD).status_code == 302


def test_the_message_counts_down_the_minutes_left(people):
    for _ in range(5):
        attempt("sanyuanli", "wrong-password")
    age_attempts(10 * 60)
    assert login_error(attempt("sanyuanli", PASSWORD)) == "登录失败次数过多，请 5 分钟后再试。"


def test_trying_again_while_locked_does_not_prolong_the_lock(people):
    for _ in range(5):
        attempt("sanyuanli", "wrong-password")
    failures = list(LoginAttempt.objects.values_list("pk", flat=True))
    age_attempts(14 * 60)
    for _ in range(3):
        assert login_error(attempt("sanyuanli", PASSWORD)) == "登录失败次数过多，请 1 分钟后再试。"
    # the minute passes: the five failures are out of the window, whatever happened during the lock
    LoginAttempt.objects.filter(pk__in=failures).update(at=timezone.now() - dt.timedelta(seconds=901))
    assert attempt("sanyuanli", PASSWORD).status_code == 302


def test_the_api_and_the_admin_obey_the_address_rule_too(people):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    for i in range(10):
        attempt(f"guess{i}", "123456")
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=OFFICE)
    assert authenticate(request, username="jingtai", password=PASSWORD) is None
    other = RequestFactory().post(LOGIN, REMOTE_ADDR="10.20.30.99")
    assert authenticate(other, username="jingtai", password=PASSWORD) == people["jingtai"]
