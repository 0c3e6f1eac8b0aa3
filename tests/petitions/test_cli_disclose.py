"""``ecoinspect petitions disclose --batch N [--round R] -o FILE.docx|FILE.xlsx`` (the exact contract): the
batch's published table, masked; one line ``<path>\\t<rows>``; clear errors."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ecoinspect.petitions import disclosure as pub
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import ClosureStatus, Origin, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.disclosure import KEYS
from tests.factories import BatchFactory, PetitionFactory, RoundFactory

PERSONAL = "投诉人李明华反映，电话13812345678，住机场路12号5栋1203房。"
HEADERS = [str(c.header) for c in pub.COLUMNS]


def run(*args) -> str:
    out = io.StringIO()
    call_command("petitions", "disclose", *args, stdout=out)
    return out.getvalue().rstrip("\n")


@pytest.fixture
def disclosed(people):
    batch = BatchFactory(number=8)
    for seq in (1, 2, 3):
        PetitionFactory(batch=batch, seq=seq, status=S.APPROVED, complaint_text=f"{PERSONAL}（{seq}）")
    PetitionFactory(batch=batch, seq=4, status=S.VERIFYING)
    svc.batch_disclose(actor=people["publisher"], batch=batch)
    return batch


def test_writes_the_xlsx_and_prints_the_path_and_the_row_count(disclosed, tmp_path):
    target = tmp_path / "第8批.xlsx"
    out = run("--batch", "8", "-o", str(target))
    assert out.strip() == f"{target.resolve()}\t3"
    values = [[c.value for c in row] for row in openpyxl.load_workbook(target).active.iter_rows()]
    start = values.index(HEADERS) + 1
    rows = values[start:]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[0][2] == "投诉人李某反映，电话138****5678，住机场路12号5栋**房。（1）"
    assert "13812345678" not in str(values) and "李明华" not in str(values)
    # the stored rows by column key (PostgreSQL's jsonb keeps no key order): the official column order is KEYS
    stored = [row["values"] for row in disclosed.disclosures.get().rows]
    assert rows == [[r.get(key, "") for key in KEYS] for r in stored]


def test_writes_the_docx(disclosed, tmp_path):
    target = tmp_path / "out.DOCX"
    assert run("--batch", "8", "-o", str(target)).endswith("\t3")
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "群众信访举报转办和边督边改公开情况一览表（第八批）"
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == HEADERS and len(table.rows) == 4


def test_a_history_batch_is_reproduced_masked(people, tmp_path):
    rnd = RoundFactory(name="第二轮中央生态环境保护督察", number=2, is_current=False)
    history = BatchFactory(round=rnd, number=15, origin=Origin.HISTORY)
    PetitionFactory(
        round=rnd,
        batch=history,
        seq=1,
        origin=Origin.HISTORY,
        complaint_text=PERSONAL,
        verdict=Verdict.PARTLY_TRUE,
        handling="责令整改。",
        closure_status=ClosureStatus.CLOSED,
    )
    target = tmp_path / "history.xlsx"
    out = run("--batch", "15", "--round", "2", "-o", str(target))
    assert out.endswith("\t1")
    values = [[c.value for c in row] for row in openpyxl.load_workbook(target).active.iter_rows()]
    row = values[values.index(HEADERS) + 1]
    assert row[2] == "投诉人李某反映，电话138****5678，住机场路12号5栋**房。" and row[6] == "部分属实"
    assert run("--batch", "15", "--round", "第二轮中央生态环境保护督察", "-o", str(target)).endswith("\t1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--batch", "99", "-o", "{tmp}/x.xlsx"), "没有第99批（现有批次：8）"),
        (("--batch", "8", "-o", "{tmp}/x.csv"), "须以 .docx 或 .xlsx 结尾"),
        (("--batch", "8", "-o", "{tmp}/missing/x.xlsx"), "目录不存在"),
        (("--batch", "8", "--round", "第九轮", "-o", "{tmp}/x.xlsx"), "没有督察轮次“第九轮”"),
    ],
)
def test_clear_errors(disclosed, tmp_path, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not list(tmp_path.iterdir())


def test_a_batch_not_yet_disclosed_has_no_table(people, tmp_path):
    batch = BatchFactory(number=9)
    PetitionFactory(batch=batch, seq=1, status=S.APPROVED)
    with pytest.raises(CommandError, match="尚未公开"):
        run("--batch", "9", "-o", str(tmp_path / "x.xlsx"))
