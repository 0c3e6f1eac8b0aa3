"""What every request gets the same way, whatever app serves it.

* :class:`UploadLimitMiddleware` — a body over the upload limit is refused (413) from its declared length
  before anything reads it: not the CSRF check (which parses ``request.POST``), not the API's session
  authentication, not the view. A body sent in chunks without a declared length is refused (411).
* :class:`PrivateCacheMiddleware` — what a signed-in person sees, every API answer and every download is
  marked ``Cache-Control: private, no-store``: no proxy or shared computer keeps a copy. Static files are
  answered by WhiteNoise before this middleware and keep their long cache.
* :class:`ReadingRequestMiddleware` — on GET and HEAD, which change no one's scope, the answer to "may this
  person … this record?" is remembered for the rest of the request (a problem page asks it several times).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .permissions import remembering_object_checks
from .uploads import declared_length, max_upload_bytes, too_large_message

MB = 1024 * 1024
#: Methods whose body may carry an upload.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _refusal(request, status: int, message: str):
    if _is_api(request):
        code = "too_large" if status == 413 else "length_required"
        return JsonResponse({"detail": message, "code": code, "errors": None}, status=status)
    heading = _("上传内容过大") if status == 413 else _("请求未声明长度")
    return render(request, "errors/413.html", {"heading": heading, "message": message}, status=status)


def chunked_without_length(request) -> bool:
    """A body announced as chunked (``Transfer-Encoding: chunked``) with no ``Content-Length``: its size is
    unknown until it has been read, and Django's WSGI handler would read it as empty."""
    encoding = request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in encoding and not request.META.get("CONTENT_LENGTH")


class UploadLimitMiddleware:
    """Refuse an oversized body before it is read, on every path.

    Runs its check in ``process_view`` (placed before Django's CSRF middleware, whose ``process_view`` reads
    the body), where the view is known: a view may declare a smaller limit with an ``upload_limit``
    attribute (bytes); otherwise ``ECOINSPECT_MAX_UPLOAD_BYTES`` applies. Views wrapped by
    :func:`~ecoinspect.core.uploads.upload_limited` render their own refusal (the form, with the message)
    and read nothing, so they are left to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        if chunked_without_length(request):
            return _refusal(
                request,
                411,
                _(
                    "请求未声明内容长度（Content-Length），无法在接收前核对大小，未保存任何内容。请用普通方式重新上传。"
                ),
            )
        if getattr(view_func, "refuses_oversized", False):
            return None
        limit = getattr(view_func, "upload_limit", None) or max_upload_bytes()
        if declared_length(request) > limit:
            return _refusal(request, 413, too_large_message(request, limit))
        return None


def _is_download(response) -> bool:
    return "Content-Disposition" in response


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person (pages, HTMX fragments),
    every API answer (also to a bearer token) and every download, unless the view already forbade storing
    it. Public pages and static files are left as they are."""

    VALUE = "private, no-store"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        personal = signed_in or _is_api(request) or _is_download(response)
        if personal and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = self.VALUE
        return response


class ReadingRequestMiddleware:
    """Object-permission answers are remembered during a GET or HEAD (core.permissions.has_perm): such a
    request moves no record between units. A POST asks afresh every time, before and after its writes."""

    SAFE = frozenset({"GET", "HEAD"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SAFE:
            return self.get_response(request)
        with remembering_object_checks():
            return self.get_response(request)


class ASGIUploadLimit:
    """The same refusal in front of Django's ASGI handler, which receives the whole body before any
    middleware runs: a request declaring more than ``ECOINSPECT_MAX_UPLOAD_BYTES`` (or chunked, with no
    length) is answered 413/411 from its headers, and not one body message is received. (Deployments run
    gunicorn with WSGI, where :class:`UploadLimitMiddleware` does this; ``config/asgi.py`` wraps with this.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method", "GET") in BODY_METHODS:
            refusal = self._refusal(dict(scope.get("headers") or ()))
            if refusal is not None:
                status, body = refusal
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _refusal(headers: dict[bytes, bytes]) -> tuple[int, bytes] | None:
        import json

        from django.utils import translation

        length = headers.get(b"content-length")
        if length is None and b"chunked" in headers.get(b"transfer-encoding", b"").lower():
            status, code = 411, "length_required"
        else:
            try:
                declared = int(length or 0)
            except ValueError:
                return None
            if declared <= max_upload_bytes():
                return None
            status, code = 413, "too_large"
        with translation.override(None):  # no request yet: the system's language
            detail = _("上传内容超过 %(mb)s MB 上限，未保存任何内容。") % {"mb": max_upload_bytes() // MB}
            if status == 411:
                detail = _(
                    "请求未声明内容长度（Content-Length），无法在接收前核对大小，未保存任何内容。请用普通方式重新上传。"
                )
        return status, json.dumps(
            {"detail": detail, "code": code, "errors": None}, ensure_ascii=False
        ).encode()
