"""受理编号: kept raw, compared in a normalised form, parsed where it follows the inspectors' scheme —
D (来电) or X (来信), the round, the province's code, the date and a sequence: ``D3GD202311200002``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .choices import Channel

_SCHEME = re.compile(r"^(?P<channel>[DX])(?P<round>\d)(?P<province>[A-Z]{2,3})(?P<date>\d{8})(?P<seq>\d{3,6})$")
_SEPARATORS = re.compile(r"[\s\-_/·.。]+")


def normalise(raw: str) -> str:
    """The form a number is compared in: full-width made half-width (NFKC), spaces and separators dropped,
    letters upper-case. "Ｄ３ＧＤ ２０２３１１２０ ０００２" and "d3gd202311200002" are one number."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    return _SEPARATORS.sub("", text).upper()


@dataclass(frozen=True)
class ParsedNumber:
    channel: str = ""
    round: int | None = None
    province: str = ""
    date: dt.date | None = None
    seq: str = ""

    @property
    def understood(self) -> bool:
        return bool(self.channel)


def parse(raw: str) -> ParsedNumber:
    """What the number says, or an empty ParsedNumber when it does not follow the scheme (a short number of
    an earlier round such as "1544" is kept as it is)."""
    found = _SCHEME.match(normalise(raw))
    if not found:
        return ParsedNumber()
    try:
        day = dt.datetime.strptime(found["date"], "%Y%m%d").date()
    except ValueError:
        return ParsedNumber()
    channel = Channel.PHONE if found["channel"] == "D" else Channel.LETTER
    return ParsedNumber(str(channel), int(found["round"]), found["province"], day, found["seq"])
