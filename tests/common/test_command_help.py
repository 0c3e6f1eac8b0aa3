"""The command line speaks one language at a time, like the pages: every help text of the project's management
commands is a Chinese msgid with its English in the catalogue — never "中文 / English" side by side — and the
district is the one configured."""

from __future__ import annotations

import re

import pytest
from django.core.management import load_command_class
from django.utils import translation

# app → command; common's makemessages keeps Django's own (English) help
COMMANDS = [
    ("ecoinspect.audit", "audit"),
    ("ecoinspect.common", "exports"),
    ("ecoinspect.core", "backup"),
    ("ecoinspect.core", "demo"),
    ("ecoinspect.core", "restore"),
    ("ecoinspect.core", "submissions"),
    ("ecoinspect.ledger", "ledger"),
    ("ecoinspect.orgs", "orgs"),
    ("ecoinspect.petitions", "petitions"),
]
CJK = re.compile(r"[\u4e00-\u9fff]")
BILINGUAL = re.compile(r"[\u4e00-\u9fff][^\n]* / [A-Za-z]")


def helps(app: str, name: str) -> str:
    """The command's help and every subcommand's, as ``--help`` prints them."""
    parser = load_command_class(app, name).create_parser("ecoinspect", name)
    texts = [parser.format_help()]
    for action in parser._subparsers._group_actions if parser._subparsers else ():  # the subcommands
        texts += [sub.format_help() for sub in action.choices.values()]
    return "\n".join(texts)


@pytest.mark.parametrize(("app", "name"), COMMANDS)
def test_every_command_help_is_in_one_language(settings, app, name):
    settings.ECOINSPECT_DISTRICT_NAME = "测试区"
    with translation.override("zh-hans"):
        chinese = helps(app, name)
    with translation.override("en"):
        english = helps(app, name)
    assert not BILINGUAL.search(chinese) and not BILINGUAL.search(english)
    assert CJK.search(chinese)
    # English throughout, the configured district's name (data) apart
    assert not CJK.search(english.replace("测试区", "")), english
    assert "白云区" not in chinese + english


def test_the_orgs_command_names_the_configured_district(settings):
    settings.ECOINSPECT_DISTRICT_NAME = "测试区"
    with translation.override("zh-hans"):
        text = helps("ecoinspect.orgs", "orgs")
    assert "载入测试区的组织架构" in text and "统计用区划代码表" in text
