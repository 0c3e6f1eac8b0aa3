"""What a log line about a request says: the request's id (the one the error page shows and the
``X-Request-ID`` header carries), the person and the path — so that an error a user reports can be found."""

from __future__ import annotations

import logging


class RequestContext(logging.Filter):
    """Adds ``request_id``, ``user`` and ``path`` to every record ("-" when the record has no request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        record.request_id = getattr(request, "request_id", "-")
        record.user = getattr(user, "username", "") or "-" if user is not None else "-"
        record.path = getattr(request, "path", "-")
        return True
