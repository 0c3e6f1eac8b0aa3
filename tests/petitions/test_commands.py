"""``ecoinspect petitions import`` and ``ecoinspect petitions suggest``: the exact output other tools read,
through ``call_command`` and through the real console script on a fresh SQLite file."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ecoinspect.audit.models import ActionLog
from ecoinspect.orgs.models import Membership, User
from ecoinspect.petitions.models import InspectionRound, Petition, Suggestion, TransferBatch
from tests.petitions import batch_files as bf

KEYS = ["acceptance_no", "town", "department", "problem_types", "sub_tags", "duplicates", "reasons"]


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("petitions", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


@pytest.fixture
def batch_file(tmp_path):
    path = tmp_path / "第5批.xlsx"
    path.write_bytes(bf.xlsx(bf.TRANSFER, bf.CASES))
    return path


@pytest.mark.django_db
def test_import_on_an_empty_database_makes_the_round_and_prints_what_it_took_and_flagged(batch_file):
    lines = run("import", str(batch_file), "--round", "3", "--batch", "5", "--received", "2023-11-25")
    assert lines[0] == "round\t第三轮中央生态环境保护督察\tcreated\t督察轮次“第三轮中央生态环境保护督察”不存在，已按“3”新建"
    assert lines[1] == "batch\t5\t2023-11-25\ttransfer\t督察组交办表"
    assert lines[2:5] == [
        "take\t3\tD3GD202311250001\tcreate",
        "take\t4\tX3GD202311250002\tcreate",
        "take\t5\tD3GD202311250003\tcreate",
    ]
    assert lines[5] == "flag\t5\tD3GD202311250003\t行政区域\t广州市天河区\t“广州市天河区”不是本区的镇街，也没有写明镇街。"
    assert lines[6] == "summary\trows=3\tcreated=3\tupdated=0\tunchanged=0\tskipped=0\tflagged=1\tdry_run=0"
    assert Petition.objects.count() == 3 and Suggestion.objects.exists()
    batch = TransferBatch.objects.get()
    assert str(batch.received_on) == "2023-11-25" and batch.round.name == "第三轮中央生态环境保护督察"
    # the system account acted, a coordinator of the office, and the log says so
    system = User.objects.get(username="system")
    assert not system.has_usable_password()
    assert Membership.objects.filter(user=system, role="coordinator", unit__code="yingjianban").exists()
    assert ActionLog.objects.filter(action="orgs.system_user.created").exists()
    assert set(ActionLog.objects.filter(action__startswith="petitions.").values_list("actor_id", flat=True)) == {system.pk}
    # again: nothing changes
    again = run("import", str(batch_file), "--round", "第三轮中央生态环境保护督察", "--batch", "5")
    assert again[0] == "round\t第三轮中央生态环境保护督察\texisting"
    assert again[-1] == "summary\trows=3\tcreated=0\tupdated=0\tunchanged=3\tskipped=0\tflagged=0\tdry_run=0"
    assert Petition.objects.count() == 3 and InspectionRound.objects.count() == 1


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(batch_file):
    lines = run("import", str(batch_file), "--round", "3", "--batch", "5", "--dry-run")
    assert lines[0].startswith("round\t第三轮中央生态环境保护督察\twill_create\t")
    assert lines[-1].endswith("dry_run=1") and "created=3" in lines[-1]
    assert Petition.objects.count() == 0 and InspectionRound.objects.count() == 0
    assert not ActionLog.objects.filter(action__startswith="petitions.").exists()


@pytest.mark.django_db
def test_a_refused_file_says_why_and_writes_nothing(tmp_path):
    path = tmp_path / "错表.xlsx"
    path.write_bytes(bf.xlsx(["序号", "交办问题基本情况", "行政区域"], [["1", "某厂废气", "白云区"]]))
    with pytest.raises(CommandError, match="缺少必填列：受理编号"):
        run("import", str(path), "--round", "3", "--batch", "1")
    big = tmp_path / "太大.xlsx"
    big.write_bytes(b"PK" + b"\0" * (21 * 1024 * 1024))
    with pytest.raises(CommandError, match="超过 10 MB 上限，未读取"):
        run("import", str(big), "--round", "3", "--batch", "1")
    with pytest.raises(CommandError, match="没有写明第几轮"):
        run("import", str(path), "--round", "某次督察", "--batch", "1")
    assert Petition.objects.count() == 0 and InspectionRound.objects.count() == 0


@pytest.mark.django_db
def test_suggest_prints_one_json_line_per_case_and_writes_nothing(tmp_path, batch_file):
    run("import", str(batch_file), "--round", "3", "--batch", "5")
    counts = (Petition.objects.count(), Suggestion.objects.count(), ActionLog.objects.count())
    path = tmp_path / "cases.csv"
    rows = [
        ["N1", bf.CASES[0][2], "广州市白云区太和镇", "大气"],  # the same text as a stored case
        ["N2", "江高镇某河涌发黑发臭，有污水直排。", "", ""],
        ["N3", "江高镇某河涌发黑发臭，有污水直排。", "", ""],  # the same as N2 in this file
    ]
    path.write_bytes(bf.csv_bytes(["acceptance_no", "complaint_text", "region_text", "problem_type"], rows, "utf-8"))
    lines = [json.loads(line) for line in run("suggest", str(path))]
    assert [list(line) for line in lines] == [KEYS] * 3
    first, second, third = lines
    assert first["acceptance_no"] == "N1" and first["town"] == "白云区太和镇"
    assert first["department"] == "广州市生态环境局白云分局" and first["problem_types"] == ["air"]
    assert {"acceptance_no": "D3GD202311250001", "score": 1.0} in first["duplicates"]
    assert second["town"] == "白云区江高镇"
    assert {"acceptance_no": "N2", "score": 1.0} in third["duplicates"]
    assert all(isinstance(r, str) for line in lines for r in line["reasons"])
    assert (Petition.objects.count(), Suggestion.objects.count(), ActionLog.objects.count()) == counts


@pytest.mark.django_db
def test_suggest_reads_an_official_layout_with_chinese_unescaped(batch_file):
    out = io.StringIO()
    call_command("petitions", "suggest", str(batch_file), stdout=out)
    assert "太和镇" in out.getvalue() and "\\u" not in out.getvalue()
    assert [json.loads(line)["acceptance_no"] for line in out.getvalue().splitlines()] == [c[1] for c in bf.CASES]


def test_both_commands_work_right_after_migrate_through_the_console_script(ecoinspect, tmp_path):
    migrated = ecoinspect("migrate", "--no-input", timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    path = tmp_path / "第5批.xlsx"
    path.write_bytes(bf.xlsx(bf.TRANSFER, bf.CASES))
    suggested = ecoinspect("petitions", "suggest", str(path))
    assert suggested.returncode == 0, suggested.stderr
    lines = [json.loads(line) for line in suggested.stdout.splitlines()]
    assert [line["town"] for line in lines] == ["白云区太和镇", "白云区石井街道", None]
    taken = ecoinspect("petitions", "import", str(path), "--round", "3", "--batch", "5")
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.splitlines()[-1] == "summary\trows=3\tcreated=3\tupdated=0\tunchanged=0\tskipped=0\tflagged=1\tdry_run=0"
    refused = ecoinspect("petitions", "import", str(tmp_path / "missing.xlsx"), "--round", "3", "--batch", "6")
    assert refused.returncode != 0 and "找不到文件" in refused.stderr
