"""Human words for ActionLog actions, so timelines read "已验收" rather than ``ledger.problem.accepted``.

Workflows register their transitions' labels automatically; apps register their other actions with
:func:`register`. An action without a label is shown as its code.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str] = {
    "audit.chain.verified": _("校验操作日志哈希链：完整"),
    "audit.chain.broken": _("校验操作日志哈希链：发现断点"),
    "audit.chain.anchored": _("写入操作日志锚点"),
    "core.backup.restored": _("从备份恢复数据"),
    "auth.login.succeeded": _("登录成功"),
    "auth.login.failed": _("登录失败"),
    "auth.login.throttled": _("登录被限制（失败次数过多）"),
    "orgs.access.no_membership": _("未分配单位的账号尝试访问"),
    "orgs.structure.loaded": _("载入组织架构"),
    "common.demo.loaded": _("载入演示数据"),
    "orgs.unit.created": _("新增单位"),
    "orgs.unit.updated": _("修改单位信息"),
    "orgs.user.created": _("新增用户"),
    "orgs.user.updated": _("修改用户信息"),
    "orgs.user.password_set": _("设置密码"),
    "orgs.membership.created": _("添加单位成员"),
    "orgs.membership.ended": _("取消单位成员身份"),
    "orgs.sectorduty.created": _("新增三管三必须职责"),
    "orgs.sectorduty.updated": _("修改三管三必须职责"),
    "orgs.sectorduty.deleted": _("删除三管三必须职责"),
    "orgs.apitoken.created": _("创建 API 令牌"),
    "orgs.apitoken.revoked": _("撤销 API 令牌"),
    "common.export.created": _("提交后台导出"),
    "common.export.finished": _("后台导出完成"),
    "common.export.failed": _("后台导出未成功"),
    "common.export.downloaded": _("下载导出文件"),
    "common.workday.set": _("设置工作日调整"),
    "common.workday.deleted": _("删除工作日调整"),
}

REFUSED_SUFFIX = ".refused"


def register(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def label_for(action: str) -> str:
    if action in _LABELS:
        return str(_LABELS[action])
    if action.endswith(REFUSED_SUFFIX):
        return str(_("操作被拒绝"))
    return action
