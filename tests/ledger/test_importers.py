"""Importing the ledger from Excel: the preview says exactly what will happen, the commit does exactly that
in one transaction, and the same file again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog, ChangeLog
from ecoinspect.audit.selectors import verify_chain
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
from ecoinspect.core.imports import ImportChanged
from ecoinspect.ledger.choices import DeadlineKind, ProblemStatus
from ecoinspect.ledger.importers import LedgerImporter
from ecoinspect.ledger.models import Problem
from tests.factories import IMPORT_HEADERS, ProblemFactory, import_row, import_workbook, xlsx_upload

# the import/export tests run on a pinned clock with their own media root (tests/ledger/conftest.py)
pytestmark = pytest.mark.usefixtures("clock", "media_root")


def run(actor, data, **options):
    """Upload, validate and (when the preview is clean) commit, as the pages do."""
    job = import_job_create(
        actor=actor, kind=LedgerImporter.kind, uploaded=xlsx_upload(data), options=options
    )
    import_job_validate(job)
    job.refresh_from_db()
    return job


def errors_of(job) -> list[tuple]:
    return [(e["row"], e["column"], e["value"]) for e in job.errors]


def test_happy_path_creates_every_row_with_its_values(people, units):
    data = import_workbook(
        [
            import_row("BY-001", 配合单位="石井街道、生态环境分局", 问题类型="水、大气"),
            import_row(
                "BY-002",
                "太和镇养殖场废水",
                牵头单位="区农业农村局",
                配合单位="",
                问题地点="太和镇某村",
                整改时限="立行立改",
            ),
            import_row("BY-003", "长期巡查", 整改时限="长期坚持", 登记日期="2026年9月2日"),
        ]
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (3, 3, 0, 0)
    assert [r["action"] for r in job.result["rows"]] == ["create", "create", "create"]
    assert Problem.objects.count() == 0  # validating writes nothing

    summary = import_job_commit(actor=people["coordinator"], job=job)
    assert summary["created"] == ["BY-001", "BY-002", "BY-003"]
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.committed_at is not None

    first = Problem.objects.get(number="BY-001")
    assert first.title == "石井河排水口污水直排"
    assert first.source == "self_inspection"
    assert first.problem_types == ["water", "air"]
    assert first.lead_unit == units["swj"]
    assert {u.code for u in first.cooperating_units.all()} == {"shijing", "sthj"}
    assert first.acceptance_unit == units["sthj"]
    assert first.town == units["shijing"]  # proposed from the address, as the form does
    assert (first.deadline_kind, first.deadline) == (DeadlineKind.DATE, dt.date(2026, 12, 31))
    assert first.registered_on == dt.date(2026, 9, 1)
    assert first.status == ProblemStatus.REGISTERED
    assert first.registered_by == people["coordinator"]
    assert "台账.xlsx 第 2 行" in first.routing_reason

    immediate = Problem.objects.get(number="BY-002")
    assert immediate.deadline_kind == DeadlineKind.IMMEDIATE and immediate.deadline is not None
    assert immediate.town == units["taihe"]
    long_term = Problem.objects.get(number="BY-003")
    assert (long_term.deadline_kind, long_term.deadline) == (DeadlineKind.LONG_TERM, None)
    assert long_term.registered_on == dt.date(2026, 9, 2)


def test_commit_is_logged_once_for_the_file_and_once_per_problem(people, units):
    job = run(people["coordinator"], import_workbook([import_row("BY-001"), import_row("BY-002")]))
    import_job_commit(actor=people["coordinator"], job=job)
    committed = ActionLog.objects.get(action="ledger.import.committed")
    assert committed.payload["sha256"] == job.sha256
    assert (committed.payload["created"], committed.payload["updated"], committed.payload["rows"]) == (
        2,
        0,
        2,
    )
    problem = Problem.objects.get(number="BY-001")
    imported = ActionLog.objects.for_object(problem).get(action="ledger.problem.imported")
    assert imported.payload["job"] == job.pk
    creates = ChangeLog.objects.filter(object_type="ledger.problem", operation="create")
    assert creates.count() == 2 and creates.first().user_name == people["coordinator"].display_name
    # the cooperating units are in the change log too
    assert ChangeLog.objects.filter(
        object_id=str(problem.pk), after__cooperating_units=[units["shijing"].pk]
    ).exists()


def test_every_imported_problem_has_the_import_on_its_timeline_and_the_chain_holds(people, units):
    job = run(people["coordinator"], import_workbook([import_row(f"BY-{i:03d}") for i in range(30)]))
    import_job_commit(actor=people["coordinator"], job=job)

    for problem in Problem.objects.filter(number__startswith="BY-"):
        entry = ActionLog.objects.for_object(problem).get(action="ledger.problem.imported")
        assert entry.payload["job"] == job.pk and entry.actor_name == people["coordinator"].display_name
    assert ActionLog.objects.filter(action="ledger.problem.imported").count() == 30
    assert verify_chain().ok


def test_reimporting_the_same_file_changes_nothing(people, units):
    data = import_workbook([import_row("BY-001"), import_row("BY-002", 配合单位="")])
    import_job_commit(actor=people["coordinator"], job=run(people["coordinator"], data))
    before = (
        Problem.objects.count(),
        ChangeLog.objects.count(),
        list(Problem.objects.values_list("version", flat=True)),
    )
    logged = ActionLog.objects.count()

    again = run(people["coordinator"], data)
    assert again.status == ImportStatus.VALID
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    summary = import_job_commit(actor=people["coordinator"], job=again)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == ([], [], 2)
    after = (
        Problem.objects.count(),
        ChangeLog.objects.count(),
        list(Problem.objects.values_list("version", flat=True)),
    )
    assert after == before
    # only the "file imported" entry itself
    assert list(ActionLog.objects.filter(seq__gt=logged).values_list("action", flat=True)) == [
        "ledger.import.committed"
    ]
    assert again.file.name == ImportJob.objects.exclude(pk=again.pk).get().file.name  # stored once


def test_changed_rows_are_updated_through_the_service(people, units):
    import_job_commit(
        actor=people["coordinator"],
        job=run(people["coordinator"], import_workbook([import_row("BY-001"), import_row("BY-002")])),
    )
    problem = Problem.objects.get(number="BY-001")
    changed = import_workbook(
        [
            import_row("BY-001", "石井河排水口污水直排（扩大范围）", 配合单位="石井街道、区城管执法局"),
            import_row("BY-002"),
        ]
    )
    job = run(people["coordinator"], changed)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    assert job.result["rows"][0]["changes"] == ["整改任务", "配合单位"]
    import_job_commit(actor=people["coordinator"], job=job)
    problem.refresh_from_db()
    assert problem.title.endswith("（扩大范围）")
    assert {u.code for u in problem.cooperating_units.all()} == {"shijing", "cgzf"}
    assert problem.version == 2
    assert ActionLog.objects.for_object(problem).filter(action="ledger.problem.updated").exists()


def test_blank_cells_do_not_clear_stored_values(people, units):
    import_job_commit(
        actor=people["coordinator"], job=run(people["coordinator"], import_workbook([import_row("BY-001")]))
    )
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 配合单位=None, 整改目标=None, 问题类型=None)]),
    )
    assert (job.updated_count, job.unchanged_count) == (0, 1)


def test_lead_unit_and_deadline_of_a_registered_problem_are_not_changed_by_import(people, units):
    import_job_commit(
        actor=people["coordinator"], job=run(people["coordinator"], import_workbook([import_row("BY-001")]))
    )
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 牵头单位="区住建局", 整改时限="2027-01-31")]),
    )
    assert job.status == ImportStatus.INVALID
    reasons = {e["column"]: e["reason"] for e in job.errors}
    assert "改派" in reasons["牵头单位"] and "区水务局" in reasons["牵头单位"]
    assert "调整时限" in reasons["整改时限"]


def test_a_closed_problem_is_not_changed(people, units):
    problem = ProblemFactory(minimal=True, number="BY-001")
    Problem.objects.filter(pk=problem.pk).update(status=ProblemStatus.CLOSED)
    job = run(
        people["coordinator"],
        import_workbook(
            [
                import_row(
                    "BY-001",
                    "新标题",
                    牵头单位="区水务局",
                    整改时限=problem.deadline,
                    登记日期=problem.registered_on,
                )
            ]
        ),
    )
    assert job.status == ImportStatus.INVALID
    assert "已销号" in job.errors[0]["reason"]


@pytest.mark.parametrize(
    "value",
    ["2026-13-01", "2026/02/30", "明年六月", "2026年13月", "12.5", "true"],
)
def test_bad_dates_are_reported_with_row_column_value_and_reason(people, units, value):
    job = run(
        people["coordinator"], import_workbook([import_row("BY-001"), import_row("BY-002", 整改时限=value)])
    )
    assert job.status == ImportStatus.INVALID
    assert errors_of(job) == [(3, "整改时限", value)]
    reason = job.errors[0]["reason"]
    assert "不是有效的整改时限" in reason


def test_a_deadline_written_as_a_month_is_its_last_day_with_the_reason(people, units):
    job = run(people["coordinator"], import_workbook([import_row("BY-001", 整改时限="2026年12月")]))
    assert job.status == ImportStatus.VALID, job.errors
    assert any("按该月最后一天（2026-12-31）" in n for n in job.result["rows"][0]["notes"])
    import_job_commit(actor=people["coordinator"], job=job)
    assert Problem.objects.get(number="BY-001").deadline == dt.date(2026, 12, 31)


def test_dates_in_every_common_form(people, units):
    forms = [
        "2026-12-31",
        "2026/12/31",
        "2026.12.31",
        "2026年12月31日",
        "20261231",
        46387,
        "2026年12月底",
        "2026年底前",
    ]
    job = run(
        people["coordinator"],
        import_workbook([import_row(f"BY-{i}", 整改时限=v) for i, v in enumerate(forms)]),
    )
    assert job.status == ImportStatus.VALID, job.errors
    import_job_commit(actor=people["coordinator"], job=job)
    assert set(Problem.objects.values_list("deadline", flat=True)) == {dt.date(2026, 12, 31)}


def test_unknown_units_are_named_with_a_suggestion(people, units):
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 牵头单位="区水务", 配合单位="石井街道、火星街道")]),
    )
    found = {e["column"]: e for e in job.errors}
    assert found["牵头单位"]["value"] == "区水务"
    assert "区水务局" in found["牵头单位"]["reason"]  # did you mean
    assert found["配合单位"]["value"] == "石井街道、火星街道" and "火星街道" in found["配合单位"]["reason"]


def test_units_by_full_name_short_name_or_code(people, units):
    job = run(
        people["coordinator"],
        import_workbook(
            [
                import_row("BY-001", 牵头单位="白云区水务局"),
                import_row("BY-002", 牵头单位="swj"),
                import_row("BY-003", 配合单位="石井"),
            ]
        ),
    )
    assert job.status == ImportStatus.VALID, job.errors


def test_unknown_choice_labels_list_the_allowed_ones(people, units):
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 问题来源="网上举报", 问题类型="水、光污染")]),
    )
    found = {e["column"]: e["reason"] for e in job.errors}
    assert "自查自纠" in found["问题来源"] and "交办信访件" in found["问题来源"]
    assert "光污染" in found["问题类型"]


def test_duplicate_numbers_within_the_file(people, units):
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001"), import_row("BY-002"), import_row("BY-001", "另一个问题")]),
    )
    assert errors_of(job) == [(4, "问题编号", "BY-001")]
    assert "第 2 行" in job.errors[0]["reason"]


def test_numbers_used_by_another_units_problem(people, units):
    ProblemFactory(minimal=True, number="BY-001", lead_unit=units["sanyuanli"])
    job = run(people["water"], import_workbook([import_row("BY-001")]))
    assert job.status == ImportStatus.INVALID
    assert job.errors[0]["column"] == "问题编号" and "其他单位" in job.errors[0]["reason"]


def test_deadline_before_registration(people, units):
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 整改时限="2026-08-01", 登记日期="2026-09-01")]),
    )
    assert errors_of(job) == [(2, "整改时限", "2026-08-01")]
    assert "早于登记日期" in job.errors[0]["reason"]


def test_registration_date_in_the_future(people, units, clock):
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 登记日期=clock.today + dt.timedelta(days=1))]),
    )
    assert job.errors[0]["column"] == "登记日期"


def test_required_cells_may_not_be_blank(people, units):
    job = run(people["coordinator"], import_workbook([import_row("BY-001", 整改任务=None, 问题来源="  ")]))
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "整改任务"), (2, "问题来源")}
    assert all("必填" in e["reason"] for e in job.errors)


def test_every_error_is_reported_at_once(people, units):
    rows = [import_row(f"BY-{i}", 整改时限="bad") for i in range(30)] + [
        import_row("BY-X", 牵头单位="不存在的局")
    ]
    job = run(people["coordinator"], import_workbook(rows))
    assert job.error_count == 31 and len(job.errors) == 31


def test_older_layout_headers_are_recognised(people, units):
    headers = ["编号", "问题名称", "问题来源", "污染类型", "责任单位", "验收单位", "完成时限"]
    data = import_workbook(
        [
            {
                "编号": "OLD-1",
                "问题名称": "旧表格的问题",
                "问题来源": "历次督察反馈",
                "污染类型": "噪声",
                "责任单位": "区住建局",
                "验收单位": "生态环境分局",
                "完成时限": "2026年12月31日",
            }
        ],
        headers=headers,
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors
    import_job_commit(actor=people["coordinator"], job=job)
    assert Problem.objects.get(number="OLD-1").lead_unit == units["zjj"]


def test_title_rows_above_the_header_are_skipped(people, units):
    data = import_workbook(
        [import_row("BY-001")],
        above=[["白云区生态环境问题整改台账"], ["填报单位：区水务局", None, "填报日期：2026年9月1日"]],
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID, job.errors
    assert job.result["header_row"] == 3 and job.result["rows"][0]["row"] == 4


def test_unknown_columns_are_ignored_and_named(people, units):
    data = import_workbook(
        [{**import_row("BY-001"), "内部备注": "x"}], headers=[*import_row().keys(), "内部备注"]
    )
    job = run(people["coordinator"], data)
    assert job.status == ImportStatus.VALID and job.result["ignored"] == ["内部备注"]


def test_office_may_assign_on_import(people, units):
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001"), import_row("BY-002", 验收销号单位=None)]),
        assign=True,
    )
    summary = import_job_commit(actor=people["coordinator"], job=job)
    assert summary["assigned"] == 1
    assert Problem.objects.get(number="BY-001").status == ProblemStatus.ASSIGNED
    assert Problem.objects.get(number="BY-002").status == ProblemStatus.REGISTERED


# --- scope ---------------------------------------------------------------------------------------------


def test_unit_staff_import_the_problems_their_unit_leads(people, units):
    job = run(people["water"], import_workbook([import_row("BY-001"), import_row("BY-002")]))
    assert job.status == ImportStatus.VALID, job.errors
    import_job_commit(actor=people["water"], job=job)
    assert set(Problem.objects.values_list("lead_unit__code", flat=True)) == {"swj"}


def test_rows_outside_the_staffs_scope_refuse_the_whole_file(people, units):
    job = run(
        people["water"],
        import_workbook(
            [import_row("BY-001"), import_row("BY-002", 牵头单位="三元里街道"), import_row("BY-003")]
        ),
    )
    assert job.status == ImportStatus.INVALID
    assert errors_of(job) == [(3, "牵头单位", "三元里街道")]
    assert "超出您的导入范围" in job.errors[0]["reason"]
    with pytest.raises(ServiceError):  # an invalid file is never committed
        import_job_commit(actor=people["water"], job=job)
    assert Problem.objects.count() == 0


def test_unit_staff_import_only_self_inspection_problems(people, units):
    job = run(people["water"], import_workbook([import_row("BY-001"), import_row("BY-002", 问题来源="历次督察反馈")]))
    assert job.status == ImportStatus.INVALID
    assert errors_of(job) == [(3, "问题来源", "历次督察反馈")]
    assert "单位只能登记自查自纠问题" in job.errors[0]["reason"]
    assert Problem.objects.count() == 0


def test_scope_lost_between_preview_and_commit_refuses_the_commit(people, units):
    from ecoinspect.orgs.models import Membership

    staff = people["water"]
    job = run(staff, import_workbook([import_row("BY-001"), import_row("BY-002")]))
    assert job.status == ImportStatus.VALID
    Membership.objects.filter(user=staff).update(unit=units["sanyuanli"])  # moved to another unit
    staff = type(staff).objects.get(pk=staff.pk)
    with pytest.raises(ImportChanged):
        import_job_commit(actor=staff, job=job)
    assert Problem.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and job.error_count == 2


def test_rows_found_outside_the_scope_after_writing_roll_everything_back(people, units, monkeypatch):
    """The last line of defence (DESIGN.md §4.3): even when the row checks and the service's own check are
    bypassed, the re-check after writing finds the rows and the transaction is rolled back."""
    from ecoinspect.core.imports import ImportScopeError
    from ecoinspect.ledger import importers
    from ecoinspect.ledger.services import bulk
    from ecoinspect.orgs import access

    staff = people["water"]
    monkeypatch.setattr(importers, "lead_in_scope", lambda actor, unit, office: True)
    job = run(
        staff,
        import_workbook(
            [
                import_row("BY-001"),
                import_row("BY-002", 牵头单位="三元里街道"),
                import_row("BY-003", 牵头单位="太和镇"),
            ]
        ),
    )
    assert job.status == ImportStatus.VALID
    monkeypatch.setattr(bulk, "user_scope", lambda user, perm: access.EVERYTHING)
    logged = ActionLog.objects.count()
    with pytest.raises(ImportScopeError) as refused:
        import_job_commit(actor=staff, job=job)
    message = str(refused.value)
    assert "第 3 行（BY-002）" in message and "第 4 行（BY-003）" in message and "BY-001" not in message
    assert Problem.objects.count() == 0
    assert not ChangeLog.objects.filter(object_type="ledger.problem").exists()
    assert ActionLog.objects.count() == logged
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "第 3 行（BY-002）" in job.errors[0]["reason"]


def test_unit_staff_cannot_change_registered_problems_by_import(people, units):
    import_job_commit(
        actor=people["water"], job=run(people["water"], import_workbook([import_row("BY-001")]))
    )
    job = run(people["water"], import_workbook([import_row("BY-001", "改过的标题")]))
    assert job.status == ImportStatus.INVALID and "只能由区督察迎检办修改" in job.errors[0]["reason"]
    unchanged = run(people["water"], import_workbook([import_row("BY-001")]))  # the same file again is fine
    assert (unchanged.status, unchanged.unchanged_count) == (ImportStatus.VALID, 1)


def test_only_the_uploader_commits(people, units):
    from ecoinspect.common.errors import NotPermitted

    job = run(people["water"], import_workbook([import_row("BY-001")]))
    with pytest.raises(NotPermitted):
        import_job_commit(actor=people["coordinator"], job=job)


def test_data_changed_since_the_preview_refuses_the_commit(people, units):
    job = run(people["coordinator"], import_workbook([import_row("BY-001")]))
    ProblemFactory(minimal=True, number="BY-001")  # someone registered it meanwhile
    with pytest.raises(ImportChanged):
        import_job_commit(actor=people["coordinator"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID  # the fresh preview shows the difference (deadline, etc.)
    assert Problem.objects.count() == 1


def test_committing_twice_is_refused(people, units):
    job = run(people["coordinator"], import_workbook([import_row("BY-001")]))
    import_job_commit(actor=people["coordinator"], job=job)
    with pytest.raises(ServiceError):
        import_job_commit(actor=people["coordinator"], job=job)
    assert Problem.objects.count() == 1


def test_importer_works_without_http(people, units, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(import_workbook([import_row("BY-001"), import_row("BY-002", 整改时限="bad")]))
    preview = LedgerImporter(actor=people["coordinator"]).validate(path)
    assert preview.counts["create"] == 1 and preview.counts["error"] == 1
    assert "第 3 行" in preview.errors[0].message


MEASURES_HEADERS = [*IMPORT_HEADERS, "整改措施"]


def test_the_measures_column_registers_each_line_as_a_measure_of_the_new_problem(people, units):
    cell = "1. 排查沿河排水口\n2、封堵晴天排污口；（3）沿河1.5公里范围每周巡查\n\n① 建立巡查台账"
    job = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 整改措施=cell)], headers=MEASURES_HEADERS),
    )
    import_job_commit(actor=people["coordinator"], job=job)

    problem = Problem.objects.get(number="BY-001")
    measures = list(problem.measures.order_by("sort_order"))
    assert [m.content for m in measures] == [
        "排查沿河排水口",
        "封堵晴天排污口",
        "沿河1.5公里范围每周巡查",
        "建立巡查台账",
    ]
    assert {(m.owner_unit_id, m.deadline, m.done_on) for m in measures} == {
        (units["swj"].pk, dt.date(2026, 12, 31), None)
    }
    assert ChangeLog.objects.filter(object_type="ledger.measure", operation="create").count() == 4
    logged = ActionLog.objects.for_object(problem).get(action="ledger.problem.imported")
    assert logged.payload["measures"] == 4


def test_measures_of_a_problem_already_registered_are_not_touched_by_a_reimport(people, units):
    first = import_workbook([import_row("BY-001", 整改措施="排查沿河排水口")], headers=MEASURES_HEADERS)
    import_job_commit(actor=people["coordinator"], job=run(people["coordinator"], first))
    again = run(
        people["coordinator"],
        import_workbook([import_row("BY-001", 整改措施="另一条措施\n再一条措施")], headers=MEASURES_HEADERS),
    )

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    import_job_commit(actor=people["coordinator"], job=again)
    problem = Problem.objects.get(number="BY-001")
    assert list(problem.measures.values_list("content", flat=True)) == ["排查沿河排水口"]


def test_too_many_measures_in_one_cell_is_an_error_on_that_cell_and_nothing_is_written(people, units):
    cell = "\n".join(f"{i}. 措施{i}" for i in range(1, 32))
    job = run(
        people["coordinator"],
        import_workbook(
            [import_row("BY-001"), import_row("BY-002", 整改措施=cell)], headers=MEASURES_HEADERS
        ),
    )

    assert job.status == ImportStatus.INVALID
    assert [(r, c) for r, c, _v in errors_of(job)] == [(3, "整改措施")]
    assert "超过 30 条" in job.errors[0]["reason"]
    assert not Problem.objects.filter(number__startswith="BY-").exists()
