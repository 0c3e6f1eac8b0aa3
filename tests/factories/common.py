"""Factories of common: working-day overrides, number sequences, import jobs, export jobs."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from ecoinspect.common.models import ExportJob, ImportJob, NumberSequence, WorkdayOverride

from .files import xlsx_upload
from .orgs import UserFactory


class WorkdayOverrideFactory(DjangoModelFactory):
    """A 工作日历 entry: a day made a working day (调休) or a day off; the calendar's cache is cleared by the
    model's signals."""

    class Meta:
        model = WorkdayOverride
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: dt.date(2030, 1, 1) + dt.timedelta(days=n))
    is_workday = False
    note = "测试调整"


class NumberSequenceFactory(DjangoModelFactory):
    """The last number handed out for a prefix and year (e.g. to test what comes next)."""

    class Meta:
        model = NumberSequence

    prefix = "TEST"
    year = 2026
    last = 0


class ImportJobFactory(factory.Factory):
    """An upload stored by ``import_job_create`` (the ledger's template unless ``kind`` says otherwise) and,
    unless ``validated=False``, checked by ``import_job_validate`` as the page's task does. ``content`` is
    the file's bytes (default: the ledger template with one valid row), ``name`` its file name."""

    class Meta:
        model = ImportJob

    created_by = factory.SubFactory(UserFactory)
    kind = factory.LazyFunction(lambda: _ledger_importer().kind)
    content = factory.LazyFunction(lambda: _ledger_workbook())
    name = "台账.xlsx"
    options = None

    @classmethod
    def _create(cls, model_class, *, created_by, kind, content, name, options, validated=True):
        from ecoinspect.core.import_jobs import import_job_create, import_job_validate

        job = import_job_create(
            actor=created_by, kind=kind, uploaded=xlsx_upload(content, name), options=options
        )
        if validated:
            import_job_validate(job)
            job.refresh_from_db()
        return job


def _ledger_importer():
    from ecoinspect.ledger.importers import LedgerImporter

    return LedgerImporter


def _ledger_workbook() -> bytes:
    from .ledger import import_row, import_workbook

    return import_workbook([import_row()])


class ExportJobFactory(factory.Factory):
    """An export asked for by ``owner`` on the page at ``path`` (default: the test app's ticket export) with
    ``query``, queued by ``export_job_create`` as the page does when the rows are many — and, under the
    immediate backend the tests run with, built at once by the task (``ExportJob.file`` holds the file)."""

    class Meta:
        model = ExportJob

    owner = factory.SubFactory(UserFactory)
    path = factory.LazyFunction(lambda: _reverse("testapp:ticket_export"))
    query = ""
    kind = "xlsx"
    filename = "导出工单.xlsx"
    title = "导出工单"
    total = 1

    @classmethod
    def _create(cls, model_class, *, owner, path, query, kind, filename, title, total):
        from django.test import RequestFactory

        from ecoinspect.common.export_jobs import export_job_create

        request = RequestFactory().get(f"{path}?{query}")
        request.user = owner
        return export_job_create(actor=owner, request=request, kind=kind, title=title, filename=filename, total=total)


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
