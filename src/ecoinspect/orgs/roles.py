"""Roles and what each may do (DESIGN.md §2).

A role grants *verbs*. A permission string names an app and a verb (``"ledger.review"``); the verb decides.
District-wide roles act on every unit's records; unit roles act on the records their unit (or a unit below
it) is named on — which fields name a record's units is declared by each model's ``unit_scope``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import Choice, ChoiceSet


class Verb:
    VIEW = "view"  # read
    WORK = "work"  # handle: measures, progress, evidence, request acceptance
    ASSIGN = "assign"  # register, assign, re-route, reopen, supervise
    REVIEW = "review"  # accept or reject
    PUBLISH = "publish"  # publish disclosure tables and closing notices
    MANAGE = "manage"  # units, users, memberships, the responsibility matrix
    AUDIT = "audit"  # read the audit log and verify the chain

    ALL = (VIEW, WORK, ASSIGN, REVIEW, PUBLISH, MANAGE, AUDIT)


class Role(ChoiceSet):
    COORDINATOR = Choice("coordinator", _("迎检协调员"), "primary")
    LEADER = Choice("leader", _("区领导"), "dark")
    STAFF = Choice("staff", _("单位经办人"), "info")
    REVIEWER = Choice("reviewer", _("验收销号人员"), "success")
    PUBLISHER = Choice("publisher", _("信息公开发布人"), "warning")
    AUDITOR = Choice("auditor", _("纪检监督"), "secondary")


@dataclass(frozen=True)
class RoleSpec:
    """``verbs`` say what the role may do; ``queue_verbs`` what it is *expected* to do — the moves that put
    a record in this person's 我的待办 (a coordinator may do everything but is waited on only to assign)."""

    verbs: frozenset[str]
    district_wide: bool
    description: str
    queue_verbs: frozenset[str] = frozenset()


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.COORDINATOR: RoleSpec(
        frozenset(Verb.ALL),
        True,
        _("全区事项：登记、交办、改派、验收、销号、公开，管理单位与用户"),
        frozenset({Verb.ASSIGN}),
    ),
    Role.LEADER: RoleSpec(frozenset({Verb.VIEW}), True, _("查看全区事项、驾驶舱与报表")),
    Role.STAFF: RoleSpec(
        frozenset({Verb.VIEW, Verb.WORK}),
        False,
        _("办理本单位牵头或配合的事项，报送进展，申请验收"),
        frozenset({Verb.WORK}),
    ),
    Role.REVIEWER: RoleSpec(
        frozenset({Verb.VIEW, Verb.REVIEW}), False, _("对本单位负责验收的事项验收或退回"), frozenset({Verb.REVIEW})
    ),
    Role.PUBLISHER: RoleSpec(
        frozenset({Verb.VIEW, Verb.PUBLISH}), True, _("发布公开表与销号公示"), frozenset({Verb.PUBLISH})
    ),
    Role.AUDITOR: RoleSpec(frozenset({Verb.VIEW, Verb.AUDIT}), True, _("查看全部记录与审计日志，不可修改")),
}


def verb_of(perm: str) -> str:
    """``"ledger.review"`` → ``"review"``; a bare verb is accepted too."""
    verb = perm.rsplit(".", 1)[-1]
    if verb not in Verb.ALL:
        raise ValueError(f"unknown permission verb in {perm!r}; known verbs: {', '.join(Verb.ALL)}")
    return verb
