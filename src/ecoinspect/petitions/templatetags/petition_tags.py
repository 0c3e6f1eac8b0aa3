"""Template helpers of the petitions pages."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ecoinspect.common.markup import format_html

register = template.Library()


@register.filter
def highlight(text: str, passages) -> SafeString:
    """``text`` with every passage it shares with another case marked (<mark>), longest passages first,
    never overlapping; everything else escaped."""
    text = text or ""
    spans: list[tuple[int, int]] = []
    wanted = sorted({str(p) for p in passages or () if p and len(str(p)) >= 2}, key=len, reverse=True)
    for passage in wanted:
        start = text.find(passage)
        while start >= 0:
            end = start + len(passage)
            if not any(start < e and end > s for s, e in spans):
                spans.append((start, end))
            start = text.find(passage, end)
    pieces, pos = [], 0
    for start, end in sorted(spans):
        pieces.append(escape(text[pos:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        pos = end
    pieces.append(escape(text[pos:]))
    return mark_safe("".join(pieces))
