"""Query expressions the ORM lacks."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db.models import BooleanField, Expression, F


class AnyOf(Expression):
    """``column IN (v1, v2, …)`` with the whole list bound as *one* parameter.

    Django's ``__in=[…]`` puts one placeholder per value; with a few thousand keys, building and parsing
    the statement costs more than running it. PostgreSQL gets ``column = ANY(%s::bigint[])``, SQLite
    ``column IN (SELECT value FROM json_each(%s))``; both still read the column's index (a BitmapOr / a
    multi-index OR when combined with another indexed condition by ``|``). Integer keys only.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str | F, values: Iterable[int]):
        super().__init__()
        self.column = F(column) if isinstance(column, str) else column
        self.values = [int(v) for v in values]

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.values))

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} = ANY(%s::bigint[])", (*params, self.values)
