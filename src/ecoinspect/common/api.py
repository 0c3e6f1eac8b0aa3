"""The shape of every refusal the API answers, declared for the OpenAPI document; pure, so the foundation's
own routers (units, notifications) declare it as well as the domain apps'."""

from __future__ import annotations

from ninja import Field, Schema


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
