"""Timeline words for the ledger's actions that are not workflow moves (those label themselves)."""

from django.utils.translation import gettext_lazy as _

from ecoinspect.audit.labels import register

register(
    {
        "ledger.problem.registered": _("登记问题"),
        "ledger.problem.updated": _("修改问题信息"),
        "ledger.problem.rerouted": _("改派牵头单位"),
        "ledger.problem.deadline_extended": _("调整整改时限"),
        "ledger.problem.paused": _("暂停计时"),
        "ledger.problem.resumed": _("恢复计时"),
        "ledger.problem.supervised": _("下发督办单"),
        "ledger.problem.imported": _("通过 Excel 导入"),
        "ledger.import.committed": _("导入 Excel 台账文件"),
        "ledger.measure.added": _("新增整改措施"),
        "ledger.measure.completed": _("整改措施完成"),
        "ledger.progress.reported": _("报送整改进展"),
        "ledger.evidence.added": _("上传佐证材料"),
        "ledger.plan.submitted": _("提交专项整改方案"),
        "ledger.plan.approved": _("批准专项整改方案"),
        "ledger.plan.rejected": _("退回专项整改方案"),
        "ledger.joint_action.recorded": _("录入联合执法"),
        "ledger.publicity.objection_dismissed": _("公示异议经核查不成立"),
        "ledger.notice.issued": _("下发督办单"),
        "ledger.digest.sent": _("发送每日提醒"),
    }
)
