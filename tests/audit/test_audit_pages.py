"""The auditor's pages: the action log and change log, the verify button, CSV and Excel exports."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from ecoinspect.audit.models import ActionLog
from tests.audit import tamper
from tests.factories import ActionLogFactory, UnitFactory

ACTIONS = reverse("audit:actionlog_list")
CHANGES = reverse("audit:changelog_list")
VERIFY = reverse("audit:verify")


@pytest.fixture
def entries(people, structure):
    ActionLogFactory(
        action="testapp.ticket.assigned",
        actor=people["coordinator"],
        obj=structure["taihe"],
        payload={"to": "assigned"},
    )
    ActionLogFactory(
        action="testapp.ticket.refused",
        actor=people["jingtai"],
        object_repr='=HYPERLINK("http://x")',
        payload={"reason": "无权"},
    )
    return list(ActionLog.objects.order_by("seq"))


def test_the_auditor_reads_the_action_log_newest_first(login, people, entries):
    page = login(people["auditor"]).get(ACTIONS).content.decode()
    # actions by name (交办, 操作被拒绝), never their codes; newest first
    assert "交办" in page and "操作被拒绝" in page and "testapp.ticket." not in page
    assert page.index(entries[-1].hash[:12]) < page.index(entries[0].hash[:12])
    assert "理由：无权" in page and "状态：— → assigned" not in page


def test_the_action_log_filters_by_action_prefix_and_person(login, people, entries):
    client = login(people["auditor"])
    refused, assigned = entries[-1].hash[:12], entries[0].hash[:12]
    page = client.get(ACTIONS, {"action": "testapp.ticket.ref"}).content.decode()
    assert refused in page and assigned not in page
    page = client.get(ACTIONS, {"actor_name": "jingtai"}).content.decode()
    assert refused in page and assigned not in page


def test_the_csv_export_has_exactly_the_filtered_rows_and_defuses_formulas(login, people, entries):
    response = login(people["auditor"]).get(ACTIONS, {"action": "testapp.", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens UTF-8 Chinese correctly
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["序号", "时间", "操作人", "动作", "对象", "内容", "哈希"]
    assert [r[3] for r in rows[1:]] == ["操作被拒绝", "交办"]
    assert rows[1][4] == '\'=HYPERLINK("http://x")'  # a formula would run when the file is opened
    assert rows[2][2] == "coordinator" and rows[2][4] == "太和镇"


def test_the_excel_export_opens_with_the_same_rows(login, people, entries):
    response = login(people["auditor"]).get(ACTIONS, {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "时间", "操作人", "动作", "对象", "内容", "哈希")
    assert len(rows) - 1 == ActionLog.objects.count()
    assert [r[0] for r in rows[1:]] == sorted((e.seq for e in ActionLog.objects.all()), reverse=True)
    refused = next(r for r in rows if r[3] == "操作被拒绝")
    assert refused[4] == '=HYPERLINK("http://x")' and refused[2] == "jingtai"  # shown as written …
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # … and never a formula


def test_the_verify_button_reports_an_intact_chain_and_logs_the_check(login, people, entries):
    client = login(people["auditor"])
    response = client.post(VERIFY, follow=True)
    page = response.content.decode()
    assert "操作日志哈希链完整" in page
    last = ActionLog.objects.order_by("-seq").first()
    assert last.action == "audit.chain.verified" and last.actor == people["auditor"]


def test_the_verify_button_names_the_tampered_row(login, people, entries):
    client = login(people["auditor"])  # logging in appends an entry too
    target = entries[-1]
    tamper.set_payload(target.seq, '{"reason": "有权"}')
    page = client.post(VERIFY, follow=True).content.decode()
    assert f"第 {target.seq} 条（id={target.pk}）" in page and "内容被篡改" in page
    last = ActionLog.objects.order_by("-seq").first()
    assert last.action == "audit.chain.broken" and last.payload["broken_seq"] == target.seq


def test_the_verify_button_holds_the_log_against_the_latest_anchor(login, people, entries, anchor_dir):
    client = login(people["auditor"])  # logging in appends an entry: before the anchor
    call_command("audit", "anchor", stdout=io.StringIO())
    head = ActionLog.objects.order_by("-seq").first().seq
    tamper.delete_tail(head - 1)
    page = client.post(VERIFY, follow=True).content.decode()
    assert f"第 {head - 1}–{head} 条缺失" in page and "最新的记录被删除" in page
    last = ActionLog.objects.order_by("-seq").first()
    assert last.action == "audit.chain.broken" and last.payload["anchor_problems"] == 1


def test_verify_is_a_post_for_auditors_only(login, people, entries):
    assert login(people["auditor"]).get(VERIFY).status_code == 405
    count = ActionLog.objects.count()
    for person in ("leader", "sanyuanli", "reviewer"):
        client = login(people[person])
        count = ActionLog.objects.count()
        assert client.post(VERIFY).status_code == 403
        assert ActionLog.objects.count() == count


def test_the_change_log_shows_what_changed_and_exports_it(login, people, structure):
    client = login(people["coordinator"])
    unit = structure["jingtai"]
    client.post(
        reverse("orgs:unit_edit", args=[unit.pk]),
        {
            "name": unit.name,
            "short_name": unit.short_name,
            "code": unit.code,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "phone": "020-5",
            "address": "",
            "sort_order": unit.sort_order,
            "is_active": "on",
        },
    )
    UnitFactory(village=True, code="other", name="别的村", short_name="别的村", parent=structure["taihe"])
    auditor = login(people["auditor"])
    page = auditor.get(CHANGES, {"object_type": "orgs.unit", "object_id": unit.pk}).content.decode()
    assert "景泰街道" in page and "联系电话：" in page and "别的村" not in page
    sheet = openpyxl.load_workbook(
        io.BytesIO(
            auditor.get(CHANGES, {"object_type": "orgs.unit", "object_id": unit.pk, "format": "xlsx"}).content
        )
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "用户", "操作", "对象类型", "对象", "变更内容", "请求编号")
    assert [(r[1], r[2], r[4]) for r in rows[1:]] == [
        ("coordinator", "修改", "景泰街道"),
        ("系统", "新增", "景泰街道"),
    ]
    assert rows[1][5].startswith("联系电话：")  # newest first; the creation by load-structure lists every field


def test_the_action_log_speaks_in_names_not_codes(login, people, structure):
    from tests.factories import ProblemFactory

    problem = ProblemFactory(status="assigned", title="名称测试问题")
    html = login(people["auditor"]).get(reverse("audit:actionlog_list") + f"?q={problem.number}").content.decode()
    assert "ledger.problem.assigned" not in html and "交办" in html
    assert "状态：已登记 → 已交办" in html  # the move's states by name, not "registered → assigned"
    assert '"from"' not in html  # no raw JSON


def test_the_change_log_shows_each_field_by_name_with_before_and_after(login, people, structure):
    from ecoinspect.orgs import services as org_services

    unit = structure["sanyuanli"]
    org_services.unit_update(actor=people["coordinator"], unit=unit, phone="020-1234-5678")
    html = login(people["auditor"]).get(reverse("audit:changelog_list")).content.decode()
    assert "联系电话：" in html
    assert "orgs.unit" not in html  # the object type by its name (单位)
