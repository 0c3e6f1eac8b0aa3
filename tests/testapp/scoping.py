"""The test-only Ticket page: lead, cooperating and acceptance units see it; other units do not. Its import
jobs (the generic import pages) are their uploader's and the overseers'; its export lists what one sees."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ecoinspect.core.import_jobs import import_job_create, import_job_validate
from tests.factories import TicketFactory
from tests.scoping import Case
from tests.testapp.importers import TicketImporter, workbook
from tests.testapp.models import Ticket


def _ticket(marker: str, lead: str | None = None, coop: tuple[str, ...] = (), acceptance: str | None = None):
    def build(ctx):
        units = ctx["structure"]
        ticket = TicketFactory(
            title=marker,
            status=Ticket.WORKING,
            lead_unit=units[lead] if lead else None,
            acceptance_unit=units[acceptance] if acceptance else None,
            cooperating=[units[c] for c in coop],
        )
        return {"pk": ticket.pk}, marker

    return build


def _job(owner: str, marker: str):
    """A checked import job uploaded by ``owner`` (file name = marker); the URL takes its pk."""

    def build(ctx):
        upload = SimpleUploadedFile(f"{marker}.xlsx", workbook([(marker, None)]))
        job = import_job_create(actor=ctx["people"][owner], kind=TicketImporter.kind, uploaded=upload)
        import_job_validate(job)
        return {"pk": job.pk}, marker

    return build


def _jobs(owner: str, marker: str):
    def build(ctx):
        _job(owner, marker)(ctx)
        return {}, marker

    return build


def _listed(marker: str, lead: str):
    def build(ctx):
        TicketFactory(title=marker, lead_unit=ctx["structure"][lead])
        return {}, marker

    return build


CASES = [
    Case(
        "testapp:ticket_detail",
        _ticket("TICKET-MARK-1", lead="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
    ),
    Case(
        "testapp:ticket_detail",
        _ticket("TICKET-MARK-2", lead="sanyuanli", coop=("taihe",)),
        owner="taihe",
        outsider="water",
    ),
    Case(
        "testapp:ticket_detail",
        _ticket("TICKET-MARK-3", lead="swj", acceptance="sthj"),
        owner="reviewer",
        outsider="housing",
    ),
    Case("testapp:ticket_detail", _ticket("TICKET-MARK-4", lead="swj"), owner="leader", outsider="sanyuanli"),
    Case("testapp:ticket_detail", _ticket("TICKET-MARK-5", lead="zjj"), owner="housing", outsider="nobody"),
    # a POST whose success redirects to the record's own page
    Case(
        "testapp:ticket_remind",
        _ticket("TICKET-MARK-6", lead="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
        method="post",
    ),
]


def _assigned_ticket_move(marker: str, lead: str):
    def build(ctx):
        ticket = TicketFactory(title=marker, status=Ticket.ASSIGNED, lead_unit=ctx["structure"][lead])
        return {"pk": ticket.pk, "action": "start"}, marker

    return build


CASES.append(
    Case(
        "testapp:ticket_move",
        _assigned_ticket_move("TICKET-MOVE-1", "sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
        method="post",
    )
)

CASES += [
    Case(
        "testapp:import_upload",
        _jobs("water", "TICKET-IMPORT-1"),
        owner="water",
        outsider="sanyuanli",
        kind="list",
    ),
    Case("testapp:import_preview", _job("water", "TICKET-IMPORT-2"), owner="water", outsider="sanyuanli"),
    Case("testapp:import_preview", _job("water", "TICKET-IMPORT-3"), owner="coordinator", outsider="housing"),
    Case("testapp:import_progress", _job("water", "TICKET-IMPORT-5"), owner="water", outsider="sanyuanli"),
    Case("testapp:import_progress", _job("water", "TICKET-IMPORT-6"), owner="coordinator", outsider="housing"),
    Case(
        "testapp:import_commit",
        _job("water", "TICKET-IMPORT-4"),
        owner="water",
        outsider="sanyuanli",
        method="post",
    ),
    Case(
        "testapp:ticket_export",
        _listed("TICKET-EXPORT-1", "swj"),
        owner="water",
        outsider="sanyuanli",
        kind="list",
    ),
]

OPEN: dict[str, str] = {"testapp:import_template": "the blank template, the same for everyone"}
