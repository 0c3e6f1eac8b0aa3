"""The pages and API writes where a case is worked, for the cross-unit harness (tests/scoping.py).

The office (coordinator) assigns, reviews, merges, marks and decides on suggestions; a unit signs for and
handles the cases assigned to it; a unit that only sees a case (its town, or an assigned unit without the
office's permission) gets 403 for the office's forms; anyone else gets 404.
"""

from __future__ import annotations

from django.utils import timezone

from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.choices import SuggestionKind
from tests.factories import PetitionFactory, SuggestionFactory
from tests.factories.petitions import HANDLING
from tests.scoping import Case


def _case(ctx, marker: str, state: str, lead: str = "swj", town: str | None = None):
    units = ctx["structure"]
    return PetitionFactory(
        status=state,
        complaint_text=f"{marker} 河涌发黑发臭。",
        region_text="",
        town=units[town] if town else None,
        lead=units[lead],
    )


def case(marker: str, state: str = S.ASSIGNED, arg: str = "pk", **where):
    def build(ctx):
        return {arg: _case(ctx, marker, state, **where).pk}, marker

    return build


def handled(marker: str, arg: str = "petition_id"):
    """A case being verified whose unit has saved its handling (ready to report)."""

    def build(ctx):
        p = _case(ctx, marker, S.VERIFYING)
        svc.petition_save_handling(actor=ctx["people"]["water"], petition=p, **HANDLING)
        return {arg: p.pk}, marker

    return build


def suggestion(marker: str, action: str | None = None, arg: str = "pk"):
    """A town suggestion on a received case assigned to the water bureau."""

    def build(ctx):
        p = _case(ctx, marker, S.ASSIGNED)
        s = SuggestionFactory(petition=p, kind=SuggestionKind.TOWN)
        kwargs = {arg: s.pk}
        if action:
            kwargs["decision" if arg == "pk" else "action"] = action
        return kwargs, marker

    return build


def ticked(marker: str, data: dict, state: str = S.ASSIGNED):
    """A case ticked in a table (the Case's POST data gets its id)."""

    def build(ctx):
        data["petitions"] = [str(_case(ctx, marker, state).pk)]
        return {}, marker

    return build


def with_data(marker: str, data: dict, state: str, fill, arg: str = "petition_id"):
    """A case, and POST data completed from the context (``fill(ctx, data)``: unit ids, another case)."""

    def build(ctx):
        fill(ctx, data)
        return {arg: _case(ctx, marker, state).pk}, marker

    return build


def _lead_swj(ctx, data):
    data["lead"] = str(ctx["structure"]["swj"].pk)


def _an_original(ctx, data):
    data["original"] = str(PetitionFactory(status=S.ASSIGNED, complaint_text="原件 河涌发黑发臭。").pk)


_selection: dict = {"action": "mark_key"}
_assign: dict = {}
_merge: dict = {}
_today = timezone.localdate().isoformat()

CASES = [
    # the office's forms: the coordinator; a unit that sees the case gets 403, one that does not 404
    Case("petitions:petition_assign", case("WORK-ASSIGN-1", S.RECEIVED), owner="coordinator", outsider="water"),
    Case("petitions:petition_assign", case("WORK-ASSIGN-2"), owner="coordinator", outsider="water"),
    Case("petitions:petition_send_back", case("WORK-BACK-1", S.REPORTED), owner="coordinator", outsider="water"),
    Case("petitions:petition_send_back", case("WORK-BACK-2", S.REPORTED), owner="coordinator", outsider="housing"),
    Case("petitions:petition_resume", case("WORK-RESUME-1", S.DISCLOSED), owner="coordinator", outsider="water"),
    Case("petitions:petition_merge", case("WORK-MERGE-1"), owner="coordinator", outsider="water"),
    Case("petitions:petition_merge", case("WORK-MERGE-2"), owner="coordinator", outsider="taihe"),
    Case("petitions:petition_visit", case("WORK-VISIT-1", S.REPORTED), owner="coordinator", outsider="water"),
    Case(
        "petitions:petition_open_problem",
        case("WORK-PROBLEM-1", S.REPORTED),
        owner="coordinator",
        outsider="water",
        method="post",
    ),
    Case(
        "petitions:petition_mark",
        case("WORK-MARK-1"),
        owner="coordinator",
        outsider="water",
        method="post",
        data={"is_key": "1"},
    ),
    Case(
        "petitions:petition_selection",
        ticked("WORK-SELECT-1", _selection),
        owner="coordinator",
        outsider="water",
        method="post",
        data=_selection,
    ),
    # the unit's handling form: the assigned unit only (the town sees the case but may not handle it)
    Case("petitions:petition_handling", case("WORK-HANDLE-1", S.VERIFYING), owner="water", outsider="housing"),
    Case(
        "petitions:petition_handling",
        case("WORK-HANDLE-2", S.VERIFYING, town="sanyuanli"),
        owner="water",
        outsider="sanyuanli",
    ),
    # the suggestions made at import
    Case("petitions:suggestion_correct", suggestion("WORK-SUGG-1"), owner="coordinator", outsider="water"),
    Case("petitions:suggestion_correct", suggestion("WORK-SUGG-2"), owner="coordinator", outsider="housing"),
    Case(
        "petitions:suggestion_decide",
        suggestion("WORK-SUGG-3", "accept"),
        owner="coordinator",
        outsider="water",
        method="post",
    ),
    Case(
        "petitions:suggestion_decide",
        suggestion("WORK-SUGG-4", "dismiss"),
        owner="coordinator",
        outsider="jingtai",
        method="post",
    ),
    # the API's writes: the case is found before the body is read (404 for whoever may not see it)
    Case(
        "api:petition_assign",
        with_data("API-ASSIGN-1", _assign, S.RECEIVED, _lead_swj),
        owner="coordinator",
        outsider="water",
        method="post",
        data=_assign,
    ),
    Case("api:petition_sign", case("API-SIGN-1", arg="petition_id"), owner="water", outsider="housing", method="post"),
    Case(
        "api:petition_handling",
        case("API-HANDLE-1", S.VERIFYING, arg="petition_id"),
        owner="water",
        outsider="housing",
        method="put",
    ),
    Case("api:petition_report", handled("API-REPORT-1"), owner="water", outsider="sanyuanli", method="post"),
    Case(
        "api:petition_send_back",
        case("API-BACK-1", S.REPORTED, arg="petition_id"),
        owner="coordinator",
        outsider="housing",
        method="post",
        data={"reason": "请补充监测数据"},
    ),
    Case(
        "api:petition_approve",
        case("API-APPROVE-1", S.REPORTED, arg="petition_id"),
        owner="coordinator",
        outsider="housing",
        method="post",
    ),
    Case(
        "api:petition_resume",
        case("API-RESUME-1", S.DISCLOSED, arg="petition_id"),
        owner="coordinator",
        outsider="jingtai",
        method="post",
        data={"reason": "阶段性办结，继续跟进"},
    ),
    Case(
        "api:petition_close_out",
        case("API-CLOSE-1", S.DISCLOSED, arg="petition_id"),
        owner="coordinator",
        outsider="housing",
        method="post",
    ),
    Case(
        "api:petition_merge",
        with_data("API-MERGE-1", _merge, S.ASSIGNED, _an_original),
        owner="coordinator",
        outsider="housing",
        method="post",
        data=_merge,
    ),
    Case(
        "api:petition_mark",
        case("API-MARK-1", arg="petition_id"),
        owner="coordinator",
        outsider="water",
        method="post",
        data={"is_key": "true"},
    ),
    Case(
        "api:petition_visit",
        case("API-VISIT-1", S.REPORTED, arg="petition_id"),
        owner="coordinator",
        outsider="water",
        method="post",
        data={"visited_on": _today, "satisfied": "true"},
    ),
    Case(
        "api:petition_open_problem",
        case("API-PROBLEM-1", S.REPORTED, arg="petition_id"),
        owner="coordinator",
        outsider="water",
        method="post",
    ),
    Case(
        "api:suggestion_decide",
        suggestion("API-SUGG-1", "dismiss", arg="suggestion_id"),
        owner="coordinator",
        outsider="water",
        method="post",
    ),
    Case(
        "api:suggestion_decide",
        suggestion("API-SUGG-2", "accept", arg="suggestion_id"),
        owner="coordinator",
        outsider="housing",
        method="post",
    ),
]

OPEN: dict[str, str] = {}
