"""read_body: one request body reader for every app's API — JSON, or form fields as HTMX posts them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from ninja import Schema

from ecoinspect.core.api import BodySchema, read_body


class Milestone(Schema):
    date: dt.date
    content: str


class Body(BodySchema):
    title: str
    units: list[int] = []
    milestones: list[Milestone] = []
    note: str | None = None


rf = RequestFactory()


def test_json():
    request = rf.post("/", json.dumps({"title": "t", "units": [1, 2]}), content_type="application/json")
    assert read_body(request, Body) == Body(title="t", units=[1, 2])


def test_form_fields_repeated_keys_and_nested_json():
    request = rf.post(
        "/",
        {
            "title": ["first", "last"],
            "units": ["1", "2"],
            "milestones": '[{"date": "2027-01-31", "content": "c"}]',
        },
    )
    body = read_body(request, Body)
    assert body.title == "last" and body.units == [1, 2]
    assert body.milestones == [Milestone(date=dt.date(2027, 1, 31), content="c")]


@pytest.mark.parametrize(
    ("payload", "message"),
    [("{not json", "请求体不是有效的 JSON。"), ("[1, 2]", "请求体应为 JSON 对象。")],
)
def test_a_body_that_is_not_a_json_object(payload, message):
    with pytest.raises(ValidationError) as info:
        read_body(rf.post("/", payload, content_type="application/json"), Body)
    assert message in info.value.message_dict["__all__"][0]


def test_invalid_fields_are_named():
    request = rf.post("/", json.dumps({"units": ["x"]}), content_type="application/json")
    with pytest.raises(ValidationError) as info:
        read_body(request, Body)
    errors = info.value.message_dict
    assert set(errors) == {"title", "units.0"}
    assert all(m.startswith("输入有误：") for ms in errors.values() for m in ms)
