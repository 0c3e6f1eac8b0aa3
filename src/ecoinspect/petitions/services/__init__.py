"""The petitions app's writes (DESIGN.md §4.2): keyword-only, an explicit actor, one transaction each."""

from .cases import (
    petition_approve,
    petition_assign,
    petition_close_out,
    petition_mark,
    petition_merge,
    petition_register,
    petition_report,
    petition_resume,
    petition_save_handling,
    petition_send_back,
    petition_sign,
)
from .disclosure import batch_disclose, petition_public_text_save
from .intake import petition_intake, petition_reimport, round_for_batch
from .links import petition_open_problem
from .rounds import batch_create, round_create
from .selection import petitions_assign, petitions_mark
from .suggestion_decisions import suggestion_accept, suggestion_correct, suggestion_dismiss
from .suggestions import suggestions_store
from .visits import return_visit_record

__all__ = [
    "batch_create",
    "batch_disclose",
    "petition_approve",
    "petition_assign",
    "petition_close_out",
    "petition_intake",
    "petition_mark",
    "petition_merge",
    "petition_open_problem",
    "petition_public_text_save",
    "petition_register",
    "petition_reimport",
    "petition_report",
    "petition_resume",
    "petition_save_handling",
    "petition_send_back",
    "petition_sign",
    "petitions_assign",
    "petitions_mark",
    "return_visit_record",
    "round_create",
    "round_for_batch",
    "suggestions_store",
    "suggestion_accept",
    "suggestion_correct",
    "suggestion_dismiss",
]
