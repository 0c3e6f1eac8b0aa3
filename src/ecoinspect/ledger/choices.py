"""Choice sets of the rectification ledger (DESIGN.md §5 and §7)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ecoinspect.common.choices import Choice, ChoiceSet


class ProblemStatus(ChoiceSet):
    REGISTERED = Choice("registered", _("已登记"), "secondary")
    ASSIGNED = Choice("assigned", _("已交办"), "info")
    RECTIFYING = Choice("rectifying", _("整改中"), "primary")
    COMPLETED = Choice("completed", pgettext_lazy("problem status", "申请验收"), "warning")
    ACCEPTING = Choice("accepting", _("验收中"), "warning")
    ACCEPTED = Choice("accepted", _("验收通过待公示"), "success")
    PUBLICITY = Choice("publicity", _("公示中"), "success")
    CLOSED = Choice("closed", _("已销号"), "dark")


#: States in which the rectification itself is still going on (deadlines and warnings apply).
OPEN_STATES = (ProblemStatus.ASSIGNED, ProblemStatus.RECTIFYING)
#: States after the unit has finished its work.
DONE_STATES = (
    ProblemStatus.COMPLETED,
    ProblemStatus.ACCEPTING,
    ProblemStatus.ACCEPTED,
    ProblemStatus.PUBLICITY,
    ProblemStatus.CLOSED,
)


class ProblemSource(ChoiceSet):
    TYPICAL_CASE = Choice("typical_case", _("典型案例对照"), "info")
    FEEDBACK = Choice("feedback", _("历次督察反馈"), "danger")
    PETITION = Choice("petition", _("交办信访件"), "warning")
    SELF_INSPECTION = Choice("self_inspection", _("自查自纠"), "primary")
    UNDERCOVER = Choice("undercover", _("暗查暗访"), "dark")
    MONITORING = Choice("monitoring", _("监测预警"), "success")
    ENFORCEMENT = Choice("enforcement", _("执法检查"), "secondary")


class Severity(ChoiceSet):
    GENERAL = Choice("general", _("一般"), "secondary")
    SERIOUS = Choice("serious", _("较重"), "warning")
    MAJOR = Choice("major", _("重大"), "danger")


class HandlingMode(ChoiceSet):
    IMMEDIATE = Choice("immediate", _("立行立改"), "success")
    DEADLINE = Choice("deadline", _("限期整改"), "primary")
    SPECIAL_PLAN = Choice("special_plan", _("专项整治方案"), "warning")
    JOINT_ENFORCEMENT = Choice("joint_enforcement", _("联合执法"), "danger")


class DeadlineKind(ChoiceSet):
    DATE = Choice("date", _("限期"), "primary")
    IMMEDIATE = Choice("immediate", _("立行立改"), "success")
    LONG_TERM = Choice("long_term", _("长期坚持"), "info")


class ProgressStatus(ChoiceSet):
    NOT_STARTED = Choice("not_started", _("尚未启动"), "secondary")
    BEHIND = Choice("behind", _("未达时序进度"), "danger")
    ON_SCHEDULE = Choice("on_schedule", _("达到时序进度"), "primary")
    COMPLETED = Choice("completed", _("已完成"), "success")
    ACCEPTED_CLOSED = Choice("accepted_closed", _("已验收销号"), "dark")


#: What a unit may report; 已验收销号 is set by closing, never reported.
REPORTABLE_PROGRESS = (
    ProgressStatus.NOT_STARTED,
    ProgressStatus.BEHIND,
    ProgressStatus.ON_SCHEDULE,
    ProgressStatus.COMPLETED,
)


class WarningLevel(ChoiceSet):
    NONE = Choice("none", _("正常"), "light")
    BLUE = Choice("blue", _("蓝签"), "info")
    YELLOW = Choice("yellow", _("黄牌"), "warning")
    RED = Choice("red", _("红灯"), "danger")


class EvidenceKind(ChoiceSet):
    PHOTO = Choice("photo", _("现场照片"), "info")
    MONITORING = Choice("monitoring", _("监测报告"), "success")
    PENALTY = Choice("penalty", _("处罚决定书"), "danger")
    MINUTES = Choice("minutes", _("会议纪要"), "secondary")
    DOCUMENT = Choice("document", _("其他文件"), "light")


class AcceptanceMethod(ChoiceSet):
    ON_SITE = Choice("on_site", _("现场核查"), "primary")
    DOCUMENTS = Choice("documents", _("资料审核"), "secondary")


class PlanStatus(ChoiceSet):
    DRAFT = Choice("draft", _("草拟"), "secondary")
    SUBMITTED = Choice("submitted", _("已提交"), "warning")
    APPROVED = Choice("approved", _("已批准"), "success")
    REJECTED = Choice("rejected", _("退回修改"), "danger")


class NoticeStatus(ChoiceSet):
    ISSUED = Choice("issued", _("已督办"), "danger")
    REPLIED = Choice("replied", _("已回复"), "warning")
    CLOSED = Choice("closed", _("已办结"), "success")


class DistrictDecision(ChoiceSet):
    """The coordinator's decision on a problem whose place the matcher found outside the district."""

    UNDECIDED = Choice("", _("待确认"), "warning")
    KEEP = Choice("keep", _("确认由本区办理"), "success")
    NOT_OURS = Choice("not_ours", _("确认不属本区"), "danger")
