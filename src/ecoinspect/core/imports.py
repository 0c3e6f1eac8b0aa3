"""The Excel import pipeline (DESIGN.md §4.5): template → validate and preview → atomic commit.

An app declares an :class:`Importer`: its columns (Chinese header, required or not, a parser from
:mod:`.import_cells`, older headers as aliases), its natural key, and three hooks — ``check_rows`` (compare
with the database: create, update, unchanged, or errors), ``write`` (the service calls, inside one
transaction) and ``recheck`` (scope re-checked after writing; raising rolls everything back).

The pipeline around it is the same for every app (the job services live in :mod:`.import_jobs`, the rows
and the preview in :mod:`.import_rows`):

1. :func:`import_job_create` — the upload is size-checked (the importer's ``max_bytes``), sniffed (only real
   .xlsx, unless the importer's ``formats`` also take .xls/.et or CSV), hashed (SHA-256) and
   stored once under ``MEDIA_ROOT/imports/``; an :class:`~ecoinspect.common.models.ImportJob` records it.
2. :func:`import_job_validate` (also a django-tasks task, so a long file can be checked by a worker while
   the preview page shows progress) — every problem found, each with row, column, value and reason in
   Chinese and English; the preview: rows to create, to update, unchanged.
3. :func:`import_job_commit` — only a file without errors, only by the person who uploaded it; the file
   is read and checked again against the database as it is now, and refused if the outcome differs from
   the preview that was confirmed; then everything is written in one transaction or nothing is — under
   the job's row lock (a second click is told the file was imported) and one commit of a kind at a time
   (of two files with the same new numbers, the second is told which numbers exist now).

Re-importing the same file changes nothing: rows are matched on the natural key and equal rows are
"unchanged". An importer is usable without HTTP: ``Importer(actor=...).validate(path_or_bytes)``.
"""

from __future__ import annotations

import hashlib
import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ecoinspect.common.errors import ServiceError
from ecoinspect.common.import_cells import CellProblem, display, is_blank, unwrap
from ecoinspect.common.import_files import ImportRefused, Workbook, write_template
from ecoinspect.common.models import ImportJob
from ecoinspect.common.text_bounds import (
    Bound,
    Bounds,
    bad_characters,
    characters_problem,
    has_control,
    shortened,
    strip_control,
    visible_control,
)

from .import_rows import (
    DECISIONS,
    CellError,
    Column,
    Layout,
    Preview,
    Row,
    header_key,
)

#: How many rows above the data may hold titles and notes before the header row.
HEADER_SCAN_ROWS = 20
#: Errors kept on the job (the count is always exact); row summaries kept for the preview page.
MAX_STORED_ERRORS = 5000
PROGRESS_EVERY = 500


def max_import_rows() -> int:
    return int(getattr(settings, "ECOINSPECT_IMPORT_MAX_ROWS", 20000))


IMPORTERS: dict[str, type[Importer]] = {}


class Importer(ABC):
    """Subclass per kind of record; see the module docstring."""

    kind = ""
    title = ""
    sheet_name = ""
    key = ""
    columns: tuple[Column, ...] = ()
    instructions: tuple[str, ...] = ()
    #: "app.verb" whose district-wide holders see everyone's imports of this kind (others see their own)
    overseer_perm = ""
    #: The heading of :meth:`summary_of` in the preview's row table ("" shows no such column)
    summary_label = ""
    #: Official layouts recognised besides the template (:class:`Layout`), detected from the header
    layouts: tuple[Layout, ...] = ()
    #: The kinds of file taken (:mod:`ecoinspect.common.import_files`: "xlsx", "xls" — also WPS .et —, "csv")
    formats: tuple[str, ...] = ("xlsx",)
    #: Largest file taken, in bytes (None: ``settings.ECOINSPECT_MAX_UPLOAD_BYTES``)
    max_bytes: int | None = None
    #: A cell merged down several rows gives its value to each (official tables merge 行政区域 down a group)
    fill_merged = False
    #: Where a row's values are stored (``common.text_bounds.Bounds``; ``text_bounds.over_long`` measures them)
    bounds: Bounds | None = None
    #: A cell with an invisible control character (U+0000 …): "refuse" it (the row's error), or "strip"
    #: the characters with a note (a table taken as published)
    control_characters = "refuse"

    @classmethod
    def size_limit(cls) -> int:
        return cls.max_bytes or settings.ECOINSPECT_MAX_UPLOAD_BYTES

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:
            IMPORTERS[cls.kind] = cls

    def __init__(
        self, *, actor, options: dict | None = None, progress: Callable[[int, int], None] | None = None
    ):
        self.actor = actor
        self.options = dict(options or {})
        self.progress = progress
        self.cache: dict = {}
        self.max_rows = max_import_rows()
        self.layout: Layout = self.template_layout()
        #: column key → the header as the file writes it (errors name the user's header, not ours)
        self.written: dict[str, str] = {}

    def template_layout(self) -> Layout:
        return Layout("template", str(self.title), tuple(self.columns), self.key, minimum=2)

    def all_layouts(self) -> tuple[Layout, ...]:
        return (self.template_layout(), *self.layouts)

    def decision(self, row: Row) -> str:
        """What the person chose for a conflicting row ("" while undecided): the commit form's per-row
        choice, else its choice for every conflict."""
        decisions = self.options.get("decisions") or {}
        chosen = decisions.get(str(row.number)) or decisions.get("all") or ""
        return chosen if chosen in DECISIONS else ""

    # --- hooks -----------------------------------------------------------------------------------
    def check_rows(self, rows: list[Row]) -> None:
        """Compare with the database: set ``action`` (and ``changes``) on each row, or add errors."""
        for row in rows:
            row.action = "create"

    @abstractmethod
    def write(self, preview: Preview, job: ImportJob | None) -> dict:
        """Write the previewed rows (inside the import's transaction) and return the counts."""

    def recheck(self, summary: dict) -> None:  # noqa: B027  (optional hook: nothing to re-check by default)
        """After writing, inside the transaction: raise to roll the whole import back."""

    def summary_of(self, row: Row) -> str:
        return ""

    # --- template --------------------------------------------------------------------------------
    def template(self) -> bytes:
        with translation.override("zh-hans"):
            return write_template(self)

    # --- reading ---------------------------------------------------------------------------------
    def _header_map(self, layout: Layout | None = None) -> dict[str, Column]:
        mapping: dict[str, Column] = {}
        for column in (layout or self.layout).columns:
            names = [column.header, *column.aliases]
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    for name in names:
                        mapping.setdefault(header_key(str(name)), column)
        return mapping

    def _find_header(self, book: Workbook) -> tuple[str, int, list, Layout]:
        """The sheet, row and layout of the header: the row within the first :data:`HEADER_SCAN_ROWS`
        of a visible sheet that names most columns of one layout (the template first on a tie; merged
        title rows above it are skipped)."""
        layouts = [(layout, self._header_map(layout)) for layout in self.all_layouts()]
        best = ("", -1, [], 0, layouts[0][0])
        ordered = sorted(book.sheet_names, key=lambda n: n != self.sheet_name)
        for name in ordered:
            rows = book.sheet(name, nrows=HEADER_SCAN_ROWS).rows
            for index, cells in enumerate(rows):
                keys = [header_key(c) for c in cells if not is_blank(c)]
                for layout, mapping in layouts:
                    score = len({mapping[k].key for k in keys if k in mapping})
                    if score > best[3] and (score >= layout.minimum or layout.name == "template"):
                        best = (name, index, cells, score, layout)
            if name == self.sheet_name and best[0] == name and best[3] >= 2:
                break
        name, index, cells, score, layout = best
        mapping = self._header_map(layout)
        key_column = next(c for c in self.columns if c.key == self.key)
        found_keys = {mapping[k].key for k in map(header_key, cells) if k in mapping}
        if score < 2 and (layout.key or self.key) not in found_keys:
            expected = "、".join(str(c.header) for c in self.columns if c.required)
            raise ImportRefused(
                _(
                    "在工作簿中没有找到本模板的表头行（应包含 %(cols)s 等列）。工作表：%(sheets)s。请使用系统下载的模板填写。"
                    ""
                )
                % {"cols": expected or str(key_column.header), "sheets": "、".join(book.sheet_names) or "—"}
                + (
                    _("也可直接导入这些官方表格：%(layouts)s。") % {"layouts": "、".join(str(lay.label) for lay in self.layouts)}
                    if self.layouts
                    else ""
                ),
                code="refused",
            )
        return name, index, cells, layout

    def titles_above(self, book: Workbook, sheet_name: str, header_index: int) -> list[str]:
        """The text of the rows above the header (a merged title such as 第三轮…第5批…办理情况公开表)."""
        rows = book.sheet(sheet_name, nrows=HEADER_SCAN_ROWS).rows[:header_index]
        return [
            strip_control(" ".join(display(c) for c in cells if not is_blank(c)))
            for cells in rows
            if any(not is_blank(c) for c in cells)
        ]

    def prepare(self, preview: Preview) -> None:  # noqa: B027  (optional hook)
        """After the header is found, before the rows are parsed: read what the title rows say (the
        round, the table's year into ``self.cache["default_year"]``)."""

    def read(self, source) -> Preview:
        """Parse the file: the header, then every non-blank row into values and cell errors."""
        data, name = _source_bytes(source)
        book = Workbook(data, name, formats=self.formats, fill_merged=self.fill_merged)
        sheet_name, header_index, header_cells, layout = self._find_header(book)
        self.layout = layout
        mapping = self._header_map(layout)
        preview = Preview(
            sheet=sheet_name,
            header_row=header_index + 1,
            layout=layout.name,
            layout_label=str(layout.label),
            titles=self.titles_above(book, sheet_name, header_index),
        )
        positions: dict[str, int] = {}
        seen_at: dict[str, int] = {}
        from openpyxl.utils import get_column_letter

        for position, cell in enumerate(header_cells):
            if is_blank(cell):
                continue
            column = mapping.get(header_key(cell))
            if column is None:
                preview.ignored.append(strip_control(display(cell)))
                continue
            if column.key in seen_at:
                raise ImportRefused(
                    _(
                        "“%(h)s”列出现了两次（%(a)s 列和 %(b)s 列），请删除其中一列。"
                    )
                    % {
                        "h": display(cell),
                        "a": get_column_letter(seen_at[column.key] + 1),
                        "b": get_column_letter(position + 1),
                    },
                    code="refused",
                )
            seen_at[column.key] = position
            positions[column.key] = position
            preview.columns[column.key] = strip_control(display(cell))
        self.written = dict(preview.columns)
        missing = [str(c.header) for c in layout.columns if c.required and c.key not in positions]
        if missing:
            raise ImportRefused(
                _(
                    "工作表“%(s)s”第 %(r)s 行的表头缺少必填列：%(cols)s。请使用系统下载的模板，或补上这些列。"
                    ""
                )
                % {"s": sheet_name, "r": header_index + 1, "cols": "、".join(missing)}
                + (_("（识别为“%(l)s”）") % {"l": layout.label} if layout.name != "template" else ""),
                code="refused",
            )
        all_rows = book.sheet(sheet_name).rows[header_index + 1 :]
        data_rows = [
            (header_index + 2 + i, cells)
            for i, cells in enumerate(all_rows)
            if any(not is_blank(c) for c in cells)
        ]
        if len(data_rows) > self.max_rows:
            raise ImportRefused(
                _(
                    "文件有 %(n)s 行数据，超过单次导入 %(max)s 行的上限，请拆分为多个文件导入。"
                    ""
                )
                % {"n": len(data_rows), "max": self.max_rows},
                code="refused",
            )
        # Header text, the blank-cell error and each column's results are computed once per distinct value:
        # a ledger repeats the same units, sources, types and dates on thousands of rows.
        self.prepare(preview)
        columns = [(c, positions[c.key], preview.columns[c.key], {}) for c in layout.columns if c.key in positions]
        required = _("必填，不能为空。")
        total = len(data_rows)
        for count, (number, cells) in enumerate(data_rows, start=1):
            row = Row(number=number, values={}, raw={})
            for column, position, header, memo in columns:
                value = cells[position] if position < len(cells) else ""
                if isinstance(value, str) and has_control(value):
                    value = self._control_cell(row, header, value)
                    if value is None:
                        row.values[column.key] = None
                        continue
                shown = display(value)
                row.raw[header] = shown
                if not shown:
                    if column.required:
                        row.errors.append(CellError(number, header, "", required))
                    row.values[column.key] = None
                    continue
                key = (type(value), value)
                if key not in memo:
                    try:
                        memo[key] = (column.parser(value, self.cache), None)
                    except CellProblem as problem:
                        memo[key] = (None, problem.reason)
                result, reason = memo[key]
                if reason is not None:
                    row.errors.append(CellError(number, header, shown, reason))
                result, notes = unwrap(result)
                row.notes.extend(CellError(number, header, shown, note) for note in notes)
                row.values[column.key] = list(result) if isinstance(result, list) else result
            preview.rows.append(row)
            if self.progress and count % PROGRESS_EVERY == 0:
                self.progress(count // 2, total)
        return preview

    def _control_cell(self, row: Row, header: str, value: str) -> str | None:
        """A cell holding invisible control characters: the row's error (None: the cell is not read), or —
        for a table taken as published — the cell without them, noted."""
        found = [c for c in bad_characters(value) if has_control(c)]
        reason = characters_problem(Bound(header, 0), found, named=False)
        if self.control_characters == "strip":
            cleaned = strip_control(value)
            row.notes.append(CellError(row.number, header, shortened(display(cleaned)), _("已删除不可见的控制字符。")))
            return cleaned
        shown = visible_control(display(value))
        row.raw[header] = shown
        row.errors.append(CellError(row.number, header, shortened(shown), reason))
        return None

    def validate(self, source) -> Preview:
        """Read, find duplicate keys within the file, then compare with the database."""
        preview = self.read(source)
        key = self.layout.key or self.key
        key_header = self.written.get(key) or str(next(c.header for c in self.layout.columns if c.key == key))
        first: dict = {}
        for row in preview.rows:
            value = row.values.get(key)
            if value in (None, ""):
                continue
            if value in first:
                row.error(
                    key_header,
                    _("与第 %(r)s 行的%(h)s重复。")
                    % {"r": first[value], "h": key_header},
                    value,
                )
            else:
                first[value] = row.number
        self.check_rows(preview.rows)
        for row in preview.rows:
            row.raw["__summary__"] = self.summary_of(row)
        if self.progress:
            self.progress(len(preview.rows), len(preview.rows))
        return preview

    def commit(self, job: ImportJob) -> dict:
        """Check the stored file again and write it in one transaction (see :func:`import_job_commit`)."""
        return self.write_all(self.checked(job), job)

    def key_label(self) -> str:
        """How people name the natural key ("问题编号"), as the file being read writes it."""
        key = self.layout.key or self.key
        return self.written.get(key) or str(next((c.header for c in self.layout.columns if c.key == key), key))

    def checked(self, job: ImportJob) -> Preview:
        """The stored file read and compared with the database as it is now: the preview to write, or
        ImportChanged when the outcome differs from the one confirmed (naming the keys others have
        created since), or ImportUndecided while a conflicting row waits for the person's choice."""
        preview = self.validate(job_bytes(job))
        if not preview.ok:
            raise ImportChanged(preview)
        if preview.signature() != (job.result or {}).get("signature"):
            raise ImportChanged(preview, changed=True, taken=taken_keys(job, preview), label=self.key_label())
        undecided = [r.number for r in preview.rows if r.conflict and not r.decision]
        if undecided:
            raise ImportUndecided(preview, undecided)
        return preview

    def write_all(self, preview: Preview, job: ImportJob | None) -> dict:
        """Write a checked preview and re-check the scope, in one transaction: everything or nothing."""
        with transaction.atomic():
            summary = self.write(preview, job)
            self.recheck(summary)
        return summary


def taken_keys(job: ImportJob, preview: Preview) -> list[str]:
    """The keys the confirmed preview was to create that exist now: registered or imported by someone
    else after the preview was confirmed (two imports of the same new numbers at once)."""
    confirmed = {r["row"]: r for r in (job.result or {}).get("rows", [])}
    return [
        confirmed[row.number]["key"]
        for row in preview.rows
        if confirmed.get(row.number, {}).get("action") == "create" and row.action != "create"
    ]


class ImportChanged(ServiceError):
    """The file no longer validates, or would now do something else than the preview showed (``taken``:
    the keys it was to create that someone else has created since — the message names them)."""

    def __init__(self, preview: Preview, changed: bool = False, taken=(), label: str = ""):
        self.preview = preview
        self.taken = list(taken)
        if self.taken:
            shown = "、".join(self.taken[:20]) + ("……" if len(self.taken) > 20 else "")
            message = _(
                "%(label)s %(keys)s 已存在：在您预览之后已由他人登记或导入。本次未导入任何内容，请核对新的预览后再导入。"
            ) % {"label": label or _("编号"), "keys": shown}
        elif changed:
            message = _(
                "预览之后系统中的数据发生了变化，导入结果会与预览不同。请重新校验并核对预览后再导入。"
                ""
            )
        else:
            message = _(
                "文件现在有 %(n)s 处错误，未导入任何内容。"
            ) % {"n": len(preview.errors)}
        super().__init__(message, code="changed")


class ImportStateError(ServiceError):
    """The job does not wait to be imported (still being checked, has errors, failed, or imported)."""


class ImportDone(ImportStateError):
    """The job was imported already — by an earlier click, or by a second one at the same moment."""


class ImportUndecided(ImportChanged):
    """Rows whose key collides with a record of another round or source wait for the person's decision."""

    def __init__(self, preview: Preview, rows: list[int]):
        self.preview = preview
        shown = "、".join(str(r) for r in rows[:20]) + ("……" if len(rows) > 20 else "")
        ServiceError.__init__(
            self,
            _("第 %(rows)s 行的编号与其他轮次或来源的问题相同，请逐行选择“跳过”“更新已有问题”或“作为新问题导入”后再导入。")
            % {"rows": shown},
            code="undecided",
        )


class ImportScopeError(ServiceError):
    """Rows outside the importer's scope were found after writing; the import was rolled back."""


# --- the importers of the apps ----------------------------------------------------------------------


def register_importer(cls: type[Importer]) -> type[Importer]:
    """Subclasses with a ``kind`` register themselves in :data:`IMPORTERS`; the decorator says so."""
    IMPORTERS[cls.kind] = cls
    return cls


def importer_for(kind: str) -> type[Importer]:
    """The importer of ``kind`` ("ledger.problem" lives in the ``importers`` module of the app "ledger")."""
    if kind not in IMPORTERS:
        app_label = kind.split(".")[0]
        importlib.import_module(f"{apps.get_app_config(app_label).name}.importers")
    return IMPORTERS[kind]


def _source_bytes(source) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, ""
    if isinstance(source, (str, Path)):
        path = Path(source)
        return path.read_bytes(), path.name
    if hasattr(source, "read"):
        source.seek(0)
        return source.read(), Path(getattr(source, "name", "") or "").name
    raise TypeError(f"cannot read an import from {type(source).__name__}")


def job_bytes(job: ImportJob) -> bytes:
    """The stored file, verified against the hash taken at upload."""
    with job.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise ImportRefused(
            _(
                "服务器上保存的导入文件与上传时不一致（SHA-256 不符），请重新上传。"
            ),
            code="refused",
        )
    return data
