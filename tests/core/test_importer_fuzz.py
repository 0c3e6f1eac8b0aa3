"""Every importer, every layout it takes, over generated tables of awkward cells (hypothesis).

An official table is taken as published: an empty cell, "NA", "ND", full-width digits, a date written as text,
a number where text belongs or a value out of range must end in a preview (with errors or flags) or a clear
refusal — never a Python exception — and writing a clean preview must work. A new importer is covered as soon as
it is registered: the test below refuses an importer it has no options for.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ecoinspect.common.errors import ServiceError
from ecoinspect.core.imports import IMPORTERS, importer_for
from tests.factories import xlsx_bytes

#: What each importer needs besides the file (the import form's options).
OPTIONS = {
    "ledger.problem": {},
    "petitions.batch": {"round": "3", "batch": 1, "received_on": "2023-11-25"},
}

AWKWARD = st.sampled_from(
    [
        None,
        "",
        " ",
        "\u3000",
        "NA",
        "ND",
        "N/A",
        "—",
        "／",
        "无",
        "不详",
        "１２３",
        "２０２６年１３月４０日",
        "2026-02-30",
        "0001-01-01",
        "9999-12-31",
        "=1+1",
        "@SUM(A1)",
        "-",
        "长" * 3000,
        -1,
        0,
        1e308,
        10**20,
        3.5,
        True,
        dt.datetime(1900, 1, 1),
        dt.date(2026, 3, 1),
        dt.date(9999, 12, 31),
        "广州市白云区",
        "太和镇",
        "大气、水",
        "区生态环境局",
        "D3GD202311250001",
    ]
)
TEXT = st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
CELL = st.one_of(AWKWARD, TEXT, st.integers(min_value=-(10**12), max_value=10**12))


class _RolledBack(Exception):
    pass


def _layouts():
    for kind in sorted(OPTIONS):
        importer = importer_for(kind)
        for layout in importer(actor=None).all_layouts():
            yield pytest.param(kind, layout.name, id=f"{kind}:{layout.name}")


def test_every_registered_importer_is_fuzzed():
    for kind in OPTIONS:
        importer_for(kind)
    product = {kind for kind, cls in IMPORTERS.items() if cls.__module__.startswith("ecoinspect.")}
    assert product == set(OPTIONS), "a new importer needs its options in OPTIONS (and is then fuzzed)"


@pytest.mark.parametrize(("kind", "layout_name"), list(_layouts()))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_awkward_cells_end_in_a_preview_or_a_clear_refusal(people, kind, layout_name, data):
    importer = importer_for(kind)(actor=people["coordinator"], options=OPTIONS[kind])
    layout = next(lay for lay in importer.all_layouts() if lay.name == layout_name)
    headers = [str(column.header) for column in layout.columns]
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(headers), max_size=len(headers)), min_size=1, max_size=4))
    source = xlsx_bytes([headers, *rows])
    try:
        preview = importer.validate(source)
    except ServiceError as refused:
        assert refused.messages and all(isinstance(m, str) and m for m in refused.messages)
        return
    for error in preview.errors:
        assert error.reason, error  # every error says why
    if not preview.ok:
        return
    try:
        with transaction.atomic():
            importer.write(preview, None)
            raise _RolledBack
    except _RolledBack:
        pass
    except ServiceError as refused:
        assert refused.messages
