"""The smallest importer: tickets by title, with a deadline — to show what an app writes to get the
generic import pages (core.views.imports): this class and two lines in its urls."""

from __future__ import annotations

import io

from openpyxl import Workbook

from ecoinspect.common import import_cells as cells
from ecoinspect.core.imports import Column, Importer, ImportScopeError
from ecoinspect.core.permissions import active_memberships, restrict

from .models import Ticket


class TicketImporter(Importer):
    kind = "testapp.ticket"
    title = "工单导入模板"
    sheet_name = "工单"
    key = "title"
    overseer_perm = "testapp.assign"
    columns = (
        Column("title", "标题", cells.text(100), required=True),
        Column("deadline", "期限", cells.date(), date=True),
    )

    def check_rows(self, rows) -> None:
        titles = [r.values["title"] for r in rows if r.values.get("title")]
        existing = {t.title: t for t in Ticket.objects.filter(title__in=titles)}
        for row in rows:
            ticket = existing.get(row.values.get("title"))
            if ticket is None:
                row.action = "create"
            elif row.values.get("deadline") not in (None, ticket.deadline):
                row.action, row.changes, row.existing = "update", ["期限"], ticket
            else:
                row.action = "unchanged"

    def write(self, preview, job) -> dict:
        unit = active_memberships(self.actor)[0].unit
        created, updated = [], []
        for row in preview.rows:
            if row.action == "create":
                created.append(
                    Ticket.objects.create(
                        title=row.values["title"], deadline=row.values["deadline"], lead_unit=unit
                    )
                )
            elif row.action == "update":
                row.existing.deadline = row.values["deadline"]
                row.existing.save()
                updated.append(row.existing)
        return {
            "created": [t.title for t in created],
            "updated": [t.title for t in updated],
            "unchanged": sum(1 for r in preview.rows if r.action == "unchanged"),
            "_ids": [t.pk for t in created + updated],
        }

    def recheck(self, summary: dict) -> None:
        ids = summary.pop("_ids")
        if restrict(Ticket.objects.filter(pk__in=ids), self.actor, "testapp.work").count() != len(ids):
            raise ImportScopeError("超出范围 / out of scope", code="scope")


def workbook(rows: list[tuple]) -> bytes:
    """A filled-in file for the tests: the template's header, then ``rows`` of (标题, 期限)."""
    book = Workbook()
    sheet = book.active
    sheet.title = TicketImporter.sheet_name
    sheet.append([column.header for column in TicketImporter.columns])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
