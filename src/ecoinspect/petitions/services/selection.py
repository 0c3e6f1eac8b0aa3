"""Writes on a selection of cases (the batch page's and the list's 批量操作): each case through its own
service and transaction (``core.selection.each``), the outcome row by row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from ecoinspect.common.errors import ServiceError
from ecoinspect.core.selection import SelectionOutcome, each
from ecoinspect.core.services import require
from ecoinspect.orgs.models import Unit

from ..models import Petition
from .cases import petition_assign, petition_mark
from .suggestion_decisions import accepted_lead


def _by_suggestion(actor, petition: Petition, note: str) -> Petition:
    lead = accepted_lead(petition)
    if lead is None:
        raise ServiceError({"units": _("牵头部门建议尚未采纳或更正，请先确认后再按建议交办。")})
    cooperating = [petition.town] if petition.town_id and petition.town_id != lead.pk else []
    return petition_assign(actor=actor, petition=petition, lead=lead, cooperating=cooperating, note=note)


def _units_of(petition: Petition) -> str:
    return "、".join(a.unit.short_name or a.unit.name for a in petition.assignments.select_related("unit"))


def petitions_assign(
    *,
    actor,
    petitions: Iterable[Petition],
    by_suggestion: bool = False,
    lead: Unit | None = None,
    cooperating: Sequence[Unit] = (),
    note: str = "",
) -> SelectionOutcome:
    """交办 each selected case: ``by_suggestion`` to the lead department the office accepted for it, with
    its town cooperating; otherwise to ``lead`` with ``cooperating`` (一件多派). A case that cannot be
    assigned (already reported, no accepted department) is refused with the reason; the others go."""
    require(actor, "petitions.assign")
    if not by_suggestion and lead is None and not cooperating:
        raise ServiceError({"units": _("请选择承办单位，或使用“按建议交办”。")})

    def write(petition: Petition):
        if by_suggestion:
            return _by_suggestion(actor, petition, note)
        return petition_assign(actor=actor, petition=petition, lead=lead, cooperating=list(cooperating), note=note)

    return each(
        _("批量交办"),
        petitions,
        write,
        lambda petition, result: _("已交办：%(units)s") % {"units": _units_of(result)},
    )


def petitions_mark(
    *, actor, petitions: Iterable[Petition], is_key: bool | None = None, is_supervised: bool | None = None
) -> SelectionOutcome:
    """重点件 / 督办 set (or lifted) on each selected case."""
    require(actor, "petitions.assign")
    words = []
    if is_key is not None:
        words.append(_("重点件") if is_key else _("取消重点件"))
    if is_supervised is not None:
        words.append(_("督办") if is_supervised else _("取消督办"))
    label = "、".join(words)
    return each(
        _("批量标记"),
        petitions,
        lambda p: petition_mark(actor=actor, petition=p, is_key=is_key, is_supervised=is_supervised),
        _("已标记：%(what)s") % {"what": label},
    )
