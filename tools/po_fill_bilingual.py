"""Fill the English catalogue's obvious entries: a message written "中文 / English" translates to its English half.

Usage: python tools/po_fill_bilingual.py src/ecoinspect/locale/en/LC_MESSAGES/django.po
Prints the entries still untranslated (labels and sentences that need a person).

An English half is used only when it carries the same placeholders as the whole message: msgfmt
--check-format (run by compilemessages) refuses a translation that drops an argument of the msgid, such
as the Chinese half's ``%(hint)s`` in "未找到单位“%(v)s”%(hint)s / No unit named '%(v)s'.%(hint_en)s".
Such entries are left for a person and listed with the placeholders the English half lacks.
"""

from __future__ import annotations

import re
import sys

import polib

SEPARATOR = " / "
# %(name)s, %(size).1f, %s, %d — but not a literal %% — and str.format's {name}
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"\{[A-Za-z_]\w*\}")


def placeholders(text: str, *, python_format: bool) -> set[str]:
    found = set(BRACE.findall(text))
    if python_format:
        found |= {m.group(0) for m in PERCENT.finditer(text) if m.group(2) != "%"}
    return found


def english_half(msgid: str) -> str | None:
    if SEPARATOR not in msgid:
        return None
    english = msgid.split(SEPARATOR, 1)[1].strip()
    return english or None


def main(path: str) -> int:
    catalogue = polib.pofile(path, wrapwidth=0)
    filled = 0
    skipped: list[tuple[polib.POEntry, set[str]]] = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            continue
        if (not entry.msgstr or "fuzzy" in entry.flags) and (english := english_half(entry.msgid)):
            python_format = "python-format" in entry.flags
            lacking = placeholders(entry.msgid, python_format=python_format) - placeholders(
                english, python_format=python_format
            )
            if lacking:
                skipped.append((entry, lacking))
                continue
            entry.msgstr = english
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    catalogue.save(path)
    missing = [e for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    print(f"filled {filled} bilingual entries; {len(missing)} still need a translation")
    for entry, lacking in skipped:
        print(f"  (English half lacks {', '.join(sorted(lacking))}; translate it by hand)")
        print("  ", entry.msgid.replace("\n", "\\n")[:120])
    for entry in missing:
        if any(entry is s for s, _lacking in skipped):
            continue
        print("  ", entry.msgid.replace("\n", "\\n")[:120])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
