from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation


def _messages(filters) -> dict[str, list[str]]:
    return {field: [e["message"] for e in errors] for field, errors in filters.errors.get_json_data().items()}


def bound_filters(request, filterset_class):
    """The page's FilterSet bound to the API's query string; invalid values are a 400, not ignored.

    The reasons are bilingual like every other refusal: Django's own messages in Chinese, then English.
    """
    params = request.GET.copy()
    for key in ("limit", "offset"):
        params.pop(key, None)
    filters = filterset_class(params or None, user=request.user)
    if filters.is_bound and not filters.is_valid():
        with translation.override("zh-hans"):
            chinese = _messages(filters)
        with translation.override("en"):
            english = _messages(filters)
        raise ValidationError(
            {
                field: [f"{field}：{zh} / {field}: {en}" for zh, en in zip(messages, english[field])]
                for field, messages in chinese.items()
            }
        )
    return filters
