"""The ledger's import/export pages and its JSON API for the cross-unit harness (tests/scoping.py).

Import jobs belong to the person who uploaded them (the inspection office sees every job); exports and
the API start from the same selectors as the pages. API markers are ASCII: the API escapes other JSON.

Some POST cases need values only known once the records exist (a unit's id, a fresh upload): their
``data`` dict is filled in by ``build`` just before the harness sends it.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from ecoinspect.ledger.choices import ProblemStatus as S
from tests.factories import (
    EvidenceFactory,
    ImportJobFactory,
    MeasureFactory,
    ProblemFactory,
    SpecialPlanFactory,
    SupervisionNoticeFactory,
    import_row,
    import_workbook,
    photo,
    upload,
)
from tests.scoping import Case

_n = itertools.count(1)


def _number(prefix: str) -> str:
    return f"{prefix}-{next(_n):04d}"


# --- import jobs --------------------------------------------------------------------------------------


def import_job(owner: str, marker: str, lead: str = "swj"):
    """A checked import job uploaded by ``owner`` (file name = marker); the URL takes its pk."""

    def build(ctx):
        unit = ctx["structure"][lead]
        job = ImportJobFactory(
            created_by=ctx["people"][owner],
            content=import_workbook(
                [
                    import_row(
                        _number("SCOPE"),
                        牵头单位=unit.short_name,
                        整改时限=dt.date(2027, 12, 31),
                        登记日期=None,
                    )
                ]
            ),
            name=f"{marker}.xlsx",
        )
        return {"pk": job.pk}, marker

    return build


def import_jobs(owner: str, marker: str, lead: str = "swj"):
    def build(ctx):
        import_job(owner, marker, lead)(ctx)
        return {}, marker

    return build


# --- problems ----------------------------------------------------------------------------------------


def _register(ctx, marker: str, lead: str, state: str = S.REGISTERED, **extra):
    """A problem with the fewest fields, led by ``lead`` and walked to ``state``; its title is the marker."""
    return ProblemFactory(
        minimal=True,
        status=state,
        number=_number("SC"),
        title=marker,
        lead_unit=ctx["structure"][lead],
        **extra,
    )


def listed(marker: str, lead: str = "swj", **extra):
    def build(ctx):
        _register(ctx, marker, lead, **extra)
        return {}, marker

    return build


def published(marker: str, lead: str = "swj"):
    def build(ctx):
        ProblemFactory(
            minimal=True,
            status=S.PUBLICITY,
            number=_number("PUB"),
            title=marker,
            lead_unit=ctx["structure"][lead],
            opinion="现场核查，整改到位",
            publicity_period="10_workdays",
            objection_phone="020-36000000",
        )
        return {}, marker

    return build


def problem(marker: str, lead: str = "swj", state: str = "registered", **extra):
    """A problem (registered, assigned or rectifying); the API URL takes ``problem_id``."""

    def build(ctx):
        return {"problem_id": _register(ctx, marker, lead, state, **extra).pk}, marker

    return build


def action(marker: str, name: str, state: str = "assigned"):
    def build(ctx):
        kwargs, marker_ = problem(marker, state=state)(ctx)
        return {**kwargs, "action": name}, marker_

    return build


def with_data(build_problem, fill):
    """``fill(ctx, kwargs, data)`` puts the values the POST needs into ``data`` (shared with the Case)."""
    data: dict = {}

    def build(ctx):
        kwargs, marker = build_problem(ctx)
        data.clear()
        fill(ctx, kwargs, data)
        return kwargs, marker

    return build, data


def _owner_unit(ctx, kwargs, data):
    data.update({"content": "SCOPE measure", "owner_unit": ctx["structure"]["swj"].pk})


def _fresh_upload(ctx, kwargs, data):
    data.update({"file": photo(), "kind": "photo"})


def _joint(ctx, kwargs, data):
    units = ctx["structure"]
    data.update(
        {
            "acted_on": timezone.localdate().isoformat(),
            "units": [units["swj"].pk, units["sthj"].pk],
            "findings": "SCOPE findings",
            "actions": "SCOPE actions",
        }
    )


measure_build, measure_data = with_data(problem("API-MEASURE-1", state="rectifying"), _owner_unit)
upload_build, upload_data = with_data(problem("API-EVIDENCE-1", state="rectifying"), _fresh_upload)
joint_build, joint_data = with_data(problem("API-JOINT-1", state="rectifying"), _joint)


def measure(marker: str):
    def build(ctx):
        p = _register(ctx, marker, "swj", S.RECTIFYING)
        m = MeasureFactory(problem=p, content=marker)
        return {"measure_id": m.pk}, marker

    return build


def evidence(marker: str):
    """A PDF in plain ASCII (the harness reads the body as text) that carries the marker."""

    def build(ctx):
        p = _register(ctx, "scope evidence", "swj", S.RECTIFYING)
        pdf = f"%PDF-1.4\n1 0 obj\n<< /Title ({marker}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".encode()
        e = EvidenceFactory(
            problem=p, uploaded=upload(f"{marker}.pdf", pdf, "application/pdf"), kind="document"
        )
        return {"evidence_id": e.pk}, marker

    return build


def plan(marker: str):
    def build(ctx):
        p = _register(ctx, "scope plan", "swj", S.RECTIFYING)
        sp = SpecialPlanFactory(
            problem=p, goals=marker, measures="m", milestones=[{"date": "2027-01-31", "content": "c"}]
        )
        return {"plan_id": sp.pk}, marker

    return build


def notice(marker: str, unit: str = "swj", listed_only: bool = False):
    def build(ctx):
        p = _register(ctx, "scope notice", unit, S.RECTIFYING)
        n = SupervisionNoticeFactory(
            unit=ctx["structure"][unit],
            problems=[p],
            requirements=marker,
            reply_due=timezone.localdate() + dt.timedelta(days=7),
        )
        return ({} if listed_only else {"notice_id": n.pk}), (n.number if listed_only else marker)

    return build


def notice_reply(marker: str):
    def build(ctx):
        kwargs, _m = notice(marker)(ctx)
        return {**kwargs, "action": "reply"}, marker

    return build


def unit_of(code: str):
    def build(ctx):
        _register(ctx, "scope counts", code)
        return {"unit_id": ctx["structure"][code].pk}, f'"code": "{code}"'

    return build


def picture(lead: str):
    def build(ctx):
        _register(ctx, "scope picture", lead)
        return {}, f'"code": "{lead}"'

    return build


CASES = [
    # import pages: the job is its uploader's (and the office's)
    Case(
        "ledger:import_upload",
        import_jobs("water", "IMPORT-MARK-1"),
        owner="water",
        outsider="sanyuanli",
        kind="list",
    ),
    Case(
        "ledger:import_upload",
        import_jobs("taihe", "IMPORT-MARK-2", lead="taihe"),
        owner="taihe",
        outsider="housing",
        kind="list",
    ),
    Case("ledger:import_preview", import_job("water", "IMPORT-MARK-3"), owner="water", outsider="sanyuanli"),
    Case("ledger:import_progress", import_job("water", "IMPORT-MARK-7"), owner="water", outsider="sanyuanli"),
    Case(
        "ledger:import_progress", import_job("water", "IMPORT-MARK-8"), owner="coordinator", outsider="housing"
    ),
    Case(
        "ledger:import_preview", import_job("water", "IMPORT-MARK-4"), owner="coordinator", outsider="housing"
    ),
    Case(
        "ledger:import_preview",
        import_job("taihe", "IMPORT-MARK-5", lead="taihe"),
        owner="taihe",
        outsider="water",
    ),
    Case(
        "ledger:import_commit",
        import_job("water", "IMPORT-MARK-6"),
        owner="water",
        outsider="sanyuanli",
        method="post",
    ),
    # exports show (and write) only what the list would
    Case("ledger:export_progress", listed("EXPORT-MARK-1"), owner="water", outsider="sanyuanli", kind="list"),
    Case(
        "ledger:export_progress",
        listed("EXPORT-MARK-2", lead="taihe"),
        owner="leader",
        outsider="water",
        kind="list",
    ),
    Case(
        "ledger:export_closing_notice",
        published("CLOSING-MARK-1"),
        owner="water",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "ledger:export_closing_notice",
        published("CLOSING-MARK-2"),
        owner="reviewer",
        outsider="taihe",
        kind="list",
    ),
    # API: problems
    Case("api:problem_list", listed("API-LIST-1"), owner="water", outsider="sanyuanli", kind="list"),
    Case(
        "api:problem_list",
        listed("API-LIST-2", lead="taihe"),
        owner="auditor",
        outsider="housing",
        kind="list",
    ),
    Case("api:problem_detail", problem("API-DETAIL-1"), owner="water", outsider="sanyuanli"),
    Case(
        "api:problem_detail", problem("API-DETAIL-2", lead="sanyuanli"), owner="reviewer", outsider="jingtai"
    ),
    Case(
        "api:problem_update",
        problem("API-UPDATE-1"),
        owner="coordinator",
        outsider="sanyuanli",
        method="patch",
    ),
    Case(
        "api:problem_action",
        action("API-ACTION-1", "start"),
        owner="water",
        outsider="sanyuanli",
        method="post",
    ),
    Case(
        "api:measure_create", measure_build, owner="water", outsider="taihe", method="post", data=measure_data
    ),
    Case("api:measure_complete", measure("API-MDONE-1"), owner="water", outsider="sanyuanli", method="post"),
    Case(
        "api:report_create",
        problem("API-REPORT-1", state="rectifying"),
        owner="water",
        outsider="jingtai",
        method="post",
        data={"text": "SCOPE report", "progress_status": "on_schedule"},
    ),
    Case(
        "api:evidence_upload",
        upload_build,
        owner="water",
        outsider="sanyuanli",
        method="post",
        data=upload_data,
    ),
    Case("api:evidence_download", evidence("API-EVIDENCE-MARK-1"), owner="water", outsider="sanyuanli"),
    Case("api:evidence_download", evidence("API-EVIDENCE-MARK-2"), owner="reviewer", outsider="taihe"),
    Case(
        "api:plan_submit",
        problem("API-PLAN-1", state="rectifying"),
        owner="water",
        outsider="sanyuanli",
        method="post",
        data={
            "goals": "SCOPE goals",
            "measures": "SCOPE measures",
            "milestones": '[{"date": "2027-01-31", "content": "c"}]',
        },
    ),
    Case(
        "api:plan_decide",
        plan("API-DECIDE-1"),
        owner="coordinator",
        outsider="sanyuanli",
        method="post",
        data={"approve": "true"},
    ),
    Case(
        "api:joint_action_create",
        joint_build,
        owner="water",
        outsider="housing",
        method="post",
        data=joint_data,
    ),
    # API: notices
    Case(
        "api:notice_list",
        notice("API-NOTICE-1", listed_only=True),
        owner="water",
        outsider="sanyuanli",
        kind="list",
    ),
    Case("api:notice_detail", notice("API-NOTICE-2"), owner="water", outsider="sanyuanli"),
    Case("api:notice_detail", notice("API-NOTICE-3", unit="taihe"), owner="leader", outsider="water"),
    Case(
        "api:notice_action",
        notice_reply("API-NOTICE-4"),
        owner="water",
        outsider="sanyuanli",
        method="post",
        data={"reply": "SCOPE reply"},
    ),
    # API: the picture and a unit's counts
    Case("api:district_picture", picture("swj"), owner="water", outsider="sanyuanli", kind="list"),
    Case("api:district_picture", picture("taihe"), owner="leader", outsider="jingtai", kind="list"),
    Case("api:unit_counts", unit_of("swj"), owner="water", outsider="sanyuanli"),
    Case("api:unit_counts", unit_of("taihe"), owner="coordinator", outsider="housing"),
]

OPEN = {
    "ledger:import_template": "the blank template, the same for everyone; its unit names are the public unit directory",
    "api:problem_create": "registering reads no unit's record; the service lets unit staff register only problems "
    "their unit leads and refuses everyone else (tests/ledger/test_api.py::test_create_registers_through_the_service)",
    "api:notice_create": "issuing a notice needs the office's district-wide permission; unit staff get 403 and "
    "problems outside one's scope are unknown ids (tests/ledger/test_api.py::test_notices)",
}
