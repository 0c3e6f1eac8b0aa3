"""``ecoinspect petitions import FILE --round R --batch N [--received YYYY-MM-DD] [--dry-run]`` — take a batch
by the rules of the import page. Prints one tab-separated line per fact (an exact contract, see
docs/petitions/intake.md)::

    round   <name>  existing|created|will_create  [<note>]
    batch   <N>     <received date>  <layout>  <layout label>
    take    <row>   <受理编号>  create|update|unchanged|skip  [<why skipped>]
    flag    <row>   <受理编号>  <column as written>  <raw cell>  <reason>
    summary rows=…  created=…  updated=…  unchanged=…  skipped=…  flagged=…  dry_run=0|1

Exit 0 when the batch was taken (or would be, with --dry-run); non-zero with the reason on refusal (no header,
no 受理编号 or complaint column, a row without a number, a file over the size limit …) — and then nothing is
written. Works right after ``ecoinspect migrate``: Baiyun's units and 三管三必须 matrix load themselves when
absent; the import acts as the system account (``orgs.structure.system_user``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from ecoinspect.orgs.structure import ensure_structure, system_user


def cell(value) -> str:
    return " ".join(str(value if value is not None else "").split())


def read_file(name: str) -> tuple[bytes, str]:
    """The file's bytes, refused from its size before a byte is read."""
    from ..importers import PetitionImporter

    path = Path(name)
    if not path.is_file():
        raise CommandError(_("找不到文件：%(name)s") % {"name": name})
    size, limit = path.stat().st_size, PetitionImporter.size_limit()
    if size > limit:
        raise CommandError(
            _("文件 %(name)s 大小 %(size).1f MB，超过 %(limit).0f MB 上限，未读取。")
            % {"name": path.name, "size": size / 1024 / 1024, "limit": limit / 1024 / 1024}
        )
    return path.read_bytes(), path.name


def refusal(exc: ValidationError) -> CommandError:
    return CommandError("；".join(str(m) for m in exc.messages))


def add_parser(subparsers) -> None:
    about = _("导入一个交办批次（.xlsx、.xls/.et、UTF-8 或 GBK 编码的 CSV），规则与导入页面相同")
    take = subparsers.add_parser("import", help=about, description=about)
    take.add_argument("file", metavar="FILE")
    take.add_argument("--round", required=True, metavar="R", help=_("督察轮次名称，或轮次号（3 → 第三轮中央生态环境保护督察）"))
    take.add_argument("--batch", required=True, type=int, metavar="N", help=_("批次号（第N批）"))
    take.add_argument("--received", metavar="YYYY-MM-DD", help=_("交办日期（默认取表头日期，否则今天）"))
    take.add_argument("--dry-run", action="store_true", help=_("只检查并输出，不写入"))


def run(options, command) -> None:
    from ..importers import PetitionImporter
    from ..services.intake import round_spec

    data, name = read_file(options["file"])
    received = options.get("received")
    if received:
        try:
            dt.date.fromisoformat(received)
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": received}) from exc
    ensure_structure()
    actor = system_user()
    try:
        spec = round_spec(options["round"])
    except ValidationError as exc:
        raise refusal(exc) from exc
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
        raise refusal(exc) from exc
    if not preview.ok:
        for error in preview.errors:
            command.stderr.write(error.message)
        raise CommandError(_("文件有 %(n)s 处错误，未导入任何内容。") % {"n": len(preview.errors)})
    dry = options.get("dry_run", False)
    if not dry:
        try:
            with transaction.atomic():
                importer.write(preview, None)
        except ValidationError as exc:
            raise refusal(exc) from exc
    report(command.stdout.write, importer, preview, spec, options["round"], dry)


def report(out, importer, preview, spec, asked: str, dry: bool) -> None:
    state = "existing" if not spec.is_new else ("will_create" if dry else "created")
    note = ""
    if spec.is_new:
        template = _("督察轮次“%(name)s”不存在，将按“%(asked)s”新建") if dry else _("督察轮次“%(name)s”不存在，已按“%(asked)s”新建")
        note = "\t" + template % {"name": spec.name, "asked": asked}
    out(f"round\t{spec.name}\t{state}{note}")
    layout, label = (
        ("transfer", _("督察组交办表")) if preview.layout == "template" else (preview.layout, preview.layout_label)
    )
    out(f"batch\t{importer.cache['batch_no']}\t{importer.received_on()}\t{layout}\t{label}")
    fields = importer.cache["fields"]
    flags = []
    for row in preview.rows:
        number = (
            fields[row.number]["acceptance_no"]
            if row.number in fields
            else cell(row.raw.get(importer.header("source_ref")))
        )
        why = row.extra.get("skipped", "")
        out("\t".join(filter(None, ["take", str(row.number), number, row.action, cell(why)])))
        if row.action in ("create", "update"):
            flags += [(row.number, number, f) for f in row.extra.get("flags", [])]
    for number, acceptance_no, flag in flags:
        out("\t".join(["flag", str(number), acceptance_no, cell(flag["column"]), cell(flag["raw"]), cell(flag["reason"])]))
    counts = {a: sum(1 for r in preview.rows if r.action == a) for a in ("create", "update", "unchanged", "skip")}
    flagged = len({n for n, _a, _f in flags})
    out(
        f"summary\trows={len(preview.rows)}\tcreated={counts['create']}\tupdated={counts['update']}"
        f"\tunchanged={counts['unchanged']}\tskipped={counts['skip']}\tflagged={flagged}\tdry_run={int(dry)}"
    )
