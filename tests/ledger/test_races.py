"""Races in the ledger, with real threads on real connections (tests/concurrency.py): the same import
committed three times at once, two imports of the same new numbers at once, registrations numbered at the
same moment, one file uploaded eight times at once, a progress report submitted twice. Each ends with one
write and, for the others, an answer in words — never a server error, never a second copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from ecoinspect.common.errors import ServiceError
from ecoinspect.common.models import ImportJob, ImportStatus
from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
from ecoinspect.ledger import services
from ecoinspect.ledger.choices import ProgressStatus
from ecoinspect.ledger.importers import LedgerImporter
from ecoinspect.ledger.models import Evidence, Problem, ProgressReport
from tests.concurrency import client_of, race, said
from tests.factories import ProblemFactory, import_row, import_workbook, png_bytes, upload, xlsx_upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("racing_db", "clock", "media_root"),
]




def validated_job(actor, rows) -> ImportJob:
    job = import_job_create(
        actor=actor, kind=LedgerImporter.kind, uploaded=xlsx_upload(import_workbook(rows))
    )
    import_job_validate(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    return job


def test_one_job_committed_three_times_at_once_is_written_once_and_the_others_are_told(people):
    """Three confirmations of one job at once (three tabs, a double click): one is taken for the worker, the
    other two are told in words that it is already being written."""
    job = validated_job(people["coordinator"], [import_row("BY-101"), import_row("BY-102", "第二个问题")])
    clients = [client_of(people["coordinator"]) for _ in range(3)]
    url = reverse("ledger:import_commit", args=[job.pk])

    outcomes = race(3, lambda i: clients[i].post(url))

    assert [o.error for o in outcomes] == [None, None, None]
    assert all(o.value.status_code == 302 for o in outcomes)
    messages = [said(o.value) for o in outcomes]
    assert sum("已确认导入" in m or "不会重复导入" in m for m in messages) == 2, messages
    assert sorted(Problem.objects.values_list("number", flat=True)) == ["BY-101", "BY-102"]
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.result["committed"]["created"] == ["BY-101", "BY-102"]


def test_the_commit_service_called_three_times_at_once_writes_once_and_refuses_the_others_in_words(people):
    """Below the page: the worker (or a retried task) committing one job three times at once."""
    job = validated_job(people["coordinator"], [import_row("BY-111"), import_row("BY-112", "第二个问题")])

    outcomes = race(3, lambda i: import_job_commit(actor=people["coordinator"], job=ImportJob.objects.get(pk=job.pk)))

    written = [o for o in outcomes if o.error is None]
    refused = [o for o in outcomes if o.error is not None]
    assert len(written) == 1 and written[0].value["created"] == ["BY-111", "BY-112"]
    assert len(refused) == 2
    for outcome in refused:
        assert isinstance(outcome.error, ServiceError), repr(outcome.error)
        assert "不会重复导入" in " ".join(outcome.error.messages)
    assert Problem.objects.count() == 2


def test_two_imports_of_the_same_new_numbers_at_once_the_loser_is_told_which_numbers_exist(people):
    rows_a = [import_row("BY-201"), import_row("BY-202", "甲文件的问题"), import_row("BY-203", "只在甲文件")]
    rows_b = [import_row("BY-204", "只在乙文件"), import_row("BY-202", "乙文件的问题"), import_row("BY-201")]
    jobs = [validated_job(people["coordinator"], rows_a), validated_job(people["coordinator"], rows_b)]
    clients = [client_of(people["coordinator"]) for _ in jobs]

    outcomes = race(2, lambda i: clients[i].post(reverse("ledger:import_commit", args=[jobs[i].pk])))

    assert [o.error for o in outcomes] == [None, None]
    assert all(o.value.status_code == 302 for o in outcomes)
    statuses = [ImportJob.objects.get(pk=j.pk).status for j in jobs]
    assert sorted(st == ImportStatus.COMMITTED for st in statuses) == [False, True], statuses
    winner = statuses.index(ImportStatus.COMMITTED)
    numbers = set(Problem.objects.values_list("number", flat=True))
    won = {"BY-201", "BY-202", "BY-203"} if winner == 0 else {"BY-201", "BY-202", "BY-204"}
    assert numbers == won  # nothing of the loser's file is half-written
    # the loser's page (where the redirect leads) says which numbers exist and that nothing was imported
    loser = clients[1 - winner].get(outcomes[1 - winner].value["Location"]).content.decode()
    assert "BY-201" in loser and "BY-202" in loser and "已存在" in loser
    assert "未导入任何内容" in loser


def test_registrations_at_the_same_moment_get_different_numbers(people, structure):
    water = people["water"]

    def register(i):
        return services.problem_register(
            actor=water,
            title=f"同时登记 {i}",
            source="self_inspection",
            lead_unit=structure["swj"],
            problem_types=["water"],
            address="石井街道某村",
        ).number

    outcomes = race(4, register)

    assert [o.error for o in outcomes] == [None] * 4
    assert len({o.value for o in outcomes}) == 4
    assert Problem.objects.count() == 4


def test_the_same_number_registered_twice_at_once_is_refused_in_words(people, structure):
    office = people["coordinator"]

    def register(i):
        return services.problem_register(
            actor=office,
            number="BY-777",
            title=f"同号登记 {i}",
            source="self_inspection",
            lead_unit=structure["swj"],
            problem_types=["water"],
            address="石井街道某村",
        )

    outcomes = race(2, register)

    assert sum(o.ok for o in outcomes) == 1
    refused = next(o.error for o in outcomes if not o.ok)
    assert "BY-777" in " ".join(refused.messages) and "已存在" in " ".join(refused.messages), refused
    assert Problem.objects.filter(number="BY-777").count() == 1


def test_eight_uploads_of_one_file_at_once_store_one_copy(people, media_root, rendezvous_storage):
    data = import_workbook([import_row(f"BY-{n:03d}") for n in range(50)])
    coordinator = people["coordinator"]
    rendezvous_storage.meet(8)  # all eight look for the file before any of them stores it

    def create(i):
        return import_job_create(actor=coordinator, kind=LedgerImporter.kind, uploaded=xlsx_upload(data))

    outcomes = race(8, create)

    assert [o.error for o in outcomes] == [None] * 8
    stored = [p for p in Path(media_root, "imports").rglob("*") if p.is_file()]
    assert len(stored) == 1, stored  # no <sha>_AbC12xY.xlsx beside it, no temporary file left
    assert stored[0].read_bytes() == data
    assert {o.value.file.name for o in outcomes} == {f"imports/{stored[0].parent.name}/{stored[0].name}"}


def test_eight_uploads_through_the_page_at_once_answer_each_and_store_one_copy(
    people, media_root, rendezvous_storage
):
    data = import_workbook([import_row("BY-301")])
    clients = [client_of(people["coordinator"]) for _ in range(8)]
    url = reverse("ledger:import_upload")
    rendezvous_storage.meet(8)

    outcomes = race(8, lambda i: clients[i].post(url, {"file": xlsx_upload(data)}))

    assert [o.error for o in outcomes] == [None] * 8
    assert all(o.value.status_code == 302 for o in outcomes)
    assert len([p for p in Path(media_root, "imports").rglob("*") if p.is_file()]) == 1


def test_a_progress_report_submitted_twice_at_once_is_stored_once(people, structure):
    problem = ProblemFactory(status="rectifying", lead_unit=structure["swj"])
    water = people["water"]
    url = reverse("ledger:report_add", args=[problem.pk])
    form = client_of(water).get(url)
    key = form.context["form"]["submission_key"].value()
    assert key and f'value="{key}"' in form.content.decode()
    clients = [client_of(water) for _ in range(2)]
    data = {
        "text": "已完成截污管网铺设",
        "progress_status": ProgressStatus.ON_SCHEDULE,
        "reported_on": "2026-09-07",
        "submission_key": key,
    }

    outcomes = race(2, lambda i: clients[i].post(url, data))

    assert [o.error for o in outcomes] == [None, None]
    assert all(o.value.status_code == 302 for o in outcomes)
    messages = [said(o.value) for o in outcomes]
    assert sum("已报送整改进展" in m for m in messages) == 1, messages
    assert sum("已提交过" in m for m in messages) == 1, messages
    assert ProgressReport.objects.filter(problem=problem).count() == 1


def test_the_same_evidence_uploaded_twice_at_once_is_kept_once(people, structure, media_root):
    problem = ProblemFactory(status="rectifying", lead_unit=structure["swj"])
    water = people["water"]
    data = png_bytes()

    def add(i):
        return services.evidence_add(
            actor=water, problem=problem, uploaded=upload("现场.png", data, "image/png"), kind="photo"
        )

    outcomes = race(2, add)

    assert sum(o.ok for o in outcomes) == 1
    refused = next(o.error for o in outcomes if not o.ok)
    assert "已上传过" in " ".join(refused.messages)
    assert Evidence.objects.filter(problem=problem).count() == 1
    files = [p for p in Path(media_root, "evidence").rglob("*") if p.is_file() and "thumbs" not in p.parts]
    assert len(files) == 1, files
