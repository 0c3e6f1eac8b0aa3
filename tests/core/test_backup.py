"""`ecoinspect backup` and `ecoinspect restore` as a round trip, on the run's database (SQLite or PostgreSQL):
after a restore every row, every file and every hash is back, and the action log verifies against the
backup's anchor. Transactional: a backup reads what is committed, and the restore replaces the database."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ecoinspect.audit.anchors import FILE_NAME
from ecoinspect.audit.models import ActionLog
from ecoinspect.core.backup import database, files
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Evidence, Problem
from tests.factories import EvidenceFactory, ProblemFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pg_dump_present():
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump 不在 PATH 上：PostgreSQL 的备份往返需要 PostgreSQL 客户端（postgresql-client）")


@pytest.fixture
def instance(people, settings, tmp_path):
    """Three problems at work with evidence — photos and a PDF — on disk, and their action log entries."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ECOINSPECT_AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    problems = [ProblemFactory(status=S.RECTIFYING, title=f"【测试】第{n}号排水口") for n in range(3)]
    for problem in problems:
        EvidenceFactory(problem=problem)
    EvidenceFactory(problem=problems[0], uploaded=upload("监测报告.pdf", pdf_bytes(), "application/pdf"))
    return problems


def command(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def state(media_root) -> dict:
    """Everything a restore must bring back: rows per table, each media file's hash, the chain."""
    return {
        "tables": database.current_counts(),
        "media": {p.as_posix(): files.sha256_of(Path(media_root) / p) for p in files.tree(Path(media_root))},
        "chain": list(ActionLog.objects.order_by("seq").values_list("seq", "hash")),
    }


def backup(tmp_path) -> Path:
    code, output = command("backup", "--to", str(tmp_path / "backups"))
    assert code == 0, output
    (made,) = (tmp_path / "backups").iterdir()
    assert f"备份已写入：{made}" in output
    return made


def test_a_backup_holds_the_database_the_files_the_anchor_and_a_manifest(instance, settings, tmp_path):
    made = backup(tmp_path)
    manifest = json.loads((made / "manifest.json").read_text(encoding="utf-8"))
    now = state(settings.MEDIA_ROOT)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == now["tables"]  # counted in the same snapshot as the copy
    assert manifest["tables"]["ledger_evidence"] == 4 and manifest["tables"]["ledger_problem"] == 3
    media = {
        k.removeprefix("media/"): v["sha256"] for k, v in manifest["files"].items() if k.startswith("media/")
    }
    assert media == now["media"]
    assert len(now["media"]) >= 4 and files.check(made, manifest) == []  # the evidence, and thumbnails
    head = ActionLog.objects.order_by("-seq").first()
    assert head.action == "audit.chain.anchored" and head.payload["backup"] == made.name
    assert (manifest["anchor"]["seq"], manifest["anchor"]["hash"]) == (head.seq, head.hash)
    default_anchor = (tmp_path / "anchors" / FILE_NAME).read_text().splitlines()[-1]
    assert json.loads(default_anchor) == json.loads((made / FILE_NAME).read_text())
    assert manifest["app_version"] and not list((tmp_path / "backups").glob("*.partial"))


def test_round_trip_every_row_file_and_hash_is_back(instance, settings, tmp_path):
    made = backup(tmp_path)
    before = state(settings.MEDIA_ROOT)
    # the day goes on: one more entry, anchored by the nightly cron — then the bad night
    ProblemFactory(title="【测试】备份之后登记的问题")
    assert command("audit", "anchor")[0] == 0
    code, message = command("restore", str(made))
    assert code == 1 and "当前数据库不是空的" in message and "--yes" in message  # nothing changed yet
    evidence = Path(settings.MEDIA_ROOT) / Evidence.objects.order_by("pk").first().file.name
    evidence.unlink()
    (Path(settings.MEDIA_ROOT) / Evidence.objects.order_by("pk").last().file.name).write_bytes(b"overwritten")
    call_command("flush", interactive=False, verbosity=0)  # the database is gone
    assert not Problem.objects.exists() and not ActionLog.objects.exists()

    code, output = command("restore", str(made))
    assert code == 0, output
    after = state(settings.MEDIA_ROOT)
    assert after["media"] == before["media"]  # every file back, byte for byte
    assert after["chain"][: len(before["chain"])] == before["chain"]  # every entry, with its hash
    restored = ActionLog.objects.order_by("seq").values_list("action", flat=True)[len(before["chain"]) :]
    assert list(restored) == ["core.backup.restored", "audit.chain.anchored"]
    tables = dict(after["tables"], audit_actionlog=after["tables"]["audit_actionlog"] - 2)
    assert tables == before["tables"]  # every row of every table
    assert Problem.objects.count() == 3 and "与清单一致" in output and "操作日志哈希链完整" in output
    assert "随备份之后的数据一起不在了" in output  # the entries of the day after the backup are named lost
    assert command("audit", "verify")[0] == 0  # against the anchor the restore wrote
    assert command("audit", "verify", "--anchor", str(made))[0] == 0  # the backup directory names its anchor


def test_a_damaged_backup_is_refused_before_anything_changes(instance, settings, tmp_path):
    made = backup(tmp_path)
    before = state(settings.MEDIA_ROOT)
    photo = next((made / "media").rglob("*.png"))
    original = photo.read_bytes()
    photo.write_bytes(original[:-1] + b"\0")
    code, message = command("restore", "--yes", str(made))
    assert code == 1 and "未通过校验，没有恢复任何内容" in message
    assert f"{photo.relative_to(made).as_posix()} 与清单中的 SHA-256 不符" in message
    photo.write_bytes(original)

    (made / "media" / "extra.txt").write_text("后来放进去的")
    assert "media/extra.txt 不在清单中" in command("restore", "--yes", str(made))[1]
    (made / "media" / "extra.txt").unlink()

    dump = made / json.loads((made / "manifest.json").read_text())["database"]["file"]
    dump.unlink()
    assert f"缺少文件 {dump.name}" in command("restore", "--yes", str(made))[1]
    assert "不是备份目录" in command("restore", "--yes", str(tmp_path))[1]
    assert state(settings.MEDIA_ROOT) == before


def test_a_backup_of_a_damaged_log_keeps_the_anchor_file_clean(instance, settings, tmp_path):
    """The data is saved all the same, but a log that fails its check gets no new anchor in the anchor file."""
    from tests.audit import tamper

    assert command("audit", "anchor")[0] == 0
    anchor_file = tmp_path / "anchors" / FILE_NAME
    anchored = anchor_file.read_text()
    tamper.delete_tail(ActionLog.objects.count())
    code, message = command("backup", "--to", str(tmp_path / "backups"))
    assert code == 1 and "操作日志校验未通过" in message and "条缺失" in message
    (made,) = (tmp_path / "backups").iterdir()
    assert json.loads((made / "manifest.json").read_text())["audit"]["ok"] is False
    assert anchor_file.read_text() == anchored
