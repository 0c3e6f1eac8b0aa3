"""Choice sets of the transferred petition cases (DESIGN.md §5 and §7)."""

from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import Choice, ChoiceSet


class RoundKind(ChoiceSet):
    CENTRAL = Choice("central", _("中央生态环境保护督察"), "danger")
    PROVINCIAL = Choice("provincial", _("省级生态环境保护督察"), "warning")


class PetitionStatus(ChoiceSet):
    RECEIVED = Choice("received", _("已受理"), "secondary")
    ASSIGNED = Choice("assigned", _("已交办"), "info")
    VERIFYING = Choice("verifying", _("核查中"), "primary")
    REPORTED = Choice("reported", _("已反馈"), "warning")
    APPROVED = Choice("approved", _("审核通过待公开"), "success")
    DISCLOSED = Choice("disclosed", _("已公开"), "success")
    CLOSED_OUT = Choice("closed_out", _("已销号"), "dark")
    MERGED = Choice("merged", _("重复件已合并"), "light")


#: States after the unit has reported: a return visit can be made, a ledger problem opened.
REPORTED_AND_AFTER = ("reported", "approved", "disclosed", "closed_out")

#: States in which a unit still owes the district its handling.
WORKING_STATES = (PetitionStatus.ASSIGNED, PetitionStatus.VERIFYING)
#: States in which the district still owes the inspection team its answer (the external clock runs on
#: while the office reviews what a unit reported).
EXTERNAL_CLOCK_STATES = (*WORKING_STATES, PetitionStatus.REPORTED)


class Channel(ChoiceSet):
    PHONE = Choice("phone", _("来电"), "info")
    LETTER = Choice("letter", _("来信"), "primary")
    OTHER = Choice("other", _("其他"), "secondary")


class Verdict(ChoiceSet):
    TRUE = Choice("true", _("属实"), "danger")
    BASICALLY_TRUE = Choice("basically_true", _("基本属实"), "warning")
    PARTLY_TRUE = Choice("partly_true", _("部分属实"), "warning")
    FALSE = Choice("false", _("不属实"), "success")


#: Verdicts that oblige the district to rectify (a ledger problem is opened for them).
SUBSTANTIATED = (Verdict.TRUE, Verdict.BASICALLY_TRUE, Verdict.PARTLY_TRUE)


class ClosureStatus(ChoiceSet):
    CLOSED = Choice("closed", _("已办结"), "success")
    STAGE_CLOSED = Choice("stage_closed", _("阶段性办结"), "warning")
    IN_PROGRESS = Choice("in_progress", _("正在办理"), "primary")


class AssignmentRole(ChoiceSet):
    LEAD = Choice("lead", _("牵头"), "primary")
    COOPERATING = Choice("cooperating", _("配合"), "secondary")


class Origin(ChoiceSet):
    """Where a case came from: the live inspection's daily batch, or a published table kept as history."""

    TRANSFER = Choice("transfer", _("督察组交办"), "primary")
    HISTORY = Choice("history", _("历史公开"), "secondary")
    MANUAL = Choice("manual", _("手工录入"), "info")


class SuggestionKind(ChoiceSet):
    TOWN = Choice("town", _("属地镇街"), "primary")
    DEPARTMENT = Choice("department", _("牵头部门"), "info")
    TYPES = Choice("types", _("问题类型"), "warning")
    DUPLICATE = Choice("duplicate", _("疑似重复件"), "danger")


class SuggestionDecision(ChoiceSet):
    PENDING = Choice("pending", _("待确认"), "secondary")
    ACCEPTED = Choice("accepted", _("采纳"), "success")
    CORRECTED = Choice("corrected", _("更正"), "warning")
    DISMISSED = Choice("dismissed", _("不采纳"), "light")


class VisitMethod(ChoiceSet):
    PHONE = Choice("phone", _("电话回访"), "info")
    VISIT = Choice("visit", _("上门回访"), "primary")
    OTHER = Choice("other", _("其他"), "secondary")
