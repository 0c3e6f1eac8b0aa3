"""``ecoinspect petitions disclose --batch N [--round R] -o FILE.docx|FILE.xlsx`` (docs/petitions/disclosure.md).

Writes the batch's disclosure table — what has been disclosed, masked, each disclosure as published; for a
batch imported from an earlier round's publication, that publication with the personal data masked — and
prints one line: the file's absolute path, a tab, the number of table rows. Writes nothing to the database.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from .. import exporters
from ..disclosure import published_groups
from ..models import InspectionRound, TransferBatch
from ..selectors import round_current


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "disclose",
        help="write a batch's disclosure table (masked) to FILE.docx or FILE.xlsx; prints 'path<TAB>rows'",
    )
    parser.add_argument("--batch", type=int, required=True, metavar="N", help="the batch number (第N批)")
    parser.add_argument(
        "--round",
        metavar="R",
        help="the round: its name, or its number when one round has it (default: the current round)",
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.docx or FILE.xlsx")


def find_round(value: str | None) -> InspectionRound:
    """The round named by ``--round``: its exact name, or its number (第几轮) when only one round has it."""
    if not value:
        current = round_current()
        if current is None:
            raise CommandError("还没有督察轮次。 / There is no inspection round yet.")
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
                f"第{value}轮有多个督察轮次（{names}），请用 --round 写出轮次名称。 / "
                f"Several rounds have number {value} ({names}); give the round's name."
            )
    names = "、".join(InspectionRound.objects.values_list("name", flat=True)) or "—"
    raise CommandError(f"没有督察轮次“{value}”。现有：{names} / No round {value!r}. Rounds: {names}")


def run(options: dict, stdout) -> None:
    output = Path(options["output"]).expanduser()
    kind = output.suffix.lower().lstrip(".")
    if kind not in exporters.BUILDERS:
        raise CommandError(
            f"输出文件须以 .docx 或 .xlsx 结尾：{output.name} / The output must be a .docx or .xlsx file: {output.name}"
        )
    if not output.parent.is_dir():
        raise CommandError(f"目录不存在：{output.parent} / No such directory: {output.parent}")
    rnd = find_round(options.get("round"))
    number = options["batch"]
    batch = TransferBatch.objects.filter(round=rnd, number=number).select_related("round").first()
    if batch is None:
        have = sorted(TransferBatch.objects.filter(round=rnd).values_list("number", flat=True))
        listed = "、".join(str(n) for n in have) or "—"
        raise CommandError(
            f"{rnd.name}没有第{number}批（现有批次：{listed}）。 / {rnd.name} has no batch {number} (batches: {listed})."
        )
    groups = published_groups(batch)
    if not groups:
        raise CommandError(
            f"{rnd.name}第{number}批尚未公开，没有可写出的公开表。 / Batch {number} of {rnd.name} has not been disclosed yet."
        )
    table = exporters.disclosure_table(batch, groups)
    builder = exporters.to_docx if kind == "docx" else exporters.to_xlsx
    output.write_bytes(builder(table))
    stdout.write(f"{output.resolve()}\t{exporters.row_count(table)}")
