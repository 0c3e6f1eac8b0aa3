"""重复投诉热点 (未督先改): the ranked list of places and facilities complained about again and again, with
its export (``?format=xlsx`` or ``?format=csv``: the hotspots the page shows, one row each)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.export import csv_bytes, download, xlsx_bytes
from ecoinspect.common.text_bounds import BoundedForm

from .. import hotspots as hs
from .. import selectors
from ..choices import PetitionStatus, Verdict

KIND_LABELS = {hs.FACILITY: _lazy("设施"), hs.ADDRESS: _lazy("地址"), hs.PLACE: _lazy("地点"), hs.REPEAT: _lazy("同一投诉")}
KIND_COLOURS = {hs.FACILITY: "danger", hs.ADDRESS: "warning", hs.PLACE: "info", hs.REPEAT: "secondary"}


class HotspotFilter(BoundedForm):
    q = forms.CharField(label=_lazy("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _lazy("名称、地址、受理编号")}))
    town = forms.CharField(label=_lazy("属地镇街"), required=False)
    covered = forms.ChoiceField(
        label=_lazy("整改台账"),
        required=False,
        choices=[("", _lazy("全部")), ("no", _lazy("未纳入整改台账")), ("yes", _lazy("已纳入整改台账"))],
    )
    min_cases = forms.IntegerField(
        label=_lazy("至少几件"),
        required=False,
        min_value=2,
        max_value=100,
        error_messages={"min_value": _lazy("“至少几件”最小为 2：一件投诉不构成重复。")},
    )

    def apply(self, found: list[hs.Hotspot]) -> list[hs.Hotspot]:
        if not self.is_valid():
            return found
        data = self.cleaned_data
        q = (data.get("q") or "").strip()
        if q:
            found = [
                h for h in found
                if any(q in k for k in h.keys) or q in h.label or any(q in c["acceptance_no"] for c in h.cases)
            ]
        if data.get("town"):
            found = [h for h in found if h.town == data["town"]]
        if data.get("covered") == "yes":
            found = [h for h in found if h.covered]
        elif data.get("covered") == "no":
            found = [h for h in found if not h.covered]
        if data.get("min_cases"):
            found = [h for h in found if h.count >= data["min_cases"]]
        return found


HEADERS = (
    _lazy("排名"), _lazy("热点"), _lazy("类别"), _lazy("属地镇街"), _lazy("件数"), _lazy("轮次数"), _lazy("涉及轮次"),
    _lazy("最近交办日期"), _lazy("问题类型"), _lazy("整改问题"), _lazy("受理编号"), _lazy("其他名称"),
)


def _problems_text(h: hs.Hotspot) -> str:
    if not h.problems:
        return _("未纳入整改台账")
    return "、".join(p["number"] or _("已纳入（其他单位的问题）") for p in h.problems)


def export_rows(found: list[hs.Hotspot]) -> list[list]:
    return [
        [
            h.rank, h.label, str(KIND_LABELS[h.kind]), h.town, h.count, len(h.rounds), "、".join(h.rounds), h.latest,
            "、".join(h.types), _problems_text(h), "、".join(c["acceptance_no"] for c in h.cases),
            "、".join(k for k in h.keys if k != h.label),
        ]
        for h in found
    ]


def _item(h: hs.Hotspot) -> dict:
    """What a row of the page shows of a hotspot: its kind's badge, and each case with its link and badges."""
    cases = [
        c | {
            "url": reverse("petitions:petition_detail", args=[c["pk"]]),
            "status_label": PetitionStatus.label(c["status"]),
            "status_colour": PetitionStatus.colour(c["status"]),
            "verdict_label": Verdict.label(c["verdict"]) if c["verdict"] else "",
        }
        for c in h.cases
    ]
    aliases = [k for k in h.keys if k != h.label]
    return {
        "h": h,
        "kind_label": KIND_LABELS[h.kind],
        "kind_colour": KIND_COLOURS[h.kind],
        "cases": cases,
        "aliases": aliases[:5],
        "more_aliases": max(0, len(aliases) - 5),
    }


@login_required
def hotspot_list(request):
    if not request.user.has_perm("petitions.view"):
        raise PermissionDenied
    found = hs.hotspots(selectors.figures_queryset(user=request.user), user=request.user)
    towns = sorted({h.town for h in found if h.town})
    filters = HotspotFilter(request.GET or None)
    shown = filters.apply(found)
    kind = request.GET.get("format")
    if kind in ("csv", "xlsx"):
        headers = [str(h) for h in HEADERS]
        rows = export_rows(shown)
        title = _("重复投诉热点")
        content = csv_bytes(headers, rows) if kind == "csv" else xlsx_bytes(headers, rows, title=title)
        return download(content, f"{title}-{timezone.localtime():%Y%m%d-%H%M}.{kind}", kind)
    page = Paginator(shown, 30).get_page(request.GET.get("page"))
    context = {
        "title": _("重复投诉热点"),
        "filters": filters,
        "towns": towns,
        "page_obj": page,
        "items": [_item(h) for h in page.object_list],
        "total": len(found),
        "shown": len(shown),
        "uncovered": sum(1 for h in found if not h.covered),
        "covered": sum(1 for h in found if h.covered),
        "cases": sum(h.count for h in found),
    }
    return render(request, "petitions/hotspots.html", context)
