"""The English catalogue: complete, faithful to the placeholders, compiled, in step with the code, and
what an English reader actually sees after the language switch.

Chinese is the source language (the msgids are Chinese); ``make messages`` refreshes
``src/ecoinspect/locale/en/LC_MESSAGES/django.po``, fills the bilingual "中文 / English" entries and
compiles the ``.mo`` that a fresh clone serves without GNU gettext installed.
"""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ecoinspect"
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# The same command as ``make messages``.
MAKEMESSAGES = ["makemessages", "-l", "en", "--no-obsolete", "--no-location", "--ignore", "indicators/*"]

# %(name)s, %(size).1f, %s, %d (a literal %% is no placeholder) and str.format's {name}
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"\{[A-Za-z_]\w*\}")


def placeholders(text: str, *, python_format: bool) -> list[str]:
    found = BRACE.findall(text)
    if python_format:
        found += [m.group(0) for m in PERCENT.finditer(text) if m.group(2) != "%"]
    return sorted(found)


def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def msgids(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in live_entries(po)}


# --- the catalogue itself -------------------------------------------------------------------------------


def test_every_message_has_an_english_translation_and_none_is_fuzzy():
    po = catalogue()
    untranslated = [e.msgid for e in live_entries(po) if not e.translated()]
    fuzzy = [e.msgid for e in live_entries(po) if "fuzzy" in e.flags]
    assert len(live_entries(po)) > 800
    assert not untranslated, f"{len(untranslated)} messages need an English translation: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations to check: {fuzzy[:20]}"
    assert po.metadata.get("Language") == "en"


def test_every_translation_keeps_exactly_the_placeholders_of_its_message():
    """A dropped or renamed placeholder is a KeyError or a lost value at run time, and msgfmt
    --check-format refuses it; that holds for the bilingual "中文 / English" messages too, whose
    Chinese-only arguments the English must also carry."""
    wrong = []
    for entry in live_entries(catalogue()):
        python_format = "python-format" in entry.flags
        expected = placeholders(entry.msgid, python_format=python_format)
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for msgstr in translations:
            got = placeholders(msgstr, python_format=python_format)
            # named placeholders may be repeated or reordered; positional ones must match one for one
            same = set(got) == set(expected) if all("(" in p for p in expected + got) else got == expected
            if msgstr and not same:
                wrong.append(f"{entry.msgid!r}: {expected} → {msgstr!r}: {got}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file():
    """A .po edited without ``compilemessages`` serves stale English: the .mo must be at least as new and
    hold exactly the .po's translations. (Git does not keep file times: a fresh checkout writes both files
    within the same moment, hence the two seconds of slack.)"""
    assert COMPILED.exists(), "run `make messages` (compilemessages) and commit django.mo"
    assert COMPILED.stat().st_mtime >= CATALOGUE.stat().st_mtime - 2, "django.mo is older than django.po"
    po = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in live_entries(catalogue())
        if e.msgid and e.translated() and "fuzzy" not in e.flags
    }
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(COMPILED)) if e.msgid}
    assert mo.keys() == po.keys(), (
        f"only in .po: {sorted(po.keys() - mo.keys())[:10]}; only in .mo: {sorted(mo.keys() - po.keys())[:10]}"
    )
    assert [k for k in po if po[k] != mo[k]] == []


def test_the_catalogue_holds_every_message_makemessages_finds(tmp_path):
    """Run ``make messages``' makemessages on a copy of the package: every msgid it extracts from the
    templates and Python files must already be in the committed catalogue (run `make messages` if not)."""
    missing_tools = [t for t in ("xgettext", "msgmerge", "msguniq", "msgattrib") if shutil.which(t) is None]
    if missing_tools:
        pytest.skip(
            f"GNU gettext is not installed ({', '.join(missing_tools)} missing): apt-get install gettext"
        )
    copy = tmp_path / "ecoinspect"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.mo", "var"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ecoinspect.config.settings.base"}
    done = subprocess.run(
        [sys.executable, "-m", "ecoinspect", *MAKEMESSAGES],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    extracted = msgids(polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")))
    missing = sorted(m for _ctx, m in extracted - msgids(catalogue()))
    assert not missing, (
        f"{len(missing)} messages are not in the catalogue yet (run `make messages`): {missing}"
    )


# Calls that mark a string for translation, by the name django.utils.translation gives the function.
GETTEXT_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
}
# The names makemessages (xgettext) recognises — with `_lazy`, which the project's makemessages command
# (common/management/commands/makemessages.py) adds; a call through any other alias is never extracted.
EXTRACTED_NAMES = GETTEXT_FUNCTIONS | {"_", "_lazy", "npgettext", "npgettext_lazy"}


def _marked_strings(path: Path):
    """(line, msgid, name called) for each translation call with a literal message in one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {"_": "gettext"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for name in node.names:
                if name.name in GETTEXT_FUNCTIONS:
                    aliases[name.asname or name.name] = name.name
    in_fstrings = {id(call) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for call in ast.walk(f)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aliases):
            continue
        index = 1 if aliases[node.func.id].startswith("pgettext") else 0
        if len(node.args) > index and isinstance(node.args[index], ast.Constant):
            message = node.args[index].value
            if isinstance(message, str) and message:
                hidden = node.func.id not in EXTRACTED_NAMES or id(node) in in_fstrings
                yield node.lineno, message, hidden


def test_no_marked_string_is_hidden_from_makemessages():
    """Strings marked through an alias xgettext does not know (``gettext_lazy as _lazy``) or inside an
    f-string never reach the catalogue, so they stay Chinese on English pages."""
    known = {m for _ctx, m in msgids(catalogue())}
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "indicators" or "migrations" in relative.parts:
            continue
        for line, message, invisible in _marked_strings(path):
            if invisible and message not in known:
                hidden.append((str(relative), line, message[:40]))
    hidden = [f"{path}:{line} {message}" for path, line, message in sorted(hidden)]
    assert not hidden, f"{len(hidden)} marked strings makemessages cannot see:\n" + "\n".join(hidden)


# --- what an English reader sees ------------------------------------------------------------------------

NAV_EN = ["Workbench", "Rectification ledger", "My unit's list", "Supervision notice", "Units and people"]
NAV_ZH = ["工作台", "整改台账", "本单位清单", "督办单", "单位与人员", "工作日历"]


def texts(page_html: str) -> set[str]:
    """The page's text nodes and attribute-free words as a reader sees them (scripts and styles left out)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page_html, flags=re.S)
    return {t.strip() for t in re.findall(r">([^<]+)<", body) if t.strip()}


@pytest.fixture
def assigned_problem(people, structure):
    from ecoinspect.ledger.choices import ProblemStatus
    from tests.factories import ProblemFactory

    return ProblemFactory(status=ProblemStatus.ASSIGNED)


def switch(client, language: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url}, follow=True)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_after_the_switch_the_pages_speak_english_and_switch_back_to_chinese(login, people, assigned_problem):
    client = login(people["coordinator"])
    home = switch(client, "en")
    assert '<html lang="en">' in home
    for word in ["My to-do", "Latest notifications", *NAV_EN]:
        assert word in home, word
    assert not {"我的待办", "最新通知", *NAV_ZH} & texts(home)

    ledger = page(client, reverse("ledger:problem_list"))
    for word in [
        "Rectification ledger",
        "Problem No.",
        "Lead unit",
        "Deadline",
        "Filter",
        "Register problem",
        "Assigned",
    ]:
        assert word in ledger, word
    assert not {"整改台账", "问题编号", "牵头单位", "整改时限", "筛选", "登记问题", "已交办"} & texts(ledger)

    problem = page(client, assigned_problem.get_absolute_url())
    for word in ["Problem details", "Responsibilities", "Lead unit", "Acceptance unit", "Timeline", "Assigned"]:
        assert word in problem, word
    assert not {"问题情况", "责任分工", "牵头单位", "办理时间线", "已交办", *NAV_ZH} & texts(problem)

    units = page(client, reverse("orgs:unit_list"))
    for word in ["Unit directory", "Full name", "Short name", "Parent unit", "Subdistrict", "Town"]:
        assert word in units, word
    assert not {"单位名录", "单位全称", "上级单位", "街道", "镇", *NAV_ZH} & texts(units)

    home = switch(client, "zh-hans")
    assert '<html lang="zh-hans">' in home
    assert {"我的待办", "整改台账", "工作台"} <= texts(home)
    assert not {"My to-do", "Rectification ledger", "Workbench"} & texts(home)


def test_no_message_hard_codes_the_district():
    """The district's name is configured (ECOINSPECT_DISTRICT_NAME) and reaches messages as %(district)s; a
    msgid that writes 白云区 would say so in every other district too."""
    hard_coded = [e.msgid for e in live_entries(catalogue()) if "白云区" in e.msgid]
    assert not hard_coded, hard_coded
