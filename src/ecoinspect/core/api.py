"""One JSON shape for every refusal: ``{"detail": message, "code": ..., "errors": {field: [messages]}}``.

:class:`ErrorOut` declares that shape for the OpenAPI document; an operation lists the refusals it can
answer with ``response={200: ThingOut, **error_responses(400, 404)}``.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Schema

from ecoinspect.common.errors import Refusal


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


def install_error_handlers(api) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(
            request,
            {
                "detail": "；".join(m for ms in errors.values() for m in ms),
                "code": "invalid",
                "errors": errors,
            },
            status=400,
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        detail = str(exc) or "您没有执行此操作的权限。 / You are not permitted to do this."
        return api.create_response(request, {"detail": detail, "code": "forbidden"}, status=403)

    @api.exception_handler(Refusal)
    def _refusal(request, exc: Refusal):
        exc.record()
        return api.create_response(request, {"detail": str(exc), "code": exc.code}, status=409)

    @api.exception_handler(ObjectDoesNotExist)
    def _missing(request, exc):
        return api.create_response(
            request, {"detail": "未找到。 / Not found.", "code": "not_found"}, status=404
        )

    @api.exception_handler(Http404)
    def _http404(request, exc):
        return api.create_response(
            request, {"detail": "未找到。 / Not found.", "code": "not_found"}, status=404
        )
