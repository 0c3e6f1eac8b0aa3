"""What an import reads and shows (core.imports): a template's columns, the official layouts it also takes,
each row with its parsed values and errors, and the preview of the whole file."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ecoinspect.common.import_cells import Parser, display, text

#: Row summaries kept on the job for the preview page.
MAX_STORED_ROWS = 20000

@dataclass(frozen=True)
class Column:
    """One column of a template. ``header`` is the Chinese column name; ``aliases`` are names used by
    older layouts; ``choices`` lists the dropdown's options (``multiple``: several may be combined)."""

    key: str
    header: str
    parser: Parser = field(default_factory=text)
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""
    choices: Callable[[], list[str]] | None = None
    multiple: bool = False
    width: int = 16
    date: bool = False


@dataclass(frozen=True)
class Layout:
    """A layout an importer recognises besides its own template: an official table as published (the
    inspectors' disclosure table, the province's progress table). Found by its header (the row, within
    the first rows, that matches most of its columns); ``key`` is its natural key column. ``minimum``:
    how many of its columns a header row must name to be taken for it."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key: str = ""
    minimum: int = 3


#: Decisions a person may take on a row whose key collides with a record of another round or source.
DECISIONS = ("skip", "update", "new")


@dataclass
class CellError:
    """One problem: Excel row number (None for the file as a whole), column header, value, reason."""

    row: int | None
    column: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        where = _("第 %(row)s 行") % {"row": self.row} if self.row else _("文件")
        column = f"「{self.column}」" if self.column else ""
        value = f"“{self.value}”" if self.value else ""
        return f"{where} {column}{value}：{self.reason}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Row:
    """One data row: its Excel row number, parsed values by column key, and what the import will do."""

    number: int
    values: dict
    raw: dict[str, str]
    errors: list[CellError] = field(default_factory=list)
    action: str = ""  # "create", "update" or "unchanged" once checked
    changes: list[str] = field(default_factory=list)
    existing: object = None
    version: int | None = None
    #: how published values were read (normalised with a reason): shown, never blocking
    notes: list[CellError] = field(default_factory=list)
    #: why the key collides with a record of another round or source ("" when it does not); the
    #: person decides per row (:data:`DECISIONS`) before committing
    conflict: str = ""
    decision: str = ""
    #: what an importer wants the preview to show of this row besides the above (JSON-serialisable:
    #: parsed values, flags, suggestions …); kept on the job with the row
    extra: dict = field(default_factory=dict)

    def error(self, column: str, reason: str, value=None) -> None:
        shown = display(value) if value is not None else self.raw.get(column, "")
        self.errors.append(CellError(self.number, column, shown, reason))


@dataclass
class Preview:
    """What an import would do: rows with their action, and every error."""

    sheet: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # key → header as written in the file
    ignored: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    file_errors: list[CellError] = field(default_factory=list)
    layout: str = ""
    layout_label: str = ""
    #: the text of the title rows above the header (an official table's 第N轮 … 第N批)
    titles: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[CellError]:
        return self.file_errors + [e for row in self.rows for e in row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {
            "total": len(self.rows), "create": 0, "update": 0, "unchanged": 0, "error": 0, "conflict": 0, "skip": 0
        }
        for row in self.rows:
            if row.errors:
                counts["error"] += 1
            elif row.action in counts:
                counts[row.action] += 1
        counts["errors"] = len(self.errors)
        counts["notes"] = sum(len(row.notes) for row in self.rows)
        counts["conflicts"] = sum(1 for row in self.rows if row.conflict)
        return counts

    def signature(self) -> str:
        """A fingerprint of the outcome: the commit must produce exactly what the preview showed."""
        # A conflict counts as what the preview showed (a conflict), whatever the person then decides.
        plan = [
            (r.number, "conflict", [], None) if r.conflict else (r.number, r.action, sorted(r.changes), r.version)
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(plan, ensure_ascii=False).encode()).hexdigest()

    def as_result(self, key: str) -> dict:
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "layout": self.layout,
            "layout_label": self.layout_label,
            "titles": self.titles,
            "columns": self.columns,
            "ignored": self.ignored,
            "counts": self.counts,
            "signature": self.signature(),
            "rows": [
                {
                    "row": r.number,
                    "key": display(r.values.get(key)),
                    "action": "error" if r.errors else r.action,
                    "changes": r.changes,
                    "summary": r.raw.get("__summary__", ""),
                    "notes": [f"「{n.column}」“{n.value}”：{n.reason}" for n in r.notes],
                    "conflict": r.conflict,
                    "decision": r.decision,
                    **({"extra": r.extra} if r.extra else {}),
                }
                for r in self.rows[:MAX_STORED_ROWS]
            ],
        }


def header_key(text_value) -> str:
    """A header cell reduced to what identifies it: no spaces, marks or "(必填)"."""
    value = unicodedata.normalize("NFKC", str(text_value or ""))
    value = re.sub(r"[\s*＊:：]", "", value)
    value = re.sub(r"[（(](必填|选填|可选|required|optional)[)）]", "", value, flags=re.IGNORECASE)
    return value.lower()


#: Every importer by its kind, registered when its class is defined.
