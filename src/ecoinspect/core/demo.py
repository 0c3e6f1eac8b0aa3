"""Demo data: Baiyun's real units, invented people (clearly marked as demo), one per role.

Apps add their own demo data by defining ``ecoinspect.<app>.demo.load(stdout)``; ``ecoinspect demo load``
runs them in the order of INSTALLED_APPS after the people exist. Every loader must be idempotent.
"""

from __future__ import annotations

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
