"""The official tables of the ledger as Word and Excel files, for the problems the list page shows.

Both pages bind the one ProblemFilter to the query string the list page links with, show what will be
exported, and with ``?format=docx`` or ``?format=xlsx`` return the file (exporters.py builds it).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.common.export import download
from ecoinspect.core.permissions import has_perm

from .. import exporters, selectors
from ..filters import ProblemFilter

PREVIEW_ROWS = 20
FORMATS = ("docx", "xlsx")


def _selection(request):
    if not has_perm(request.user, "ledger.view"):
        raise PermissionDenied
    params = request.GET.copy()
    for key in ("format", "page"):
        params.pop(key, None)
    filters = ProblemFilter(params or None, user=request.user)
    return filters, selectors.problem_list(user=request.user, filters=filters), params


def _page(request, *, template: str, title: str, intro: str, filters, qs, params, extra=None):
    context = {
        "title": title,
        "intro": intro,
        "filters": filters,
        "count": qs.count(),
        "preview": list(qs[:PREVIEW_ROWS]),
        "preview_limit": PREVIEW_ROWS,
        "query": params.urlencode(),
        **(extra or {}),
    }
    return render(request, template, context)


def _filename(stem: str, kind: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{kind}"


@login_required
def export_progress(request):
    """整改进展情况表 (Guangdong format): 序号 | 整改任务 | 整改时限 | 整改措施 | 目前进展情况及存在问题 |
    完成进度 | 备注 — one row per problem of the filtered list, in its order."""
    filters, qs, params = _selection(request)
    kind = request.GET.get("format")
    if kind in FORMATS:
        build = exporters.progress_table_docx if kind == "docx" else exporters.progress_table_xlsx
        return download(build(qs), _filename(_("整改进展情况表"), kind), kind)
    return _page(
        request,
        template="ledger/export_progress.html",
        title=_("导出整改进展情况表"),
        intro=_(
            "按广东省格式导出：序号、整改任务、整改时限、整改措施、目前进展情况及存在问题、完成进度、备注。"
            "导出的问题与台账页面按相同条件筛选的结果一致。"
        ),
        filters=filters,
        qs=qs,
        params=params,
    )


@login_required
def export_closing_notice(request):
    """验收销号公示: 序号 | 整改任务 | 整改目标 | 整改措施 | 整改完成情况, under each publicity period
    (10 个工作日 or 2 周) and its objection phone. Only problems with a publicity in their current cycle
    can be listed; the page says how many of the selection that leaves out."""
    filters, qs, params = _selection(request)
    published = exporters.closing_notice_queryset(qs)
    kind = request.GET.get("format")
    if kind in FORMATS:
        if not published.exists():
            messages.error(
                request,
                _(
                    "所选问题中没有已发布销号公示的问题，无法生成公示表。 / None of the selected problems has a publicity; nothing to export."
                ),
            )
            return redirect(f"{request.path}?{params.urlencode()}")
        build = exporters.closing_notice_docx if kind == "docx" else exporters.closing_notice_xlsx
        return download(build(qs), _filename(_("验收销号公示"), kind), kind)
    total = qs.count()
    listed = published.count()
    return _page(
        request,
        template="ledger/export_closing_notice.html",
        title=_("导出验收销号公示"),
        intro=_(
            "公示表列出所选问题中已发布销号公示的问题：序号、整改任务、整改目标、整改措施、整改完成情况，"
            "并注明公示期（10 个工作日或 2 周）和异议受理电话。"
        ),
        filters=filters,
        qs=published,
        params=params,
        extra={"selected": total, "left_out": total - listed},
    )
