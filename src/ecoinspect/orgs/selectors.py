"""Reads for units, people and the responsibility matrix."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

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


def place_list(*, filters=None) -> QuerySet[Place]:
    """The gazetteer is public knowledge with its sources, open to every logged-in person."""
    qs = Place.objects.all()
    return filters.filter_queryset(qs) if filters is not None else qs.filter(is_active=True)


@dataclass(frozen=True)
class DutyMatch:
    duty: SectorDuty
    score: int
    matched_keywords: tuple[str, ...]
    #: Where each keyword was found: "text" (the title and description) or "address".
    found_in: tuple[tuple[str, str], ...] = ()
    #: Another row with the same score and another department: shown side by side, never broken by order.
    tied: bool = False

    @property
    def reason(self) -> str:
        parts = []
        where = dict(self.found_in)
        for place in ("text", "address"):
            words = [k for k in self.matched_keywords if where.get(k, "text") == place]
            if words:
                label = _("问题描述") if place == "text" else _("地址")
                parts.append(_("%(where)s中含关键词：%(words)s") % {"where": label, "words": "、".join(words)})
        if self.duty.problem_type:
            parts.append(_("问题类型：%(t)s") % {"t": self.duty.get_problem_type_display()})
        return f"三管三必须「{self.duty.sector}」→ {self.duty.department}（{'；'.join(parts)}）"


def active_sector_duties() -> list[SectorDuty]:
    """The matrix's rows in force, with their departments (read once for a batch of matches)."""
    return list(SectorDuty.objects.active().select_related("department").filter(department__is_active=True))


def _keyword_hits(duties, fields: list[tuple[str, str]]) -> dict[int, list[tuple[str, str]]]:
    """For each duty, the keywords found and where — a keyword inside a longer keyword found at the same
    place (噪音 in 工厂噪音, 采砂 in 河道采砂, 垃圾 in 建筑垃圾) does not count on its own."""
    found: dict[int, list[tuple[str, str]]] = {}
    for where, text in fields:
        if not text:
            continue
        spans = []  # (start, end, duty index, keyword)
        for i, duty in enumerate(duties):
            for k in duty.keyword_list():
                start = text.find(k)
                while start >= 0:
                    spans.append((start, start + len(k), i, k))
                    start = text.find(k, start + 1)
        for s, e, i, k in spans:
            if any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _i, _k in spans):
                continue
            hits = found.setdefault(i, [])
            if k not in [h for h, _w in hits]:
                hits.append((k, where))
    return found


def sector_duty_match(
    *,
    text: str,
    address: str = "",
    problem_types: list[str] | None = None,
    limit: int = 3,
    duties: list[SectorDuty] | None = None,
) -> list[DutyMatch]:
    """Departments proposed for a problem by the 三管三必须 matrix, best first, each with its reason.

    A keyword found in the text (or the address) scores 3, the same problem type scores 1; rows with no hit
    are left out. Rows of different departments with the same top score are marked ``tied``. Pass ``duties``
    (:func:`active_sector_duties`) to match many texts without reading the matrix again.
    """
    types = set(problem_types or [])
    duties = list(duties) if duties is not None else active_sector_duties()
    found = _keyword_hits(duties, [("text", text or ""), ("address", address or "")])
    matches = []
    for i, duty in enumerate(duties):
        hits = found.get(i, [])
        score = 3 * len(hits) + (1 if duty.problem_type and duty.problem_type in types else 0)
        if score:
            matches.append(DutyMatch(duty, score, tuple(k for k, _w in hits), tuple(hits)))
    matches.sort(key=lambda m: (-m.score, m.duty.sort_order))
    if len(matches) > 1 and matches[0].score == matches[1].score:
        top = matches[0].score
        departments = {m.duty.department_id for m in matches if m.score == top}
        if len(departments) > 1:
            matches = [
                DutyMatch(m.duty, m.score, m.matched_keywords, m.found_in, tied=True) if m.score == top else m
                for m in matches
            ]
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


@dataclass(frozen=True)
class LoginThrottle:
    """Why log-ins are refused for now, and until when.

    ``reason`` is ``"name"`` (too many failures for this user name, from anywhere) or ``"address"`` (failures
    for too many *different* user names from this address: someone trying names, not a colleague behind the
    same NAT who mistyped a password)."""

    reason: str
    until: dt.datetime

    @property
    def minutes(self) -> int:
        """Whole minutes left, rounded up (at least 1)."""
        seconds = (self.until - timezone.now()).total_seconds()
        return max(1, -int(-seconds // 60))


def login_throttle(*, username: str, ip_address: str | None) -> LoginThrottle | None:
    """Should a log-in be refused before its password is checked? Two rules, each over its own window:

    * a user name with ``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW_SECONDS`` (from any
      address) — that person's account is protected against guessing;
    * an address from which ``LOGIN_FAILURE_IP_LIMIT`` *different* user names failed within
      ``LOGIN_FAILURE_IP_WINDOW_SECONDS`` — someone trying many accounts. One person's failures, however many,
      count once, so the colleagues behind the same address (a NAT) are not locked out by them.

    Refused attempts are not counted (``login_attempt_record``): a lock ends when it said it would.
    """
    failures = LoginAttempt.objects.filter(succeeded=False)
    now = timezone.now()
    limit = settings.LOGIN_FAILURE_LIMIT
    if username and limit:
        window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
        times = list(
            failures.filter(username__iexact=username, at__gte=now - window)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )
        if len(times) >= limit:
            return LoginThrottle("name", times[-1] + window)
    names = settings.LOGIN_FAILURE_IP_LIMIT
    if ip_address and names:
        window = dt.timedelta(seconds=settings.LOGIN_FAILURE_IP_WINDOW_SECONDS)
        latest = list(
            failures.filter(ip_address=ip_address, at__gte=now - window)
            .annotate(name=Lower("username"))
            .values("name")
            .annotate(last=Max("at"))
            .order_by("-last")
            .values_list("last", flat=True)[:names]
        )
        if len(latest) >= names:
            return LoginThrottle("address", latest[-1] + window)
    return None


def login_is_throttled(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this name, or for too many names from this address (:func:`login_throttle`)."""
    return login_throttle(username=username, ip_address=ip_address) is not None


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
