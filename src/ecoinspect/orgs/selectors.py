"""Reads for units, people and the responsibility matrix."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .access import active_memberships, holds
from .gazetteer import PlaceMatch, PlaceMatcher, place_match  # noqa: F401 (re-exported)
from .models import LoginAttempt, Membership, Place, SectorDuty, Unit, User
from .roles import ROLE_SPECS, Role, registered_apps


def unit_directory(*, filters=None) -> QuerySet[Unit]:
    """Every active unit: the directory is open to everyone logged in (names, kinds, phones only)."""
    qs = Unit.objects.select_related("parent")
    return filters.filter_queryset(qs) if filters is not None else qs.filter(is_active=True)


def unit_get(*, user, pk: int) -> Unit:
    """A unit's page — units are not secret: anyone signed in with a role may see any unit (name, kind,
    parent, contacts, people); what a unit handles stays scoped in the apps. Raises Unit.DoesNotExist."""
    if not holds(user, "orgs.view"):
        raise Unit.DoesNotExist
    return Unit.objects.select_related("parent").get(pk=pk)


def unit_members(*, unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("-is_active", "role", "user__username")
    )


def user_list(*, user, filters=None) -> QuerySet[User]:
    # Managing people is a district-wide grant (the inspection office): all of them, or none.
    qs = (User.objects.all() if holds(user, "orgs.manage") else User.objects.none()).annotate(
        membership_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return filters.filter_queryset(qs) if filters is not None else qs


def user_get(*, user, pk: int) -> User:
    return (User.objects.all() if holds(user, "orgs.manage") else User.objects.none()).get(pk=pk)


def sector_duty_list(*, filters=None) -> QuerySet[SectorDuty]:
    """The matrix is a published rule, open to every logged-in person."""
    qs = SectorDuty.objects.select_related("department")
    return filters.filter_queryset(qs) if filters is not None else qs.filter(is_active=True)


@dataclass(frozen=True)
class DutyMatch:
    duty: SectorDuty
    score: int
    matched_keywords: tuple[str, ...]

    @property
    def reason(self) -> str:
        parts = []
        if self.matched_keywords:
            parts.append("关键词：" + "、".join(self.matched_keywords))
        if self.duty.problem_type:
            parts.append("问题类型：" + self.duty.get_problem_type_display())
        return f"三管三必须「{self.duty.sector}」→ {self.duty.department}（{'；'.join(parts)}）"


def sector_duty_match(
    *, text: str, problem_types: list[str] | None = None, limit: int = 3
) -> list[DutyMatch]:
    """Departments proposed for a problem by the 三管三必须 matrix, best first, each with its reason.

    A keyword found in the text scores 3, the same problem type scores 1; rows with no hit are left out.
    """
    text = text or ""
    types = set(problem_types or [])
    matches = []
    for duty in SectorDuty.objects.active().select_related("department").filter(department__is_active=True):
        hits = tuple(k for k in duty.keyword_list() if k in text)
        score = 3 * len(hits) + (1 if duty.problem_type and duty.problem_type in types else 0)
        if score:
            matches.append(DutyMatch(duty, score, hits))
    matches.sort(key=lambda m: (-m.score, m.duty.sort_order))
    return matches[:limit]


_TOWN_SUFFIX = re.compile(r"(街道|街|镇)$")


class LegacyTownMatcher:
    """The matcher before the gazetteer (towns' names only), kept for the places benchmark's comparison.

    Longest name first; a name written with its 街道/镇 wins over a bare place name anywhere in the text.
    """

    def __init__(self):
        towns = sorted(Unit.objects.active().towns(), key=lambda u: -len(u.short_name))
        self._named = [
            (unit, [n for n in (unit.name, unit.short_name) if n and len(n) >= 2]) for unit in towns
        ]
        self._bare = [(unit, _TOWN_SUFFIX.sub("", unit.short_name)) for unit in towns]
        self._bare = [(unit, name) for unit, name in self._bare if len(name) >= 2]

    def match(self, text: str) -> Unit | None:
        if not text:
            return None
        for unit, names in self._named:
            if any(name in text for name in names):
                return unit
        for unit, name in self._bare:
            if name in text:
                return unit
        return None


#: The district's one rule for "which town or subdistrict is this" — the gazetteer's matcher (villages,
#: communities, former towns, rivers, neighbours' names; see :mod:`ecoinspect.orgs.gazetteer`).
TownMatcher = PlaceMatcher


def town_from_address(*, text: str, matcher: PlaceMatcher | None = None) -> Unit | None:
    """The town or subdistrict an address places a problem in, or None — also when the place is outside the
    district or two towns tie (ask :func:`place_match` for the reasons). Pass a ``matcher`` to match many
    addresses without reloading the gazetteer."""
    if not text:
        return None
    return (matcher or PlaceMatcher()).match(text)


def login_is_throttled(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this name or this address — refuse before checking the password."""
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username__iexact=username).count() >= limit:
        return True
    ip_limit = settings.LOGIN_FAILURE_IP_LIMIT
    return bool(ip_address and ip_limit) and recent.filter(ip_address=ip_address).count() >= ip_limit


def memberships_of(*, user) -> list[Membership]:
    return active_memberships(user)


def role_matrix() -> list[dict]:
    """Every registered app with its verbs and, per role, which verbs the role holds there (and whether
    it is expected to do them: what puts records in that role's 我的待办)."""
    matrix = []
    for app in registered_apps():
        rows = []
        for role, spec in ROLE_SPECS.items():
            g = app.grants.get(role)
            cells = [
                {"verb": verb, "held": g is not None and verb in g.verbs, "queue": g is not None and verb in g.queue}
                for verb in app.verbs
            ]
            rows.append({"role": role, "label": Role.label(role), "district_wide": spec.district_wide, "cells": cells})
        matrix.append({"app": app.app, "label": app.label, "verbs": list(app.verbs.values()), "rows": rows})
    return matrix
