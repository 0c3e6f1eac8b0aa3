"""Reads of the audit trail: verification of the chain, timelines, the auditor's lists."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from . import anchors, hashing
from .anchors import Anchor
from .models import ActionLog, ChangeLog

ANCHORED = "audit.chain.anchored"


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


@dataclass(frozen=True)
class AnchorReport:
    """The chain held against an anchor: ``problems`` name what is missing or rewritten (in the active
    language); ``note`` says what was checked, or that there is no anchor yet."""

    path: Path
    anchor: Anchor | None
    problems: tuple[str, ...] = ()
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return list(self.problems) or ([self.note] if self.note else [])


@dataclass(frozen=True)
class AuditReport:
    chain: ChainReport
    anchored: AnchorReport

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.anchored.ok

    def message(self) -> str:
        return "\n".join([self.chain.message(), *self.anchored.lines()])


def _without_anchor(path: Path, *, required: bool) -> AnchorReport:
    if required:
        return AnchorReport(path, None, (_("锚点文件 %(path)s 不存在或其中没有锚点。") % {"path": path},))
    written = (
        ActionLog.objects.filter(action=ANCHORED, payload__file=os.path.abspath(path))
        .order_by("-seq")
        .first()
    )
    if written is not None:
        problem = _(
            "操作日志记载 %(time)s 向 %(path)s 写过锚点，但该文件现已不存在或为空："
            "锚点文件被删除，或 ECOINSPECT_AUDIT_ANCHOR_DIR 指向了别处。"
        ) % {"time": f"{written.created_at:%Y-%m-%d %H:%M:%S}", "path": path}
        return AnchorReport(path, None, (problem,))
    note = _(
        "尚无锚点（%(path)s）：删除最新的记录或清空整表还无法发现。"
        "请运行 ecoinspect audit anchor，并由 cron 每晚运行。"
    ) % {"path": path}
    return AnchorReport(path, None, note=note)


def _signature_problems(anchor: Anchor) -> list[str]:
    key = anchors.key()
    when = {"time": anchor.when()}
    if key and not anchor.hmac:
        return [
            _(
                "%(time)s 的锚点没有密钥签名，但已配置审计密钥：锚点可能被替换过。"
                "若它写于配置密钥之前，请核对后把该文件移到别处保存，再运行 ecoinspect audit anchor。"
            )
            % when
        ]
    if key and not anchor.signature_ok(key):
        return [_("%(time)s 的锚点密钥签名不符：锚点被改写过，或审计密钥已更换。") % when]
    if not key and anchor.hmac:
        return [
            _(
                "%(time)s 的锚点带有密钥签名，但未配置审计密钥"
                "（ECOINSPECT_AUDIT_KEY 或 ECOINSPECT_AUDIT_KEY_FILE），无法核对。"
            )
            % when
        ]
    return []


def _missing_row(anchor: Anchor, values: dict) -> str:
    head = ActionLog.objects.aggregate(head=Max("seq"))["head"]
    if head >= anchor.seq:
        return _("%(time)s 的锚点所记的第 %(seq)s 条已不存在。") % values
    values |= {"first": head + 1, "head": head}
    if head + 1 == anchor.seq:
        return (
            _(
                "第 %(seq)s 条缺失：%(time)s 的锚点记录到第 %(seq)s 条，现存记录只到第 %(head)s 条——最新的记录被删除。"
            )
            % values
        )
    return (
        _(
            "第 %(first)s–%(seq)s 条缺失：%(time)s 的锚点记录到第 %(seq)s 条，"
            "现存记录只到第 %(head)s 条——最新的记录被删除。"
        )
        % values
    )


def _chain_problems(anchor: Anchor) -> list[str]:
    if anchor.seq == 0:
        return []  # the anchor of an empty log
    values = {"time": anchor.when(), "seq": anchor.seq, "count": anchor.count}
    if not ActionLog.objects.exists():
        return [
            _(
                "操作日志为空，但 %(time)s 的锚点记录了 %(count)s 条（至第 %(seq)s 条）："
                "整表被清空，或连接的是另一个数据库。"
            )
            % values
        ]
    stored = ActionLog.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if stored is None:
        return [_missing_row(anchor, values)]
    if stored != anchor.hash:
        return [
            _("第 %(seq)s 条的哈希与 %(time)s 的锚点不符：该条或它之前的记录被改写，之后的哈希被重新计算。")
            % values
        ]
    found = ActionLog.objects.filter(seq__lte=anchor.seq).count()
    if found != anchor.count:
        return [
            _("至第 %(seq)s 条现有 %(found)s 条记录，%(time)s 的锚点记为 %(count)s 条：有记录被删除或插入。")
            % (values | {"found": found})
        ]
    return []


def anchor_check(*, path: str | Path | None = None, required: bool = False) -> AnchorReport:
    """Hold the log against the latest anchor of ``path`` (the default anchor file when None).

    ``required``: a missing anchor is a problem (an anchor file was named), not a note. Raises
    :class:`~ecoinspect.audit.anchors.AnchorError` when the file or the key cannot be read."""
    target = anchors.resolve(path)
    anchor = anchors.latest(target)
    if anchor is None:
        return _without_anchor(target, required=required)
    problems = _signature_problems(anchor) + _chain_problems(anchor)
    if problems:
        return AnchorReport(target, anchor, tuple(problems))
    note = _("与 %(time)s 的锚点一致（至第 %(seq)s 条，共 %(count)s 条；%(path)s）。") % {
        "time": anchor.when(),
        "seq": anchor.seq,
        "count": anchor.count,
        "path": target,
    }
    return AnchorReport(target, anchor, note=note)


def audit_verify(*, anchor_path: str | Path | None = None, anchor_required: bool = False) -> AuditReport:
    """The chain recomputed, and held against the latest anchor."""
    return AuditReport(verify_chain(), anchor_check(path=anchor_path, required=anchor_required))


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
