"""Roles and what each may do, app by app (DESIGN.md §2).

A *role* (coordinator, staff, …) is held by a person in a unit. What a role may do is granted per app: each
app declares its own *verbs* (the ledger's "work", a future app's "verify") and which roles hold which of
them (:func:`register_app`). A permission string names both: ``"ledger.work"``. A grant in one app gives
nothing in another — "ledger.work" says nothing about "petitions.work".

District-wide roles act on every unit's records; unit roles act on the records their unit (or a unit below
it) is named on — which fields name a record's units is declared by each model's ``unit_scope``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import Choice, ChoiceSet


class Role(ChoiceSet):
    COORDINATOR = Choice("coordinator", _("迎检协调员"), "primary")
    LEADER = Choice("leader", _("区领导"), "dark")
    STAFF = Choice("staff", _("单位经办人"), "info")
    REVIEWER = Choice("reviewer", _("验收销号人员"), "success")
    PUBLISHER = Choice("publisher", _("信息公开发布人"), "warning")
    AUDITOR = Choice("auditor", _("纪检监督"), "secondary")


@dataclass(frozen=True)
class RoleSpec:
    """Where a role acts: ``district_wide`` roles on every record, the others on their unit's records."""

    district_wide: bool
    description: str


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.COORDINATOR: RoleSpec(True, _("全区事项：登记、交办、改派、验收、销号、公开，管理单位与用户")),
    Role.LEADER: RoleSpec(True, _("查看全区事项、驾驶舱与报表")),
    Role.STAFF: RoleSpec(False, _("办理本单位牵头或配合的事项，报送进展，申请验收")),
    Role.REVIEWER: RoleSpec(False, _("对本单位负责验收的事项验收或退回")),
    Role.PUBLISHER: RoleSpec(True, _("发布公开表与销号公示")),
    Role.AUDITOR: RoleSpec(True, _("查看全部记录与审计日志，不可修改")),
}


@dataclass(frozen=True)
class Grant:
    """What one role holds in one app: ``verbs`` it may do, and ``queue`` — the verbs it is *expected* to do,
    whose moves put a record in this person's 我的待办 (a coordinator may do everything in the ledger but is
    waited on only to assign)."""

    verbs: frozenset[str]
    queue: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AppPermissions:
    """One app's verbs (verb → label) and grants (role → :class:`Grant`)."""

    app: str
    label: str
    verbs: Mapping[str, str]
    grants: Mapping[str, Grant]


_APPS: dict[str, AppPermissions] = {}


def grant(verbs: Iterable[str], queue: Iterable[str] = ()) -> Grant:
    return Grant(frozenset(verbs), frozenset(queue))


def register_app(app: str, *, label, verbs: Mapping[str, str], grants: Mapping[str, Grant]) -> None:
    """Declare ``app``'s verbs and what each role holds of them (called from the app's ``ready()``).

    Registering the same app again replaces its declaration; a grant of an undeclared verb or to an
    unknown role is a programming error and raises at start-up.
    """
    for role, g in grants.items():
        if role not in ROLE_SPECS:
            raise ValueError(f"{app}: unknown role {role!r}")
        unknown = (g.verbs | g.queue) - set(verbs)
        if unknown:
            raise ValueError(f"{app}: role {role!r} is granted undeclared verbs {sorted(unknown)}")
        if not g.queue <= g.verbs:
            raise ValueError(f"{app}: role {role!r} is expected to do verbs it may not do")
    _APPS[app] = AppPermissions(app, label, dict(verbs), dict(grants))


def registered_apps() -> list[AppPermissions]:
    return list(_APPS.values())


def split_perm(perm: str) -> tuple[str, str]:
    """``"ledger.review"`` → ``("ledger", "review")``; the app must be registered and declare the verb."""
    app, _sep, verb = perm.rpartition(".")
    declared = _APPS.get(app)
    if declared is None:
        raise ValueError(f"permission {perm!r} names no registered app; registered: {', '.join(sorted(_APPS))}")
    if verb not in declared.verbs:
        raise ValueError(f"unknown verb in {perm!r}; {app} declares: {', '.join(declared.verbs)}")
    return app, verb


def role_holds(role: str, perm: str, *, expected: bool = False) -> bool:
    """Does ``role`` hold ``perm`` (or, with ``expected``, is it waited on to do it)?"""
    app, verb = split_perm(perm)
    g = _APPS[app].grants.get(role)
    if g is None:
        return False
    return verb in (g.queue if expected else g.verbs)


# The foundation's own apps. Domain apps register theirs in their AppConfig.ready().
register_app(
    "orgs",
    label=_("单位与人员"),
    verbs={"view": _("查看单位与人员"), "manage": _("管理单位、人员、三管三必须与工作日历")},
    grants={
        Role.COORDINATOR: grant({"view", "manage"}),
        **{role: grant({"view"}) for role in (Role.LEADER, Role.STAFF, Role.REVIEWER, Role.PUBLISHER, Role.AUDITOR)},
    },
)
register_app(
    "audit",
    label=_("审计日志"),
    verbs={"audit": _("查看审计日志并核验")},
    grants={Role.COORDINATOR: grant({"audit"}), Role.AUDITOR: grant({"audit"})},
)
