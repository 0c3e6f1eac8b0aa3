"""Demo data: Baiyun's real units, invented people (clearly marked as demo), one per role.

Apps add their own demo data by defining ``ecoinspect.<app>.demo.load(stdout)``; ``ecoinspect demo load``
runs them in the order of INSTALLED_APPS after the people exist. Every loader must be idempotent.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

DEMO_PASSWORD = "Baiyun@2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    unit_code: str
    role: str
    description: str


DEMO_LOGINS = (
    DemoLogin("coordinator", "陈迎检（演示）", "yingjianban", "coordinator", "区督察迎检办 协调员"),
    DemoLogin("leader", "林区长（演示）", "baiyun", "leader", "区领导"),
    DemoLogin("water", "黄水务（演示）", "swj", "staff", "区水务局 经办人（区直部门）"),
    DemoLogin("sanyuanli", "李街道（演示）", "sanyuanli", "staff", "三元里街道 经办人（街道）"),
    DemoLogin("taihe", "张镇（演示）", "taihe", "staff", "太和镇 经办人（镇）"),
    DemoLogin("reviewer", "周验收（演示）", "sthj", "reviewer", "生态环境分局 验收销号人员"),
    DemoLogin("publisher", "吴公开（演示）", "yingjianban", "publisher", "信息公开发布人"),
    DemoLogin("auditor", "郑纪检（演示）", "baiyun", "auditor", "纪检监督（只读，可查审计日志）"),
)


def load_people(stdout=None) -> int:
    """Create the demo users and memberships if missing; returns how many users were created."""
    from django.db import transaction

    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append
    from ecoinspect.orgs.models import Membership, Unit, User

    created = 0
    with transaction.atomic(), acting_as(None):
        for login in DEMO_LOGINS:
            user, was_created = User.objects.get_or_create(
                username=login.username, defaults={"full_name": login.full_name}
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                created += 1
            Membership.objects.get_or_create(
                user=user, unit=Unit.objects.get(code=login.unit_code), role=login.role
            )
        if created:
            action_log_append(action="common.demo.loaded", payload={"users_created": created})
    return created


def logins_table() -> str:
    width = max(len(login.username) for login in DEMO_LOGINS)
    from django.utils.translation import gettext as _

    lines = [_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD}]
    for login in DEMO_LOGINS:
        lines.append(f"  {login.username.ljust(width)}  {login.description}")
    return "\n".join(lines)


# --- helpers for the apps' demo loaders -------------------------------------------------------------------


def demo_person(username: str, full_name: str, unit, role: str):
    """A demo actor of a unit (made once, with an unusable password: an actor in the timelines, not a
    log-in), holding ``role`` there."""
    from ecoinspect.orgs.models import Membership, User

    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


@contextlib.contextmanager
def simulated_clock():
    """Point ``django.utils.timezone.now`` at ``clock.now`` while a demo replays its history, so that the
    services stamp each event with its simulated moment; the real clock is restored afterwards."""
    from unittest import mock

    from django.utils import timezone

    class Clock:
        now = timezone.now()

    clock = Clock()
    with mock.patch.object(timezone, "now", lambda: clock.now):
        yield clock


@contextlib.contextmanager
def relaxed_sqlite_sync():
    """On SQLite (WAL), commit without waiting for the disk while a demo loads: each simulated day is a
    transaction and every notification sent after it commits on its own, many small commits that would
    otherwise each wait for fsync. The previous setting is restored afterwards."""
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        previous = cursor.execute("PRAGMA synchronous").fetchone()[0]
        cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(previous)}")
