"""Possible repeats of incoming cases among themselves and the stored cases (first version: the same
normalised text only)."""

from __future__ import annotations

import re
from collections import defaultdict

from .suggest import Repeat

_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACE.sub("", text or "")


class RepeatIndex:
    def __init__(self):
        self.by_text: dict[str, list[tuple[int, str, str]]] = defaultdict(list)

    @classmethod
    def from_database(cls, exclude_round=None) -> RepeatIndex:
        from .models import Petition

        index = cls()
        rows = Petition.objects.values_list("pk", "acceptance_no", "complaint_text", "round__name")
        for pk, number, text, rnd in rows.iterator():
            index.by_text[_key(text)].append((pk, number, rnd))
        return index


def find_repeats(index: RepeatIndex, cases) -> dict[str, list[Repeat]]:
    found: dict[str, list[Repeat]] = defaultdict(list)
    seen: dict[str, str] = {}
    for case in cases:
        key = _key(case.complaint_text)
        for pk, number, rnd in index.by_text.get(key, ()):
            if number != case.acceptance_no:
                found[case.acceptance_no].append(Repeat(number, 1.0, pk, rnd))
        if key in seen and seen[key] != case.acceptance_no:
            found[case.acceptance_no].append(Repeat(seen[key], 1.0))
        seen.setdefault(key, case.acceptance_no)
    return found
