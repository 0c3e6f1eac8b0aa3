"""``{% related_records record %}``: the sections other apps register for a record (core.related)."""

from __future__ import annotations

from django import template

from ecoinspect.core.related import sections_for

register = template.Library()


@register.inclusion_tag("core/_related_records.html", takes_context=True)
def related_records(context, record):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"sections": sections_for(record, user) if user is not None else []}
