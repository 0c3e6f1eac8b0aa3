"""Fill the English catalogue's obvious entries: a message written "中文 / English" translates to its English half.

Usage: python tools/po_fill_bilingual.py src/ecoinspect/locale/en/LC_MESSAGES/django.po
Prints the entries still untranslated (labels and sentences that need a person).
"""

from __future__ import annotations

import sys

import polib

SEPARATOR = " / "


def english_half(msgid: str) -> str | None:
    if SEPARATOR not in msgid:
        return None
    english = msgid.split(SEPARATOR, 1)[1].strip()
    return english or None


def main(path: str) -> int:
    catalogue = polib.pofile(path, wrapwidth=0)
    filled = 0
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            continue
        if (not entry.msgstr or "fuzzy" in entry.flags) and (english := english_half(entry.msgid)):
            entry.msgstr = english
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    catalogue.save(path)
    missing = [e for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    print(f"filled {filled} bilingual entries; {len(missing)} still need a translation")
    for entry in missing:
        print("  ", entry.msgid.replace("\n", "\\n")[:120])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
