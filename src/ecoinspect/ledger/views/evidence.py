"""Evidence files, served only through the permission-checked selector."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import Evidence

#: Files up to this size are sent in one piece; larger ones are streamed from storage.
WHOLE_RESPONSE_BYTES = 8 * 1024 * 1024
#: Shown in the browser rather than downloaded (never HTML or SVG: nothing that could run script).
INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf", "video/mp4")


@login_required
@require_GET
def evidence_file(request, pk: int):
    """The file (``?download=1`` forces a download) or its thumbnail (``?thumb=1``), for someone who may
    see the problem; everyone else gets 404."""
    try:
        evidence = selectors.evidence_get(user=request.user, pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    if request.GET.get("thumb"):
        if not evidence.thumbnail:
            raise Http404
        with evidence.thumbnail.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if evidence.size <= WHOLE_RESPONSE_BYTES:
        with handle:
            response = HttpResponse(handle.read(), content_type=evidence.content_type)
    else:
        response = FileResponse(handle, content_type=evidence.content_type)
    inline = evidence.content_type in INLINE_TYPES and not request.GET.get("download")
    response["Content-Disposition"] = (
        f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Evidence-SHA256"] = evidence.sha256  # as recorded at upload, for anyone re-hashing the file
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
