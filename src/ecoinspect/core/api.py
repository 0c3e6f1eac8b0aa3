"""The typed API base every app's router uses.

* :func:`read_body` — a request body as a pydantic schema, from JSON or from form fields (HTMX posts
  forms); an invalid body is a ``ValidationError`` (400) naming each field. Every string in it is held to
  the bounds its schema declares (:class:`BodySchema`, ``common.text_bounds``): length and characters.
* :func:`install_error_handlers` — one JSON shape for every refusal:
  ``{"detail": message, "code": ..., "errors": {field: [messages]}}``; :class:`ErrorOut` declares that shape
  for the OpenAPI document (``response={200: ThingOut, **error_responses(400, 404)}``).
"""

from __future__ import annotations

import datetime as dt
import json
import typing

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator
from pydantic import ValidationError as PydanticError

from ecoinspect.common import calendar
from ecoinspect.common.api import (  # ErrorOut, error_responses: the typed API base, re-exported
    DB_INT_MAX,
    ErrorOut,  # noqa: F401
    error_responses,  # noqa: F401
    out_of_range_ints,
)
from ecoinspect.common.errors import Refusal
from ecoinspect.common.text_bounds import Bounds, body_text_problems


def _is_list(annotation) -> bool:
    args = typing.get_args(annotation)
    return typing.get_origin(annotation) is list or any(typing.get_origin(a) is list for a in args)


def _form_value(value: str):
    """A form field may carry JSON for a nested value (``milestones=[{"date": …, "content": …}]``)."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def read_body(request, schema: type[Schema]) -> Schema:
    """The request body as ``schema`` (a :class:`BodySchema`): JSON, or form fields (lists from repeated keys).
    400 when invalid."""
    if not (isinstance(schema, type) and issubclass(schema, BodySchema)):
        raise TypeError(f"{schema!r} is not a BodySchema: a request body declares where its text is stored")
    content_type = request.content_type or ""
    if content_type.startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValidationError(
                {"__all__": [_("请求体不是有效的 JSON。")]}
            ) from exc
        if not isinstance(data, dict):
            raise ValidationError({"__all__": [_("请求体应为 JSON 对象。")]})
    else:
        data = {}
        for name, field in schema.model_fields.items():
            if name in request.POST:
                values = [_form_value(v) for v in request.POST.getlist(name)]
                if _is_list(field.annotation):
                    data[name] = values[0] if len(values) == 1 and isinstance(values[0], list) else values
                else:
                    data[name] = values[-1]
    try:
        body = schema.model_validate(data)
    except PydanticError as exc:
        errors: dict[str, list[str]] = {}
        for item in exc.errors():
            field = ".".join(str(p) for p in item["loc"]) or "__all__"
            errors.setdefault(field, []).append(f"输入有误：{item['msg']} / Invalid input: {item['msg']}")
        raise ValidationError(errors) from exc
    wrong_text = body_text_problems(body)
    if wrong_text:
        raise ValidationError(wrong_text)
    dumped = body.model_dump()
    too_big = out_of_range_ints(dumped)
    if too_big:
        message = _("数值超出范围（绝对值不能超过 %(max)s）。") % {"max": DB_INT_MAX}
        raise ValidationError({field: [message] for field in too_big})
    far = out_of_range_dates(dumped)
    if far:
        raise ValidationError({field: [message] for field, message in far})
    return body


def out_of_range_dates(value, path: str = "") -> list[tuple[str, str]]:
    """(dotted path, message) for every date in a dumped body outside the range a person may enter
    (``common.calendar.entered_date_bounds``). Timestamps the system sets are not in request bodies."""
    if isinstance(value, dt.date):
        problem = calendar.entered_date_problem(value)
        return [(path or "__all__", problem)] if problem else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in out_of_range_dates(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in out_of_range_dates(v, f"{path}.{i}" if path else str(i))]
    return []


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

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        """The last net under the bounds above: a number or date past what Python or the database holds."""
        detail = _("数值或日期超出可处理的范围。")
        return api.create_response(request, {"detail": detail, "code": "invalid", "errors": {"__all__": [detail]}},
                                   status=400)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        detail = str(exc) or _("您没有执行此操作的权限。")
        return api.create_response(request, {"detail": detail, "code": "forbidden"}, status=403)

    @api.exception_handler(Refusal)
    def _refusal(request, exc: Refusal):
        exc.record()
        return api.create_response(request, {"detail": str(exc), "code": exc.code}, status=409)

    @api.exception_handler(ObjectDoesNotExist)
    def _missing(request, exc):
        return api.create_response(
            request, {"detail": _("未找到。"), "code": "not_found"}, status=404
        )

    @api.exception_handler(Http404)
    def _http404(request, exc):
        return api.create_response(
            request, {"detail": _("未找到。"), "code": "not_found"}, status=404
        )


# --- request bodies ------------------------------------------------------------------------------


class BodySchema(Schema):
    """A request body. ``bounds`` says where its text fields are stored (``common.text_bounds.Bounds``):
    :func:`read_body` holds each string to that field's length and characters (nested schemas declare
    their own)."""

    bounds: typing.ClassVar[Bounds | None] = None


# --- shapes every app answers with ---------------------------------------------------------------


class ChoiceOut(Schema):
    value: str
    label: str


class Labelled:
    """``Labelled[ProblemStatus]``: a stored choice value, answered as ``{"value": …, "label": …}``."""

    def __class_getitem__(cls, choiceset) -> typing.Any:
        def labelled(value: str) -> dict:
            return {"value": value, "label": choiceset.text(value)}

        return typing.Annotated[ChoiceOut, BeforeValidator(labelled)]


class UnitRefOut(Schema):
    id: int
    code: str
    name: str
    short_name: str


def units_by_id(ids, field: str) -> list:
    """Active units for the ids given, in that order; an unknown id is a 400 on ``field``."""
    from ecoinspect.orgs.models import Unit

    ids = list(dict.fromkeys(ids or []))
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids, is_active=True)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {
                field: [
                    f"未知或已停用的单位 id：{', '.join(missing)} / Unknown or inactive unit ids: {', '.join(missing)}"
                ]
            }
        )
    return [found[i] for i in ids]


def unit_by_id(pk: int | None, field: str):
    return units_by_id([pk], field)[0] if pk is not None else None
