"""A case's page and its forms, as the people who use them click through: 交办 with both clocks, the unit's
handling per claim (kept on error, refused when someone saved meanwhile), the office's review, merge,
return visits, and the ledger problem opened in one click and shown on both pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoinspect.common.calendar import default_calendar
from ecoinspect.ledger.models import Problem
from ecoinspect.petitions.choices import ClosureStatus, SuggestionKind, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Assignment, Petition
from tests.factories import PetitionFactory, RoundFactory, SuggestionFactory
from tests.factories.petitions import HANDLING, advance_petition

pytestmark = pytest.mark.django_db


def reload(p: Petition) -> Petition:
    return Petition.objects.get(pk=p.pk)


def href(html: str, selector: str) -> str:
    """The address of the link carrying ``selector`` (an attribute such as data-action="assign")."""
    tag = re.search(rf'<a [^>]*{re.escape(selector)}[^>]*>', html).group(0)
    return re.search(r'href="([^"]+)"', tag).group(1).replace("&amp;", "&")


def form_data(html: str) -> dict:
    """The values a form on the page would send as it is (inputs, selects, textareas)."""
    data: dict = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    for name, attrs, body in re.findall(r'<select name="([^"]+)"([^>]*)>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if "multiple" in attrs:
            if chosen:  # a multiple select with nothing chosen sends nothing
                data[name] = chosen
        else:
            data[name] = chosen[0] if chosen else ""
    return data


def test_the_office_assigns_from_the_cases_page_with_the_rounds_two_due_dates(as_user, people, structure):
    rnd = RoundFactory(internal_days=3, external_days=7)
    petition = PetitionFactory(round=rnd)
    client = as_user(people["coordinator"])
    page = client.get(petition.get_absolute_url()).content.decode()
    form_url = href(page, 'data-action="assign"')
    form = client.get(form_url).content.decode()
    cal, today = default_calendar(), timezone.localdate()
    assert cal.add_workdays(today, 3).isoformat() in form and cal.add_workdays(today, 7).isoformat() in form

    wrong = client.post(
        form_url,
        {**form_data(form), "lead": structure["swj"].pk, "internal_due": "2036-01-10", "external_due": "2036-01-05", "note": "当日核查"},
    )
    assert wrong.status_code == 400 and "区内反馈时限不能晚于督察组反馈时限" in wrong.content.decode()
    assert 'value="当日核查"' in wrong.content.decode()  # what was typed is kept

    done = client.post(
        form_url, {**form_data(form), "lead": structure["swj"].pk, "cooperating": [structure["jingtai"].pk]}, follow=True
    )
    assert "已交办" in done.content.decode()
    rows = {a.unit.code: a for a in reload(petition).assignments.all()}
    assert set(rows) == {"swj", "jingtai"} and rows["swj"].external_due == cal.add_workdays(today, 7)
    assert reload(petition).status == S.ASSIGNED
    assert 'data-testid="add-units"' in done.content.decode()  # 增派 while the case is being worked


def test_the_page_shows_both_clocks_with_their_colours(as_user, people):
    petition = PetitionFactory(status=S.VERIFYING)
    today = timezone.localdate()
    Assignment.objects.filter(petition=petition).update(internal_due=today - dt.timedelta(days=2), external_due=today)
    html = as_user(people["water"]).get(petition.get_absolute_url()).content.decode()
    table = html.split('data-testid="assignments"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-clock="(\w+)"', table) == ["danger", "warning"]
    assert "逾期 2 天" in table and "今日到期" in table


def test_the_unit_signs_records_each_claim_and_the_figures_and_reports(as_user, people):
    petition = PetitionFactory(status=S.ASSIGNED)
    client = as_user(people["water"])
    page = client.get(petition.get_absolute_url()).content.decode()
    sign = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*<input[^>]*>\s*(?:<input[^>]*>\s*)?<button[^>]*data-action="sign"', page)
    client.post(sign.group(1), {"version": reload(petition).version})
    page = client.get(petition.get_absolute_url()).content.decode()
    assert reload(petition).status == S.VERIFYING
    form_url = href(page, 'data-testid="handling-link"')
    data = form_data(client.get(form_url).content.decode())
    data.update(
        {
            "claims-0-text": "小区污水直排河涌",
            "claims-0-finding": "发现雨污混接",
            "claims-0-verdict": Verdict.TRUE,
            "claims-1-text": "夜间偷排",
            "claims-1-finding": "未发现",
            "claims-1-verdict": Verdict.FALSE,
            "claims-TOTAL_FORMS": "2",
            "investigation": "现场核查。",
            "handling": "责令整改，封堵排口。",
            "closure_status": ClosureStatus.STAGE_CLOSED,
            "rectify_orders": "2",
            "penalty_cases": "1",
            "fine_amount": "3.5",
            "interviews": "-1",
        }
    )

    wrong = client.post(form_url, {**data, "report": "1"})
    assert wrong.status_code == 400
    assert "小区污水直排河涌" in wrong.content.decode() and "现场核查。" in wrong.content.decode()
    assert reload(petition).investigation == ""  # nothing half-written

    data["interviews"] = "0"
    saved = client.post(form_url, {**data, "save": "1"}, follow=True)
    assert "办理情况已保存（尚未反馈）" in saved.content.decode()
    petition = reload(petition)
    assert petition.verdict == Verdict.PARTLY_TRUE and petition.status == S.VERIFYING
    assert (petition.rectify_orders, petition.penalty_cases, str(petition.fine_amount)) == (2, 1, "3.5000")
    assert [c.text for c in petition.claims.all()] == ["小区污水直排河涌", "夜间偷排"]
    assert 'value="3.5"' in saved.content.decode()  # the amount as it was typed

    reported = client.post(form_url, {**form_data(saved.content.decode()), "report": "1"}, follow=True)
    assert "已反馈办理情况" in reported.content.decode()
    assert reload(petition).status == S.REPORTED and reload(petition).claims.count() == 2


def test_a_report_missing_its_verdict_is_refused_and_nothing_is_saved(as_user, people):
    petition = PetitionFactory(status=S.VERIFYING)
    client = as_user(people["water"])
    url = reverse("petitions:petition_handling", args=[petition.pk])
    data = {**form_data(client.get(url).content.decode()), "investigation": "已核查", "report": "1"}
    response = client.post(url, data)
    assert response.status_code == 409 and "是否属实" in response.content.decode()
    assert reload(petition).investigation == "" and reload(petition).status == S.VERIFYING


def test_someone_elses_save_meanwhile_is_said_and_the_input_kept(as_user, people, make_user, structure):
    petition = PetitionFactory(status=S.VERIFYING)
    colleague = make_user("water2", structure["swj"], "staff")
    url = reverse("petitions:petition_handling", args=[petition.pk])
    mine = form_data(as_user(people["water"]).get(url).content.decode())
    theirs = form_data(as_user(colleague).get(url).content.decode())
    as_user(colleague).post(url, {**theirs, "investigation": "同事先保存的核查情况"})

    client = as_user(people["water"])
    response = client.post(url, {**mine, "investigation": "我写的核查情况"})
    body = response.content.decode()
    assert response.status_code == 400 and "已被他人修改" in body and "我写的核查情况" in body
    assert reload(petition).investigation == "同事先保存的核查情况"
    again = client.post(url, form_data(body))  # saved again, knowingly, over the newer version
    assert again.status_code == 302 and reload(petition).investigation == "我写的核查情况"


def test_the_office_sends_back_with_a_reason_and_approves(as_user, people):
    petition = PetitionFactory(status=S.REPORTED)
    client = as_user(people["coordinator"])
    page = client.get(petition.get_absolute_url()).content.decode()
    back_url = href(page, 'data-action="send_back"')
    data = form_data(client.get(back_url).content.decode())
    assert client.post(back_url, {**data, "reason": ""}).status_code == 400
    client.post(back_url, {**data, "reason": "请补充监测报告"})
    assert reload(petition).status == S.VERIFYING
    page = as_user(people["water"]).get(petition.get_absolute_url()).content.decode()
    assert "请补充监测报告" in page  # on the timeline

    staff = people["water"]
    from ecoinspect.petitions import services as svc

    svc.petition_report(actor=staff, petition=reload(petition))
    page = as_user(people["coordinator"]).get(petition.get_absolute_url()).content.decode()
    approve = re.search(r'action="([^"]+/move/approve/)"', page).group(1)
    as_user(people["coordinator"]).post(approve, {"version": reload(petition).version})
    assert reload(petition).status == S.APPROVED


def test_a_disclosed_case_is_resumed_with_a_reason_or_closed_out(as_user, people):
    stage = PetitionFactory(status=S.DISCLOSED)
    client = as_user(people["coordinator"])
    page = client.get(stage.get_absolute_url()).content.decode()
    resume = href(page, 'data-action="resume"')
    client.post(resume, {**form_data(client.get(resume).content.decode()), "reason": "阶段性办结，继续跟进"})
    assert reload(stage).status == S.VERIFYING

    closed = PetitionFactory(status=S.DISCLOSED)
    page = client.get(closed.get_absolute_url()).content.decode()
    close = re.search(r'action="([^"]+/move/close_out/)"', page).group(1)
    client.post(close, {"version": reload(closed).version})
    assert reload(closed).status == S.CLOSED_OUT


def test_a_substantiated_case_opens_a_ledger_problem_linked_both_ways(as_user, people):
    petition = PetitionFactory(status=S.REPORTED)
    unsubstantiated = advance_petition(
        PetitionFactory(status=S.VERIFYING), S.REPORTED, handling={**HANDLING, "verdict": Verdict.FALSE}
    )
    client = as_user(people["coordinator"])
    assert 'data-testid="open-problem"' not in client.get(unsubstantiated.get_absolute_url()).content.decode()
    page = client.get(petition.get_absolute_url()).content.decode()
    action = re.search(r'action="([^"]+)"[^>]*>\s*<input[^>]*>\s*<button[^>]*data-testid="open-problem"', page).group(1)

    done = client.post(action, follow=True).content.decode()

    problem = Problem.objects.get(petitions=petition)
    assert "已建立整改问题" in done and problem.number in done
    assert 'data-testid="open-problem"' not in done
    problem_page = client.get(href(done, 'data-testid="linked-problem"')).content.decode()
    section = problem_page.split('data-testid="related-petitions"', 1)[1]
    assert petition.acceptance_no in section and f'href="{petition.get_absolute_url()}"' in section
    # the lead unit sees the case on the problem's page too; a unit that sees neither sees nothing
    assert petition.acceptance_no in as_user(people["water"]).get(problem.get_absolute_url()).content.decode()
    assert as_user(people["housing"]).get(problem.get_absolute_url()).status_code == 404


def test_a_return_visit_is_recorded_and_an_unsatisfied_one_resumes_the_case(as_user, people):
    petition = PetitionFactory(status=S.DISCLOSED)
    client = as_user(people["coordinator"])
    url = href(client.get(petition.get_absolute_url()).content.decode(), 'data-testid="visit-link"')
    today = timezone.localdate().isoformat()
    missing = client.post(url, {"visited_on": today, "method": "phone", "satisfied": "no", "note": ""})
    assert missing.status_code == 400 and "请写明群众的意见" in missing.content.decode()
    client.post(url, {"visited_on": today, "method": "phone", "satisfied": "no", "note": "异味仍在"})
    petition = reload(petition)
    assert petition.status == S.VERIFYING and petition.visits.get().satisfied is False
    page = client.get(petition.get_absolute_url()).content.decode()
    assert 'data-satisfied="0"' in page and "异味仍在" in page


def test_a_case_is_merged_into_an_original_named_by_its_number(as_user, people):
    original = PetitionFactory(status=S.ASSIGNED)
    repeat = PetitionFactory()
    client = as_user(people["coordinator"])
    url = href(client.get(repeat.get_absolute_url()).content.decode(), 'data-action="merge"')
    data = form_data(client.get(url).content.decode())
    unknown = client.post(url, {**data, "original": "D3GD19990101XXXX"})
    assert unknown.status_code == 400 and "找不到受理编号" in unknown.content.decode()
    page = client.post(url, {**data, "original": original.acceptance_no}, follow=True).content.decode()
    assert reload(repeat).duplicate_of == original and 'data-testid="merged-into"' in page
    assert repeat.acceptance_no in client.get(original.get_absolute_url()).content.decode()


def test_the_page_shows_the_suggestions_with_their_decisions_and_the_timeline(as_user, people, structure):
    petition = PetitionFactory(region_text="", complaint_text="某小区旁河涌发臭。")
    s = SuggestionFactory(petition=petition, kind=SuggestionKind.TOWN, value={"unit": structure["jingtai"].pk, "name": "景泰街道"})
    client = as_user(people["coordinator"])
    page = client.get(petition.get_absolute_url()).content.decode()
    card = page.split('data-testid="petition-suggestions"', 1)[1]
    assert "景泰街道" in card and 'data-decision="pending"' in card
    accept = re.search(r'formaction="([^"]+/accept/)"', card).group(1)
    page = client.post(accept, {"next": petition.get_absolute_url()}, follow=True).content.decode()
    assert 'data-decision="accepted"' in page and "采纳导入建议" in page  # and on the timeline
    assert reload(petition).town == structure["jingtai"]
    assert s.pk


def test_the_office_forms_are_refused_to_units_with_the_reason(as_user, people):
    petition = PetitionFactory(status=S.REPORTED)
    water = as_user(people["water"])
    for name in ("petition_send_back", "petition_merge", "petition_visit", "petition_assign"):
        response = water.get(reverse(f"petitions:{name}", args=[petition.pk]))
        assert response.status_code == 403 and "只有区督察迎检办" in response.content.decode()
    town = PetitionFactory(status=S.VERIFYING, town=None)
    assert as_user(people["housing"]).get(reverse("petitions:petition_handling", args=[town.pk])).status_code == 404
