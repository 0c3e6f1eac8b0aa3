from __future__ import annotations

from ninja import Schema


class UnitRef(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str


class Problem(Schema):
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None
