"""Date pickers keep their value in Chinese: the browser takes only ISO dates."""

from __future__ import annotations

import datetime as dt
import pathlib
import re

from django.utils import translation

from ecoinspect.common.widgets import date_input

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "ecoinspect"


def test_a_date_is_rendered_iso_in_chinese_and_in_english():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = date_input(min="2026-01-01").render("day", dt.date(2026, 12, 5))
        assert 'value="2026-12-05"' in html and 'type="date"' in html and 'min="2026-01-01"' in html


def test_no_form_builds_a_date_picker_of_its_own():
    """Django's DateInput with type=date renders 2026/12/05 in Chinese, which the browser drops: every date
    picker goes through common.widgets."""
    own = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "widgets.py" and re.search(r"DateInput\(", path.read_text(encoding="utf-8"))
    ]
    assert own == []
