"""The batch page as the office works it: every case with its suggestions, accepted or corrected in a
click (HTMX swaps the row and the counts; without JavaScript the same buttons post and come back), merged,
marked and assigned in bulk — and as a unit sees it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ecoinspect.petitions.choices import AssignmentRole, SuggestionDecision, SuggestionKind
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Petition, Suggestion
from tests.factories import BatchFactory, PetitionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def batch(structure):
    """Three cases: a town and a (wrong) department suggested for the first, the second a repeat of the
    first, the third the housing bureau's."""
    u = structure
    batch = BatchFactory(number=12)
    first = PetitionFactory(batch=batch, seq=1, region_text="", complaint_text="石马桥涌旁小区污水直排，河涌发黑发臭。")
    repeat = PetitionFactory(batch=batch, seq=2, region_text="", complaint_text="再次反映：石马桥涌河涌发黑发臭。")
    other = PetitionFactory(batch=batch, seq=3, region_text="", complaint_text="工地夜间施工噪声扰民。", status=S.ASSIGNED, lead="zjj")
    SuggestionFactory(petition=first, kind=SuggestionKind.TOWN, value={"unit": u["xinshi"].pk, "name": u["xinshi"].name}, score=0.9, reasons=["石马桥涌属新市街道"])
    SuggestionFactory(petition=first, kind=SuggestionKind.DEPARTMENT, value={"unit": u["zjj"].pk, "name": u["zjj"].name}, score=0.4, reasons=["三管三必须：住建"])
    SuggestionFactory(petition=first, kind=SuggestionKind.TYPES, value={"problem_types": ["water"], "sub_tags": ["黑臭水体"]}, score=0.8)
    SuggestionFactory(
        petition=repeat,
        kind=SuggestionKind.DUPLICATE,
        value={"petition": first.pk, "acceptance_no": first.acceptance_no, "matched": ["河涌发黑发臭"], "signals": ["同一河涌"]},
        score=0.87,
        reasons=["文本相似"],
    )
    return {"batch": batch, "first": first, "repeat": repeat, "other": other}


def page_of(client, batch):
    return client.get(reverse("petitions:batch_detail", args=[batch.pk])).content.decode()


def suggestion_of(petition, kind) -> Suggestion:
    return petition.suggestions.get(kind=kind)


def row_of(html: str, number: str) -> str:
    start = html.index(f'data-petition="{number}"')
    return html[start : html.index("</tr>", start)]


def counts(html: str) -> dict:
    """{kind: {decision: n}} from the counts card."""
    card = html[html.index('id="suggestion-counts"') :]
    card = card[: card.index("</table>")]
    result = {}
    for kind, body in re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', card, re.S):
        result[kind] = dict(re.findall(r'data-count="(\w+)">([^<]*)<', body))
    return result


def test_the_office_sees_every_case_with_its_suggestions_reasons_and_the_shared_text_marked(as_user, people, batch):
    html = page_of(as_user(people["coordinator"]), batch["batch"])
    assert html.count('data-testid="triage-row"') == 3
    first = row_of(html, batch["first"].acceptance_no)
    assert "新市街道" in first and "0.90" in first and "石马桥涌属新市街道" in first
    assert "白云区住房和城乡建设局" in first and "三管三必须：住建" in first
    assert "水（黑臭水体）" in first
    repeat = row_of(html, batch["repeat"].acceptance_no)
    assert "<mark>河涌发黑发臭</mark>" in repeat  # in the case's own text and in its original's
    assert repeat.count("<mark>") == 2
    assert "0.87" in repeat and "同一河涌" in repeat
    assert f'href="{batch["first"].get_absolute_url()}"' in repeat
    assert counts(html)["town"] == {"accepted": "0", "corrected": "0", "dismissed": "0", "pending": "1", "accuracy": "—"}


def test_accepting_with_a_click_swaps_the_row_and_the_counts(as_user, people, batch):
    client = as_user(people["coordinator"])
    html = page_of(client, batch["batch"])
    s = suggestion_of(batch["first"], SuggestionKind.TOWN)
    accept = reverse("petitions:suggestion_decide", args=[s.pk, "accept"])
    assert f'hx-post="{accept}"' in row_of(html, batch["first"].acceptance_no)

    response = client.post(accept, {"row": "1"}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<tr")
    assert 'data-kind="town" data-decision="accepted"' in body
    assert 'hx-swap-oob="true"' in body and counts(body)["town"]["accepted"] == "1"
    assert counts(body)["town"]["accuracy"] == "100%"
    s.refresh_from_db()
    assert s.decision == SuggestionDecision.ACCEPTED and s.decided_by == people["coordinator"]
    assert Petition.objects.get(pk=batch["first"].pk).town.code == "xinshi"


def test_without_javascript_the_same_button_posts_and_comes_back_to_the_batch(as_user, people, batch):
    client = as_user(people["coordinator"])
    html = page_of(client, batch["batch"])
    s = suggestion_of(batch["first"], SuggestionKind.TYPES)
    action = reverse("petitions:suggestion_decide", args=[s.pk, "dismiss"])
    assert f'formaction="{action}"' in html
    next_url = re.search(r'<form method="post" id="row-actions".*?name="next" value="([^"]+)"', html, re.S).group(1)

    response = client.post(action, {"next": next_url}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("petitions:batch_detail", args=[batch["batch"].pk])
    assert "已标记为不采纳" in response.content.decode()
    assert counts(response.content.decode())["types"]["dismissed"] == "1"


def test_a_correction_is_chosen_in_a_small_form_and_recorded(as_user, people, batch, structure):
    client = as_user(people["coordinator"])
    html = page_of(client, batch["batch"])
    s = suggestion_of(batch["first"], SuggestionKind.DEPARTMENT)
    link = re.search(rf'href="({reverse("petitions:suggestion_correct", args=[s.pk])}[^"]*)"', html).group(1)

    inline = client.get(link.split("?")[0], **HTMX).content.decode()  # what the pencil loads in place
    assert 'data-testid="correct-form"' in inline and structure["swj"].name in inline
    page = client.get(link.replace("&amp;", "&"))  # the same link without JavaScript: a page
    assert page.status_code == 200 and "更正建议：牵头部门" in page.content.decode()

    response = client.post(link.split("?")[0], {"unit": structure["swj"].pk, "row": "1"}, **HTMX)

    body = response.content.decode()
    assert 'data-kind="department" data-decision="corrected"' in body
    assert structure["swj"].name in body
    assert counts(body)["department"]["corrected"] == "1" and counts(body)["department"]["accuracy"] == "0%"
    s.refresh_from_db()
    assert s.corrected_value == {"unit": structure["swj"].pk, "name": structure["swj"].name}


def test_a_wrong_correction_is_said_where_the_form_is_and_changes_nothing(as_user, people, batch, structure):
    client = as_user(people["coordinator"])
    s = suggestion_of(batch["first"], SuggestionKind.TOWN)
    url = reverse("petitions:suggestion_correct", args=[s.pk])

    response = client.post(url, {"unit": structure["swj"].pk, "row": "1"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#correct-{s.pk}"
    assert "不是镇街" in response.content.decode()
    page = client.post(url, {"unit": structure["swj"].pk})  # without JavaScript: the form page again
    assert page.status_code == 400 and "不是镇街" in page.content.decode()
    s.refresh_from_db()
    assert s.decision == SuggestionDecision.PENDING


def test_accepting_a_repeat_merges_it_into_the_original(as_user, people, batch):
    client = as_user(people["coordinator"])
    s = suggestion_of(batch["repeat"], SuggestionKind.DUPLICATE)

    body = client.post(reverse("petitions:suggestion_decide", args=[s.pk, "accept"]), {"row": "1"}, **HTMX).content.decode()

    assert 'class="eco-merged"' in body and "重复件已合并" in body
    repeat = Petition.objects.get(pk=batch["repeat"].pk)
    assert repeat.status == S.MERGED and repeat.duplicate_of_id == batch["first"].pk
    original_page = client.get(batch["first"].get_absolute_url()).content.decode()
    assert 'data-testid="repeat"' in original_page and batch["repeat"].acceptance_no in original_page


def test_marks_are_toggled_in_the_row(as_user, people, batch):
    client = as_user(people["coordinator"])
    url = reverse("petitions:petition_mark", args=[batch["first"].pk])
    body = client.post(url, {"row": "1", "is_key": "1"}, **HTMX).content.decode()
    assert 'aria-pressed="true" data-testid="toggle-key"' in body
    assert Petition.objects.get(pk=batch["first"].pk).is_key
    client.post(url, {"row": "1", "is_key": "0"}, **HTMX)
    assert not Petition.objects.get(pk=batch["first"].pk).is_key


def test_the_batch_is_assigned_by_the_accepted_suggestions(as_user, people, batch, structure):
    client = as_user(people["coordinator"])
    first = batch["first"]
    client.post(reverse("petitions:suggestion_decide", args=[suggestion_of(first, "town").pk, "accept"]))
    client.post(
        reverse("petitions:suggestion_correct", args=[suggestion_of(first, "department").pk]), {"unit": structure["swj"].pk}
    )
    html = page_of(client, batch["batch"])
    assert 'data-testid="bulk-assign-suggested"' in html

    response = client.post(
        reverse("petitions:petition_selection"),
        {"action": "assign_suggested", "petitions": [first.pk, batch["repeat"].pk], "next": reverse("petitions:batch_detail", args=[batch["batch"].pk])},
    )

    body = response.content.decode()
    assert "批量交办：选中 2 项，完成 1 项，未办理 1 项。" in body
    assert re.search(rf'data-petition="{first.acceptance_no}" data-done="1"', body)
    assert "牵头部门建议尚未采纳" in body
    roles = {a.unit.code: a.role for a in Petition.objects.get(pk=first.pk).assignments.all()}
    assert roles == {"swj": AssignmentRole.LEAD, "xinshi": AssignmentRole.COOPERATING}
    assert f'href="{reverse("petitions:batch_detail", args=[batch["batch"].pk])}"' in body  # 返回


def test_a_selection_is_assigned_to_chosen_units(as_user, people, batch, structure):
    client = as_user(people["coordinator"])
    response = client.post(
        reverse("petitions:petition_selection"),
        {
            "action": "assign_units",
            "petitions": [batch["first"].pk, batch["repeat"].pk],
            "lead": structure["swj"].pk,
            "cooperating": [structure["xinshi"].pk, structure["cgzf"].pk],
        },
    )
    assert "完成 2 项" in response.content.decode()
    for key in ("first", "repeat"):
        assert sorted(a.unit.code for a in Petition.objects.get(pk=batch[key].pk).assignments.all()) == ["cgzf", "swj", "xinshi"]
    refused = client.post(reverse("petitions:petition_selection"), {"action": "assign_units", "petitions": [batch["first"].pk]})
    assert refused.status_code == 400 and "请选择承办单位" in refused.content.decode()


def test_a_unit_sees_its_own_cases_of_the_batch_without_the_offices_controls(as_user, people, batch):
    client = as_user(people["housing"])
    html = page_of(client, batch["batch"])
    assert html.count('data-testid="triage-row"') == 1
    assert batch["other"].acceptance_no in html and batch["first"].acceptance_no not in html
    assert 'data-testid="selection-form"' not in html and 'data-testid="accept"' not in html
    s = suggestion_of(batch["first"], SuggestionKind.TOWN)
    assert client.post(reverse("petitions:suggestion_decide", args=[s.pk, "accept"])).status_code == 404
    own = SuggestionFactory(petition=batch["other"], kind=SuggestionKind.TYPES, value={"problem_types": ["noise"]})
    assert 'data-kind="types"' in page_of(client, batch["batch"])
    # the unit sees its case's suggestion but deciding is the office's
    assert client.post(reverse("petitions:suggestion_decide", args=[own.pk, "accept"])).status_code == 403
    assert Suggestion.objects.get(pk=own.pk).decision == SuggestionDecision.PENDING
