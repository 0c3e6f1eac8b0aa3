"""边督边改 daily figures: the page with its charts, and the daily report as Word."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.charts import colour, series
from ecoinspect.common.export import download
from ecoinspect.common.text_bounds import BoundedForm
from ecoinspect.common.widgets import date_input

from .. import figures_report, selectors, stats
from ..models import InspectionRound


class FiguresForm(BoundedForm):
    round = forms.ModelChoiceField(
        label=_lazy("督察轮次"), queryset=InspectionRound.objects.none(), required=False, empty_label=None
    )
    day = forms.DateField(
        label=_lazy("统计日期"),
        required=False,
        widget=date_input(),
        error_messages={"invalid": _lazy("统计日期应写成 2026-06-01 这样的日期。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = selectors.rounds_with_cases()

    def clean_day(self):
        day = self.cleaned_data.get("day")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("统计日期不能晚于今天。"))
        return day


def default_day(rnd: InspectionRound, qs) -> dt.date:
    """Today while the round is under way; for a finished round, the last day it transferred cases."""
    today = timezone.localdate()
    if rnd.stationed_on <= today and (rnd.ends_on is None or today <= rnd.ends_on):
        return today
    last = qs.filter(round=rnd, received_on__lte=today).order_by("-received_on").values_list("received_on", flat=True).first()
    return last or min(rnd.ends_on or today, today)


def _choose(request):
    """The round and day asked for (the current round and its default day otherwise), the form, and the
    restricted cases; a bad value is said on the page and the default used."""
    if not request.user.has_perm("petitions.view"):
        raise PermissionDenied
    form = FiguresForm(request.GET or None)
    qs = selectors.figures_queryset(user=request.user)
    rnd, day = None, None
    if form.is_bound:
        if form.is_valid():
            rnd, day = form.cleaned_data.get("round"), form.cleaned_data.get("day")
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.warning(request, error)
    rnd = rnd or selectors.round_current()
    if rnd is not None and day is None:
        day = default_day(rnd, qs)
    return form, rnd, day, qs


def _scope(user) -> tuple[str, str]:
    """The name heading the report and who the cases were transferred to, in the person's scope."""
    everything, units = selectors.figures_scope(user=user)
    if everything:
        return settings.ECOINSPECT_DISTRICT_NAME, _("我区")
    names = "、".join(u.short_name for u in units) or _("本单位")
    return names, names


def _charts(rf: stats.RoundFigures) -> dict:
    t = rf.total
    return {
        "days": {
            "labels": [d["day"].strftime("%m-%d") for d in rf.days],
            "count": [d["count"] for d in rf.days],
            "total": [d["total"] for d in rf.days],
        },
        "channels": series(t.channels),
        "types": series(t.types),
        "verdicts": series(t.verdicts),
        "closures": series(t.closures),
        "units": [{"name": u["label"], "value": u["count"], "colour": colour("primary")} for u in t.units[:15]],
        "towns": [{"name": u["label"], "value": u["count"], "colour": colour("info")} for u in t.towns],
        "labels": {"count": _("当日交办"), "total": _("累计交办")},
    }


@login_required
def figures_page(request):
    form, rnd, day, qs = _choose(request)
    scope_name, subject = _scope(request.user)
    context = {"title": _("边督边改数据"), "form": form, "round": rnd, "day": day, "scope_name": scope_name}
    if rnd is not None:
        rf = stats.round_figures(qs, rnd=rnd, day=day)
        context |= {
            "rf": rf,
            "day_text": figures_report.day_paragraph(rf, subject=subject),
            "total_text": figures_report.total_paragraph(rf, subject=subject),
            "tables": figures_report.tables(rf),
            "charts": _charts(rf),
            "query": f"round={rnd.pk}&day={day.isoformat()}",
        }
    return render(request, "petitions/figures.html", context)


@login_required
def figures_report_docx(request):
    form, rnd, day, qs = _choose(request)
    if rnd is None:
        raise PermissionDenied(_("还没有督察轮次。"))
    scope_name, subject = _scope(request.user)
    rf = stats.round_figures(qs, rnd=rnd, day=day)
    content = figures_report.daily_docx(rf, scope_name=scope_name, subject=subject)
    name = _("边督边改情况日报") + f"-{day:%Y%m%d}.docx"
    return download(content, name, "docx")
