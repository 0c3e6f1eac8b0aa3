"""The official tables of the ledger as Word and Excel files, for the problems the list page shows.

Both pages are the generic export page (core.views.exports) over the one ProblemFilter and the list's
selector: they show what will be exported, and with ``?format=docx`` or ``?format=xlsx`` return the file
(exporters.py builds it).
"""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.core.views.exports import ExportView

from .. import exporters, selectors
from ..filters import ProblemFilter
from .lists import PROBLEM_COLUMNS

_LIST_COLUMNS = {column.key: column for column in PROBLEM_COLUMNS}
#: The preview table: the list page's columns, unsorted.
PREVIEW_COLUMNS = tuple(
    dataclasses.replace(_LIST_COLUMNS[key], sort=None, css=css)
    for key, css in (
        ("number", "text-nowrap"),
        ("title", ""),
        ("lead_unit", "text-nowrap"),
        ("deadline", "text-nowrap"),
        ("status", ""),
        ("progress_status", ""),
    )
)


class ProblemExportView(ExportView):
    perm = "ledger.view"
    filterset_class = ProblemFilter
    preview_columns = PREVIEW_COLUMNS

    def selector(self, *, user, filters):
        return selectors.problem_list(user=user, filters=filters)


class ProgressExportView(ProblemExportView):
    """整改进展情况表 (Guangdong format): 序号 | 整改任务 | 整改时限 | 整改措施 | 目前进展情况及存在问题 |
    完成进度 | 备注 — one row per problem of the filtered list, in its order."""

    template_name = "ledger/export_progress.html"
    title = _lazy("导出整改进展情况表")
    intro = _lazy(
        "按广东省格式导出：序号、整改任务、整改时限、整改措施、目前进展情况及存在问题、完成进度、备注。"
        "导出的问题与台账页面按相同条件筛选的结果一致。"
    )
    builders = {"docx": exporters.progress_table_docx, "xlsx": exporters.progress_table_xlsx}
    file_stem = _lazy("整改进展情况表")


class ClosingNoticeExportView(ProblemExportView):
    """验收销号公示: 序号 | 整改任务 | 整改目标 | 整改措施 | 整改完成情况, under each publicity period
    (10 个工作日 or 2 周) and its objection phone. Only problems with a publicity in their current cycle
    can be listed; the page says how many of the selection that leaves out."""

    template_name = "ledger/export_closing_notice.html"
    title = _lazy("导出验收销号公示")
    intro = _lazy(
        "公示表列出所选问题中已发布销号公示的问题：序号、整改任务、整改目标、整改措施、整改完成情况，"
        "并注明公示期（10 个工作日或 2 周）和异议受理电话。"
    )
    builders = {"docx": exporters.closing_notice_docx, "xlsx": exporters.closing_notice_xlsx}
    file_stem = _lazy("验收销号公示")

    def exported(self, selection):
        return exporters.closing_notice_queryset(selection)

    def refusal(self, exported):
        if exported.exists():
            return None
        return _(
            "所选问题中没有已发布销号公示的问题，无法生成公示表。"
        )

    def extra_context(self, selection, exported):
        total = selection.count()
        return {"selected": total, "left_out": total - exported.count()}
