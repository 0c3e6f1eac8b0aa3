"""HTML built in Python is escaped exactly as Django's format_html escapes it (the pages' table rows,
filter options and widgets are drawn with common.markup)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from ecoinspect.common import markup


class Bound:
    """Something with its own HTML (like a form's bound field)."""

    def __html__(self):
        return '<input name="x">'


VALUES = [
    "<script>alert(\"x\")</script> & '引号'",
    mark_safe("<b>已安全</b>"),
    _lazy("整改中"),
    _lazy("<不安全>"),
    12,
    Decimal("3.50"),
    None,
    dt.date(2026, 12, 5),
    Bound(),
    "",
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_argument_is_escaped_as_django_escapes_it(value, language):
    with override(language):
        ours = markup.format_html('<a href="{}" title="{t}">{}</a>', value, value, t=value)
        theirs = django_html.format_html('<a href="{}" title="{t}">{}</a>', value, value, t=value)
        assert ours == theirs and isinstance(ours, SafeString)
        assert markup.escape_text(value) == str(django_html.conditional_escape(value))


def test_joins_are_the_same():
    rows = [(v, i) for i, v in enumerate(VALUES)]
    mapping = [{"a": v, "b": i} for i, v in enumerate(VALUES)]
    assert markup.format_html_join(" & ", "<li>{}:{}</li>", rows) == django_html.format_html_join(
        " & ", "<li>{}:{}</li>", rows
    )
    assert markup.format_html_join("", "<li>{a}:{b}</li>", mapping) == django_html.format_html_join(
        "", "<li>{a}:{b}</li>", mapping
    )
