"""The shape of every refusal the API answers, declared for the OpenAPI document; pure, so the foundation's
own routers (units, notifications) declare it as well as the domain apps'. And the bounds on the numbers a
request may carry (list offsets and limits, integers in bodies), the same for every app."""

from __future__ import annotations

from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorOut(Schema):
    """A refusal. The field errors come with invalid input (400) and may be absent otherwise."""

    detail: str = Field(description="the reason, for people (Chinese / English)")
    code: str = Field(
        description="for programs: invalid, forbidden, not_found, conflict, too_large or the workflow's code"
    )
    errors: dict[str, list[str]] | None = Field(None, description="field name (or __all__) → messages")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``{status: ErrorOut}`` for the refusals an operation can answer with."""
    return dict.fromkeys(statuses, ErrorOut)


# --- bounds on the numbers a request may carry --------------------------------------------------------------
#: No list holds more rows; a larger offset is a mistake, and past 2**63 it overflows the database (a 500).
MAX_OFFSET = 10**9
#: The most rows one page of a list answers.
MAX_LIMIT = 500
#: The largest integer the database stores (PostgreSQL bigint, SQLite INTEGER); a body number beyond it
#: (``"lead_unit": 10**20``) is refused as invalid input instead of overflowing the driver.
DB_INT_MAX = 2**63 - 1


def offset_query():
    """``offset: int = offset_query()`` — a list's offset, bounded (0 … MAX_OFFSET)."""
    return Query(0, ge=0, le=MAX_OFFSET, description=f"rows to skip (0–{MAX_OFFSET})")


def limit_query(default: int = 50):
    """``limit: int = limit_query()`` — a list's page size, bounded (1 … MAX_LIMIT)."""
    return Query(default, ge=1, le=MAX_LIMIT, description=f"rows per page (1–{MAX_LIMIT})")


class Pagination(LimitOffsetPagination):
    """``@paginate(Pagination)`` on every list endpoint: ninja's limit/offset pagination with both numbers
    bounded (ninja's own offset has no upper bound)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"rows per page (1–{MAX_LIMIT})")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"rows to skip (0–{MAX_OFFSET})")


def out_of_range_ints(value, path: str = "") -> list[str]:
    """The dotted paths of the integers in ``value`` (a dumped body) beyond ±DB_INT_MAX."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [path or "__all__"] if abs(value) > DB_INT_MAX else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in out_of_range_ints(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in out_of_range_ints(v, f"{path}.{i}" if path else str(i))]
    return []
