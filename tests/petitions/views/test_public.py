"""The public pages, visited by anyone without logging in: the published tables (only what was disclosed,
masked, no internal field), the status of a case by its 受理编号, and the look-up's rate limit."""

from __future__ import annotations

import io
from urllib.parse import urljoin

import docx
import lxml.html
import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import ClosureStatus, Origin
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Petition
from tests.factories import BatchFactory, PetitionFactory

PERSONAL = "举报人张伟反映，其住机场路12号5栋1203房，电话13812345678，身份证440111199001011234，粤A12345的货车偷倒。"
#: What must never reach a public page: the personal data above, in any form it was written.
SECRETS = ("张伟", "1203", "13812345678", "440111199001011234", "粤A12345")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def disclosed(people):
    """Batch 5: two cases disclosed (one stage-closed), one still being handled, one repeat; the unit's
    internal texts (town reason, flags, raw cells) carry markers that must never be shown."""
    batch = BatchFactory(number=5)
    first = PetitionFactory(batch=batch, seq=1, status=S.APPROVED, complaint_text=PERSONAL)
    staged = PetitionFactory(batch=batch, seq=2, status=S.APPROVED, complaint_text="白云大道北1号工地夜间施工噪声。")
    waiting = PetitionFactory(batch=batch, seq=3, status=S.VERIFYING, complaint_text="INTERNAL-UNPUBLISHED 河涌发臭。")
    repeat = PetitionFactory(batch=batch, seq=4, complaint_text="村民陈大文反映同一处偷倒。")
    svc.petition_merge(actor=people["coordinator"], petition=repeat, original=first)
    Petition.objects.filter(pk=staged.pk).update(closure_status=ClosureStatus.STAGE_CLOSED)
    Petition.objects.filter(batch=batch).update(
        town_reason="INTERNAL-TOWN-REASON", flags=[{"column": "x", "raw": "INTERNAL-FLAG", "reason": "r"}],
        raw={"备注": "INTERNAL-RAW"}, remark="INTERNAL-REMARK",
    )
    svc.batch_disclose(actor=people["publisher"], batch=batch)
    return {"batch": batch, "first": first, "staged": staged, "waiting": waiting, "repeat": repeat}


def text_of(response) -> str:
    return response.content.decode()


def assert_nothing_private(body: str, *extra: str) -> None:
    for secret in (*SECRETS, "INTERNAL-", "区水务局", "publisher", "coordinator", *extra):
        assert secret not in body, secret


def test_anyone_sees_the_published_batches_and_their_tables_masked(anonymous, disclosed, people):
    undisclosed = BatchFactory(number=6)
    PetitionFactory(batch=undisclosed, seq=1, status=S.APPROVED, complaint_text="NOT-YET 噪声。")
    index = anonymous.get("/public/petitions/")
    assert index.status_code == 200
    tree = lxml.html.fromstring(text_of(index))
    links = [a.get("href") for a in tree.xpath('//table[@data-testid="public-batches"]//a')]
    assert links == [f"/public/petitions/batches/{disclosed['batch'].pk}/"]

    response = anonymous.get(links[0])
    body = text_of(response)
    assert response.status_code == 200
    assert "群众信访举报转办和边督边改公开情况一览表（第五批）" in body
    assert "举报人张某反映，其住机场路12号5栋**房，电话138****5678，身份证4401**********1234，粤A****5的货车偷倒。" in body
    first = disclosed["first"].acceptance_no
    assert f"重复件。与{first}号重复，办理情况见{first}号。" in body
    assert "INTERNAL-UNPUBLISHED" not in body  # the case still being handled
    assert_nothing_private(body, f"/petitions/{disclosed['first'].pk}/")
    assert anonymous.get(f"/public/petitions/batches/{undisclosed.pk}/").status_code == 404


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_public_downloads_hold_only_the_masked_rows(anonymous, disclosed, kind):
    url = f"/public/petitions/batches/{disclosed['batch'].pk}/"
    tree = lxml.html.fromstring(text_of(anonymous.get(url)))
    link = urljoin(url, tree.xpath(f'//*[@data-testid="public-{kind}"]')[0].get("href"))
    response = anonymous.get(link)
    assert response.status_code == 200
    if kind == "docx":
        document = docx.Document(io.BytesIO(response.content))
        text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    else:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        text = "\n".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    assert "举报人张某" in text and "阶段性办结" in text
    assert_nothing_private(text)


def test_a_history_batch_has_no_public_page(anonymous, people):
    history = BatchFactory(number=2, origin=Origin.HISTORY)
    PetitionFactory(batch=history, seq=1, origin=Origin.HISTORY, complaint_text="往轮。")
    assert anonymous.get(f"/public/petitions/batches/{history.pk}/").status_code == 404


def lookup(client, number: str, **extra):
    return client.get("/public/petitions/status/", {"no": number}, **extra)


def stage(response) -> str:
    tree = lxml.html.fromstring(text_of(response))
    return [e.text_content() for e in tree.xpath('//*[@data-testid="public-stage"]')][0]


def test_the_status_of_a_disclosed_case_shows_the_published_result(anonymous, disclosed):
    number = disclosed["first"].acceptance_no
    response = lookup(anonymous, number.lower())  # typed in lower case: the same number
    assert response.status_code == 200
    assert stage(response) == "已公开办理结果"
    body = text_of(response)
    assert "举报人张某反映" in body and "已办结" in body and "属实" in body
    assert_nothing_private(body)


def test_the_status_of_a_case_being_handled_shows_no_text_of_it(anonymous, disclosed):
    response = lookup(anonymous, disclosed["waiting"].acceptance_no)
    assert stage(response) == "正在办理"
    assert "办理结果尚未公开" in text_of(response)
    assert_nothing_private(text_of(response), "河涌发臭")


def test_the_status_of_a_repeat_points_to_its_original(anonymous, disclosed):
    response = lookup(anonymous, disclosed["repeat"].acceptance_no)
    assert stage(response) == "重复件"
    tree = lxml.html.fromstring(text_of(response))
    link = tree.xpath('//*[@data-testid="repeat-of"]//a')[0].get("href")
    assert stage(anonymous.get("/public/petitions/status/" + link)) == "已公开办理结果"


def test_a_resumed_case_shows_what_was_published_not_the_new_draft(anonymous, disclosed, people):
    staged = Petition.objects.get(pk=disclosed["staged"].pk)
    staged = svc.petition_resume(actor=people["coordinator"], petition=staged, reason="继续办理")
    Petition.objects.filter(pk=staged.pk).update(handling="DRAFT-NOT-APPROVED")
    response = lookup(anonymous, staged.acceptance_no)
    assert stage(response) == "继续办理中（已公开阶段性办理结果）"
    assert "阶段性办结" in text_of(response) and "DRAFT-NOT-APPROVED" not in text_of(response)
    page = anonymous.get(f"/public/petitions/batches/{disclosed['batch'].pk}/")
    assert "DRAFT-NOT-APPROVED" not in text_of(page)


def test_an_unknown_number_says_so(anonymous, disclosed):
    response = lookup(anonymous, "X3GD209901019999")
    assert response.status_code == 200
    assert lxml.html.fromstring(text_of(response)).xpath('//*[@data-testid="not-found"]')


@override_settings(PETITIONS_PUBLIC_LOOKUP_LIMIT=3, PETITIONS_PUBLIC_LOOKUP_WINDOW_SECONDS=600)
def test_the_lookup_is_rate_limited_per_address(anonymous, disclosed):
    number = disclosed["first"].acceptance_no
    for _ in range(3):
        assert lookup(anonymous, number, REMOTE_ADDR="203.0.113.7").status_code == 200
    limited = lookup(anonymous, number, REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429 and limited["Retry-After"] == "600"
    body = text_of(limited)
    assert "查询过于频繁" in body and "10 分钟最多查询 3 次" in body
    assert "举报人张某" not in body  # no result while limited
    assert lookup(anonymous, number, REMOTE_ADDR="198.51.100.2").status_code == 200  # another address
    assert anonymous.get("/public/petitions/status/", REMOTE_ADDR="203.0.113.7").status_code == 200  # the empty form


def test_a_person_without_a_unit_reaches_the_public_pages(client, people, disclosed):
    client.force_login(people["nobody"])
    assert client.get("/public/petitions/").status_code == 200
    assert lookup(client, disclosed["first"].acceptance_no).status_code == 200
