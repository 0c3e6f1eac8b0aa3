"""The inspectors' and the province's own tables come in as they are (issue #8): the disclosure tables of
rounds 2 and 3 and the Guangdong progress table are recognised by their header under merged title rows,
their published values are read with the reason noted, and a number is an identity only within its round
and source — a collision is a conflict the person decides per row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
from ecoinspect.core.imports import ImportUndecided
from ecoinspect.ledger.choices import DeadlineKind, ProblemSource
from ecoinspect.ledger.importers import LedgerImporter
from ecoinspect.ledger.models import Problem
from tests.factories import ProblemFactory, import_row, import_workbook, xlsx_upload

pytestmark = pytest.mark.usefixtures("clock", "media_root")

ROUND3 = "第三轮中央生态环境保护督察"
DISCLOSURE_HEADERS = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "问题类型",
    "调查核实情况",
    "是否属实",
    "办结目标",
    "处理和整改情况",
    "是否办结",
    "责任人被处理情况",
]
ROUND2_HEADERS = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "污染类型",
    "调查核实情况",
    "是否属实",
    "处理和整改情况",
    "问责情况",
    "责任单位",
    "责任人",
    "受理方式",
    "备注",
]
PROGRESS_HEADERS = ["序号", "整改任务", "整改时限", "整改措施", "目前进展情况及存在问题", "完成进度", "备注"]


def official_table(titles: list[str], headers: list[str], rows: list[list]) -> bytes:
    """An official table as published: title rows merged across the columns, then the header and rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for number, title in enumerate(titles, start=1):
        sheet.cell(row=number, column=1, value=title)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def disclosure_row(number, text, region="广州市白云区", types="水", **extra) -> list:
    values = {
        "调查核实情况": "经现场核查，反映情况属实。",
        "是否属实": "属实",
        "办结目标": "2024年12月底前完成整改",
        "处理和整改情况": "已责令整改。",
        "是否办结": "阶段性办结",
        "责任人被处理情况": "无",
        **extra,
    }
    return [1, number, text, region, types, *(values[h] for h in DISCLOSURE_HEADERS[5:])]


def round3_table(rows) -> bytes:
    return official_table(
        [f"{ROUND3}广东省第5批交办群众信访举报件办理情况公开表", "（2023年11月25日）"], DISCLOSURE_HEADERS, rows
    )


def run(actor, data, **options) -> ImportJob:
    job = import_job_create(actor=actor, kind=LedgerImporter.kind, uploaded=xlsx_upload(data, "公开表.xlsx"))
    if options:
        job.options = options
        job.save()
    import_job_validate(job)
    job.refresh_from_db()
    return job


def rows_of(job) -> dict:
    return {r["row"]: r for r in job.result["rows"]}


def test_the_round3_disclosure_table_is_recognised_under_its_title_and_imported_as_petitions(people, units):
    data = round3_table(
        [
            disclosure_row("Ｄ３ＧＤ２０２３　１１２００００１", "白云区某工地扬尘大，夜间施工噪音扰民。", "广州市白云区(和龙水库上游)", "扬尘污染、噪音"),
            disclosure_row("D3GD202311200002", "某餐馆油烟直排。", "白云区", "大气污染"),
            disclosure_row("D3GD202311200003", "太和镇某养殖场污水直排。", "三元里街", "畜禽养殖污染"),
        ]
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors
    assert job.result["layout"] == "disclosure"
    assert job.result["layout_label"] == "群众信访举报件办理情况公开表（第三轮）"
    assert job.result["header_row"] == 3  # under the two merged title rows
    assert job.created_count == 3
    notes = rows_of(job)[4]["notes"]
    assert any("“扬尘污染”按“大气”计" in n for n in notes)
    assert any("“噪音”按“噪声”计" in n for n in notes)
    assert any("和龙水库上游" in n for n in notes)
    assert any("是全区" in n for n in rows_of(job)[5]["notes"])

    import_job_commit(actor=people["coordinator"], job=job)
    first = Problem.objects.get(number="D3GD202311200001")  # full-width digits made half-width
    assert first.source == ProblemSource.PETITION and first.source_round == ROUND3
    assert first.source_ref == "D3GD202311200001"
    assert first.title == "白云区某工地扬尘大，夜间施工噪音扰民"
    assert first.problem_types == ["air", "noise"]
    assert first.address == "和龙水库上游"
    assert "【调查核实情况】经现场核查，反映情况属实。" in first.description
    assert "【行政区域】广州市白云区(和龙水库上游)" in first.description
    assert "【是否办结】阶段性办结" in first.description
    second = Problem.objects.get(number="D3GD202311200002")
    assert second.town is None  # 白云区 is the district itself, not 白云湖街道
    assert second.problem_types == ["air"]
    third = Problem.objects.get(number="D3GD202311200003")
    assert third.town == units["sanyuanli"]  # 三元里街 is 三元里街道
    assert third.problem_types == ["agriculture"]

    again = run(people["coordinator"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)


def test_the_round2_and_provincial_layout_takes_its_own_headers(people, units):
    data = official_table(
        ["第二轮中央生态环境保护督察群众信访举报转办和边督边改公开情况一览表（第十批）"],
        ROUND2_HEADERS,
        [[1, "1544", "石井河沿岸废水直排。", "石井街", "水污染", "属实", "属实", "已整改", "无", "区水务局", "张三", "来电", ""]],
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors
    assert job.result["layout"] == "disclosure_round2"
    import_job_commit(actor=people["coordinator"], job=job)
    problem = Problem.objects.get(number="1544")
    assert problem.source_round == "第二轮中央生态环境保护督察"
    assert problem.lead_unit == units["swj"] and problem.responsible_person == "张三"
    assert problem.problem_types == ["water"]
    assert "【问责情况】无" in problem.description and "【受理方式】来电" in problem.description


def test_errors_name_the_header_the_file_writes(people, units):
    data = official_table(
        ["第二轮中央生态环境保护督察信访件公开表"],
        ROUND2_HEADERS,
        [[1, "2001", "某厂废气。", "火星区", "火星污染", "", "", "", "", "", "", "", ""]],
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.INVALID
    assert {e["column"] for e in job.errors} == {"行政区域", "污染类型"}

    template = import_workbook([import_row("BY-009", 所在镇街="广州市白云区")], headers=None)
    ok = run(people["coordinator"], template)
    assert ok.status == ImportStatus.VALID, ok.errors  # the district itself: no town given, not an error


def test_the_progress_table_creates_and_updates_problems_with_partial_dates(people, units):
    existing = ProblemFactory(title="石井河流域水环境综合整治", source=ProblemSource.FEEDBACK, minimal=True, lead_unit=units["swj"])
    data = official_table(
        ["广东省贯彻落实第二轮中央生态环境保护督察反馈意见整改进展情况表", "（截至2024年6月）"],
        PROGRESS_HEADERS,
        [
            [1, "石井河流域水环境综合整治", "2023-12", "1. 截污\n2. 清淤", "已完成截污。", "达到时序进度", ""],
            [2, "黑臭水体长效管控", "2021", "巡河", "持续巡查。", "已完成", "牵头单位：区水务局"],
            [3, "镇街污水管网补短板", "4月11日(年份未核实)", "建管网", "推进中。", "未达时序进度", ""],
            [4, "散乱污场所整治", "立行立改、长期坚持", "", "", "", ""],
        ],
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors
    assert job.result["layout"] == "progress"
    rows = rows_of(job)
    assert rows[4]["action"] == "update"
    assert [rows[n]["action"] for n in (5, 6, 7)] == ["create", "create", "create"]
    assert any("按该年最后一天（2021-12-31）" in n for n in rows[5]["notes"])
    assert any("年份未核实" in n for n in rows[6]["notes"])

    import_job_commit(actor=people["coordinator"], job=job)
    existing.refresh_from_db()
    assert "【目前进展情况及存在问题】已完成截污。" in existing.description
    assert "【完成进度】达到时序进度" in existing.description
    created = Problem.objects.get(title="黑臭水体长效管控")
    assert created.source == ProblemSource.FEEDBACK and created.source_round == "第二轮中央生态环境保护督察"
    assert (created.deadline, created.registered_on) == (dt.date(2021, 12, 31), dt.date(2021, 12, 31))
    assert created.lead_unit == units["swj"]  # named in 备注, as the ledger's own export writes it
    assert list(created.measures.values_list("content", flat=True)) == ["巡河"]
    unverified = Problem.objects.get(title="镇街污水管网补短板")
    assert "【整改措施】1. 建管网" in unverified.description  # no lead unit: the measures stay text
    assert unverified.deadline == dt.date(2024, 4, 11)  # the table's year, flagged as unverified
    assert "【整改时限】4月11日(年份未核实)" in unverified.description  # the published text is kept
    assert Problem.objects.get(title="散乱污场所整治").deadline_kind == DeadlineKind.LONG_TERM

    again = run(people["coordinator"], data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)


def test_a_number_of_another_round_is_a_conflict_to_decide_not_an_update(people, units):
    earlier = ProblemFactory(
        number="1544", title="第二轮信访件", source=ProblemSource.PETITION, source_ref="1544",
        source_round="第二轮中央生态环境保护督察", minimal=True, lead_unit=units["swj"],
    )
    data = round3_table(
        [disclosure_row("1544", "新的第三轮信访件。"), disclosure_row("D3-0002", "另一件。")]
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors  # the conflict blocks nobody
    rows = rows_of(job)
    assert rows[4]["action"] == "conflict" and "第二轮中央生态环境保护督察" in rows[4]["conflict"]
    assert rows[5]["action"] == "create"
    assert job.result["counts"]["conflicts"] == 1

    with pytest.raises(ImportUndecided):
        import_job_commit(actor=people["coordinator"], job=job)
    assert Problem.objects.count() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID

    job.options = {"decisions": {"4": "new"}}
    job.save()
    import_job_commit(actor=people["coordinator"], job=job)
    earlier.refresh_from_db()
    assert earlier.title == "第二轮信访件"  # untouched
    new = Problem.objects.get(number="1544-2")
    assert (new.source_ref, new.source_round) == ("1544", ROUND3)

    again = run(people["coordinator"], data)  # identified by its round now: no conflict any more
    assert [r["action"] for r in again.result["rows"]] == ["unchanged", "unchanged"]


def test_a_conflict_may_be_skipped_or_update_the_existing_problem(people, units):
    ProblemFactory(number="1544", title="自查问题", minimal=True, lead_unit=units["swj"])
    data = round3_table([disclosure_row("1544", "第三轮信访件。")])
    skipped = run(people["coordinator"], data, decisions={"all": "skip"})
    assert rows_of(skipped)[4]["action"] == "skip"
    summary = import_job_commit(actor=people["coordinator"], job=skipped)
    assert summary["skipped"] == 1 and Problem.objects.get(number="1544").title == "自查问题"

    updated = run(people["coordinator"], data, decisions={"4": "update"})
    assert rows_of(updated)[4]["action"] == "update"
    import_job_commit(actor=people["coordinator"], job=updated)
    same = Problem.objects.get(number="1544")
    assert same.title == "第三轮信访件"
    assert (same.source, same.source_round) == (ProblemSource.PETITION, ROUND3)  # now it is that petition

    again = run(people["coordinator"], data)  # found by its round and source: no question asked again
    assert rows_of(again)[4]["action"] == "unchanged"


def test_the_template_with_another_source_on_a_known_number_is_a_conflict(people, units):
    ProblemFactory(number="BY-001", source=ProblemSource.PETITION, minimal=True, lead_unit=units["swj"])
    job = run(people["coordinator"], import_workbook([import_row("BY-001")]))
    assert rows_of(job)[2]["action"] == "conflict"


def test_the_pages_say_which_layout_and_take_the_decisions(login, people, units, django_capture_on_commit_callbacks):
    ProblemFactory(number="1544", title="自查问题", minimal=True, lead_unit=units["swj"])
    client = login(people["coordinator"])
    data = round3_table([disclosure_row("1544", "第三轮信访件。"), disclosure_row("D3-0002", "另一件。", "广州市白云区")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:import_upload"), {"file": xlsx_upload(data, "公开表.xlsx")})
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "识别为官方表格：群众信访举报件办理情况公开表（第三轮）" in page
    assert 'name="decision-4"' in page and 'data-testid="row-note"' in page

    client.post(reverse("ledger:import_commit", args=[job.pk]), follow=True)
    assert not Problem.objects.filter(source_ref="D3-0002").exists()  # undecided: nothing written
    done = client.post(reverse("ledger:import_commit", args=[job.pk]), {"decision-4": "new"}, follow=True)
    assert "导入完成：新增 2 条" in done.content.decode()
    assert Problem.objects.filter(number="1544-2", source_round=ROUND3).exists()


def test_a_petition_registered_without_its_round_is_a_conflict_not_a_duplicate(people, units):
    ProblemFactory(
        number="BY-XF-001", title="登记时未注明轮次", source=ProblemSource.PETITION, source_ref="D3-0001",
        minimal=True, lead_unit=units["swj"],
    )
    data = round3_table([disclosure_row("D3-0001", "第三轮信访件。")])
    job = run(people["coordinator"], data, decisions={"all": "update"})
    assert rows_of(job)[4]["action"] == "update" and "未注明轮次" in rows_of(job)[4]["conflict"]
    import_job_commit(actor=people["coordinator"], job=job)
    assert Problem.objects.get(number="BY-XF-001").source_round == ROUND3
    assert Problem.objects.count() == 1
