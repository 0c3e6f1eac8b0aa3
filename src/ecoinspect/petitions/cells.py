"""Reading the petition columns of an official table as published: 是否属实 and 是否办结 with the ways they are
written, 序号 with full-width digits, 受理方式 (来电 / 来信 …). Each returns the value, or None with the reason
it could not be understood (the import keeps the raw cell and flags the case; it never refuses a batch for it).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ecoinspect.common.import_cells import normalise

from .choices import Channel, ClosureStatus, Verdict

_PUNCTUATION = re.compile(r"[\s。．.，,；;：:、！!（）()\[\]【】“”\"']+")


def _bare(raw: str) -> str:
    return _PUNCTUATION.sub("", normalise(str(raw or "")))


def parse_verdict(raw: str) -> tuple[str, str]:
    """是否属实 → (Verdict, "") or ("", why). Accepts 属实 / 基本属实 / 部分属实 / 不属实 and their usual
    variants (查证属实, 反映情况属实, 经核查属实, 部分情况属实, 反映问题不属实, 不实, 否, 是, trailing punctuation)."""
    text = _bare(raw)
    if not text:
        return "", ""
    if text in ("是", "真实"):
        return Verdict.TRUE, ""
    if text in ("否", "不实", "失实") or "不属实" in text or "不实" in text or "失实" in text:
        return Verdict.FALSE, ""
    if "部分属实" in text or "部分情况属实" in text or "部分问题属实" in text:
        return Verdict.PARTLY_TRUE, ""
    if "基本属实" in text:
        return Verdict.BASICALLY_TRUE, ""
    if text.endswith("属实") or text == "属实":
        return Verdict.TRUE, ""
    return "", _("“%(v)s”不是“属实”“基本属实”“部分属实”“不属实”之一，原文已保留，请人工确认。") % {"v": raw}


def parse_closure(raw: str) -> tuple[str, str]:
    """是否办结 → (ClosureStatus, "") or ("", why): 已办结 / 办结 / 是 / 已完成; 阶段性办结 / 阶段办结;
    正在办理 / 未办结 / 办理中 / 否 / 正在整改."""
    text = _bare(raw)
    if not text:
        return "", ""
    if "阶段" in text:
        return ClosureStatus.STAGE_CLOSED, ""
    if text in ("否", "未办结", "没有办结") or any(w in text for w in ("正在", "办理中", "整改中", "未办结", "推进中")):
        return ClosureStatus.IN_PROGRESS, ""
    if text in ("是", "已办结", "办结", "已完成", "完成", "已整改", "已办理") or text.endswith("已办结"):
        return ClosureStatus.CLOSED, ""
    return "", _("“%(v)s”不是“已办结”“阶段性办结”“正在办理”之一，原文已保留，请人工确认。") % {"v": raw}


def parse_seq(raw: str) -> tuple[int | None, str]:
    """序号: full-width digits are digits; "12." is 12. Anything else is kept only in the raw row."""
    text = normalise(str(raw or "")).rstrip(".、").strip()
    if not text:
        return None, ""
    if text.isdigit() and int(text) < 100000:
        return int(text), ""
    return None, _("序号“%(v)s”不是数字，原文已保留。") % {"v": raw}


def parse_channel(raw: str) -> tuple[str, str]:
    """受理方式: 来电 (电话, 12345, 热线) / 来信 (信件, 网络, 邮件, 微信 …) / 其他."""
    text = _bare(raw)
    if not text:
        return "", ""
    if any(w in text for w in ("来电", "电话", "热线", "12345", "12369")):
        return Channel.PHONE, ""
    if any(w in text for w in ("来信", "信件", "信访", "网络", "网上", "邮件", "邮箱", "微信")):
        return Channel.LETTER, ""
    return Channel.OTHER, ""
