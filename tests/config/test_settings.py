"""Settings: SQLite by default, PostgreSQL from DATABASE_URL; production refuses to start insecurely and
queues background work for the worker."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from ecoinspect.config.settings.base import database_from_env, tasks_from_env

PRODUCTION = "ecoinspect.config.settings.production"
GOOD_KEY = secrets.token_urlsafe(64)


def test_without_database_url_the_database_is_an_sqlite_file_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path / "var" / "ecoinspect.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "ecoinspect.sqlite3")
    assert (tmp_path / "var").is_dir()
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"  # writers queue instead of failing half-way


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://eco:secret@db.example.gov.cn:5433/ecoinspect")
    config = database_from_env(tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["HOST"], config["PORT"]) == (
        "ecoinspect",
        "eco",
        "db.example.gov.cn",
        5433,
    )
    assert "transaction_mode" not in config.get("OPTIONS", {})
    assert not (tmp_path / "unused.sqlite3").exists()


def test_the_console_script_runs_django_commands_on_sqlite_by_default(ecoinspect, tmp_path):
    result = ecoinspect("showmigrations", "audit")
    assert result.returncode == 0, result.stderr
    assert "[ ] 0003_actionlog_append_only" in result.stdout  # a fresh database, nothing applied yet
    assert (tmp_path / "var" / "ecoinspect.sqlite3").stat().st_size > 0
    listed = ecoinspect("help", "--commands")
    assert listed.returncode == 0
    assert {"audit", "orgs", "demo", "migrate", "check"} <= set(listed.stdout.split())


def test_production_settings_pass_the_deployment_check_when_configured(ecoinspect):
    result = ecoinspect(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings=PRODUCTION,
        env={"ECOINSPECT_SECRET_KEY": GOOD_KEY, "ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn"}, "ECOINSPECT_SECRET_KEY"),
        (
            {"ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn", "ECOINSPECT_SECRET_KEY": "too-short"},
            "ECOINSPECT_SECRET_KEY",
        ),
        (
            {
                "ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn",
                "ECOINSPECT_SECRET_KEY": "django-insecure-ecoinspect-development-only",
            },
            "ECOINSPECT_SECRET_KEY",
        ),
        ({"ECOINSPECT_SECRET_KEY": GOOD_KEY}, "ECOINSPECT_ALLOWED_HOSTS"),
        ({"ECOINSPECT_SECRET_KEY": GOOD_KEY, "ECOINSPECT_ALLOWED_HOSTS": " , "}, "ECOINSPECT_ALLOWED_HOSTS"),
    ],
    ids=["no key", "short key", "development key", "no hosts", "empty hosts"],
)
def test_production_settings_refuse_to_start_without_a_proper_key_and_hosts(ecoinspect, env, complaint):
    result = ecoinspect("check", settings=PRODUCTION, env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr
    assert "生产环境必须设置" in result.stderr and "Production needs" in result.stderr


def test_production_settings_are_secure_once_running(ecoinspect):
    result = ecoinspect(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, "
        f"s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SECRET_KEY == {GOOD_KEY!r})",
        settings=PRODUCTION,
        env={"ECOINSPECT_SECRET_KEY": GOOD_KEY, "ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn, 10.1.2.3"},
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "False ['hbj.baiyun.gov.cn', '10.1.2.3'] True True True True True"
    )


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("local", "django.core.cache.backends.locmem.LocMemCache"),
        ("database", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://cache.internal:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_shared_cache_comes_from_the_environment(monkeypatch, value, backend):
    from ecoinspect.config.settings.base import cache_from_env

    monkeypatch.setenv("ECOINSPECT_CACHE", value)
    assert cache_from_env()["default"]["BACKEND"] == backend


def test_an_unknown_cache_is_refused_by_name(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from ecoinspect.config.settings.base import cache_from_env

    monkeypatch.setenv("ECOINSPECT_CACHE", "memcached://x")
    with pytest.raises(ImproperlyConfigured, match="ECOINSPECT_CACHE"):
        cache_from_env()


def test_production_shares_the_cache_between_app_servers_and_migrate_makes_its_table(ecoinspect):
    """Two app servers must count the public look-ups together: a per-process cache would not."""
    env = {"ECOINSPECT_SECRET_KEY": GOOD_KEY, "ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn"}
    migrated = ecoinspect("migrate", "--noinput", settings=PRODUCTION, env=env)
    assert migrated.returncode == 0, migrated.stderr
    script = (
        "from django.core.cache import cache; from django.conf import settings as s; "
        "cache.add('k', 0, 60); print(s.CACHES['default']['BACKEND'], cache.incr('k'))"
    )
    first = ecoinspect("shell", "-c", script, settings=PRODUCTION, env=env)
    second = ecoinspect("shell", "-c", script, settings=PRODUCTION, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[-2:] == ["django.core.cache.backends.db.DatabaseCache", "1"]
    assert second.stdout.split()[-1] == "2"  # another process sees the first one's count


def test_background_work_runs_inline_unless_the_environment_names_the_queue(monkeypatch):
    monkeypatch.delenv("ECOINSPECT_TASKS_BACKEND", raising=False)
    assert tasks_from_env("immediate") == {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setenv("ECOINSPECT_TASKS_BACKEND", "Database")
    assert tasks_from_env("immediate") == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setenv("ECOINSPECT_TASKS_BACKEND", "redis")
    with pytest.raises(ImproperlyConfigured, match="ECOINSPECT_TASKS_BACKEND 只能是 immediate 或 database"):
        tasks_from_env("immediate")


def test_production_queues_background_work_for_the_worker(ecoinspect):
    env = {"ECOINSPECT_SECRET_KEY": GOOD_KEY, "ECOINSPECT_ALLOWED_HOSTS": "hbj.baiyun.gov.cn"}
    shown = ecoinspect(
        "shell", "-c", "from django.conf import settings as s; print(s.TASKS)", settings=PRODUCTION, env=env
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "{'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}"
    worker = ecoinspect("db_worker", "--help", settings=PRODUCTION, env=env)
    assert worker.returncode == 0 and "--batch" in worker.stdout
