"""Choice sets: every value declared once with its Chinese label and its badge colour.

>>> class Colour(ChoiceSet):
...     RED = Choice("red", "红", "danger")
>>> Colour.RED, Colour.label("red"), Colour.colour("red")
('red', '红', 'danger')

Badge colours are Bootstrap contextual names (primary, secondary, success, danger, warning, info, light,
dark) so a template renders ``<span class="badge text-bg-{{ colour }}">`` without a second table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

BADGE_COLOURS = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"})


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    colour: str = "secondary"

    def __post_init__(self) -> None:
        if self.colour not in BADGE_COLOURS:
            raise ValueError(f"unknown badge colour {self.colour!r} for choice {self.value!r}")


class ChoiceSetMeta(type):
    def __new__(mcs, name, bases, attrs):
        members: dict[str, Choice] = {}
        for base in bases:
            members.update(getattr(base, "_members", {}))
        for attr, value in list(attrs.items()):
            if isinstance(value, Choice):
                members[value.value] = value
                attrs[attr] = value.value  # the class attribute is the stored value
        attrs["_members"] = members
        return super().__new__(mcs, name, bases, attrs)

    def __iter__(cls):
        return iter(cls._members.values())

    def __contains__(cls, value) -> bool:
        return value in cls._members

    def __len__(cls) -> int:
        return len(cls._members)


class ChoiceSet(metaclass=ChoiceSetMeta):
    """Base class; subclasses declare ``NAME = Choice(value, label, colour)``."""

    _members: dict[str, Choice]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in cls._members.values()]

    @classmethod
    def values(cls) -> list[str]:
        return list(cls._members)

    @classmethod
    def label(cls, value: str | None) -> str:
        member = cls._members.get(value) if value is not None else None
        return member.label if member else (value or "")

    @classmethod
    def text(cls, value: str | None) -> str:
        """The label as text in the active language — remembered, for a list shows the same few labels
        hundreds of times (a lazy label is translated again at every ``str()``)."""
        return _label_text(cls, value, get_language())

    @classmethod
    def colour(cls, value: str | None) -> str:
        member = cls._members.get(value) if value is not None else None
        return member.colour if member else "secondary"

    @classmethod
    def max_length(cls) -> int:
        return max(len(v) for v in cls._members)


@lru_cache(maxsize=4096)
def _label_text(choiceset: type[ChoiceSet], value: str | None, language: str | None) -> str:
    return str(choiceset.label(value))


class ProblemType(ChoiceSet):
    """问题类型 / 污染类型 — the normalised multi-label used by petitions and the ledger (DESIGN.md §5)."""

    AIR = Choice("air", _("大气"), "info")
    WATER = Choice("water", _("水"), "primary")
    NOISE = Choice("noise", _("噪声"), "warning")
    SOLID_WASTE = Choice("solid_waste", _("固废"), "secondary")
    ECOLOGY = Choice("ecology", _("生态"), "success")
    AGRICULTURE = Choice("agriculture", _("农业农村"), "success")
    SOIL = Choice("soil", _("土壤"), "dark")
    MARINE = Choice("marine", _("海洋"), "primary")
    RADIATION = Choice("radiation", _("辐射"), "danger")
    OTHER = Choice("other", _("其他"), "light")
