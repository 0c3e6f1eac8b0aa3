from __future__ import annotations

from .context import acting_as, new_request_id


class RequestContextMiddleware:
    """Gives every request an id (echoed in ``X-Request-ID``) and makes the user the acting person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id()
        request.request_id = request_id
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting_as(actor, request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
