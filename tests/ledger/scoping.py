"""The ledger's pages for the cross-unit harness (tests/scoping.py).

A problem is seen by every unit named on it (lead, cooperating, supervising, acceptance, town) and by the
district-wide roles; it is worked by its lead and cooperating units, reviewed by its acceptance unit, and
assigned, re-routed, supervised and reopened only by the inspection office. For the office's own pages the
"owner" is the coordinator and the outsiders are unit staff — of another unit (404) or even of the unit
concerned (403: they see the problem but may not do this to it). The import/export pages and the API are
classified in tests/ledger/scoping_io.py.
"""

from __future__ import annotations

import itertools

from django.utils import timezone

from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import ProblemStatus as S
from tests.factories import (
    EvidenceFactory,
    MeasureFactory,
    ProblemFactory,
    SpecialPlanFactory,
    SupervisionNoticeFactory,
    UnitFactory,
    pdf_bytes,
    upload,
)
from tests.scoping import Case

_n = itertools.count(1)


def _walk(ctx, marker: str, state: str, lead: str = "swj", coop=(), town=None, acceptance="sthj", **extra):
    units = ctx["structure"]
    return ProblemFactory(
        status=state,
        title=marker,
        lead_unit=units[lead],
        cooperating_units=[units[c] for c in coop],
        town=units[town] if town else None,
        acceptance_unit=units[acceptance],
        override_reason="跨单位可见性测试",
        address="",
        **extra,
    )


def problem(marker: str, state: str = S.ASSIGNED, **where):
    """A problem in ``state``; the URL takes its pk."""

    def build(ctx):
        return {"pk": _walk(ctx, marker, state, **where).pk}, marker

    return build


def listed(marker: str, state: str = S.ASSIGNED, **where):
    """A problem in ``state``, for a list URL without arguments."""

    def build(ctx):
        _walk(ctx, marker, state, **where)
        return {}, marker

    return build


def unit_list(code: str, marker: str, **where):
    """A unit's own list, with a problem of that unit on it."""

    def build(ctx):
        _walk(ctx, marker, S.ASSIGNED, **where)
        return {"unit_id": ctx["structure"][code].pk}, marker

    return build


def ranked_unit(marker: str, coop: str):
    """A department of its own leading one problem, co-handled by ``coop``: it appears in the ranking."""

    def build(ctx):
        district = ctx["structure"]["baiyun"]
        n = next(_n)
        dept = UnitFactory(code=f"mark-dept-{n}", name=f"{marker}-{n}局", short_name=marker, parent=district)
        ProblemFactory(
            title=f"{marker} 排名测试",
            problem_types=[],
            address="",
            acceptance_unit=None,
            deadline=None,
            target="",
            lead_unit=dept,
            cooperating_units=[ctx["structure"][coop]],
            override_reason="测试",
        )
        return {}, marker

    return build


def moving(marker: str, state: str, action: str, **where):
    def build(ctx):
        return {"pk": _walk(ctx, marker, state, **where).pk, "action": action}, marker

    return build


def paused(marker: str, **where):
    def build(ctx):
        p = _walk(ctx, marker, S.RECTIFYING, **where)
        svc.problem_pause(actor=ctx["people"]["coordinator"], problem=p, reason="等待法院裁定")
        return {"pk": p.pk}, marker

    return build


def measure_of(marker: str, data: dict | None = None, **where):
    """A measure of a rectifying problem; ``data`` (the Case's POST data) gets today as the completion date."""

    def build(ctx):
        p = _walk(ctx, marker, S.RECTIFYING, **where)
        m = MeasureFactory(problem=p, actor=ctx["people"]["coordinator"], content=marker)
        if data is not None:
            data["done_on"] = timezone.localdate().isoformat()
        return {"pk": m.pk}, marker

    return build


def selected(marker: str, data: dict, state: str = S.REGISTERED, **where):
    """A problem ticked on the list (the Case's POST data gets its id) for the actions bar."""

    def build(ctx):
        data["problems"] = [str(_walk(ctx, marker, state, **where).pk)]
        return {}, marker

    return build


def evidence_of(marker: str, **where):
    """An ASCII PDF whose bytes carry the marker (the harness reads the body as text)."""

    def build(ctx):
        p = _walk(ctx, f"证据 {marker}", S.RECTIFYING, **where)
        e = EvidenceFactory(
            problem=p,
            actor=ctx["people"]["coordinator"],
            uploaded=upload("监测报告.pdf", pdf_bytes(marker)),
            kind="monitoring",
        )
        return {"pk": e.pk}, marker

    return build


def plan_of(marker: str, **where):
    def build(ctx):
        p = _walk(ctx, f"方案 {marker}", S.ASSIGNED, is_key=True, **where)
        plan = SpecialPlanFactory(
            problem=p,
            actor=ctx["people"]["coordinator"],
            goals=marker,
            measures="分三步整治",
            milestones=[{"date": "2030-01-31", "content": "完成封堵"}],
        )
        return {"pk": plan.pk}, marker

    return build


def closed(marker: str, **where):
    def build(ctx):
        return {"pk": _walk(ctx, marker, S.CLOSED, **where).pk}, marker

    return build


def notice(marker: str, unit: str = "swj", replied: bool = False, listed_only: bool = False, action: str = ""):
    def build(ctx):
        p = _walk(ctx, f"督办 {marker}", S.RECTIFYING, lead=unit)
        n = SupervisionNoticeFactory(
            unit=ctx["structure"][unit],
            problems=[p],
            requirements=marker,
            reply_due=timezone.localdate(),
            replied=replied,
        )
        kwargs = {} if listed_only else {"pk": n.pk}
        return ({**kwargs, "action": action} if action else kwargs), marker

    return build


def new_department(marker: str):
    """The notice form offers every unit as 督办对象; a new department carries the marker."""

    def build(ctx):
        n = next(_n)
        UnitFactory(
            code=f"mark-unit-{n}", name=f"{marker}-{n}", short_name=marker, parent=ctx["structure"]["baiyun"]
        )
        return {}, marker

    return build


def instruction(text: str):
    def build(ctx):
        return {}, text

    return build


_measure_done: dict = {}
_selection: dict = {"action": "assign"}
_report = {"reported_on": "", "progress_status": "on_schedule", "text": "按计划推进", "kind": "photo"}

CASES = [
    # the whole ledger: only what one's unit is named on
    Case("ledger:problem_list", listed("LEDGER-LIST-1"), owner="water", outsider="housing", kind="list"),
    Case(
        "ledger:problem_list",
        listed("LEDGER-LIST-2", lead="zjj", town="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "ledger:problem_list",
        listed("LEDGER-LIST-3", lead="zjj", coop=("taihe",)),
        owner="taihe",
        outsider="water",
        kind="list",
        query="q=LEDGER",
    ),
    Case(
        "ledger:problem_list",
        listed("LEDGER-LIST-4", lead="jingtai", acceptance="sthj"),
        owner="reviewer",
        outsider="sanyuanli",
        kind="list",
        query="format=csv",
    ),
    Case("ledger:unit_problems", unit_list("swj", "UNIT-LIST-1"), owner="water", outsider="housing"),
    Case(
        "ledger:unit_problems",
        unit_list("sanyuanli", "UNIT-LIST-2", lead="sanyuanli"),
        owner="leader",
        outsider="jingtai",
    ),
    Case(
        "ledger:unit_problems",
        unit_list("taihe", "UNIT-LIST-3", lead="swj", coop=("taihe",)),
        owner="taihe",
        outsider="sanyuanli",
        query="format=csv",
    ),
    # the actions bar on the list is the office's: unit staff are refused even for their own problems
    Case(
        "ledger:problem_selection",
        selected("SELECTION-1", _selection),
        owner="coordinator",
        outsider="water",
        method="post",
        data=_selection,
    ),
    Case(
        "ledger:district_dashboard",
        ranked_unit("RANKED-DEPT", coop="jingtai"),
        owner="jingtai",
        outsider="taihe",
        kind="list",
    ),
    # one problem's page
    Case("ledger:problem_detail", problem("DETAIL-1"), owner="water", outsider="housing"),
    Case(
        "ledger:problem_detail",
        problem("DETAIL-2", lead="zjj", town="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
    ),
    Case(
        "ledger:problem_detail",
        problem("DETAIL-3", lead="jingtai", coop=("taihe",)),
        owner="taihe",
        outsider="water",
    ),
    Case("ledger:problem_detail", problem("DETAIL-4", lead="swj"), owner="reviewer", outsider="taihe"),
    Case("ledger:problem_detail", problem("DETAIL-5", lead="swj"), owner="auditor", outsider="nobody"),
    # the inspection office's forms: staff of another unit get 404, of the unit concerned 403
    Case("ledger:problem_edit", problem("EDIT-1"), owner="coordinator", outsider="water"),
    Case("ledger:problem_edit", problem("EDIT-2"), owner="coordinator", outsider="housing"),
    Case("ledger:problem_reroute", problem("REROUTE-1"), owner="coordinator", outsider="water"),
    Case("ledger:problem_reroute", problem("REROUTE-2"), owner="coordinator", outsider="sanyuanli"),
    Case("ledger:problem_extend", problem("EXTEND-1"), owner="coordinator", outsider="water"),
    Case("ledger:problem_pause", problem("PAUSE-1", S.RECTIFYING), owner="coordinator", outsider="housing"),
    Case("ledger:problem_district", problem("DISTRICT-1", S.RECTIFYING), owner="coordinator", outsider="water"),
    Case("ledger:problem_resume", paused("RESUME-1"), owner="coordinator", outsider="water", method="post"),
    Case("ledger:problem_reopen", closed("REOPEN-1"), owner="coordinator", outsider="jingtai"),
    Case(
        "ledger:problem_move",
        moving("MOVE-1", S.REGISTERED, "assign", town="sanyuanli"),
        owner="coordinator",
        outsider="sanyuanli",
        method="post",
    ),
    Case(
        "ledger:problem_move",
        moving("MOVE-2", S.ASSIGNED, "start"),
        owner="water",
        outsider="housing",
        method="post",
    ),
    Case(
        "ledger:problem_move",
        moving("MOVE-3", S.COMPLETED, "begin_review"),
        owner="reviewer",
        outsider="water",
        method="post",
    ),
    # the units' work
    Case("ledger:measure_add", problem("MEASURE-1", S.RECTIFYING), owner="water", outsider="housing"),
    Case("ledger:measure_add", problem("MEASURE-2", S.RECTIFYING), owner="water", outsider="reviewer"),
    Case(
        "ledger:measure_complete",
        measure_of("MEASURE-DONE-1", data=_measure_done),
        owner="water",
        outsider="housing",
        method="post",
        data=_measure_done,
    ),
    Case(
        "ledger:report_add",
        problem("REPORT-1", S.RECTIFYING, coop=("taihe",)),
        owner="taihe",
        outsider="jingtai",
    ),
    Case(
        "ledger:report_add",
        problem("REPORT-2", S.RECTIFYING),
        owner="water",
        outsider="housing",
        method="post",
        data=_report,
    ),
    Case("ledger:evidence_add", problem("EVIDENCE-1", S.RECTIFYING), owner="water", outsider="sanyuanli"),
    Case("ledger:evidence_file", evidence_of("EVIDENCE-FILE-1"), owner="water", outsider="housing"),
    Case(
        "ledger:evidence_file",
        evidence_of("EVIDENCE-FILE-2", lead="zjj", town="jingtai"),
        owner="jingtai",
        outsider="taihe",
    ),
    Case("ledger:plan_submit", problem("PLAN-1"), owner="water", outsider="housing"),
    Case(
        "ledger:plan_decide",
        plan_of("PLAN-DECIDE-1"),
        owner="coordinator",
        outsider="water",
        method="post",
        data={"decision": "approve"},
    ),
    Case(
        "ledger:joint_action_add",
        problem("JOINT-1", S.RECTIFYING, is_complex=True),
        owner="water",
        outsider="taihe",
    ),
    # acceptance, publicity
    Case("ledger:problem_accept", problem("ACCEPT-1", S.COMPLETED), owner="reviewer", outsider="water"),
    Case("ledger:problem_accept", problem("ACCEPT-2", S.COMPLETED), owner="reviewer", outsider="housing"),
    Case("ledger:problem_reject", problem("REJECT-1", S.ACCEPTING), owner="reviewer", outsider="water"),
    Case(
        "ledger:publicity_start",
        problem("PUBLICITY-1", S.ACCEPTED, lead="zjj"),
        owner="publisher",
        outsider="water",
    ),
    Case(
        "ledger:publicity_objection",
        problem("OBJECTION-1", S.PUBLICITY),
        owner="publisher",
        outsider="housing",
    ),
    # supervision notices: the unit supervised and the office
    Case(
        "ledger:notice_list",
        notice("NOTICE-LIST-1", listed_only=True),
        owner="water",
        outsider="housing",
        kind="list",
    ),
    Case("ledger:notice_detail", notice("NOTICE-1"), owner="water", outsider="housing"),
    Case("ledger:notice_detail", notice("NOTICE-2", unit="sanyuanli"), owner="leader", outsider="jingtai"),
    # the Word 督办单 is compressed, so the harness cannot read the marker in it: it is asked as a POST (the
    # owner's 200 suffices, the outsider must get 404); tests/ledger/views/test_print.py opens the file
    Case("ledger:notice_docx", notice("NOTICE-DOCX-1"), owner="water", outsider="housing", method="post"),
    Case("ledger:notice_docx", notice("NOTICE-DOCX-2"), owner="leader", outsider="jingtai", method="post"),
    Case("ledger:notice_reply", notice("NOTICE-REPLY-1"), owner="water", outsider="housing"),
    Case(
        "ledger:notice_return", notice("NOTICE-RETURN-1", replied=True), owner="coordinator", outsider="water"
    ),
    Case(
        "ledger:notice_move",
        notice("NOTICE-CLOSE-1", replied=True, action="close"),
        owner="coordinator",
        outsider="water",
        method="post",
    ),
    # the notice form is the office's alone (a unit's candidate problems: tests/ledger/views/test_notices.py)
    Case("ledger:notice_create", new_department("NOTICE-FORM-UNIT"), owner="coordinator", outsider="water"),
    Case(
        "ledger:notice_problems", instruction("请先选择督办对象"), owner="coordinator", outsider="sanyuanli"
    ),
]

OPEN = {
    "ledger:my_list": "forwards a unit's person to their unit's list (ledger:unit_problems, a scoped Case "
    "above); for several units or a district-wide role it lists the units they may open, with counts "
    "over restrict() (tests/ledger/views/test_lists.py)",
    "ledger:problem_create": "the blank registration form: it shows no problem, only the unit directory",
    "ledger:routing_proposal": "proposes from the published 三管三必须 matrix and the unit directory; it "
    "reads no unit-owned record (tests/ledger/views/test_register.py)",
}
