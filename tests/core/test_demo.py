"""`ecoinspect demo load`: Baiyun's units and one demo log-in per role; loading again keeps everything."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ecoinspect.orgs.choices import UnitKind
from ecoinspect.orgs.models import Membership, User


@pytest.fixture
def foundation_only(monkeypatch):
    """Leave out the demo loaders of the other apps (``ecoinspect.<app>.demo``): each app's suite tests its own
    demo data with the full command (tests/ledger/test_demo.py); here it is the foundation's part."""
    from ecoinspect.core.management.commands import demo as command

    real = command.importlib.import_module

    def import_module(name, package=None):
        if re.fullmatch(r"ecoinspect\.\w+\.demo", name):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, package)

    monkeypatch.setattr(command.importlib, "import_module", import_module)


def load() -> str:
    out = StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if not m._meta.proxy}


def printed_logins(output: str) -> tuple[str, list[tuple[str, str]]]:
    password = re.search(r"密码均为 (\S+?)）", output).group(1)
    block = output[output.index("演示账号（密码均为") :].splitlines()[1:]
    logins = [tuple(line.strip().split(None, 1)) for line in block if line.startswith("  ")]
    return password, logins


@pytest.mark.django_db
def test_demo_load_gives_one_working_log_in_per_role_and_loading_again_changes_nothing(foundation_only):
    first = load()
    assert "单位新增 38 个，职责新增 14 条。" in first and "演示用户新增 8 个。" in first
    password, logins = printed_logins(first)
    assert len(logins) == 8
    seen = set()
    for username, description in logins:
        user = User.objects.get(username=username)
        assert "演示" in user.full_name  # clearly marked as demo
        (membership,) = Membership.objects.filter(user=user, is_active=True).select_related("unit")
        seen.add(f"{membership.unit.kind} staff" if membership.role == "staff" else membership.role)
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, f"{username} cannot log in with the printed password"
        home = client.get(reverse("dashboard:home"))
        assert home.status_code == 200 and membership.unit.name in home.content.decode(), description
    assert seen == {
        "coordinator",
        "leader",
        f"{UnitKind.DEPARTMENT} staff",
        f"{UnitKind.SUBDISTRICT} staff",
        f"{UnitKind.TOWN} staff",
        "reviewer",
        "publisher",
        "auditor",
    }

    changed = User.objects.get(username="sanyuanli")
    changed.set_password("Changed-Baiyun-2026")  # a demo user who changed their password keeps it
    changed.save()
    counts = row_counts()

    second = load()
    assert "单位新增 0 个，职责新增 0 条。" in second and "演示用户新增 0 个。" in second
    assert printed_logins(second) == (password, logins)
    assert row_counts() == counts
    changed.refresh_from_db()
    assert changed.check_password("Changed-Baiyun-2026") and not changed.check_password(password)


@pytest.mark.django_db
def test_demo_logins_can_be_listed_without_loading():
    out = StringIO()
    call_command("demo", "logins", stdout=out)
    assert "coordinator" in out.getvalue() and not User.objects.exists()
