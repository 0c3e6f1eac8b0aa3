"""``ecoinspect petitions …`` — the transferred petition cases on the command line.

* ``import FILE --round R --batch N [--received YYYY-MM-DD] [--dry-run]`` — take a batch, by the rules of the
  import page; prints one tab-separated line per fact (an exact contract, see docs/petitions/intake.md)::

      round   <name>  existing|created|will_create
      batch   <N>     <received date>  <layout>  <layout label>
      take    <row>   <受理编号>  create|update|unchanged|skip  [<why skipped>]
      flag    <row>   <受理编号>  <column as written>  <raw cell>  <reason>
      summary rows=…  created=…  updated=…  unchanged=…  skipped=…  flagged=…  dry_run=0|1

  exit 0 when the batch was taken (or would be, with --dry-run); non-zero with the reason on refusal (no
  header, no 受理编号 or complaint column, a row without a number, a file over the size limit …) — and
  then nothing is written.
* ``suggest FILE`` — the suggestions for every case of a batch file (any supported layout, or a CSV with
  ``acceptance_no``, ``complaint_text`` and optionally ``region_text``, ``problem_type``), compared with the
  file itself and with the database; writes nothing; one JSON object per case per line
  (``CaseSuggestion.as_json()``).

Both work right after ``ecoinspect migrate``: Baiyun's units and 三管三必须 matrix load themselves when absent
(the gazetteer comes with the migrations). ``import`` acts as the system account (``orgs.structure.system_user``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecoinspect.orgs.structure import ensure_structure, system_user


def _cell(value) -> str:
    return " ".join(str(value if value is not None else "").split())


class Command(BaseCommand):
    help = "交办信访件：import 导入批次；suggest 预览每件的建议（不写入）。 / Petitions: import a batch; suggest (writes nothing)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        take = sub.add_parser("import", help="import a batch file (.xlsx, .xls/.et, CSV in UTF-8 or GBK)")
        take.add_argument("file")
        take.add_argument("--round", required=True, help="the round's name, or its number (3 → 第三轮中央生态环境保护督察)")
        take.add_argument("--batch", required=True, type=int, help="the batch number (第N批)")
        take.add_argument("--received", help="the day the batch was handed over, YYYY-MM-DD (default: the title's date, else today)")
        take.add_argument("--dry-run", action="store_true", help="check and print, write nothing")
        suggest = sub.add_parser("suggest", help="print the suggestions for every case of FILE as JSON lines; writes nothing")
        suggest.add_argument("file")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "import":
            self.take(options)
        elif subcommand == "suggest":
            self.suggest(options["file"])

    # --- shared -----------------------------------------------------------------------------------------
    def _read(self, name: str) -> tuple[bytes, str]:
        from ecoinspect.petitions.importers import PetitionImporter

        path = Path(name)
        if not path.is_file():
            raise CommandError(f"找不到文件：{name} / No such file: {name}")
        size, limit = path.stat().st_size, PetitionImporter.size_limit()
        if size > limit:  # refused from its size, before a byte is read
            raise CommandError(
                f"文件 {path.name} 大小 {size / 1024 / 1024:.1f} MB，超过 {limit / 1024 / 1024:.0f} MB 上限，未读取。"
                f" / {path.name} is {size / 1024 / 1024:.1f} MB, over the {limit / 1024 / 1024:.0f} MB limit; not read."
            )
        return path.read_bytes(), path.name

    @staticmethod
    def _refusal(exc: ValidationError) -> CommandError:
        return CommandError("；".join(str(m) for m in exc.messages))

    # --- import -----------------------------------------------------------------------------------------
    def take(self, options) -> None:
        from ecoinspect.petitions.importers import PetitionImporter
        from ecoinspect.petitions.services.intake import round_spec

        data, name = self._read(options["file"])
        received = options.get("received")
        if received:
            try:
                dt.date.fromisoformat(received)
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{received}") from exc
        ensure_structure()
        actor = system_user()
        try:
            spec = round_spec(options["round"])
        except ValidationError as exc:
            raise self._refusal(exc) from exc
        importer = PetitionImporter(
            actor=actor,
            options={
                "round": spec.name,
                "batch": options["batch"],
                "received_on": received,
                "file_name": name,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        try:
            preview = importer.validate(data)
        except ValidationError as exc:
            raise self._refusal(exc) from exc
        if not preview.ok:
            for error in preview.errors:
                self.stderr.write(error.message)
            raise CommandError(f"文件有 {len(preview.errors)} 处错误，未导入任何内容。 / {len(preview.errors)} errors; nothing imported.")
        dry = options.get("dry_run", False)
        if not dry:
            try:
                with transaction.atomic():
                    importer.write(preview, None)
            except ValidationError as exc:
                raise self._refusal(exc) from exc
        self._report(importer, preview, spec, options["round"], dry)

    def _report(self, importer, preview, spec, asked: str, dry: bool) -> None:
        state = "existing" if not spec.is_new else ("will_create" if dry else "created")
        note = "" if not spec.is_new else f"\t督察轮次“{spec.name}”不存在，{'将' if dry else '已'}按“{asked}”新建"
        out = self.stdout.write
        out(f"round\t{spec.name}\t{state}{note}")
        layout, label = (
            ("transfer", "督察组交办表") if preview.layout == "template" else (preview.layout, preview.layout_label)
        )
        out(f"batch\t{importer.cache['batch_no']}\t{importer.received_on()}\t{layout}\t{label}")
        fields = importer.cache["fields"]
        flags = []
        for row in preview.rows:
            number = fields[row.number]["acceptance_no"] if row.number in fields else _cell(row.raw.get(importer.header("source_ref")))
            why = row.extra.get("skipped", "")
            out("\t".join(filter(None, ["take", str(row.number), number, row.action, _cell(why)])))
            if row.action in ("create", "update"):
                flags += [(row.number, number, f) for f in row.extra.get("flags", [])]
        for number, acceptance_no, flag in flags:
            out("\t".join(["flag", str(number), acceptance_no, _cell(flag["column"]), _cell(flag["raw"]), _cell(flag["reason"])]))
        counts = {a: sum(1 for r in preview.rows if r.action == a) for a in ("create", "update", "unchanged", "skip")}
        flagged = len({n for n, _a, _f in flags})
        out(
            f"summary\trows={len(preview.rows)}\tcreated={counts['create']}\tupdated={counts['update']}"
            f"\tunchanged={counts['unchanged']}\tskipped={counts['skip']}\tflagged={flagged}\tdry_run={int(dry)}"
        )

    # --- suggest ----------------------------------------------------------------------------------------
    def suggest(self, name: str) -> None:
        from ecoinspect.petitions.importers import PetitionImporter
        from ecoinspect.petitions.suggest import Suggester

        data, shown = self._read(name)
        ensure_structure()
        importer = PetitionImporter(actor=None)
        try:
            preview, cases = importer.read_cases(data)
        except ValidationError as exc:
            raise self._refusal(exc) from exc
        for error in preview.errors:
            self.stderr.write(error.message)
        suggestions = Suggester(compare_stored=True).suggest([case for _row, case in cases])
        for suggestion in suggestions:
            self.stdout.write(json.dumps(suggestion.as_json(), ensure_ascii=False))
