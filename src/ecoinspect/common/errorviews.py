"""Error pages in the system's own layout, with the reason, in the person's language."""

from __future__ import annotations

from django.shortcuts import render


def forbidden(request, exception=None):
    reason = str(exception) if exception and str(exception) else None
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The page of an unhandled error: plain HTML (the layout itself may be what failed), in both languages
    (the person's may not be known yet), with the request's id, which is in the log line of the error."""
    return render(request, "errors/500.html", {"request_id": getattr(request, "request_id", "")}, status=500)
