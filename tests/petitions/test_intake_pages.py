"""The intake pages as the office uses them: 交办批次 → 导入批次 → upload → preview → commit; the error
workbook; a file too large; 登记信访件; and who may not."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecoinspect.common.models import ImportJob
from ecoinspect.petitions.choices import SuggestionKind
from ecoinspect.petitions.importers import PetitionImporter
from ecoinspect.petitions.models import Petition, Suggestion, TransferBatch
from tests.petitions import batch_files as bf


@pytest.fixture
def post_batch(django_capture_on_commit_callbacks):
    """Upload through the page (the check runs after commit, as in production); the response."""

    def post(client, url, content: bytes, name="第5批.xlsx", **fields):
        data = {"round": "3", "batch": "5", "received_on": "2023-11-25", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"file": SimpleUploadedFile(name, content), **data})

    return post


def link(html: str, testid: str) -> str:
    found = re.search(rf'href="([^"]+)"[^>]*data-testid="{testid}"', html)
    assert found, f"no link {testid}"
    return found[1]


def test_the_office_takes_a_batch_from_the_batch_list_to_the_cases(login, people, post_batch):
    client = login(people["coordinator"])
    batches = client.get(reverse("petitions:batch_list")).content.decode()
    upload_url = link(batches, "batch-import-link")
    page = client.get(upload_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "第三轮中央生态环境保护督察（导入时新建）" in html and "GBK" in html

    response = post_batch(client, upload_url, bf.xlsx(bf.TRANSFER, bf.CASES))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:import_preview", args=[job.pk])
    preview = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-create">3<' in preview
    assert "太和镇" in preview and "生态环境分局" in preview  # suggestions, with their reasons
    assert 'data-testid="row-flag"' in preview and "广州市天河区" in preview and "疑似不在本区" in preview
    assert Petition.objects.count() == 0

    done = client.post(reverse("petitions:import_commit", args=[job.pk]), follow=True)
    assert "导入完成：新增 3 条" in done.content.decode()
    batch = TransferBatch.objects.get()
    assert batch.number == 5 and batch.petitions.count() == 3
    listed = client.get(reverse("petitions:batch_list")).content.decode()
    assert batch.get_absolute_url() in listed

    again = post_batch(client, upload_url, bf.xlsx(bf.TRANSFER, bf.CASES), round="第三轮中央生态环境保护督察")
    second = client.get(again["Location"]).content.decode()
    assert 'data-testid="count-unchanged">3<' in second and 'data-testid="count-create">0<' in second


def test_a_changed_row_and_a_repeat_show_in_the_preview(login, people, post_batch):
    client = login(people["coordinator"])
    url = reverse("petitions:import_upload")
    first = post_batch(client, url, bf.xlsx(bf.TRANSFER, bf.CASES))
    client.post(reverse("petitions:import_commit", args=[ImportJob.objects.get().pk]))
    changed = [list(c) for c in bf.CASES] + [["4", "D3GD202311250004", bf.CASES[0][2], "白云区", "大气"]]
    changed[2][2] = "某建筑工地凌晨施工噪声扰民。"
    response = post_batch(client, url, bf.xlsx(bf.TRANSFER, changed), round="第三轮中央生态环境保护督察", batch="6")
    assert first.status_code == response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="row-diff"' in html and "某建筑工地夜间施工噪声扰民。" in html and "某建筑工地凌晨施工噪声扰民。" in html
    assert 'data-testid="row-repeats"' in html
    original = Petition.objects.get(acceptance_key="D3GD202311250001")
    assert reverse("petitions:petition_detail", args=[original.pk]) in html


def test_a_batch_with_errors_gives_the_error_workbook_and_writes_nothing(login, people, post_batch):
    from openpyxl import load_workbook

    client = login(people["coordinator"])
    rows = [bf.CASES[0], ["2", "", "某处有异味。", "白云区", "大气"]]
    response = post_batch(client, reverse("petitions:import_upload"), bf.xlsx(bf.TRANSFER, rows))
    preview = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-refused"' in preview and "无法识别，请补上受理编号" in preview
    book = client.get(response["Location"] + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert [c.value for c in sheet[2]][:4] == [4, "受理编号", None, "该行有问题内容但没有受理编号，无法识别，请补上受理编号。"]
    assert Petition.objects.count() == 0


def test_a_wrong_file_is_refused_with_the_reason(login, people, post_batch):
    client = login(people["coordinator"])
    response = post_batch(client, reverse("petitions:import_upload"), b"%PDF-1.4 ...", "第5批.pdf")
    assert response.status_code == 400 and "PDF" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_20_mb_table_is_refused_before_it_is_read(login, people, client):
    client = login(people["coordinator"])
    big = SimpleUploadedFile("第5批.xlsx", b"PK" + b"\0" * (20 * 1024 * 1024))
    response = client.post(reverse("petitions:import_upload"), {"file": big, "round": "3", "batch": "5"})
    assert response.status_code == 413
    assert "超过单个文件 10 MB 的上限，未保存任何内容" in response.content.decode()
    assert ImportJob.objects.count() == 0 and PetitionImporter.size_limit() == 10 * 1024 * 1024


def test_typing_one_case_in_stores_its_suggestions(login, people):
    from tests.factories import RoundFactory

    rnd = RoundFactory()
    client = login(people["coordinator"])
    batches = client.get(reverse("petitions:batch_list")).content.decode()
    url = link(batches, "petition-register-link")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "round": rnd.pk,
            "acceptance_no": "D3GD202311250099",
            "complaint_text": "江高镇某河涌发黑发臭，有污水直排。",
            "region_text": "广州市白云区",
            "received_on": "2023-11-25",
            "channel": "phone",
        },
    )
    petition = Petition.objects.get(acceptance_no="D3GD202311250099")
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
    assert str(petition.town) == "江高镇" and petition.channel == "phone"
    assert Suggestion.objects.filter(petition=petition, kind=SuggestionKind.DEPARTMENT).exists()
    twice = client.post(url, {"round": rnd.pk, "acceptance_no": "d3gd 2023 1125 0099", "complaint_text": "另一件", "received_on": "2023-11-25"})
    assert twice.status_code == 400 and "已存在" in twice.content.decode()


def test_units_may_not_import_nor_register(login, people):
    client = login(people["water"])
    assert 'data-testid="batch-import-link"' not in client.get(reverse("petitions:batch_list")).content.decode()
    assert client.get(reverse("petitions:import_upload")).status_code == 403
    assert client.get(reverse("petitions:petition_register")).status_code == 403


def test_the_template_is_the_transfer_table_and_reads_back(login, people, post_batch):
    from openpyxl import load_workbook

    client = login(people["coordinator"])
    upload = client.get(reverse("petitions:import_upload")).content.decode()
    response = client.get(link(upload, "import-template"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["交办信访件"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == bf.TRANSFER and "交办日期" in headers
    sheet.append(bf.CASES[0])
    filled = io.BytesIO()
    book.save(filled)
    done = post_batch(client, reverse("petitions:import_upload"), filled.getvalue(), "模板.xlsx")
    assert 'data-testid="count-create">1<' in client.get(done["Location"]).content.decode()
