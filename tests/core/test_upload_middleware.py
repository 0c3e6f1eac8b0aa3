"""An oversized body is refused before anything reads it, on every path (issue #10): through the API with a
session cookie the CSRF check used to read (and spool) the whole upload before the refusal; with a token, on
the pages and now also there, nothing is read.

The body is a stream that counts what is read from it, so "refused without reading" is measured, not assumed.
"""

from __future__ import annotations

import io
import socket
import time

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from ecoinspect.core.middleware import UploadLimitMiddleware
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Evidence
from tests.factories import ProblemFactory

MB = 1024 * 1024
BOUNDARY = "----eco-boundary"
CSRF_SECRET = "A" * 32  # what the csrftoken cookie holds; the header repeats it


class CountingStream(io.RawIOBase):
    """A request body that records how many bytes were read from it."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size=-1):
        chunk = self._data.read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = self._data.readline(size)
        self.bytes_read += len(line)
        return line


def multipart(size: int) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="航拍.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head + b"\0" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


def send(client: Client, url: str, body: bytes, **headers):
    """POST ``body`` as a real multipart upload whose stream counts its reads; returns (response, stream)."""
    stream = CountingStream(body)
    response = client.generic(
        "POST",
        url,
        **{
            "wsgi.input": stream,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            **headers,
        },
    )
    return response, stream


@pytest.fixture
def small_limit(settings):
    settings.ECOINSPECT_MAX_UPLOAD_BYTES = 1 * MB


@pytest.fixture
def csrf_session(people):
    """The water bureau's officer in the browser: a session cookie, the CSRF cookie, and CSRF enforced as in
    production (the test client normally skips the check — and with it the read that was the bug)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["water"])
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def evidence_url(problem) -> str:
    return reverse("api:evidence_upload", kwargs={"problem_id": problem.pk})


def test_an_api_upload_with_a_session_cookie_is_refused_without_reading_the_body(csrf_session, small_limit):
    problem = ProblemFactory(status=S.RECTIFYING)
    response, stream = send(
        csrf_session, evidence_url(problem), multipart(3 * MB), HTTP_X_CSRFTOKEN=CSRF_SECRET
    )
    assert stream.bytes_read == 0  # before: the CSRF check had read all 3 MB, then the view refused
    assert response.status_code == 413
    answer = response.json()
    assert answer["code"] == "too_large"
    assert "超过单个文件 1 MB 的上限，未保存任何内容" in answer["detail"]
    assert not Evidence.objects.exists()


def test_under_the_limit_the_same_request_is_read_and_csrf_still_checked(csrf_session, small_limit):
    """The refusal is only for the oversized: an ordinary upload is read, and a forged one still fails CSRF."""
    problem = ProblemFactory(status=S.RECTIFYING)
    forged, stream = send(csrf_session, evidence_url(problem), multipart(1000))
    assert forged.status_code == 403 and stream.bytes_read > 0
    ordinary, stream = send(
        csrf_session, evidence_url(problem), multipart(1000), HTTP_X_CSRFTOKEN=CSRF_SECRET
    )
    assert ordinary.status_code == 400  # read and checked: a file of zeros is not a PNG
    assert stream.bytes_read > 0 and "file" in ordinary.json()["errors"]


def test_with_a_token_too(people, api_token, small_limit):
    problem = ProblemFactory(status=S.RECTIFYING)
    token = api_token(people["water"])
    response, stream = send(
        Client(), evidence_url(problem), multipart(3 * MB), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 413 and stream.bytes_read == 0


def test_a_page_that_takes_no_upload_refuses_a_huge_body_with_a_page_in_words(csrf_session, small_limit):
    response, stream = send(
        csrf_session, reverse("ledger:problem_create"), multipart(3 * MB), HTTP_X_CSRFTOKEN=CSRF_SECRET
    )
    assert response.status_code == 413 and stream.bytes_read == 0
    page = response.content.decode()
    assert "上传内容过大" in page and "超过单个文件 1 MB 的上限，未保存任何内容" in page


def test_a_chunked_body_without_a_length_is_refused_unread(csrf_session):
    problem = ProblemFactory(status=S.RECTIFYING)
    stream = CountingStream(multipart(1000))
    response = csrf_session.generic(
        "POST",
        evidence_url(problem),
        **{
            "wsgi.input": stream,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "HTTP_X_CSRFTOKEN": CSRF_SECRET,
        },
    )
    assert response.status_code == 411 and stream.bytes_read == 0
    assert response.json()["code"] == "length_required"
    assert "Content-Length" in response.json()["detail"]


def test_a_view_may_declare_a_smaller_limit(small_limit):
    def view(request):
        return HttpResponse("read")

    view.upload_limit = 1000
    middleware = UploadLimitMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/somewhere/", data=b"x" * 2000, content_type="text/plain")
    refused = middleware.process_view(request, view, (), {})
    assert refused.status_code == 413
    small = RequestFactory().post("/somewhere/", data=b"x" * 999, content_type="text/plain")
    assert middleware.process_view(small, view, (), {}) is None


def _raw_post(
    address: tuple[str, int], path: str, cookies: str, declared: int, sent: bytes
) -> tuple[bytes, float]:
    """Declare ``declared`` bytes, send only ``sent``, and wait for the answer: a server that reads the body
    first would wait for the rest (the socket times out); one that refuses from the header answers."""
    started = time.perf_counter()
    with socket.create_connection(address, timeout=10) as conn:
        conn.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {address[0]}\r\nCookie: {cookies}\r\n"
                f"X-CSRFToken: {CSRF_SECRET}\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                f"Content-Length: {declared}\r\n\r\n"
            ).encode()
            + sent
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer, time.perf_counter() - started


@pytest.mark.django_db(transaction=True)
def test_over_a_real_socket_the_refusal_comes_before_the_body(live_server, structure, make_user):
    person = make_user("water", structure["swj"], "staff")
    problem = ProblemFactory(status=S.RECTIFYING)
    browser = Client()
    browser.force_login(person)
    cookies = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}; "
    cookies += f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    host, port = live_server.url.removeprefix("http://").split(":")
    answer, seconds = _raw_post(
        (host, int(port)), evidence_url(problem), cookies, 200 * MB, multipart(64 * 1024)
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert seconds < 2, seconds


def _asgi(headers: list[tuple[bytes, bytes]]) -> tuple[list[dict], int]:
    """Call the ASGI guard in front of an app that would read the body; (messages sent, receives made)."""
    import asyncio
    import threading

    from ecoinspect.core.middleware import ASGIUploadLimit

    sent, received = [], []

    async def receive():
        received.append(1)
        return {"type": "http.request", "body": b"\0" * 65536, "more_body": True}

    async def send(message):
        sent.append(message)

    async def app(scope, receive_, send_):
        await receive_()
        await send_({"type": "http.response.start", "status": 200, "headers": []})
        await send_({"type": "http.response.body", "body": b"read"})

    scope = {"type": "http", "method": "POST", "path": "/api/v1/x", "headers": headers}
    # in a thread of its own: a browser test may have left an event loop running in this one
    worker = threading.Thread(target=lambda: asyncio.run(ASGIUploadLimit(app)(scope, receive, send)))
    worker.start()
    worker.join()
    return sent, len(received)


def test_under_asgi_the_guard_answers_before_django_receives_the_body(small_limit):
    sent, receives = _asgi([(b"content-length", str(200 * MB).encode())])
    assert receives == 0 and sent[0]["status"] == 413
    assert "上限，未保存任何内容" in sent[1]["body"].decode()
    sent, receives = _asgi([(b"transfer-encoding", b"chunked")])
    assert receives == 0 and sent[0]["status"] == 411
    sent, receives = _asgi([(b"content-length", b"1000")])
    assert receives == 1 and sent[0]["status"] == 200
