"""The backup drill as an operator runs it: the console script, on a database of its own — SQLite in a file
(in WAL mode, as in production) or a fresh PostgreSQL database."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.db import connection

from tests.scratch_db import BYPASS, scratch_database


def test_backup_then_restore_through_the_console_script(ecoinspect, tmp_path):
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump 不在 PATH 上：PostgreSQL 的备份往返需要 PostgreSQL 客户端（postgresql-client）")
    with scratch_database(tmp_path) as (env, run_sql):
        assert ecoinspect("migrate", "--noinput", "-v", "0", env=env).returncode == 0
        assert ecoinspect("orgs", "load-structure", env=env).returncode == 0
        report = tmp_path / "var" / "media" / "evidence" / "1" / "监测报告.pdf"
        report.parent.mkdir(parents=True)
        report.write_bytes(b"%PDF-1.4\n% 2026 monitoring\n%%EOF\n")

        made = ecoinspect("backup", env=env)
        assert made.returncode == 0, made.stderr
        directory = Path(re.search(r"备份已写入：(\S+)", made.stdout).group(1))
        assert directory.parent == tmp_path / "var" / "backups"
        assert (directory / "media" / "evidence" / "1" / "监测报告.pdf").exists()

        report.unlink()  # the bad night: a file and rows lost, the newest log entry deleted
        run_sql("DELETE FROM orgs_place")
        run_sql(BYPASS["postgresql" if env else "sqlite"], "DELETE FROM audit_actionlog WHERE seq >= 2")
        assert ecoinspect("audit", "verify", env=env).returncode == 1

        refused = ecoinspect("restore", str(directory), env=env)
        assert refused.returncode == 1 and "--yes" in refused.stderr
        restored = ecoinspect("restore", str(directory), "--yes", env=env)
        assert restored.returncode == 0, restored.stderr
        assert "与清单一致" in restored.stdout and "已写入新锚点" in restored.stdout
        assert report.read_bytes() == b"%PDF-1.4\n% 2026 monitoring\n%%EOF\n"
        verified = ecoinspect("audit", "verify", env=env)
        assert verified.returncode == 0, verified.stderr
