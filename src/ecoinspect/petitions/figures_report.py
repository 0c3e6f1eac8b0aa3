"""The daily report (边督边改情况) as Word: a title, the day's paragraph and the cumulative paragraph in the
wording the province uses in its daily publications, then the tables the page shows (by batch, by unit, by
town, by type, verdicts and closures, enforcement).

The paragraphs follow the published pattern — "M月D日，督察组向我区转办第N批群众信访举报件X件（来电a件，
来信b件），其中涉及……；按污染类型分（部分信访件涉及多种污染类型），……" and "截至M月D日，……已办结x件、
阶段性办结y件、正在办理z件，责令整改x家，立案处罚x家，罚款x万元……" — written from :mod:`stats`, never typed.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from ecoinspect.common.official_tables import (
    BODY_FONT,
    HEADER_FONT,
    LATIN_FONT,
    TITLE_FONT,
    chinese_date,
    chinese_number,
    set_fonts,
)

from .stats import Figures, RoundFigures


def batch_name(number: int) -> str:
    """第二十批 (in Chinese numerals when the reader reads Chinese)."""
    shown = chinese_number(number) if translation.get_language().startswith("zh") else str(number)
    return _("第%(n)s批") % {"n": shown}


def day_text(day) -> str:
    return _("%(m)s月%(d)s日") % {"m": day.month, "d": day.day}


def full_date(day) -> str:
    return chinese_date(day) if translation.get_language().startswith("zh") else day.isoformat()


def _join(parts: list[str]) -> str:
    return "、".join(parts)


def _channels(f: Figures) -> str:
    return _("来电%(phone)s件，来信%(letter)s件") % {
        "phone": f.count("channels", "phone"),
        "letter": f.count("channels", "letter"),
    }


def _where(f: Figures) -> str:
    parts = [_("%(name)s%(n)s件") % {"name": r["label"], "n": r["count"]} for r in f.towns]
    return _("其中涉及%(parts)s") % {"parts": _join(parts)} if parts else ""


def _types(f: Figures) -> str:
    parts = [_("%(name)s%(n)s件") % {"name": r["label"], "n": r["count"]} for r in f.types if r["count"]]
    if not parts:
        return ""
    return _("按污染类型分（部分信访件涉及多种污染类型），%(parts)s") % {"parts": _join(parts)}


def day_paragraph(rf: RoundFigures, *, subject: str) -> str:
    """The day's transfer: how many cases, by channel, where, of which types."""
    f = rf.today
    if not f.received:
        return _("%(day)s，督察组未向%(subject)s转办群众信访举报件。") % {"day": day_text(rf.day), "subject": subject}
    batches = _join([batch_name(b["number"]) for b in rf.day_batches if b["number"] is not None])
    text = _("%(day)s，督察组向%(subject)s转办%(batches)s群众信访举报件%(n)s件（%(channels)s）") % {
        "day": day_text(rf.day),
        "subject": subject,
        "batches": batches,
        "n": f.received,
        "channels": _channels(f),
    }
    details = [part for part in (_where(f), _types(f)) if part]
    if details:
        text += "，" + "；".join(details)
    return text + _("。上述信访举报件已交办各有关单位，正在加快办理，处理和整改情况将及时向社会公开。")


def _enforcement(f: Figures) -> str:
    e = f.enforcement
    return _(
        "责令整改%(rectify_orders)s家，立案处罚%(penalty_cases)s家，罚款%(fine_amount)s万元，"
        "立案侦查%(criminal_cases)s件，行政拘留%(admin_detentions)s人，刑事拘留%(criminal_detentions)s人，"
        "约谈%(interviews)s人，问责%(accountable_people)s人"
    ) % e


def total_paragraph(rf: RoundFigures, *, subject: str) -> str:
    """Everything since stationing: batches and cases received, handled, closures, verdicts, enforcement."""
    f = rf.total
    numbers = rf.batch_numbers
    span = (
        _("第%(first)s—%(last)s批") % {"first": min(numbers), "last": max(numbers)}
        if len(numbers) > 1
        else (batch_name(numbers[0]) if numbers else "")
    )
    text = _("截至%(day)s，督察组共向%(subject)s转办%(span)s群众信访举报件%(n)s件（%(channels)s）") % {
        "day": day_text(rf.day),
        "subject": subject,
        "span": span,
        "n": f.received,
        "channels": _channels(f),
    }
    if f.repeats:
        text += _("，其中重复件%(n)s件") % {"n": f.repeats}
    text += _("。已调查处理并反馈%(n)s件，其中已办结%(closed)s件、阶段性办结%(stage)s件、正在办理%(progress)s件") % {
        "n": f.handled,
        "closed": f.count("closures", "closed"),
        "stage": f.count("closures", "stage_closed"),
        "progress": f.count("closures", "in_progress"),
    }
    text += _("；经核查，属实%(t)s件、基本属实%(b)s件、部分属实%(p)s件、不属实%(f)s件") % {
        "t": f.count("verdicts", "true"),
        "b": f.count("verdicts", "basically_true"),
        "p": f.count("verdicts", "partly_true"),
        "f": f.count("verdicts", "false"),
    }
    return text + _("。边督边改方面，共%(enforcement)s。") % {"enforcement": _enforcement(f)}


# --- tables (the same rows as the page) --------------------------------------------------------------


def _pair_rows(today: list[dict], total: list[dict]) -> list[list]:
    """Rows ``name | the day | cumulative`` for a breakdown (keys in the cumulative order)."""
    day = {r["key"]: r["count"] for r in today}
    return [[r["label"], day.get(r["key"], 0), r["count"]] for r in total]


def tables(rf: RoundFigures) -> list[tuple[str, list[str], list[list]]]:
    """(heading, headers, rows) of every table of the report."""
    day, cumulative = _("当日"), _("累计")
    t, d = rf.total, rf.today
    batches = [
        [batch_name(b["number"]) if b["number"] is not None else _("未编批"),
         b["received_on"].isoformat() if b["received_on"] else "", b["received"],
         b["phone"], b["letter"], b["handled"], b["closed"], b["stage_closed"], b["in_progress"]]
        for b in rf.batches
    ]
    batches.append([_("合计"), "", t.received, t.count("channels", "phone"), t.count("channels", "letter"), t.handled,
                    t.count("closures", "closed"), t.count("closures", "stage_closed"), t.count("closures", "in_progress")])
    units_day = {r["key"]: r["count"] for r in d.units}
    units = [[r["label"], units_day.get(r["key"], 0), r["count"], r["lead"]] for r in t.units]
    outcome = [[r["label"], r["count"], f"{r['rate']}%"] for r in t.verdicts]
    outcome.append([_("属实（含基本属实、部分属实）"), t.substantiated, f"{t.substantiated_rate}%"])
    outcome += [[r["label"], r["count"], f"{r['rate']}%"] for r in t.closures]
    day_enforcement = {r["key"]: r["value"] for r in d.enforcement_rows}
    enforcement = [
        [f"{r['label']}（{r['unit']}）", day_enforcement[r["key"]], r["value"]] for r in t.enforcement_rows
    ]
    return [
        (_("一、按批次"), [_("批次"), _("交办日期"), _("交办件数"), _("来电"), _("来信"), _("已反馈"), _("已办结"),
                        _("阶段性办结"), _("正在办理")], batches),
        (_("二、按承办单位"), [_("承办单位"), day, cumulative, _("其中牵头")], units),
        (_("三、按属地镇街"), [_("镇街"), day, cumulative], _pair_rows(d.towns, t.towns)),
        (_("四、按问题类型（一件多类分别计数）"), [_("问题类型"), day, cumulative], _pair_rows(d.types, t.types)),
        (_("五、核查结论与办结情况（累计，占已反馈件数）"), [_("项目"), _("件数"), _("占比")], outcome),
        (_("六、边督边改"), [_("项目"), day, cumulative], enforcement),
    ]


def title(rf: RoundFigures, *, scope_name: str) -> str:
    return _("%(scope)s交办信访件边督边改情况") % {"scope": scope_name}


def daily_docx(rf: RoundFigures, *, scope_name: str, subject: str) -> bytes:
    """The daily report; ``scope_name`` heads the title (the district, or the person's unit) and
    ``subject`` is who the cases were transferred to in the paragraphs (我区, or the unit)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(26)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    def paragraph(text: str, *, font=BODY_FONT, size=14, bold=False, align=None, indent=True):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.line_spacing = Pt(28)
        set_fonts(p.add_run(text), font, size, bold=bold)
        return p

    paragraph(title(rf, scope_name=scope_name), font=TITLE_FONT, size=20, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(f"（{rf.round}）", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(full_date(rf.day), size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    paragraph(day_paragraph(rf, subject=subject))
    paragraph(total_paragraph(rf, subject=subject))
    for heading, headers, rows in tables(rf):
        paragraph(heading, font=HEADER_FONT, size=14, indent=False)
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = ""
            set_fonts(cell.paragraphs[0].add_run(str(text)), HEADER_FONT, 10.5, bold=True)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                cell.text = ""
                set_fonts(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 10.5)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
