"""``ecoinspect petitions suggest FILE`` — the suggestions for every case of a batch file (any supported
layout, or a CSV with ``acceptance_no``, ``complaint_text`` and optionally ``region_text``, ``problem_type``),
compared with the file itself and with the database. Writes nothing; prints one JSON object per case per line
(``CaseSuggestion.as_json()``, an exact contract)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecoinspect.orgs.structure import ensure_structure

from .take import read_file, refusal


def add_parser(subparsers) -> None:
    about = _("逐件输出批次文件的建议（属地、牵头部门、问题类型、疑似重复件），每行一个 JSON；不写入")
    suggest = subparsers.add_parser("suggest", help=about, description=about)
    suggest.add_argument("file", metavar="FILE")


def run(options, command) -> None:
    from ..importers import PetitionImporter
    from ..suggest import Suggester

    data, _shown = read_file(options["file"])
    ensure_structure()
    importer = PetitionImporter(actor=None)
    try:
        preview, cases = importer.read_cases(data)
    except ValidationError as exc:
        raise refusal(exc) from exc
    for error in preview.errors:
        command.stderr.write(error.message)
    for suggestion in Suggester(compare_stored=True).suggest([case for _row, case in cases]):
        command.stdout.write(json.dumps(suggestion.as_json(), ensure_ascii=False))
