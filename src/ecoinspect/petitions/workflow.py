"""The only place that says what may happen to a transferred petition case (DESIGN.md §7).

已受理 → 已交办 (one unit or several; or merged into the original as a repeat) → 核查中 (signed for) →
已反馈 (verdict and handling reported) → 审核通过待公开 (or back for 补充办理) → 已公开 → 已销号 once
handled to the end; a stage-closed case, or one whose return visit was unsatisfied, goes back to 核查中 and is
disclosed again when done.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecoinspect.core.workflow import T, Workflow
from ecoinspect.orgs.access import district_people

from .choices import ClosureStatus
from .choices import PetitionStatus as S


def _closed_to_the_end(petition, payload, actor):
    if petition.closure_status != ClosureStatus.CLOSED:
        return _("只有“已办结”的信访件才能销号；阶段性办结或正在办理的请继续办理后再次公开。")
    return ""


def _has_assignment(petition, payload) -> bool:
    return bool(payload.get("assignments")) or (petition.pk is not None and petition.assignments.exists())


PETITION_WORKFLOW = Workflow(
    namespace="petitions.petition",
    transitions=[
        T(
            "assign",
            S.RECEIVED,
            S.ASSIGNED,
            perm="petitions.assign",
            needs=("assignments",),
            label=_("交办"),
            event="assigned",
            form="petitions:petition_assign",  # the form names the units and both due dates
        ),
        T(
            "sign",
            S.ASSIGNED,
            S.VERIFYING,
            perm="petitions.handle",
            label=_("签收"),
            event="signed",
            done=_("已签收，请在时限内核查办理并反馈。"),
        ),
        T(
            "report",
            S.VERIFYING,
            S.REPORTED,
            perm="petitions.handle",
            needs=("investigation", "verdict", "handling", "closure_status"),
            label=_("反馈办理情况"),
            event="reported",
            form="petitions:petition_handling",  # made from the handling form (保存并反馈)
        ),
        T(
            "send_back",
            S.REPORTED,
            S.VERIFYING,
            perm="petitions.assign",
            needs=("reason",),
            label=_("退回补充办理"),
            event="sent_back",
            style="danger",
            todo=False,
            form="petitions:petition_send_back",
        ),
        T(
            "approve",
            S.REPORTED,
            S.APPROVED,
            perm="petitions.assign",
            label=_("审核通过"),
            event="approved",
            style="success",
            done=_("已审核通过，等待公开。"),
        ),
        T(
            "disclose",
            S.APPROVED,
            S.DISCLOSED,
            perm="petitions.publish",
            label=_("公开"),
            event="disclosed",
            button=False,  # a batch is disclosed as a whole from its disclosure page
        ),
        T(
            "resume",
            S.DISCLOSED,
            S.VERIFYING,
            perm="petitions.assign",
            needs=("reason",),
            label=_("继续办理"),
            event="resumed",
            style="warning",
            todo=False,
            form="petitions:petition_resume",
        ),
        T(
            "close_out",
            S.DISCLOSED,
            S.CLOSED_OUT,
            perm="petitions.assign",
            guards=(_closed_to_the_end,),
            label=_("销号"),
            event="closed_out",
            style="dark",
            confirm=_("确认该信访件已办结并销号？"),
            done=_("信访件已销号。"),
            todo=False,
        ),
        T(
            "merge",
            (S.RECEIVED, S.ASSIGNED),
            S.MERGED,
            perm="petitions.assign",
            needs=("duplicate_of",),
            label=_("合并为重复件"),
            event="merged",
            style="secondary",
            todo=False,
            form="petitions:petition_merge",
        ),
    ],
    stage_timestamps={
        S.ASSIGNED: "assigned_at",
        S.VERIFYING: "verifying_at",
        S.REPORTED: "reported_at",
        S.APPROVED: "approved_at",
        S.DISCLOSED: "disclosed_at",
        S.CLOSED_OUT: "closed_at",
    },
    need_checks={"assignments": _has_assignment},
    need_labels={"assignments": _("承办单位"), "reason": _("理由"), "duplicate_of": _("重复件原件")},
    notify=lambda petition, t, actor: _petition_recipients(petition, t),
    move_url="petitions:petition_move",
    object_arg="petition",
)


def _petition_recipients(petition, t):
    """Whoever must act next: the assigned units when the case reaches them, the inspection office when a
    unit reports back, the publishers when it is approved."""
    if t.target in (S.ASSIGNED, S.VERIFYING):
        return [a.unit for a in petition.assignments.select_related("unit")]
    if t.target == S.REPORTED:
        return district_people("petitions.assign")
    if t.target == S.APPROVED:
        return district_people("petitions.publish")
    return []
