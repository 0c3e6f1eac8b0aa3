from __future__ import annotations

from django.core.exceptions import ValidationError


def bound_filters(request, filterset_class):
    """The page's FilterSet bound to the API's query string; invalid values are a 400, not ignored."""
    params = request.GET.copy()
    for key in ("limit", "offset"):
        params.pop(key, None)
    filters = filterset_class(params or None, user=request.user)
    if filters.is_bound and not filters.is_valid():
        raise ValidationError(
            filters.errors.get_json_data()
            and {k: [e["message"] for e in v] for k, v in filters.errors.get_json_data().items()}
        )
    return filters
