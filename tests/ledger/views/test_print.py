"""Printing: the 打印 links of the list, the problem page and the notice page open the page for printing
(no navigation, no buttons, every filtered row); the notice page offers the Word 督办单."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import docx
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ecoinspect.ledger.choices import ProblemStatus as S
from tests.factories import ProblemFactory, SupervisionNoticeFactory

pytestmark = pytest.mark.django_db


def follow(client, page: str, testid: str, base: str):
    href = unescape(re.search(rf'href="([^"]+)"[^>]*data-testid="{testid}"', page).group(1))
    return client.get(base + href if href.startswith("?") else href)


def test_the_list_prints_every_filtered_row_without_navigation(as_user, people):
    for n in range(3):
        ProblemFactory(title=f"打印问题{n}")
    client = as_user(people["coordinator"])
    url = reverse("ledger:problem_list")
    page = client.get(url, {"q": "打印问题", "per_page": "10"}).content.decode()
    assert 'class="navbar' in page and "eco-sidebar" in page
    printed = follow(client, page, "print-link", url).content.decode()
    assert 'class="eco-print"' in printed and 'data-testid="print-header"' in printed
    assert 'class="navbar' not in printed and "eco-sidebar" not in printed
    assert all(f"打印问题{n}" in printed for n in range(3))
    assert "打印问题" in printed.split('data-testid="list-table"')[1]  # the filter is kept


def test_the_problem_page_prints_without_navigation(as_user, people):
    problem = ProblemFactory(title="待打印的问题", status=S.ASSIGNED)
    client = as_user(people["water"])
    url = problem.get_absolute_url()
    printed = follow(client, client.get(url).content.decode(), "print-link", url).content.decode()
    assert 'class="eco-print"' in printed and "待打印的问题" in printed and "eco-sidebar" not in printed


def test_the_print_stylesheet_hides_navigation_buttons_and_filters():
    css = Path(finders.find("ecoinspect/app.css")).read_text(encoding="utf-8")
    rules = css[css.index("@media print") :]
    for selector in (".eco-topbar", ".eco-sidebar", ".btn", 'form[role="search"]', '[data-testid="selection-bar"]'):
        assert selector in rules


def test_the_notice_page_offers_the_word_supervision_notice(as_user, people, structure):
    problem = ProblemFactory(title="新市涌排水口污水直排", status=S.RECTIFYING)
    notice = SupervisionNoticeFactory(
        problems=[problem], requirements="请于五个工作日内完成截污。\n逾期将约谈单位负责人。"
    )
    client = as_user(people["water"])
    url = notice.get_absolute_url()
    response = follow(client, client.get(url).content.decode(), "notice-docx", url)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "督办单" in text and notice.number in text
    assert "区水务局" in text
    assert "请于五个工作日内完成截污。" in text and "逾期将约谈单位负责人。" in text
    due = notice.reply_due
    assert f"{due.year}年{due.month}月{due.day}日" in text
    assert f"签发人：{people['coordinator']}" in text and "签发时间：" in text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "问题编号", "整改任务"]
    assert [c.text for c in table.rows[1].cells][1:3] == [problem.number, "新市涌排水口污水直排"]


def test_another_unit_gets_no_word_notice(as_user, people):
    notice = SupervisionNoticeFactory()
    response = as_user(people["housing"]).get(reverse("ledger:notice_docx", args=[notice.pk]))
    assert response.status_code == 404
