"""The ledger's official tables (DESIGN.md §6) for any selection of problems.

Every function takes the queryset the list page shows (``selectors.problem_list(user=..., filters=...)``)
and returns the file's bytes, so an export always matches the screen:

* rectification progress table (Guangdong format) —
  ``序号 | 整改任务 | 整改时限 | 整改措施 | 目前进展情况及存在问题 | 完成进度 | 备注``
  → :func:`progress_table_docx`, :func:`progress_table_xlsx`;
* closing notice (验收销号公示) — ``序号 | 整改任务 | 整改目标 | 整改措施 | 整改完成情况`` under the
  publicity period and the objection phone of the problems' Publicity rows
  → :func:`closing_notice_docx`, :func:`closing_notice_xlsx`.

Queries do not grow with the number of problems: measures, publicity and acceptances are prefetched in
chunks of 2,000 and the latest progress report comes from a subquery.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.official_tables import (
    BODY_FONT,
    HEADER_FONT,
    LATIN_FONT,
    TITLE_FONT,
    OfficialTable,
    TableGroup,
    chinese_date,
    to_docx,
    to_xlsx,
)

from . import deadlines
from .choices import AcceptanceMethod, DeadlineKind, ProgressStatus, WarningLevel
from .models import Acceptance, Measure, Problem, ProgressReport, Publicity
from .services.review import PUBLICITY_PERIODS

CHUNK = 2000
PROGRESS_HEADERS = (
    _lazy("序号"),
    _lazy("整改任务"),
    _lazy("整改时限"),
    _lazy("整改措施"),
    _lazy("目前进展情况及存在问题"),
    _lazy("完成进度"),
    _lazy("备注"),
)
PROGRESS_WIDTHS = (12, 50, 24, 60, 60, 20, 31)
CLOSING_HEADERS = (
    _lazy("序号"),
    _lazy("整改任务"),
    _lazy("整改目标"),
    _lazy("整改措施"),
    _lazy("整改完成情况"),
)
CLOSING_WIDTHS = (12, 55, 45, 70, 75)


@dataclass
class Record:
    """What the tables need of one problem, read with ``values()`` (no model instances: 10,000 problems
    with their measures take well under a second to gather)."""

    pk: int
    number: str
    title: str
    target: str
    deadline_kind: str
    deadline: dt.date | None
    progress_status: str
    cycle: int
    warning: str
    lead_unit: str
    acceptance_unit: str
    latest_report: str | None
    latest_report_on: dt.date | None
    measures: list[tuple[str, dt.date | None]] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    publicity: dict | None = None
    acceptance: dict | None = None


def _unit_name(short: str | None, name: str | None) -> str:
    return short or name or ""  # Unit.__str__


def records(qs: QuerySet[Problem], *, closing: bool = False) -> Iterator[Record]:
    """The problems of ``qs`` in its order, with measures, cooperating units and the latest report;
    with ``closing``, also the current cycle's publicity and passed acceptance. Five queries (seven with
    ``closing``) per 2,000 problems."""
    latest = ProgressReport.objects.filter(problem=OuterRef("pk")).order_by("-cycle", "-reported_on", "-pk")
    rows = (
        qs.prefetch_related(None)
        .annotate(
            latest_report=Subquery(latest.values("text")[:1]),
            latest_report_on=Subquery(latest.values("reported_on")[:1]),
        )
        .values(
            "pk",
            "number",
            "title",
            "target",
            "deadline_kind",
            "deadline",
            "progress_status",
            "cycle",
            "lead_unit__short_name",
            "lead_unit__name",
            "acceptance_unit__short_name",
            "acceptance_unit__name",
            "latest_report",
            "latest_report_on",
            *(["warning"] if "warning" in qs.query.annotations else []),
        )
    )
    chunk: list[dict] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _complete(chunk, closing)
            chunk = []
    if chunk:
        yield from _complete(chunk, closing)


def _complete(chunk: list[dict], closing: bool) -> Iterator[Record]:
    ids = [r["pk"] for r in chunk]
    measures: dict[int, list] = defaultdict(list)
    for problem_id, content, done_on in (
        Measure.objects.filter(problem_id__in=ids)
        .order_by("problem_id", "sort_order", "pk")
        .values_list("problem_id", "content", "done_on")
    ):
        measures[problem_id].append((content, done_on))
    cooperating: dict[int, list] = defaultdict(list)
    through = Problem.cooperating_units.through
    for problem_id, short, name in (
        through.objects.filter(problem_id__in=ids)
        .order_by("problem_id", "unit__sort_order", "unit__code")
        .values_list("problem_id", "unit__short_name", "unit__name")
    ):
        cooperating[problem_id].append(_unit_name(short, name))
    cycles = {r["pk"]: r["cycle"] for r in chunk}
    publicity: dict[int, dict] = {}
    acceptance: dict[int, dict] = {}
    if closing:
        for p in Publicity.objects.filter(problem_id__in=ids).order_by("-pk").values():
            if p["cycle"] == cycles[p["problem_id"]]:
                publicity.setdefault(p["problem_id"], p)
        for a in (
            Acceptance.objects.filter(problem_id__in=ids, passed=True)
            .order_by("-pk")
            .values(
                "problem_id", "cycle", "accepted_on", "method", "opinion", "unit__short_name", "unit__name"
            )
        ):
            if a["cycle"] == cycles[a["problem_id"]]:
                acceptance.setdefault(a["problem_id"], a)
    for r in chunk:
        yield Record(
            pk=r["pk"],
            number=r["number"],
            title=r["title"],
            target=r["target"],
            deadline_kind=r["deadline_kind"],
            deadline=r["deadline"],
            progress_status=r["progress_status"],
            cycle=r["cycle"],
            warning=r.get("warning") or WarningLevel.NONE,
            lead_unit=_unit_name(r["lead_unit__short_name"], r["lead_unit__name"]),
            acceptance_unit=_unit_name(r["acceptance_unit__short_name"], r["acceptance_unit__name"]),
            latest_report=r["latest_report"],
            latest_report_on=r["latest_report_on"],
            measures=measures.get(r["pk"], []),
            cooperating=cooperating.get(r["pk"], []),
            publicity=publicity.get(r["pk"]),
            acceptance=acceptance.get(r["pk"]),
        )


def deadline_text(problem: Record | Problem) -> str:
    """整改时限 as the official tables write it: a date, 立行立改 (with its date) or 长期坚持."""
    if problem.deadline_kind == DeadlineKind.LONG_TERM:
        return _("长期坚持")
    estimate = _("（预估）") if deadlines.deadline_estimated(problem) else ""
    if problem.deadline_kind == DeadlineKind.IMMEDIATE:
        return (
            _("立行立改") + (f"（{chinese_date(problem.deadline)}前）" if problem.deadline else "") + estimate
        )
    return chinese_date(problem.deadline) + estimate


def measures_text(record: Record, *, with_done: bool = True) -> str:
    """The measures, numbered, one per line; done ones marked （已完成）."""
    done_mark = _("（已完成）")
    return "\n".join(
        f"{index}. {content}{done_mark if with_done and done_on else ''}"
        for index, (content, done_on) in enumerate(record.measures, start=1)
    )


def progress_text(record: Record) -> str:
    if not record.latest_report:
        return _("暂未报送进展。")
    return _("截至%(d)s：%(t)s") % {"d": chinese_date(record.latest_report_on), "t": record.latest_report}


def remarks_text(record: Record) -> str:
    parts = [_("编号：%(n)s") % {"n": record.number}]
    if record.lead_unit:
        parts.append(_("牵头单位：%(u)s") % {"u": record.lead_unit})
    if record.cooperating:
        parts.append(_("配合单位：%(u)s") % {"u": "、".join(record.cooperating)})
    if record.warning and record.warning != WarningLevel.NONE:
        parts.append(_("预警：%(w)s") % {"w": WarningLevel.label(record.warning)})
    return "\n".join(parts)


def progress_rows(qs: QuerySet[Problem]) -> Iterable[list[str]]:
    for index, record in enumerate(records(qs), start=1):
        yield [
            str(index),
            record.title,
            deadline_text(record),
            measures_text(record),
            progress_text(record),
            ProgressStatus.text(record.progress_status),
            remarks_text(record),
        ]


def _district() -> str:
    return settings.ECOINSPECT_DISTRICT_NAME


def progress_table(
    qs: QuerySet[Problem], *, title: str | None = None, today: dt.date | None = None
) -> OfficialTable:
    today = today or timezone.localdate()
    return OfficialTable(
        title=title or _("%(d)s生态环境保护督察整改任务推进情况表") % {"d": _district()},
        headers=[str(h) for h in PROGRESS_HEADERS],
        widths_mm=list(PROGRESS_WIDTHS),
        groups=[TableGroup(rows=list(progress_rows(qs)))],
        date_line=_("填报日期：%(d)s") % {"d": chinese_date(today)},
        sheet_name=_("整改进展"),
        centred_columns=(0, 2, 5),
    )


def progress_table_docx(
    qs: QuerySet[Problem], *, title: str | None = None, today: dt.date | None = None
) -> bytes:
    with translation.override("zh-hans"):
        return to_docx(progress_table(qs, title=title, today=today))


def progress_table_xlsx(
    qs: QuerySet[Problem], *, title: str | None = None, today: dt.date | None = None
) -> bytes:
    with translation.override("zh-hans"):
        return to_xlsx(progress_table(qs, title=title, today=today))


# --- closing notice -----------------------------------------------------------------------------


def closing_notice_queryset(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """The problems of ``qs`` that have a publicity in their current cycle (the others cannot be listed)."""
    published = Publicity.objects.filter(cycle=F("problem__cycle")).values("problem_id")
    return qs.filter(pk__in=published)


def completion_text(record: Record) -> str:
    lines = [record.latest_report] if record.latest_report else []
    a = record.acceptance
    if a is not None:
        lines.append(
            _("验收情况：%(d)s经%(u)s%(m)s验收通过。验收意见：%(o)s")
            % {
                "d": chinese_date(a["accepted_on"]),
                "u": _unit_name(a["unit__short_name"], a["unit__name"]) or record.acceptance_unit,
                "m": AcceptanceMethod.label(a["method"]),
                "o": a["opinion"],
            }
        )
    return "\n".join(lines)


def period_over(publicity: dict, today: dt.date) -> bool:
    return publicity["ends_on"] < today


def period_note(publicity: dict, today: dt.date | None = None) -> str:
    """The group's line: the period (written 已于…公示 once it is over), channel, phone, and the real
    publication when the publisher recorded it."""
    today = today or timezone.localdate()
    rule = PUBLICITY_PERIODS.get(publicity["period_rule"], publicity["period_rule"])
    values = {
        "s": chinese_date(publicity["starts_on"]),
        "e": chinese_date(publicity["ends_on"]),
        "rule": rule,
        "c": publicity["channel"],
        "p": publicity["objection_phone"],
    }
    if period_over(publicity, today):
        note = (
            _("已于%(s)s至%(e)s公示（%(rule)s，公示期已结束）；公示渠道：%(c)s；异议受理电话：%(p)s") % values
        )
    else:
        note = _("公示期：%(s)s至%(e)s（%(rule)s）；公示渠道：%(c)s；异议受理电话：%(p)s") % values
    if publicity.get("published_at"):
        at = timezone.localtime(publicity["published_at"])
        note += _("；实际发布：%(t)s，%(w)s") % {
            "t": f"{chinese_date(at.date())} {at:%H:%M}",
            "w": publicity["published_where"],
        }
    return note


def closing_groups(qs: QuerySet[Problem]) -> list[tuple[dict, list[list[str]]]]:
    """Rows grouped by publicity (period, channel and phone), earliest period first."""
    groups: dict[tuple, tuple[dict, list[list[str]]]] = {}
    for record in records(closing_notice_queryset(qs), closing=True):
        p = record.publicity
        key = (
            p["starts_on"],
            p["ends_on"],
            p["period_rule"],
            p["channel"],
            p["objection_phone"],
            p["published_at"],
            p["published_where"],
        )
        rows = groups.setdefault(key, (p, []))[1]
        rows.append(
            [
                str(len(rows) + 1),
                record.title,
                record.target,
                measures_text(record, with_done=False),
                completion_text(record),
            ]
        )
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], k[1], k[3], k[4], str(k[5] or ""), k[6]))]


def closing_intro(groups: list[tuple[dict, list[list[str]]]], today: dt.date) -> list[str]:
    """现予公示 only for periods not over yet; a period that is over is written 已于…公示."""
    current = [(p, rows) for p, rows in groups if not period_over(p, today)]
    over = [(p, rows) for p, rows in groups if period_over(p, today)]
    n_current = sum(len(rows) for _p, rows in current)
    n_over = sum(len(rows) for _p, rows in over)
    phones = "、".join(dict.fromkeys(p["objection_phone"] for p, _rows in current)) or "—"
    invitation = _(
        "根据生态环境保护督察整改工作要求，以下 %(n)s 项整改任务已完成整改并经验收合格，拟予以销号，现予公示。"
        "公示期间，任何单位和个人对整改情况有异议的，可通过异议受理电话 %(p)s 反映。"
    )
    if not over:
        return [invitation % {"n": n_current, "p": phones}]
    if not current:
        if len(over) == 1:
            p = over[0][0]
            return [
                _(
                    "根据生态环境保护督察整改工作要求，以下 %(n)s 项整改任务已完成整改并经验收合格，"
                    "已于%(s)s至%(e)s公示，公示期已结束，拟予以销号。"
                )
                % {"n": n_over, "s": chinese_date(p["starts_on"]), "e": chinese_date(p["ends_on"])}
            ]
        return [
            _(
                "根据生态环境保护督察整改工作要求，以下 %(n)s 项整改任务已完成整改并经验收合格，"
                "已于所列公示期内公示，公示期已结束，拟予以销号。"
            )
            % {"n": n_over}
        ]
    return [
        _("根据生态环境保护督察整改工作要求，以下 %(n)s 项整改任务已完成整改并经验收合格，拟予以销号。")
        % {"n": n_current + n_over},
        _(
            "其中 %(n)s 项现予公示。公示期间，任何单位和个人对整改情况有异议的，可通过异议受理电话 %(p)s 反映。"
        )
        % {"n": n_current, "p": phones},
        _("其余 %(n)s 项已于所列公示期内公示，公示期已结束。") % {"n": n_over},
    ]


def closing_notice(
    qs: QuerySet[Problem], *, title: str | None = None, today: dt.date | None = None
) -> OfficialTable:
    """The notice is dated the day it is issued (``today``), whatever the periods it lists."""
    today = today or timezone.localdate()
    groups = closing_groups(qs)
    return OfficialTable(
        title=title or _("%(d)s生态环境保护督察整改任务验收销号公示") % {"d": _district()},
        headers=[str(h) for h in CLOSING_HEADERS],
        widths_mm=list(CLOSING_WIDTHS),
        groups=[TableGroup(rows=rows, note=period_note(p, today)) for p, rows in groups],
        date_line=chinese_date(today),
        intro=closing_intro(groups, today),
        outro=[_("%(d)s生态环境保护督察迎检工作领导小组办公室") % {"d": _district()}],
        sheet_name=_("验收销号公示"),
        centred_columns=(0,),
    )


def closing_notice_docx(
    qs: QuerySet[Problem], *, title: str | None = None, today: dt.date | None = None
) -> bytes:
    with translation.override("zh-hans"):
        return to_docx(closing_notice(qs, title=title, today=today))


def closing_notice_xlsx(
    qs: QuerySet[Problem], *, title: str | None = None, today: dt.date | None = None
) -> bytes:
    with translation.override("zh-hans"):
        return to_xlsx(closing_notice(qs, title=title, today=today))


# --- 督办单 (a supervision notice as a Word document) ----------------------------------------------------


def _fonts(run, font: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def supervision_notice_docx(notice, problems: Iterable[Problem]) -> bytes:
    """The notice as it is sent on paper: number, the unit supervised, the problems (number, task, lead
    unit, deadline, status, warning), the requirements, the reply due date, who issued it and when."""
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    with translation.override("zh-hans"):
        document = docx.Document()
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(26)
        section.top_margin = section.bottom_margin = Mm(25)

        def paragraph(text: str, *, size=14, font=BODY_FONT, bold=False, align=None, indent=False):
            p = document.add_paragraph()
            if align is not None:
                p.alignment = align
            if indent:
                p.paragraph_format.first_line_indent = Pt(size * 2)
            _fonts(p.add_run(text), font, size, bold)
            return p

        paragraph(
            _("%(district)s生态环境保护督察整改督办单") % {"district": _district()},
            size=20,
            font=TITLE_FONT,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        paragraph(_("编号：%(n)s") % {"n": notice.number}, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph(_("%(unit)s：") % {"unit": notice.unit.name}, bold=True)
        paragraph(_("经核查，你单位牵头或配合的下列整改问题逾期或进展滞后，现予督办。"), indent=True)
        rows = list(problems)
        headers = [_("序号"), _("问题编号"), _("整改任务"), _("牵头单位"), _("整改时限"), _("状态"), _("预警")]
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(str(text)), HEADER_FONT, 10.5, bold=True)
        for index, problem in enumerate(rows, start=1):
            warning = getattr(problem, "warning", None)
            values = [
                str(index),
                problem.number,
                problem.title,
                str(problem.lead_unit or "—"),
                deadline_text(problem),
                str(problem.get_status_display()),
                WarningLevel.text(warning) if warning and warning != WarningLevel.NONE else "—",
            ]
            for cell, text in zip(table.add_row().cells, values):
                cell.text = ""
                _fonts(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)
        paragraph(_("督办要求："), bold=True)
        for line in (notice.requirements or "").splitlines() or [""]:
            if line.strip():
                paragraph(line.strip(), indent=True)
        paragraph(
            _("请于 %(date)s 前将整改落实情况书面回复区督察迎检办。") % {"date": chinese_date(notice.reply_due)},
            indent=True,
        )
        issuer = getattr(notice.issued_by, "full_name", "") or str(notice.issued_by)
        paragraph(_("签发人：%(who)s") % {"who": issuer}, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph(
            _("签发时间：%(when)s") % {"when": chinese_date(timezone.localdate(notice.issued_at))},
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        )
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()
