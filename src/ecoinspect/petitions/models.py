"""Transferred petition cases (交办信访件): inspection rounds, the daily batches the inspection team hands
over, each case with its assignments to units, its claims, the suggestions made for it at import, its
return visits and its disclosure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoinspect.audit.models import ChangeLoggedModel
from ecoinspect.common.choices import ProblemType
from ecoinspect.common.fields import ChoiceField, MultiChoiceField
from ecoinspect.common.reversing import object_url
from ecoinspect.core.permissions import RestrictedQuerySet

from .choices import (
    AssignmentRole,
    Channel,
    ClosureStatus,
    Origin,
    PetitionStatus,
    RoundKind,
    SuggestionDecision,
    SuggestionKind,
    Verdict,
    VisitMethod,
)

UNIT = "orgs.Unit"
USER = settings.AUTH_USER_MODEL

#: A unit sees the cases assigned to it and those in its territory; it handles the cases assigned to it.
PETITION_SCOPE = {
    "view": ("assignments__unit", "town"),
    "handle": ("assignments__unit",),
    "*": (),
}


def _child_scope(prefix: str) -> dict:
    return {verb: tuple(f"{prefix}__{p}" for p in paths) for verb, paths in PETITION_SCOPE.items()}


class InspectionRound(ChangeLoggedModel):
    """督察轮次: a central or provincial inspection and how many working days its cases get."""

    name = models.CharField(_("督察轮次"), max_length=100, unique=True)
    kind = ChoiceField(_("督察类型"), choiceset=RoundKind, default=RoundKind.CENTRAL)
    number = models.PositiveSmallIntegerField(_("轮次"), help_text=_("第几轮，如第三轮填 3"))
    province = models.CharField(_("省份"), max_length=20, default="广东")
    stationed_on = models.DateField(_("进驻日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    internal_days = models.PositiveSmallIntegerField(
        _("区内办理时限（工作日）"), default=5, help_text=_("交办后多少个工作日内向区督察办反馈")
    )
    external_days = models.PositiveSmallIntegerField(
        _("对督察组反馈时限（工作日）"), default=10, help_text=_("交办后多少个工作日内向督察组反馈")
    )
    is_current = models.BooleanField(_("当前轮次"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = {"*": ()}

    class Meta:
        ordering = ["-stationed_on", "-pk"]
        verbose_name = _("督察轮次")
        verbose_name_plural = _("督察轮次")

    def __str__(self) -> str:
        return self.name


class TransferBatch(ChangeLoggedModel):
    """第N批: one day's hand-over from the inspection team (or an earlier round's published table)."""

    round = models.ForeignKey(InspectionRound, verbose_name=_("督察轮次"), on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("批次"))
    received_on = models.DateField(_("交办日期"))
    origin = ChoiceField(_("来源"), choiceset=Origin, default=Origin.TRANSFER)
    layout = models.CharField(_("表格格式"), max_length=40, blank=True)
    file_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True)
    imported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    disclosed_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = {"view": ("petitions__assignments__unit", "petitions__town"), "*": ()}

    class Meta:
        ordering = ["-round__stationed_on", "-number"]
        verbose_name = _("交办批次")
        verbose_name_plural = _("交办批次")
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="batch_round_number_unique")]

    def __str__(self) -> str:
        return _("%(round)s 第%(number)s批") % {"round": self.round, "number": self.number}

    def get_absolute_url(self) -> str:
        return object_url("petitions:batch_detail", self.pk)


class PetitionQuerySet(RestrictedQuerySet):
    def live(self):
        """Cases still to be worked (not merged into another)."""
        return self.exclude(status=PetitionStatus.MERGED)


class Petition(ChangeLoggedModel):
    """信访件: one transferred complaint, kept as published (raw cells) and as understood (parsed fields)."""

    round = models.ForeignKey(InspectionRound, verbose_name=_("督察轮次"), on_delete=models.PROTECT, related_name="petitions")
    batch = models.ForeignKey(
        TransferBatch, verbose_name=_("批次"), null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    acceptance_no = models.CharField(_("受理编号"), max_length=100, help_text=_("按原表保留"))
    acceptance_key = models.CharField(max_length=100, editable=False, help_text=_("规范化的受理编号（本轮内唯一）"))
    channel = ChoiceField(_("受理方式"), choiceset=Channel, blank=True)
    no_round = models.PositiveSmallIntegerField(_("编号中的轮次"), null=True, blank=True)
    no_province = models.CharField(_("编号中的省份代码"), max_length=20, blank=True)
    no_date = models.DateField(_("编号中的日期"), null=True, blank=True)
    no_seq = models.CharField(_("编号中的序号"), max_length=20, blank=True)

    complaint_text = models.TextField(_("交办问题基本情况"))
    region_text = models.CharField(_("行政区域（原文）"), max_length=200, blank=True)
    town = models.ForeignKey(
        UNIT, verbose_name=_("属地镇街"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    town_reason = models.TextField(_("属地依据"), blank=True)
    outside_district = models.BooleanField(_("疑似不在本区"), default=False)
    type_text = models.CharField(_("问题类型（原文）"), max_length=200, blank=True)
    problem_types = MultiChoiceField(_("问题类型"), choiceset=ProblemType)
    sub_tags = models.JSONField(_("细分标签"), default=list, blank=True)
    received_on = models.DateField(_("交办日期"))
    origin = ChoiceField(_("来源"), choiceset=Origin, default=Origin.TRANSFER)

    status = ChoiceField(_("状态"), choiceset=PetitionStatus, default=PetitionStatus.RECEIVED)
    is_key = models.BooleanField(_("重点件"), default=False)
    is_supervised = models.BooleanField(_("督办件"), default=False)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("重复件原件"), null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )

    investigation = models.TextField(_("调查核实情况"), blank=True)
    verdict = ChoiceField(_("是否属实"), choiceset=Verdict, blank=True)
    closure_target = models.TextField(_("办结目标"), blank=True)
    handling = models.TextField(_("处理和整改情况"), blank=True)
    closure_status = ChoiceField(_("是否办结"), choiceset=ClosureStatus, blank=True)
    accountability = models.TextField(_("责任人被处理情况"), blank=True)
    responsible_unit_text = models.CharField(_("责任单位（原文）"), max_length=200, blank=True)
    responsible_person_text = models.CharField(_("责任人（原文）"), max_length=100, blank=True)
    remark = models.TextField(_("备注"), blank=True)

    # 边督边改 figures, as the province publishes them
    rectify_orders = models.PositiveIntegerField(_("责令整改（家）"), default=0)
    penalty_cases = models.PositiveIntegerField(_("立案处罚（家）"), default=0)
    fine_amount = models.DecimalField(_("罚款金额（万元）"), max_digits=12, decimal_places=4, default=0)
    criminal_cases = models.PositiveIntegerField(_("立案侦查（件）"), default=0)
    admin_detentions = models.PositiveIntegerField(_("行政拘留（人）"), default=0)
    criminal_detentions = models.PositiveIntegerField(_("刑事拘留（人）"), default=0)
    interviews = models.PositiveIntegerField(_("约谈（人）"), default=0)
    accountable_people = models.PositiveIntegerField(_("问责（人）"), default=0)

    flags = models.JSONField(_("待人工确认"), default=list, blank=True, help_text=_("导入时未能理解的单元格"))
    raw = models.JSONField(_("原表内容"), default=dict, blank=True)
    public_texts = models.JSONField(
        _("公开文本"), default=dict, blank=True, help_text=_("发布人核对后的脱敏文本，按列名保存")
    )
    problem = models.ForeignKey(
        "ledger.Problem",
        verbose_name=_("整改问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    disclosure_count = models.PositiveSmallIntegerField(_("公开次数"), default=0)
    #: The repeat search's signature of the text (petitions.repeats): written at registration, so the index
    #: of every stored case is built without reading the texts.
    repeat_signature = models.BinaryField(_("重复件检索签名"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    verifying_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    disclosed_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PetitionQuerySet.as_manager()
    unit_scope = PETITION_SCOPE
    changelog_exclude = ("repeat_signature",)
    version_conflict_message = _(
        "该信访件已被他人修改（当前版本 %(now)s，您编辑的是版本 %(mine)s）。您填写的内容仍保留，请核对后重新保存。"
    )

    class Meta:
        ordering = ["-received_on", "seq", "pk"]
        verbose_name = _("信访件")
        verbose_name_plural = _("信访件")
        constraints = [
            models.UniqueConstraint(fields=["round", "acceptance_key"], name="petition_round_number_unique"),
        ]
        indexes = [
            models.Index(fields=["batch", "seq"], name="petition_batch_seq_idx"),
            models.Index(fields=["town", "status"], name="petition_town_status_idx"),
            models.Index(fields=["status", "received_on"], name="petition_status_received_idx"),
            models.Index(fields=["acceptance_key"], name="petition_number_idx"),
        ]

    def __str__(self) -> str:
        return self.acceptance_no

    def get_absolute_url(self) -> str:
        return object_url("petitions:petition_detail", self.pk)

    @property
    def type_labels(self) -> str:
        return "、".join(ProblemType.text(t) for t in self.problem_types)

    @property
    def substantiated(self) -> bool:
        from .choices import SUBSTANTIATED

        return self.verdict in SUBSTANTIATED


class Assignment(ChangeLoggedModel):
    """交办: one unit's share of a case (一件多派 gives several), with both clocks."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(UNIT, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    role = ChoiceField(_("承办方式"), choiceset=AssignmentRole, default=AssignmentRole.LEAD)
    internal_due = models.DateField(_("区内反馈时限"))
    external_due = models.DateField(_("督察组反馈时限"))
    note = models.CharField(_("交办要求"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("petition")

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        constraints = [models.UniqueConstraint(fields=["petition", "unit"], name="assignment_petition_unit_unique")]
        indexes = [models.Index(fields=["unit", "internal_due"], name="assignment_unit_due_idx")]

    def __str__(self) -> str:
        return f"{self.petition} → {self.unit}"


class Claim(ChangeLoggedModel):
    """One claim of a complaint (a complaint often holds several), verified on its own."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="claims")
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    text = models.TextField(_("反映问题"))
    finding = models.TextField(_("核查情况"), blank=True)
    verdict = ChoiceField(_("是否属实"), choiceset=Verdict, blank=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("petition")

    class Meta:
        ordering = ["seq", "pk"]
        verbose_name = _("反映问题")
        verbose_name_plural = _("反映问题")

    def __str__(self) -> str:
        return f"{self.petition} #{self.seq}"


class Suggestion(ChangeLoggedModel):
    """What the system proposed for a case at import, with its reasons, and what the coordinator decided
    (corrections are recorded and counted)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="suggestions")
    kind = ChoiceField(_("建议类型"), choiceset=SuggestionKind)
    value = models.JSONField(_("建议"), default=dict)
    score = models.FloatField(_("置信度"), null=True, blank=True)
    reasons = models.JSONField(_("依据"), default=list)
    decision = ChoiceField(_("处理"), choiceset=SuggestionDecision, default=SuggestionDecision.PENDING)
    corrected_value = models.JSONField(_("更正为"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("petition")

    class Meta:
        ordering = ["kind", "-score", "pk"]
        verbose_name = _("导入建议")
        verbose_name_plural = _("导入建议")
        indexes = [models.Index(fields=["kind", "decision"], name="suggestion_kind_decision_idx")]

    def __str__(self) -> str:
        return f"{self.petition} {self.get_kind_display()}"


class ReturnVisit(ChangeLoggedModel):
    """回访: the complainant asked whether they are satisfied; an unsatisfied visit sends the case back."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("回访日期"))
    method = ChoiceField(_("回访方式"), choiceset=VisitMethod, default=VisitMethod.PHONE)
    satisfied = models.BooleanField(_("是否满意"))
    note = models.TextField(_("回访情况"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = _child_scope("petition")

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")

    def __str__(self) -> str:
        return f"{self.petition} {self.visited_on}"


class Disclosure(ChangeLoggedModel):
    """One publication of a batch's results (a stage-closed case is disclosed again when done).

    ``rows`` keeps the table as it was published — masked, in the official column order — so the public
    page and the files show what was published even after a case is worked on again (petitions.disclosure).
    """

    batch = models.ForeignKey(TransferBatch, on_delete=models.PROTECT, related_name="disclosures")
    number = models.PositiveSmallIntegerField(_("第几次公开"), default=1)
    issued_on = models.DateField(_("公开日期"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    petitions = models.ManyToManyField(Petition, related_name="disclosures", blank=True)
    rows = models.JSONField(_("公开内容"), default=list, blank=True, help_text=_("公开时的脱敏表格行"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = {"*": ()}

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("公开")
        verbose_name_plural = _("公开")
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="disclosure_batch_number_unique")]

    def __str__(self) -> str:
        return _("%(batch)s 第%(n)s次公开") % {"batch": self.batch, "n": self.number}
