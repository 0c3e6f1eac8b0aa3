"""Chart data for the pages that draw charts (static/ecoinspect/charts.js draws them with ECharts)."""

from __future__ import annotations

#: Bootstrap badge colours as chart colours, so a chart and a badge of the same thing agree.
PALETTE = {
    "primary": "#0d6efd",
    "secondary": "#6c757d",
    "success": "#198754",
    "danger": "#dc3545",
    "warning": "#ffc107",
    "info": "#0dcaf0",
    "light": "#ced4da",
    "dark": "#212529",
}


def colour(name: str) -> str:
    """The chart colour of a badge colour name (grey when unknown)."""
    return PALETTE.get(name, PALETTE["secondary"])


def series(rows: list[dict]) -> list[dict]:
    """``{key, label, count, colour}`` rows (a choice set's counts) as the ``{key, name, value, colour}``
    items EcoCharts.bars and EcoCharts.pie take."""
    return [{"key": r["key"], "name": r["label"], "value": r["count"], "colour": colour(r["colour"])} for r in rows]
