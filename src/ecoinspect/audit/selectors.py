"""Reads of the audit trail: verification of the chain, timelines, the auditor's lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from . import hashing
from .models import ActionLog, ChangeLog


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason_zh: str = ""
    reason_en: str = ""

    def message(self) -> str:
        if self.ok:
            return _("操作日志哈希链完整，共校验 %(n)s 条。") % {"n": self.checked}
        reason = self.reason_en if translation.get_language() == "en" else self.reason_zh
        return _("操作日志哈希链在第 %(seq)s 条（id=%(id)s）处断开：%(reason)s") % {
            "seq": self.broken_seq,
            "id": self.broken_id,
            "reason": reason,
        }


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Recompute every hash in order; report the first row that was changed, inserted, removed or moved."""
    expected_prev = hashing.GENESIS
    expected_seq = 1
    checked = 0
    for row in ActionLog.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if row.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                row.seq,
                row.pk,
                f"序号不连续（应为 {expected_seq}），此前的记录被删除或插入",
                f"sequence gap (expected {expected_seq}): rows before it were deleted or inserted",
            )
        if row.prev_hash != expected_prev:
            return ChainReport(
                False,
                checked,
                row.seq,
                row.pk,
                "记录的前一条哈希与上一条记录不符，记录被移动或替换",
                "its previous-hash does not match the row before: rows were moved or replaced",
            )
        if row.computed_hash() != row.hash:
            return ChainReport(
                False,
                checked,
                row.seq,
                row.pk,
                "记录内容与其哈希不符，内容被篡改",
                "its content does not match its hash: the row was altered",
            )
        expected_prev = row.hash
        expected_seq += 1
        checked += 1
    return ChainReport(True, checked)


def action_log_for(*, obj: models.Model) -> models.QuerySet[ActionLog]:
    """The timeline of one record, newest first. The caller fetched ``obj`` through ``restrict()``."""
    return ActionLog.objects.for_object(obj).select_related("actor").order_by("-seq")


def action_log_list(*, user, filters=None) -> models.QuerySet[ActionLog]:
    """The whole action log, for auditors and the inspection office."""
    if not user.has_perm("audit.audit"):
        return ActionLog.objects.none()
    qs = ActionLog.objects.select_related("actor").order_by("-seq")
    return filters.filter_queryset(qs) if filters is not None else qs


def change_log_list(*, user, filters=None) -> models.QuerySet[ChangeLog]:
    if not user.has_perm("audit.audit"):
        return ChangeLog.objects.none()
    qs = ChangeLog.objects.select_related("user").order_by("-time", "-id")
    return filters.filter_queryset(qs) if filters is not None else qs
