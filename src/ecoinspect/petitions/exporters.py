"""The disclosure table of a batch as Word and Excel (DESIGN.md §6, round-3 order), masked.

``群众信访举报转办和边督边改公开情况一览表（第N批）`` — the title the Guangdong publications carry — with the
round on the line below and the date of the latest disclosure; one table per disclosure of the batch
(第1次公开, 第2次公开 … when stage-closed cases were published again), each exactly as it was published
(``Disclosure.rows``). A batch imported from an earlier round's publication is reproduced as it was
published, with the personal data masked. The files and the public page read the same rows.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ecoinspect.common.i18n import district_language
from ecoinspect.common.official_tables import (
    OfficialTable,
    TableGroup,
    chinese_date,
    chinese_number,
    to_docx,
    to_xlsx,
)

from . import disclosure as pub
from .choices import Origin
from .models import TransferBatch


def disclosure_title(batch: TransferBatch) -> str:
    return _("群众信访举报转办和边督边改公开情况一览表（第%(n)s批）") % {"n": chinese_number(batch.number)}


def _group_note(group: pub.PublishedGroup, several: bool) -> str:
    if not several:
        return ""
    return _("第%(n)s次公开（%(date)s，%(count)s件）") % {
        "n": chinese_number(group.number),
        "date": chinese_date(group.issued_on),
        "count": len(group.rows),
    }


def disclosure_table(batch: TransferBatch, groups: list[pub.PublishedGroup] | None = None) -> OfficialTable:
    """The batch's published disclosure table (every disclosure, each as published)."""
    groups = pub.published_groups(batch) if groups is None else groups
    with district_language():
        if batch.origin == Origin.HISTORY:
            subtitle = _("%(round)s · 第%(n)s批（往轮公开表，个人信息已脱敏）") % {
                "round": batch.round.name,
                "n": batch.number,
            }
            date_line = _("交办日期：%(d)s") % {"d": chinese_date(batch.received_on)}
        else:
            subtitle = _("%(round)s · 第%(n)s批 · 交办日期 %(d)s") % {
                "round": batch.round.name,
                "n": batch.number,
                "d": chinese_date(batch.received_on),
            }
            latest = groups[-1].issued_on if groups else None
            date_line = _("公开日期：%(d)s") % {"d": chinese_date(latest)} if latest else ""
        several = len(groups) > 1
        return OfficialTable(
            title=disclosure_title(batch),
            headers=[str(c.header) for c in pub.COLUMNS],
            widths_mm=[c.width_mm for c in pub.COLUMNS],
            groups=[TableGroup(rows=g.values(), note=_group_note(g, several)) for g in groups],
            date_line=date_line,
            intro=[subtitle],
            sheet_name=_("第%(n)s批") % {"n": batch.number},
            centred_columns=tuple(i for i, c in enumerate(pub.COLUMNS) if c.centred),
        )


def row_count(table: OfficialTable) -> int:
    return sum(len(g.rows) for g in table.groups)


def disclosure_docx(batch: TransferBatch) -> bytes:
    return to_docx(disclosure_table(batch))


def disclosure_xlsx(batch: TransferBatch) -> bytes:
    return to_xlsx(disclosure_table(batch))


BUILDERS = {"docx": disclosure_docx, "xlsx": disclosure_xlsx}


def file_name(batch: TransferBatch, kind: str) -> str:
    with district_language():
        return _("第%(n)s批公开情况一览表.%(kind)s") % {"n": batch.number, "kind": kind}
