"""Refusing an oversized upload before it is read, for every page that takes a file.

The limit is ``settings.ECOINSPECT_MAX_UPLOAD_BYTES``. A request is judged by its declared length
(``Content-Length``), so a 200 MB body is refused without a byte of it being received, spooled or parsed:

* :func:`upload_limited` wraps a view (``path("…", upload_limited(MyView.as_view()))``) so that Django's
  CSRF check, which parses the body, runs only for requests under the limit;
* :class:`UploadLimitMixin` gives a :class:`~ecoinspect.common.views.ServiceFormView` the refusal: the form
  comes back with :func:`too_large_message` and status 413, and nothing is written;
* a function view asks :func:`upload_refused` and renders its own page with the message;
* every other view — the API's included, whether it is reached with a session cookie or a token — is covered
  by :class:`~ecoinspect.core.middleware.UploadLimitMiddleware`, which answers 413 before Django's CSRF
  check or the API's session authentication can read the body (a view may declare a smaller
  ``upload_limit`` in bytes).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect


def max_upload_bytes() -> int:
    return settings.ECOINSPECT_MAX_UPLOAD_BYTES


def declared_length(request) -> int:
    """The body's length as the client declared it (0 when absent or not a number)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large(request, limit: int | None = None) -> bool:
    """A request body over the upload limit (``limit`` bytes, else the setting), judged from its declared
    length — before anything is read."""
    return declared_length(request) > (limit or max_upload_bytes())


def upload_refused(request, limit: int | None = None) -> bool:
    """Should this request's upload be refused: flagged by :func:`upload_limited`, or over the limit."""
    return getattr(request, "upload_too_large", False) or too_large(request, limit)


def too_large_message(request, limit: int | None = None) -> str:
    limit = (getattr(request, "upload_limit", None) or limit or max_upload_bytes()) / 1024 / 1024
    size = declared_length(request) / 1024 / 1024
    return _(
        "上传内容 %(size).1f MB，超过单个文件 %(limit).0f MB 的上限，未保存任何内容。请压缩或拆分后重新上传。"
        ""
    ) % {"size": size, "limit": limit}


class UploadLimitMixin:
    """Refuse an upload whose declared size is over the limit, without reading the body: the page comes
    back with a clear message (``upload_error`` in the form's context) and status 413, and nothing is
    written. Put it before a ServiceFormView and wrap the view with :func:`upload_limited` so that the
    CSRF check (which parses the body) runs only after this one."""

    multipart = True
    upload_error: str | None = None

    def post(self, request, *args, **kwargs):
        if upload_refused(request):
            self.upload_error = too_large_message(request)
            return self.render_form(self.get_form(), status=413)
        return super().post(request, *args, **kwargs)

    def get_form(self, data=None):
        files = self.request.FILES if data is not None else None
        return self.form_class(data, files, **self.get_form_kwargs())


def upload_limited(view, limit: int | None = None):
    """Check the declared size before anything reads the body (against ``limit`` bytes when a page takes
    smaller files than the setting allows, e.g. a petition batch).

    Django's CSRF check reads ``request.POST``, which for a multipart body means receiving and spooling
    every uploaded byte to disk. An oversized POST therefore skips it and goes straight to the view, which
    only renders the refusal (it reads nothing and writes nothing, so there is nothing to forge); every
    other request is CSRF-checked as usual.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST" and too_large(request, limit):
            request.upload_too_large = True
            request.upload_limit = limit
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    guarded.csrf_exempt = True
    # core.middleware.UploadLimitMiddleware leaves the refusal to this wrapper (the form, with the message)
    guarded.refuses_oversized = True
    guarded.upload_limit = limit
    return guarded
