"""The anchor: the chain's head kept outside the database, so that what the chain alone cannot see — the
newest rows deleted, the table emptied, every row after an edit re-hashed — is named by `audit verify`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecoinspect.audit.anchors import FILE_NAME, Anchor, AnchorError
from ecoinspect.audit.models import ActionLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.audit.services import anchor_write
from tests.audit import tamper

KEY = "审计密钥-kept-outside-the-database"


def run(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", *args, stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def anchors_in(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def anchored(chain, anchor_dir):
    """The morning's seven entries, then `audit anchor`: its own entry (8) is the anchored head."""
    code, output = run("anchor")
    assert code == 0, output
    return anchor_dir / FILE_NAME


def test_anchor_writes_the_head_outside_the_database_and_prints_it(anchored, chain):
    (line,) = anchors_in(anchored)
    head = ActionLog.objects.order_by("-seq").first()
    assert head.action == "audit.chain.anchored" and head.payload["file"] == str(anchored)
    assert (line["seq"], line["hash"], line["count"]) == (8, head.hash, 8)
    assert "hmac" not in line  # no key configured
    code, output = run("anchor")  # the next one checks against this one first, then appends
    assert code == 0
    assert "已写入锚点：至第 9 条，共 9 条" in output  # the check before it writes no entry
    assert json.loads(output.strip().splitlines()[-1]) == anchors_in(anchored)[-1]
    assert len(anchors_in(anchored)) == 2


def test_verify_agrees_with_the_anchor(anchored):
    code, output = run("verify")
    assert code == 0
    assert "共校验 8 条" in output and "与" in output and "的锚点一致（至第 8 条，共 8 条" in output
    assert ActionLog.objects.order_by("-seq").first().payload == {"checked": 8, "anchor_seq": 8}


def test_deleting_the_newest_rows_is_named(anchored):
    tamper.delete_tail(6)
    assert verify_chain().ok  # the five rows left are a perfect chain: the finding
    code, message = run("verify")
    assert code == 1
    assert "第 6–8 条缺失" in message and "现存记录只到第 5 条" in message and "最新的记录被删除" in message


def test_deleting_the_newest_row_alone_is_named(anchored):
    tamper.delete_tail(8)
    code, message = run("verify")
    assert code == 1 and "第 8 条缺失" in message


def test_an_emptied_table_is_named(anchored):
    tamper.empty()
    assert verify_chain().ok and verify_chain().checked == 0  # "intact, 0 rows": the finding
    code, message = run("verify")
    assert code == 1
    assert "操作日志为空" in message and "记录了 8 条（至第 8 条）" in message


def test_re_hashing_every_row_after_an_edit_is_named(anchored):
    tamper.rewrite_from(3, {"step": 2, "note": "从未发生"})
    assert verify_chain().ok  # every hash recomputed: the chain alone checks out
    code, message = run("verify")
    assert code == 1
    assert "第 8 条的哈希与" in message and "被改写" in message


def test_a_count_that_disagrees_with_the_anchor_is_named(chain, anchor_dir):
    head = ActionLog.objects.order_by("-seq").first()
    forged = Anchor(seq=head.seq, hash=head.hash, count=head.seq + 2, time="2026-11-28T03:00:00+08:00")
    anchor_dir.mkdir()
    (anchor_dir / FILE_NAME).write_text(forged.line() + "\n", encoding="utf-8")
    code, message = run("verify")
    assert code == 1
    assert "至第 7 条现有 7 条记录" in message and "2026-11-28 03:00:00 的锚点记为 9 条" in message


def test_anchor_refuses_to_bless_a_log_that_fails_its_check(anchored):
    tamper.delete_tail(6)
    code, message = run("anchor")
    assert code == 1
    assert "第 6–8 条缺失" in message and "未写入新锚点" in message
    assert len(anchors_in(anchored)) == 1


def test_without_any_anchor_verify_still_passes_and_says_how_to_start(chain, anchor_dir):
    code, output = run("verify")
    assert code == 0
    assert "共校验 7 条" in output and "尚无锚点" in output and "ecoinspect audit anchor" in output


def test_a_deleted_anchor_file_is_noticed(anchored):
    anchored.unlink()
    code, message = run("verify")
    assert code == 1
    assert "写过锚点" in message and "该文件现已不存在或为空" in message


def test_an_anchor_file_can_be_named_both_ways(chain, anchor_dir, tmp_path):
    elsewhere = tmp_path / "offsite"
    elsewhere.mkdir()
    assert run("anchor", "--to", str(elsewhere))[0] == 0  # a directory: the file of the usual name in it
    assert anchors_in(elsewhere / FILE_NAME)[-1]["seq"] == 8
    assert not (anchor_dir / FILE_NAME).exists()
    assert run("verify", "--anchor", str(elsewhere / FILE_NAME))[0] == 0
    code, message = run("verify", "--anchor", str(tmp_path / "nowhere.jsonl"))
    assert code == 1 and "nowhere.jsonl 不存在或其中没有锚点" in message


def test_an_anchor_path_that_cannot_be_written_leaves_no_entry(chain, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    target = blocker / "anchors.jsonl"
    code, message = run("anchor", "--to", str(target))
    assert code == 1 and f"无法读取锚点文件 {target}" in message
    with pytest.raises(AnchorError, match="无法写入锚点文件"):
        anchor_write(path=target)
    assert not ActionLog.objects.filter(action="audit.chain.anchored").exists()


def test_a_damaged_anchor_file_is_named_with_its_line(anchored):
    with anchored.open("a", encoding="utf-8") as handle:
        handle.write('{"seq": 9, "hash": "\n')
    code, message = run("verify")
    assert code == 1 and "第 2 行不是有效的锚点记录" in message


# --- the key ---------------------------------------------------------------------------------------------


@pytest.fixture
def keyed(settings, chain, anchor_dir):
    settings.ECOINSPECT_AUDIT_KEY = KEY
    assert run("anchor")[0] == 0
    return anchor_dir / FILE_NAME


def test_with_a_key_each_anchor_is_signed_and_checked(keyed):
    (line,) = anchors_in(keyed)
    assert len(line["hmac"]) == 64
    assert run("verify")[0] == 0


def test_rewriting_table_and_anchor_without_the_key_is_caught(keyed):
    """The insider re-hashes the log after an edit and writes the new head into the anchor file."""
    tamper.rewrite_from(3, {"step": 2, "note": "从未发生"})
    head = ActionLog.objects.order_by("-seq").first()
    line = anchors_in(keyed)[-1] | {"hash": head.hash}
    keyed.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, message = run("verify")
    assert code == 1 and "密钥签名不符" in message

    line.pop("hmac")  # dropping the signature does not help either
    keyed.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, message = run("verify")
    assert code == 1 and "没有密钥签名，但已配置审计密钥" in message


def test_the_key_may_live_in_a_file(settings, chain, anchor_dir, tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    settings.ECOINSPECT_AUDIT_KEY_FILE = str(key_file)
    assert run("anchor")[0] == 0
    settings.ECOINSPECT_AUDIT_KEY_FILE = ""
    settings.ECOINSPECT_AUDIT_KEY = KEY  # the same key, from the environment this time
    assert run("verify")[0] == 0
    settings.ECOINSPECT_AUDIT_KEY = "another key"
    assert "密钥签名不符" in run("verify")[1]
    settings.ECOINSPECT_AUDIT_KEY = ""
    code, message = run("verify")
    assert code == 1 and "未配置审计密钥" in message
    settings.ECOINSPECT_AUDIT_KEY_FILE = str(tmp_path / "missing.key")
    code, message = run("verify")
    assert code == 1 and "无法读取审计密钥文件" in message
