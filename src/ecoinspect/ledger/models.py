"""The rectification ledger: one Problem row per thing the district must fix, carried to closing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoinspect.audit.models import ChangeLoggedModel
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.fields import ChoiceField, MultiChoiceField
from ecoinspect.common.reversing import object_url
from ecoinspect.common.text_bounds import Bound
from ecoinspect.core.permissions import RestrictedQuerySet
from ecoinspect.core.tallies import TallyRow

from .choices import (
    AcceptanceMethod,
    DeadlineKind,
    DistrictDecision,
    EvidenceKind,
    HandlingMode,
    NoticeStatus,
    PlanStatus,
    ProblemSource,
    ProblemStatus,
    ProgressStatus,
    Severity,
)

UNIT = "orgs.Unit"

#: Every unit named on a problem sees it; lead and cooperating units work it; the acceptance unit reviews it.
PROBLEM_SCOPE = {
    "view": ("lead_unit", "cooperating_units", "supervising_unit", "acceptance_unit", "town"),
    "work": ("lead_unit", "cooperating_units"),
    "review": ("acceptance_unit",),
    "*": (),
}
#: what a unit's own list holds by default: the problems it leads or co-handles (一部门/一镇街一清单)
INVOLVING_PATHS = ("lead_unit", "cooperating_units")


def _child_scope(prefix: str) -> dict:
    return {verb: tuple(f"{prefix}__{p}" for p in paths) for verb, paths in PROBLEM_SCOPE.items()}


class ProblemQuerySet(RestrictedQuerySet):
    def open(self):
        from .choices import OPEN_STATES

        return self.filter(status__in=OPEN_STATES)


class Problem(ChangeLoggedModel):
    number = models.CharField(_("问题编号"), max_length=40, unique=True)
    title = models.CharField(_("整改任务"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    source = ChoiceField(_("问题来源"), choiceset=ProblemSource)
    source_ref = models.CharField(
        _("来源编号"), max_length=100, blank=True, help_text=_("如信访件受理编号、反馈意见条目")
    )
    source_round = models.CharField(
        _("督察轮次"),
        max_length=80,
        blank=True,
        default="",
        help_text=_("来源编号所属的督察轮次或批次（如“第三轮中央生态环境保护督察”）：编号只在同一轮次、同一来源内唯一"),
    )
    problem_types = MultiChoiceField(_("问题类型"), choiceset=ProblemType)
    severity = ChoiceField(_("严重程度"), choiceset=Severity, default=Severity.GENERAL)
    is_key = models.BooleanField(_("重点问题"), default=False)
    is_complex = models.BooleanField(_("复杂问题"), default=False)
    handling_mode = ChoiceField(_("分类施策"), choiceset=HandlingMode, default=HandlingMode.DEADLINE)

    address = models.CharField(_("问题地点"), max_length=200, blank=True)
    town = models.ForeignKey(
        UNIT, verbose_name=_("所在镇街"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.ForeignKey(
        UNIT,
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_problems",
    )
    cooperating_units = models.ManyToManyField(
        UNIT, verbose_name=_("配合单位"), blank=True, related_name="cooperating_problems"
    )
    supervising_unit = models.ForeignKey(
        UNIT, verbose_name=_("督导单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acceptance_unit = models.ForeignKey(
        UNIT,
        verbose_name=_("验收销号单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    routing_reason = models.TextField(_("分派依据"), blank=True)
    # 属地核查: the place matcher found the address outside Baiyun when it was registered or imported; such a
    # problem is neither closed nor published as Baiyun's until the office records a decision.
    outside_district = models.BooleanField(_("疑似不在本区"), default=False)
    district_decision = ChoiceField(
        _("属地确认"), choiceset=DistrictDecision, default=DistrictDecision.UNDECIDED, blank=True
    )
    district_decision_reason = models.TextField(_("属地确认理由"), blank=True)
    district_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("属地确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district_decided_at = models.DateTimeField(_("属地确认时间"), null=True, blank=True)
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    target = models.TextField(_("整改目标"), blank=True)
    deadline_kind = ChoiceField(_("整改时限类型"), choiceset=DeadlineKind, default=DeadlineKind.DATE)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    # Milestones of the warning rule, in working days from assignment to deadline (see deadlines.py).
    blue_on = models.DateField(_("蓝签日"), null=True, blank=True, editable=False)
    yellow_on = models.DateField(_("黄牌日"), null=True, blank=True, editable=False)
    paused_at = models.DateField(_("暂停计时起"), null=True, blank=True)
    pause_reason = models.CharField(_("暂停计时原因"), max_length=200, blank=True)

    status = ChoiceField(_("状态"), choiceset=ProblemStatus, default=ProblemStatus.REGISTERED, db_index=True)
    progress_status = ChoiceField(_("完成进度"), choiceset=ProgressStatus, default=ProgressStatus.NOT_STARTED)
    last_reported_on = models.DateField(_("最近报送"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(_("整改轮次"), default=1, help_text=_("反弹重启后加一"))

    registered_on = models.DateField(_("登记日期"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    rectifying_at = models.DateTimeField(_("开始整改"), null=True, blank=True)
    completed_at = models.DateTimeField(_("申请验收时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收通过时间"), null=True, blank=True)
    publicity_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProblemQuerySet.as_manager()
    unit_scope = PROBLEM_SCOPE
    #: What ``core.services.bump_version`` says when someone else saved the problem meanwhile.
    version_conflict_message = _(
        "该问题已被他人修改（当前版本 %(now)s，您编辑的是版本 %(mine)s）。您填写的内容仍保留在下方，请核对后重新保存。"
        ""
    )

    class Meta:
        ordering = ["-registered_on", "-pk"]
        verbose_name = _("整改问题")
        verbose_name_plural = _("整改问题")
        indexes = [
            models.Index(fields=["lead_unit", "status"], name="problem_lead_status_idx"),
            models.Index(fields=["town", "status"], name="problem_town_status_idx"),
            models.Index(fields=["acceptance_unit", "status"], name="problem_accept_status_idx"),
            models.Index(fields=["status", "deadline"], name="problem_status_deadline_idx"),
            models.Index(fields=["registered_on"], name="problem_registered_idx"),
            models.Index(fields=["closed_at"], name="problem_closed_idx"),
            # Covering indexes for the district statistics (stats.py): grouped without reading the table.
            models.Index(fields=["lead_unit", "status", "source", "is_key"], name="problem_stats_idx"),
            models.Index(fields=["problem_types"], name="problem_types_idx"),
            models.Index(
                fields=[
                    "lead_unit", "status", "deadline_kind",
                    "paused_at",
                    "deadline",
                    "yellow_on",
                    "blue_on",
                    "progress_status",
                    "last_reported_on",
                ],
                name="problem_warning_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def district_pending(self) -> bool:
        """Flagged as possibly outside the district and not (yet) kept as the district's by the office: the one
        rule behind the closing guard and the lists' 疑似不在本区 mark."""
        return self.outside_district and self.district_decision != DistrictDecision.KEEP

    def get_absolute_url(self) -> str:
        return object_url("ledger:problem_detail", self.pk)

    def save(self, *args, **kwargs):
        """Every save keeps the maintained counts (``tallies``) right, in its transaction."""
        from .tallies import PROBLEM_TALLY

        with PROBLEM_TALLY.tracking([self.pk] if self.pk else []) as tracker:
            super().save(*args, **kwargs)
            tracker.include([self.pk])

    def delete(self, *args, **kwargs):
        from .tallies import PROBLEM_TALLY

        with PROBLEM_TALLY.tracking([self.pk]):
            return super().delete(*args, **kwargs)


class ProblemTally(TallyRow):
    """The maintained counts of problems (see ``tallies``): per unit, how it is involved (牵头 / 配合), what
    is counted, by which value, on which day."""

    class Meta(TallyRow.Meta):
        verbose_name = _("问题统计计数")
        verbose_name_plural = _("问题统计计数")
        indexes = [models.Index(fields=["role", "kind", "on"], name="problemtally_kind_on_idx")]


class Measure(ChangeLoggedModel):
    """整改措施: each with its own owner and deadline."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures")
    content = models.TextField(_("整改措施"))
    owner_unit = models.ForeignKey(
        UNIT, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    owner_person = models.CharField(_("责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")

    def __str__(self) -> str:
        return self.content[:60]


class ProgressReport(ChangeLoggedModel):
    """目前进展情况及存在问题 — a dated report with the completion status it claims."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reports")
    cycle = models.PositiveSmallIntegerField(default=1)
    reported_on = models.DateField(_("报送日期"))
    text = models.TextField(_("进展情况及存在问题"))
    progress_status = ChoiceField(_("完成进度"), choiceset=ProgressStatus)
    unit = models.ForeignKey(UNIT, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["problem", "-reported_on"], name="report_problem_date_idx")]
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")

    def __str__(self) -> str:
        return f"{self.reported_on} {self.text[:40]}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.problem_id}/{instance.sha256}{instance.extension}"


def thumbnail_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.problem_id}/thumbs/{instance.sha256}.jpg"


class Evidence(ChangeLoggedModel):
    """佐证材料: a file with its SHA-256, who uploaded it and when. Never replaced in place."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    kind = ChoiceField(_("材料类型"), choiceset=EvidenceKind)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        UNIT, verbose_name=_("上传单位"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["cycle", "uploaded_at", "pk"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("ledger:evidence_file", args=[self.pk])


#: Text the pages and the API take that has no column of its own (common.text_bounds): the reason for another
#: lead unit than proposed (kept in the routing reason) and a milestone's content (in the plan's JSON list).
OVERRIDE_REASON = Bound(_("不采用推荐的理由"), 300)
MILESTONE_CONTENT = Bound(_("节点内容"), 200)


class SpecialPlan(ChangeLoggedModel):
    """专项整改方案 of a key problem: goals, measures and milestones, approved by the inspection office."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="plans")
    goals = models.TextField(_("整治目标"))
    measures = models.TextField(_("主要措施"))
    milestones = models.JSONField(
        _("时间节点"), default=list, help_text=_('[{"date": "2026-12-31", "content": "…"}]')
    )
    status = ChoiceField(_("状态"), choiceset=PlanStatus, default=PlanStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("专项整改方案")
        verbose_name_plural = _("专项整改方案")

    def __str__(self) -> str:
        return f"{self.problem.number} 专项整改方案"

    def get_absolute_url(self) -> str:
        return f"{self.problem.get_absolute_url()}#plans"


class JointAction(ChangeLoggedModel):
    """联合执法 on a complex problem: who took part, when, what was found and what was done."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="joint_actions")
    acted_on = models.DateField(_("执法日期"))
    units = models.ManyToManyField(UNIT, verbose_name=_("参加部门"), related_name="+")
    findings = models.TextField(_("发现问题"))
    actions = models.TextField(_("处理措施"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["-acted_on", "-pk"]
        verbose_name = _("联合执法")
        verbose_name_plural = _("联合执法")

    def __str__(self) -> str:
        return f"{self.acted_on} {self.findings[:30]}"


class Acceptance(ChangeLoggedModel):
    """验收: the reviewer's decision for one cycle of a problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="acceptances")
    cycle = models.PositiveSmallIntegerField(default=1)
    passed = models.BooleanField(_("通过"))
    accepted_on = models.DateField(_("验收日期"))
    method = ChoiceField(_("验收方式"), choiceset=AcceptanceMethod)
    opinion = models.TextField(_("验收意见"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        UNIT, verbose_name=_("验收单位"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("验收记录")
        verbose_name_plural = _("验收记录")

    def __str__(self) -> str:
        return f"{self.problem.number} {self.accepted_on} {'通过' if self.passed else '不通过'}"


class Publicity(ChangeLoggedModel):
    """验收销号公示: the period in which the public may object, and the phone for objections."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="publicities")
    cycle = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    period_rule = models.CharField(_("公示期"), max_length=20)
    channel = models.CharField(_("公示渠道"), max_length=200)
    objection_phone = models.CharField(_("异议受理电话"), max_length=30)
    # Recorded when the notice was really published before it was entered here (a start in the past).
    published_at = models.DateTimeField(_("实际发布时间"), null=True, blank=True)
    published_where = models.CharField(_("实际发布位置或链接"), max_length=500, blank=True)
    objection_received = models.BooleanField(_("收到异议"), default=False)
    objection_note = models.TextField(_("异议情况"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("problem")

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("销号公示")
        verbose_name_plural = _("销号公示")

    def __str__(self) -> str:
        return f"{self.problem.number} {self.starts_on}–{self.ends_on}"


class SupervisionNotice(ChangeLoggedModel):
    """督办单 to a unit about overdue or lagging problems, with the unit's reply."""

    number = models.CharField(_("督办单编号"), max_length=40, unique=True)
    unit = models.ForeignKey(
        UNIT, verbose_name=_("督办对象"), on_delete=models.PROTECT, related_name="notices"
    )
    problems = models.ManyToManyField(Problem, verbose_name=_("督办问题"), related_name="notices")
    requirements = models.TextField(_("督办要求"))
    reply_due = models.DateField(_("回复期限"))
    status = ChoiceField(_("状态"), choiceset=NoticeStatus, default=NoticeStatus.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    reply = models.TextField(_("回复内容"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = {"view": ("unit",), "work": ("unit",), "*": ()}

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")

    def __str__(self) -> str:
        return f"{self.number} → {self.unit}"

    def get_absolute_url(self) -> str:
        return object_url("ledger:notice_detail", self.pk)
