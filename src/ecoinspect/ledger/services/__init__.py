"""Writes of the rectification ledger, one module per stage; import them from here."""

from .evidence import EVIDENCE_FILES, evidence_add, evidence_verify, max_upload_bytes
from .notices import notice_close, notice_issue, notice_reply, notice_return
from .problem_checks import place_propose, routing_propose, town_propose
from .problems import (
    problem_assign,
    problem_decide_district,
    problem_extend_deadline,
    problem_pause,
    problem_register,
    problem_reroute,
    problem_resume,
    problem_start,
    problem_update,
)
from .progress import (
    joint_action_record,
    measure_add,
    measure_complete,
    progress_report_add,
    special_plan_decide,
    special_plan_submit,
)
from .review import (
    PUBLICITY_PERIODS,
    problem_accept,
    problem_begin_review,
    problem_close,
    problem_reject,
    problem_reopen,
    problem_request_acceptance,
    publicity_objection,
    publicity_start,
)
from .rules import problem_check_editable, problem_is_editable, problem_options, supervise_refusal
from .selection import SelectionOutcome, problems_assign, problems_extend_deadline

__all__ = [
    "SelectionOutcome",
    "problems_assign",
    "problems_extend_deadline",
    "EVIDENCE_FILES",
    "PUBLICITY_PERIODS",
    "evidence_add",
    "evidence_verify",
    "joint_action_record",
    "max_upload_bytes",
    "measure_add",
    "measure_complete",
    "notice_close",
    "notice_issue",
    "notice_reply",
    "notice_return",
    "problem_accept",
    "problem_assign",
    "problem_begin_review",
    "problem_check_editable",
    "problem_close",
    "problem_extend_deadline",
    "problem_is_editable",
    "problem_options",
    "supervise_refusal",
    "problem_pause",
    "problem_register",
    "problem_reject",
    "problem_reopen",
    "problem_request_acceptance",
    "problem_reroute",
    "problem_resume",
    "problem_start",
    "problem_update",
    "progress_report_add",
    "publicity_objection",
    "publicity_start",
    "routing_propose",
    "town_propose",
    "place_propose",
    "problem_decide_district",
    "special_plan_decide",
    "special_plan_submit",
]
