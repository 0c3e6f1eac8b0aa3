"""``ecoinspect petitions disclose --batch N [--round R] -o FILE.docx|FILE.xlsx`` (docs/petitions/disclosure.md).

Writes the batch's disclosure table — what has been disclosed, masked, each disclosure as published; for a
batch imported from an earlier round's publication, that publication with the personal data masked — and
prints one line: the file's absolute path, a tab, the number of table rows. Writes nothing to the database.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .. import exporters
from ..disclosure import published_groups
from ..models import InspectionRound, TransferBatch
from ..selectors import round_current


def add_parser(subparsers) -> None:
    about = _("把批次已公开的公开表（已脱敏）写入 FILE.docx 或 FILE.xlsx，输出“文件路径<Tab>行数”")
    parser = subparsers.add_parser("disclose", help=about, description=about)
    parser.add_argument("--batch", type=int, required=True, metavar="N", help=_("批次号（第N批）"))
    parser.add_argument(
        "--round", metavar="R", help=_("督察轮次：名称，或只有一个轮次使用时的轮次号（默认当前轮次）")
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help=_("输出文件 FILE.docx 或 FILE.xlsx"))


def find_round(value: str | None) -> InspectionRound:
    """The round named by ``--round``: its exact name, or its number (第几轮) when only one round has it."""
    if not value:
        current = round_current()
        if current is None:
            raise CommandError(_("还没有督察轮次。"))
        return current
    value = value.strip()
    by_name = InspectionRound.objects.filter(name=value).first()
    if by_name:
        return by_name
    if value.isdigit():
        rounds = list(InspectionRound.objects.filter(number=int(value)))
        if len(rounds) == 1:
            return rounds[0]
        if len(rounds) > 1:
            names = "、".join(r.name for r in rounds)
            raise CommandError(
                _("第%(n)s轮有多个督察轮次（%(names)s），请用 --round 写出轮次名称。") % {"n": value, "names": names}
            )
    names = "、".join(InspectionRound.objects.values_list("name", flat=True)) or "—"
    raise CommandError(_("没有督察轮次“%(r)s”。现有：%(names)s") % {"r": value, "names": names})


def run(options: dict, command) -> None:
    stdout = command.stdout
    output = Path(options["output"]).expanduser()
    kind = output.suffix.lower().lstrip(".")
    if kind not in exporters.BUILDERS:
        raise CommandError(_("输出文件须以 .docx 或 .xlsx 结尾：%(name)s") % {"name": output.name})
    if not output.parent.is_dir():
        raise CommandError(_("目录不存在：%(dir)s") % {"dir": output.parent})
    rnd = find_round(options.get("round"))
    number = options["batch"]
    batch = TransferBatch.objects.filter(round=rnd, number=number).select_related("round").first()
    if batch is None:
        have = sorted(TransferBatch.objects.filter(round=rnd).values_list("number", flat=True))
        listed = "、".join(str(n) for n in have) or "—"
        raise CommandError(
            _("%(round)s没有第%(n)s批（现有批次：%(have)s）。") % {"round": rnd.name, "n": number, "have": listed}
        )
    groups = published_groups(batch)
    if not groups:
        raise CommandError(
            _("%(round)s第%(n)s批尚未公开，没有可写出的公开表。") % {"round": rnd.name, "n": number}
        )
    table = exporters.disclosure_table(batch, groups)
    builder = exporters.to_docx if kind == "docx" else exporters.to_xlsx
    output.write_bytes(builder(table))
    stdout.write(f"{output.resolve()}\t{exporters.row_count(table)}")
