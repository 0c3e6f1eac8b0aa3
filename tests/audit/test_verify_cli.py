"""`ecoinspect audit verify` through the real console script, on a database of its own (the run's vendor)."""

from __future__ import annotations

import pytest

from tests.scratch_db import BYPASS, scratch_database


def test_verify_exits_0_on_an_intact_log_and_1_naming_the_first_tampered_row(ecoinspect, tmp_path):
    with scratch_database(tmp_path) as (env, run_sql):
        assert ecoinspect("migrate", "--noinput", "-v", "0", env=env).returncode == 0
        loaded = ecoinspect("orgs", "load-structure", env=env)  # entry 1
        assert loaded.returncode == 0, loaded.stderr

        intact = ecoinspect("audit", "verify", env=env)  # a successful check appends entry 2
        assert intact.returncode == 0, intact.stderr
        assert "共校验 1 条" in intact.stdout

        update = "UPDATE audit_actionlog SET actor_name = '改过的名字' WHERE seq = 2"
        with pytest.raises(Exception, match="append-only"):  # the database itself refuses …
            run_sql(update)
        run_sql(BYPASS["postgresql" if env else "sqlite"], update)  # … until the guard is lifted

        broken = ecoinspect("audit", "verify", env=env)
        assert broken.returncode == 1
        assert (
            "第 2 条" in broken.stderr and "内容被篡改" in broken.stderr
        )


def test_verify_names_what_went_missing_after_the_nightly_anchor(ecoinspect, tmp_path):
    """What cron sees: `audit anchor` at night, then the newest rows deleted, then the table emptied."""
    with scratch_database(tmp_path) as (env, run_sql):
        bypass = BYPASS["postgresql" if env else "sqlite"]
        assert ecoinspect("migrate", "--noinput", "-v", "0", env=env).returncode == 0
        assert ecoinspect("orgs", "load-structure", env=env).returncode == 0  # entry 1
        assert ecoinspect("audit", "verify", env=env).returncode == 0  # entry 2
        anchored = ecoinspect("audit", "anchor", env=env)  # entry 3, anchored
        assert anchored.returncode == 0, anchored.stderr
        assert "已写入锚点：至第 3 条，共 3 条" in anchored.stdout
        assert (tmp_path / "var" / "anchors" / "actionlog-anchors.jsonl").exists()

        run_sql(bypass, "DELETE FROM audit_actionlog WHERE seq >= 2")
        tail = ecoinspect("audit", "verify", env=env)
        assert tail.returncode == 1
        assert "共校验 1 条" in tail.stderr and "第 2–3 条缺失" in tail.stderr

        run_sql(bypass, "TRUNCATE audit_actionlog" if env else "DELETE FROM audit_actionlog")
        emptied = ecoinspect("audit", "verify", env=env)
        assert emptied.returncode == 1
        assert "操作日志为空" in emptied.stderr and "记录了 3 条" in emptied.stderr
