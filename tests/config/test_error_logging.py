"""An unhandled error leaves a trace in production: one log line with the request's id, the person and the
path (and the traceback), and the error page shows the same id for the person to quote."""

from __future__ import annotations

import logging
import logging.config

import pytest
from django.urls import path

from ecoinspect.config.urls import handler500  # noqa: F401  (this module serves as the URLconf below)


def broken(request):
    raise RuntimeError("the district's database said no")


urlpatterns = [path("broken/", broken)]


@pytest.fixture
def production_logging(settings):
    """The project's own LOGGING (the test settings may quieten it), with the request lines captured."""
    from ecoinspect.config.settings import base

    logging.config.dictConfig(base.LOGGING)
    handler = logging.getLogger("django.request").handlers[0]
    records = []
    original_emit = handler.emit
    handler.emit = lambda record: records.append(handler.format(record))
    yield records
    handler.emit = original_emit
    logging.config.dictConfig(settings.LOGGING)  # back to the test settings' own


def test_an_unhandled_error_is_logged_with_its_request_id_user_and_path(client, settings, people, production_logging):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(people["water"])
    response = client.get("/broken/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f'data-testid="request-id">{request_id}<' in response.content.decode()
    line = next(r for r in production_logging if "broken" in r)
    assert f"request={request_id}" in line and "user=water" in line and "path=/broken/" in line
    assert "RuntimeError: the district's database said no" in line  # the traceback is in the record
