"""Response headers (issue #10): a strict Content-Security-Policy on every page, ``Cache-Control: private,
no-store`` on whatever is meant for one signed-in person (pages, API answers, downloads), while static files
keep their long cache. And a scan of every template for script the policy would refuse."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TicketFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "ecoinspect"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# ---- Content-Security-Policy ---------------------------------------------------------------------------------


def test_every_page_carries_a_strict_policy(login, people):
    client = login(people["coordinator"])
    for url in (reverse("dashboard:home"), reverse("ledger:problem_list"), reverse("login")):
        policy = directives(client.get(url))
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"][0] == "'self'" and len(policy["script-src"]) <= 2  # self (+ a nonce)
        assert all(v.startswith("'nonce-") for v in policy["script-src"][1:])
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
        text = " ".join(" ".join(v) for v in policy.values())
        assert "unsafe-eval" not in text and "http" not in text and "*" not in text


def test_the_login_page_and_the_public_pages_too(db):
    anonymous = Client()
    for url in (reverse("login"), reverse("petitions_public:index")):
        assert "default-src 'self'" in anonymous.get(url)["Content-Security-Policy"], url


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b[^>]*>|\sstyle\s*=", re.I)


def test_no_template_has_inline_script_style_or_event_attributes():
    """The policy refuses them: an inline <script> or <style> (without the request's nonce), onclick=…,
    hx-on…= (which HTMX evaluates), style="…" or a javascript: link would silently do nothing in the browser."""
    found = []
    for template in sorted(SRC.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_ATTRIBUTE, INLINE_STYLE, re.compile(r"javascript:", re.I)):
            for match in pattern.finditer(text):
                if "csp_nonce" in text[match.start() : text.find(">", match.start())]:
                    continue
                found.append(f"{template.relative_to(SRC)}: {match.group(0).strip()}")
    assert found == []


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(login, people):
    page = login(people["water"]).get(reverse("dashboard:home")).content.decode()
    assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page
    css = (SRC / "static" / "ecoinspect" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css  # the indicator still shows while a request runs


# ---- Cache-Control ---------------------------------------------------------------------------------------------


def private(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


def test_signed_in_pages_and_fragments_are_not_stored(login, people):
    client = login(people["coordinator"])
    for url in (
        reverse("dashboard:home"),
        reverse("ledger:problem_list"),
        reverse("notifications:inbox"),
        reverse("petitions_public:index"),  # a public page, but this answer was drawn for a signed-in person
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert private(response), (url, response.get("Cache-Control"))
    fragment = client.get(reverse("ledger:routing_proposal"), {"address": "三元里"}, HTTP_HX_REQUEST="true")
    assert private(fragment)


def test_every_api_answer_is_private_also_to_a_token_and_also_a_refusal(client, people, api_token):
    token = {"Authorization": f"Bearer {api_token(people['water'])}"}
    for response in (
        client.get("/api/v1/me", headers=token),
        client.get("/api/v1/ledger/problems", headers=token),
        client.get("/api/v1/me"),  # 401
    ):
        assert private(response), response.get("Cache-Control")


def test_exports_and_downloads_are_private(login, people, structure):
    TicketFactory(title="水务工单", lead_unit=structure["swj"])
    response = login(people["water"]).get(reverse("testapp:ticket_export"), {"format": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment")
    assert private(response)


def test_static_files_keep_their_cache_even_for_a_signed_in_person(login, people):
    client = login(people["water"])
    response = client.get(settings.STATIC_URL + "ecoinspect/app.css")
    assert response.status_code == 200
    value = response["Cache-Control"]
    assert "no-store" not in value and "private" not in value and "max-age" in value
    # …because WhiteNoise answers them above the middleware that marks answers private:
    stack = settings.MIDDLEWARE
    assert stack.index("whitenoise.middleware.WhiteNoiseMiddleware") < stack.index(
        "ecoinspect.core.middleware.PrivateCacheMiddleware"
    )


def test_an_anonymous_public_page_is_left_to_ordinary_caching(db):
    response = Client().get(reverse("petitions_public:index"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
