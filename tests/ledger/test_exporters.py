"""The official tables, opened with openpyxl and python-docx and checked cell by cell against the data."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ecoinspect.ledger import exporters, selectors
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.choices import ProgressStatus
from ecoinspect.ledger.filters import ProblemFilter
from ecoinspect.ledger.models import Publicity
from tests.clock import START
from tests.factories import (
    EvidenceFactory,
    MeasureFactory,
    ProblemFactory,
    ProgressReportFactory,
    advance,
)

# the import/export tests run on a pinned clock with their own media root (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock", "media_root")

PROGRESS_HEADERS = ["序号", "整改任务", "整改时限", "整改措施", "目前进展情况及存在问题", "完成进度", "备注"]
CLOSING_HEADERS = ["序号", "整改任务", "整改目标", "整改措施", "整改完成情况"]


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def ledger(people, units, clock):
    """Four problems of every deadline kind, measures done and open, two reports, one overdue."""
    water, housing = people["water"], people["housing"]
    first = ProblemFactory(
        minimal=True,
        status=S.RECTIFYING,
        number="EX-1",
        title="石井河排水口整改",
        deadline=dt.date(2026, 12, 31),
        registered_on=START - dt.timedelta(days=10),
        cooperating_units=[units["shijing"]],
    )
    done = svc.measure_add(actor=water, problem=first, content="封堵排水口", owner_unit=units["swj"])
    svc.measure_complete(actor=water, measure=done)
    svc.measure_add(actor=water, problem=first, content="截污纳管", owner_unit=units["swj"])
    svc.progress_report_add(
        actor=water,
        problem=first,
        text="排查排水口",
        progress_status=ProgressStatus.BEHIND,
        reported_on=START - dt.timedelta(days=5),
    )
    svc.progress_report_add(
        actor=water, problem=first, text="已封堵 3 个排水口", progress_status=ProgressStatus.ON_SCHEDULE
    )
    long_term = ProblemFactory(
        minimal=True,
        number="EX-2",
        title="工地扬尘长效管控",
        lead_unit=units["zjj"],
        deadline_kind="long_term",
    )
    immediate = ProblemFactory(
        minimal=True, number="EX-3", title="立即清理垃圾堆", lead_unit=units["zjj"], deadline_kind="immediate"
    )
    overdue = ProblemFactory(
        minimal=True,
        status=S.RECTIFYING,
        number="EX-4",
        title="逾期未改的排污口",
        staff=people["housing"],
        lead_unit=units["zjj"],
        registered_on=START - dt.timedelta(days=30),
        deadline=START - dt.timedelta(days=1),
    )
    assert housing  # the housing bureau's staff started EX-4
    return {"first": first, "long_term": long_term, "immediate": immediate, "overdue": overdue}


def expected_progress_rows(ledger) -> list[list[str]]:
    immediate = ledger["immediate"]
    return [
        [
            "1",
            "石井河排水口整改",
            "2026年12月31日",
            "1. 封堵排水口（已完成）\n2. 截污纳管",
            f"截至{cn(START)}：已封堵 3 个排水口",
            "达到时序进度",
            "编号：EX-1\n牵头单位：区水务局\n配合单位：石井街道",
        ],
        [
            "2",
            "工地扬尘长效管控",
            "长期坚持",
            "",
            "暂未报送进展。",
            "尚未启动",
            "编号：EX-2\n牵头单位：区住建局",
        ],
        [
            "3",
            "立即清理垃圾堆",
            f"立行立改（{cn(immediate.deadline)}前）",
            "",
            "暂未报送进展。",
            "尚未启动",
            "编号：EX-3\n牵头单位：区住建局",
        ],
        [
            "4",
            "逾期未改的排污口",
            cn(START - dt.timedelta(days=1)),
            "",
            "暂未报送进展。",
            "尚未启动",
            "编号：EX-4\n牵头单位：区住建局\n预警：红灯",
        ],
    ]


def selection(user, **params):
    return selectors.problem_list(user=user, filters=ProblemFilter({"sort": "number", **params}, user=user))


def test_progress_table_xlsx_cell_by_cell(people, ledger):
    sheet = load_workbook(io.BytesIO(exporters.progress_table_xlsx(selection(people["coordinator"])))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "白云区生态环境保护督察整改任务推进情况表"
    assert rows[1][0] == f"填报日期：{cn(START)}"
    assert rows[2] == PROGRESS_HEADERS
    assert [[v if v is not None else "" for v in r] for r in rows[3:]] == expected_progress_rows(ledger)
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert (
        sheet["D4"].alignment.wrap_text
        and sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    )
    assert "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}


def test_progress_table_docx_cell_by_cell(people, ledger):
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(exporters.progress_table_docx(selection(people["coordinator"]))))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["白云区生态环境保护督察整改任务推进情况表", f"填报日期：{cn(START)}"]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and round(section.page_width.mm) == 297
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == PROGRESS_HEADERS
    assert rows[1:] == expected_progress_rows(ledger)
    header_props = table.rows[0]._tr.trPr
    assert (
        header_props is not None and header_props.find(qn("w:tblHeader")) is not None
    )  # repeated on each page


def test_the_export_follows_the_filter_and_the_scope(people, ledger):
    mine = exporters.progress_table_xlsx(selection(people["housing"]))
    rows = list(load_workbook(io.BytesIO(mine)).active.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == ["工地扬尘长效管控", "立即清理垃圾堆", "逾期未改的排污口"]
    overdue = exporters.progress_table_xlsx(selection(people["coordinator"], due="overdue"))
    assert [
        r[1] for r in load_workbook(io.BytesIO(overdue)).active.iter_rows(min_row=4, values_only=True)
    ] == ["逾期未改的排污口"]


def _in_publicity(*, measures, report, period, phone, **fields):
    """Measures done, a final report and a photo, accepted on site, then in publicity."""
    problem = ProblemFactory(minimal=True, status=S.RECTIFYING, **fields)
    for content in measures:
        MeasureFactory(problem=problem, content=content, done=True)
    ProgressReportFactory(problem=problem, text=report, progress_status=ProgressStatus.COMPLETED)
    EvidenceFactory(problem=problem)
    return advance(
        problem, S.PUBLICITY, opinion="现场核查，整改到位", publicity_period=period, objection_phone=phone
    )


@pytest.fixture
def published(people, units, ledger):
    first = _in_publicity(
        number="CL-1",
        title="排水口污水直排",
        target="排水口晴天无污水排出",
        measures=("封堵排水口", "截污纳管"),
        report="已完成截污纳管，排水口晴天无污水。",
        period="10_workdays",
        phone="020-36000000",
    )
    second = _in_publicity(
        number="CL-2",
        title="工地扬尘",
        lead_unit=units["zjj"],
        staff=people["housing"],
        target="工地围挡、喷淋到位",
        measures=("设置围挡",),
        report="围挡和喷淋已到位。",
        period="2_weeks",
        phone="020-86000000",
    )
    return first, second


def expected_closing(first, second):
    p1, p2 = (Publicity.objects.get(problem=p) for p in (first, second))
    acceptance = f"验收情况：{cn(START)}经生态环境分局现场核查验收通过。验收意见：现场核查，整改到位"
    return [
        (
            f"公示期：{cn(p1.starts_on)}至{cn(p1.ends_on)}（10 个工作日）；公示渠道：白云区人民政府网站；异议受理电话：020-36000000",
            [
                [
                    "1",
                    "排水口污水直排",
                    "排水口晴天无污水排出",
                    "1. 封堵排水口\n2. 截污纳管",
                    f"已完成截污纳管，排水口晴天无污水。\n{acceptance}",
                ]
            ],
        ),
        (
            f"公示期：{cn(p2.starts_on)}至{cn(p2.ends_on)}（2 周）；公示渠道：白云区人民政府网站；异议受理电话：020-86000000",
            [["1", "工地扬尘", "工地围挡、喷淋到位", "1. 设置围挡", f"围挡和喷淋已到位。\n{acceptance}"]],
        ),
    ]


def test_closing_notice_docx(people, published):
    first, second = published
    p2 = Publicity.objects.get(problem=second)
    assert (p2.ends_on - p2.starts_on).days == 13
    document = docx.Document(io.BytesIO(exporters.closing_notice_docx(selection(people["coordinator"]))))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "白云区生态环境保护督察整改任务验收销号公示"
    assert "以下 2 项整改任务" in texts[2]
    expected = expected_closing(first, second)
    assert [note for note, _rows in expected] == texts[3:5]
    assert len(document.tables) == 2
    for table, (_note, rows) in zip(document.tables, expected):
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[0] == CLOSING_HEADERS
        assert cells[1:] == rows
    assert texts[-1] == "白云区生态环境保护督察迎检工作领导小组办公室"


def test_closing_notice_xlsx(people, published):
    first, second = published
    sheet = load_workbook(io.BytesIO(exporters.closing_notice_xlsx(selection(people["coordinator"])))).active
    rows = [[v if v is not None else "" for v in r] for r in sheet.iter_rows(values_only=True)]
    (note1, rows1), (note2, rows2) = expected_closing(first, second)
    assert rows[0][0] == "白云区生态环境保护督察整改任务验收销号公示"
    assert rows[3][0] == note1 and rows[4] == CLOSING_HEADERS and rows[5] == rows1[0]
    assert rows[6][0] == note2 and rows[7] == CLOSING_HEADERS and rows[8] == rows2[0]
    assert sheet.freeze_panes == "A6"


def test_export_pages(login, people, published):
    client = login(people["coordinator"])
    page = client.get(reverse("ledger:export_closing_notice"), {"q": "CL-"})
    body = page.content.decode()
    assert page.status_code == 200 and "CL-1" in body and "CL-2" in body and "EX-1" not in body
    everything = client.get(reverse("ledger:export_closing_notice")).content.decode()
    assert 'data-testid="closing-left-out"' in everything  # EX-1…EX-4 have no publicity
    response = client.get(reverse("ledger:export_closing_notice"), {"q": "CL-1", "format": "docx"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    (table,) = docx.Document(io.BytesIO(response.content)).tables
    assert [row.cells[1].text for row in table.rows[1:]] == ["排水口污水直排"]
    none = client.get(reverse("ledger:export_closing_notice"), {"q": "EX-", "format": "xlsx"}, follow=True)
    assert "没有已发布销号公示的问题" in none.content.decode()

    progress = client.get(reverse("ledger:export_progress"), {"q": "EX-", "sort": "number", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(progress.content)).active.iter_rows(min_row=4, values_only=True))
    assert [r[6].split("\n")[0] for r in rows] == ["编号：EX-1", "编号：EX-2", "编号：EX-3", "编号：EX-4"]


def test_another_units_export_leaves_the_problem_out(login, people, published):
    client = login(people["sanyuanli"])
    page = client.get(reverse("ledger:export_progress")).content.decode()
    assert "EX-1" not in page and "CL-1" not in page
    docx_file = client.get(reverse("ledger:export_progress"), {"format": "docx"}).content
    (table,) = docx.Document(io.BytesIO(docx_file)).tables
    assert len(table.rows) == 1  # the header only


def test_the_list_pages_export_matches_the_screen(login, people, ledger):
    """The ledger list (FilteredListView) exports the rows the page shows, in its order; the official table
    for the same query string lists the same problems in the same order."""
    import re

    client = login(people["coordinator"])
    query = {"sort": "-deadline", "q": "EX-"}
    page = client.get(reverse("ledger:problem_list"), query).content.decode()
    on_screen = re.findall(r">(EX-\d)</a>", page)
    listed = load_workbook(
        io.BytesIO(client.get(reverse("ledger:problem_list"), {**query, "format": "xlsx"}).content)
    )
    exported = [r[0] for r in listed.active.iter_rows(min_row=2, values_only=True)]
    official = load_workbook(
        io.BytesIO(client.get(reverse("ledger:export_progress"), {**query, "format": "xlsx"}).content)
    )
    numbers = [
        r[6].split("\n")[0].removeprefix("编号：")
        for r in official.active.iter_rows(min_row=4, values_only=True)
    ]
    assert len(on_screen) == 4
    assert on_screen == exported == numbers


# --- the closing notice over time (issue #8): dated the day it is issued, 现予公示 only while it runs -------


def _notice_docx(people, **params) -> list[str]:
    document = docx.Document(
        io.BytesIO(exporters.closing_notice_docx(selection(people["coordinator"], **params)))
    )
    return [p.text for p in document.paragraphs if p.text]


def test_a_running_publicity_is_announced_and_the_notice_is_dated_the_day_it_is_issued(
    people, published, clock
):
    clock.set(START + dt.timedelta(days=3))
    texts = _notice_docx(people)
    assert texts[1] == cn(START + dt.timedelta(days=3))  # the day of issue, not the start date
    assert "现予公示" in texts[2]
    assert all(note.startswith("公示期：") for note in texts[3:5])


def test_a_notice_issued_after_the_periods_says_they_were_held_and_never_现予公示(people, published, clock):
    first, second = published
    issued = START + dt.timedelta(days=30)
    clock.set(issued)
    p1, p2 = (Publicity.objects.get(problem=p) for p in (first, second))
    assert p1.ends_on < issued and p2.ends_on < issued
    texts = _notice_docx(people)
    assert texts[1] == cn(issued)
    assert "现予公示" not in "\n".join(texts)
    assert "以下 2 项整改任务已完成整改并经验收合格，已于所列公示期内公示，公示期已结束" in texts[2]
    assert texts[3] == (
        f"已于{cn(p1.starts_on)}至{cn(p1.ends_on)}公示（10 个工作日，公示期已结束）；公示渠道：白云区人民政府网站；"
        "异议受理电话：020-36000000"
    )
    assert texts[4].startswith(f"已于{cn(p2.starts_on)}至{cn(p2.ends_on)}公示（2 周，公示期已结束）")

    sheet = load_workbook(io.BytesIO(exporters.closing_notice_xlsx(selection(people["coordinator"])))).active
    cells = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert cn(issued) in cells
    assert not any("现予公示" in c for c in cells)
    assert texts[3] in cells


def test_one_period_over_is_named_by_its_dates(people, published, clock):
    first, _second = published
    p1 = Publicity.objects.get(problem=first)
    clock.set(START + dt.timedelta(days=30))
    texts = _notice_docx(people, q="CL-1")
    assert f"已于{cn(p1.starts_on)}至{cn(p1.ends_on)}公示，公示期已结束" in texts[2]


def test_a_notice_with_one_period_over_and_one_running_says_which_is_which(people, published, clock):
    first, second = published
    p1, p2 = (Publicity.objects.get(problem=p) for p in (first, second))
    clock.set(p1.ends_on + dt.timedelta(days=1))
    assert p2.ends_on >= clock.today
    texts = _notice_docx(people)
    assert "以下 2 项整改任务已完成整改并经验收合格，拟予以销号。" in texts[2]
    assert (
        texts[3].startswith("其中 1 项现予公示。")
        and "020-86000000" in texts[3]
        and "020-36000000" not in texts[3]
    )
    assert texts[4] == "其余 1 项已于所列公示期内公示，公示期已结束。"
    assert texts[5].startswith("已于") and texts[6].startswith("公示期：")


def test_the_real_publication_is_written_in_the_notice(people, units, clock):
    problem = ProblemFactory(minimal=True, status=S.ACCEPTED, number="CL-9", title="河涌垃圾")
    clock.set(START + dt.timedelta(days=7))
    svc.publicity_start(
        actor=people["publisher"],
        problem=problem,
        starts_on=START + dt.timedelta(days=1),
        period="2_weeks",
        channel="白云区人民政府网站",
        objection_phone="020-36000000",
        published_at=dt.datetime(2026, 9, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        published_where="https://www.by.gov.cn/gkmlpt/content/1/1000001.html",
    )
    note = "；实际发布：2026年9月8日 09:30，https://www.by.gov.cn/gkmlpt/content/1/1000001.html"
    texts = _notice_docx(people, q="CL-9")
    assert texts[3].startswith("公示期：2026年9月8日至2026年9月21日") and texts[3].endswith(note)
    sheet = load_workbook(
        io.BytesIO(exporters.closing_notice_xlsx(selection(people["coordinator"], q="CL-9")))
    ).active
    assert sheet.cell(row=4, column=1).value.endswith(note)


# --- deadlines in a year without a published schedule are marked as estimates ------------------------------


def test_the_progress_table_marks_a_deadline_in_an_unpublished_year(people, ledger):
    ProblemFactory(minimal=True, number="EX-5", title="跨年整改", deadline=dt.date(2027, 2, 26))
    for build in (exporters.progress_table_xlsx,):
        sheet = load_workbook(io.BytesIO(build(selection(people["coordinator"])))).active
        deadlines = {r[6].split("\n")[0]: r[2] for r in sheet.iter_rows(min_row=4, values_only=True)}
        assert deadlines["编号：EX-5"] == "2027年2月26日（预估）"
        assert deadlines["编号：EX-1"] == "2026年12月31日"  # the 2026 schedule is published
    (table,) = docx.Document(
        io.BytesIO(exporters.progress_table_docx(selection(people["coordinator"])))
    ).tables
    assert "2027年2月26日（预估）" in [row.cells[2].text for row in table.rows]


def test_the_list_export_marks_a_deadline_in_an_unpublished_year(login, people, ledger):
    ProblemFactory(minimal=True, number="EX-5", title="跨年整改", deadline=dt.date(2027, 2, 26))
    client = login(people["coordinator"])
    query = {"q": "EX-", "sort": "number"}
    book = load_workbook(
        io.BytesIO(client.get(reverse("ledger:problem_list"), {**query, "format": "xlsx"}).content)
    )
    header, *rows = book.active.iter_rows(values_only=True)
    column = header.index("整改时限")
    by_number = {r[0]: r[column] for r in rows}
    assert by_number["EX-5"] == "2027-02-26（预估）"
    assert "预估" not in str(by_number["EX-1"])
    csv = client.get(reverse("ledger:problem_list"), {**query, "format": "csv"}).content.decode("utf-8-sig")
    assert "2027-02-26（预估）" in csv and "2026-12-31（预估）" not in csv
