"""Oversized uploads are refused from their declared length, before anything reads the body."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from ecoinspect.common.views import ServiceFormView
from ecoinspect.core.uploads import UploadLimitMixin, too_large, too_large_message, upload_limited

MB = 1024 * 1024


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.fixture(autouse=True)
def limit(settings):
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 1 * MB


def post(rf, length: int | str, **data):
    return rf.post(
        "/upload/", data or {"file": SimpleUploadedFile("a.txt", b"x")}, CONTENT_LENGTH=str(length)
    )


def test_the_declared_length_decides(rf):
    assert too_large(post(rf, 2 * MB))
    assert not too_large(post(rf, MB))
    assert not too_large(post(rf, "not a number"))
    assert not too_large(rf.get("/upload/"))


def test_the_message_says_the_size_and_the_limit(rf):
    message = too_large_message(post(rf, 200 * MB))
    assert "上传内容 200.0 MB，超过单个文件 1 MB 的上限" in message
    with translation.override("en"):
        assert "The upload is 200.0 MB, over the 1 MB limit" in str(too_large_message(post(rf, 200 * MB)))


def _recording_view():
    seen = []

    def view(request):
        seen.append(getattr(request, "upload_too_large", False))
        return HttpResponse("ok")

    return upload_limited(view), seen


def test_an_oversized_post_skips_the_csrf_check_and_is_flagged(rf):
    """The CSRF check would read request.POST, i.e. the whole body; the view only renders the refusal."""
    view, seen = _recording_view()
    request = post(rf, 200 * MB)
    response = view(request)
    assert response.status_code == 200 and seen == [True]
    assert getattr(view, "csrf_exempt", False)


def test_other_posts_are_csrf_checked(rf):
    view, seen = _recording_view()
    request = rf.post("/upload/", {"file": SimpleUploadedFile("a.txt", b"x")})
    response = view(request)
    assert response.status_code == 403 and seen == []


class _UploadForm(forms.Form):
    file = forms.FileField(label="文件")


class _UploadView(UploadLimitMixin, ServiceFormView):
    form_class = _UploadForm
    title = "上传"

    def check_permission(self, obj) -> None:
        pass

    def perform(self, form):  # pragma: no cover - must not run for a refused upload
        raise AssertionError("an oversized upload reached the service")


def test_the_mixin_answers_413_with_the_message_on_the_form(rf, people):
    request = post(rf, 200 * MB)
    request.user = people["water"]
    request.upload_too_large = True
    response = _UploadView.as_view()(request)
    html = response.content.decode()
    assert response.status_code == 413
    assert 'enctype="multipart/form-data"' in html
    assert 'data-testid="form-errors"' in html and "超过单个文件 1 MB 的上限" in html
