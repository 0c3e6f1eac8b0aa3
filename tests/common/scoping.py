"""我的导出 (common.export_pages): an export built by the worker is its owner's alone — nobody else, of
any unit or role, sees its page, its progress or its file, or finds it in their list."""

from __future__ import annotations

from tests.factories import ExportJobFactory, TicketFactory
from tests.scoping import Case


def _export(owner: str, marker: str):
    """A built export of the tickets ``owner`` sees — one titled ``marker`` — in a file named ``marker``."""

    def build(ctx):
        TicketFactory(title=marker, lead_unit=ctx["structure"]["swj"])
        job = ExportJobFactory(owner=ctx["people"][owner], filename=f"{marker}.xlsx")
        return {"pk": job.pk}, marker

    return build


def _exports(owner: str, marker: str):
    def build(ctx):
        _export(owner, marker)(ctx)
        return {}, marker

    return build


CASES = [
    Case("exports:job", _export("water", "EXPORT-JOB-1"), owner="water", outsider="sanyuanli"),
    # owner-only: a district-wide role who sees every ticket still does not get someone else's file
    Case("exports:job", _export("water", "EXPORT-JOB-2"), owner="water", outsider="coordinator"),
    Case("exports:progress", _export("water", "EXPORT-JOB-3"), owner="water", outsider="coordinator"),
    Case("exports:download", _export("water", "EXPORT-JOB-4"), owner="water", outsider="sanyuanli"),
    Case("exports:download", _export("coordinator", "EXPORT-JOB-5"), owner="coordinator", outsider="water"),
    Case(
        "exports:list", _exports("water", "EXPORT-JOB-6"), owner="water", outsider="coordinator", kind="list"
    ),
]

OPEN: dict[str, str] = {}
