"""The ledger's Excel import: one row per problem, matched on 问题编号 (idempotent). Its columns, cell
readings and the official layouts it takes are in :mod:`.import_columns`.

Usable without HTTP::

    importer = LedgerImporter(actor=user)
    preview = importer.validate("台账.xlsx")      # rows to create / update / unchanged, every error
    job = import_job_create(actor=user, kind=LedgerImporter.kind, uploaded=File(open(...)))
    import_job_validate(job); import_job_commit(actor=user, job=job)

Rules (docs/ledger-import-export.md): new numbers are registered through ``problem_bulk_register`` (the
checks of ``problem_register``); known numbers are compared field by field and changed through
``problem_bulk_update`` (the checks of ``problem_update``; inspection office only); blank cells never
clear a stored value; the lead unit, the deadline and the registration date of a registered problem are
changed on its page (改派, 调整时限), not by import. Unit staff may import only problems their own unit leads: checked on every row, by the
service, and once more after writing — a row outside the scope rolls the whole import back.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.audit.services import action_log_append
from ecoinspect.common import import_cells as cells
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.text_bounds import Bounds, length_problem, over_long, shortened
from ecoinspect.core.imports import (
    CellError,
    Importer,
    ImportScopeError,
    Row,
    register_importer,
)
from ecoinspect.core.official_layouts import DISCLOSURE, DISCLOSURE_ROUND2, round_of
from ecoinspect.core.permissions import restrict, user_scope
from ecoinspect.orgs import cells as unit_cells
from ecoinspect.orgs.models import Unit

from .choices import DeadlineKind
from .import_columns import (
    COLUMNS,
    FIELD_COLUMNS,
    LAYOUT_FIELDS,
    LEAD_IN_REMARKS,
    PROGRESS,
    SHAPES,
    UPDATABLE,
    free_number,
    generated_number,
    lead_in_scope,
)
from .models import Measure, Problem
from .services import problem_assign
from .services.bulk import chunks, problem_bulk_register, problem_bulk_update
from .services.problem_checks import (
    validate_schedule,
    validate_source_for,
    validate_types,
    validate_units,
)
from .services.rules import problem_check_editable


@register_importer
class LedgerImporter(Importer):
    kind = "ledger.problem"
    overseer_perm = "ledger.assign"
    title = _lazy("整改问题台账导入模板")
    summary_label = _lazy("整改任务")
    sheet_name = "整改问题"
    key = "number"
    columns = COLUMNS
    layouts = (DISCLOSURE, DISCLOSURE_ROUND2, PROGRESS)
    #: every text is held to the field it is stored in (a measure to a measure's content)
    bounds = Bounds(Problem, measures=(Measure, "content"))
    instructions = (
        _lazy("1. 在“整改问题”工作表中每行填写一个问题，红色表头为必填列；请勿修改表头文字。"),
        _lazy("2. 问题编号在全区唯一。再次导入同一文件不会重复新增：编号相同、内容相同的行视为无变化。"),
        _lazy("3. 已登记问题的内容有变化时，由区督察迎检办导入即修改；空白单元格不会清除系统中已有的内容。"),
        _lazy("4. 牵头单位、整改时限、登记日期不通过导入修改，请在问题页面办理改派或调整时限。"),
        _lazy("5. 单位经办人只能导入本单位牵头的问题；只要有一行超出范围，整个文件都不会导入。"),
        _lazy(
            "6. 上传后先校验并预览，确认无误后再导入；导入在一个事务中完成，要么全部成功，要么全部不生效。"
        ),
    )

    # --- official layouts: the round, then each row in the ledger's terms ----------------------------
    def prepare(self, preview) -> None:
        titles = " ".join(preview.titles)
        self.round = round_of(titles)
        year = re.search(r"(20\d{2})\s*年", titles)
        if year:
            self.cache["default_year"] = int(year[1])

    def column(self, key: str) -> str:
        """The header, as the file writes it, of the column a ledger field came from."""
        source = LAYOUT_FIELDS.get(self.layout.name, {}).get(key, key)
        if source in self.written:
            return self.written[source]
        if self.layout.name == "template":
            headers = self.cache.get("headers")
            if headers is None:
                headers = self.cache["headers"] = {c.key: str(c.header) for c in self.columns}
            return headers.get(key) or headers["number"]
        return self.written.get(self.layout.key) or key

    def _shape(self, row: Row) -> None:
        """An official table's row in the ledger's terms (:func:`disclosure_values`, :func:`progress_values`)."""
        shape = SHAPES.get(self.layout.name)
        if shape is None:
            return
        published = row.values
        row.values = shape(published, self.written, getattr(self, "round", ""))
        if self.layout.name != "progress":
            return
        header = self.written.get("deadline")
        if header and any(n.column == header for n in row.notes):
            # a partial deadline: the published text stays on the record beside the date it was read as
            row.values["description"] = "\n".join(
                filter(None, [row.values["description"], f"【{header}】{row.raw.get(header, '')}"])
            )
        lead = LEAD_IN_REMARKS.search(published.get("remarks") or "")
        if lead:
            try:
                row.values["lead_unit"] = unit_cells.unit()(lead[1], self.cache)
            except cells.CellProblem as problem:
                row.notes.append(CellError(row.number, self.written["remarks"], lead[1], problem.reason))
        if row.values.get("measures") and row.values.get("lead_unit") is None:
            # a measure needs its owner: without a lead unit the measures stay text in the description
            header = self.written["measures"]
            listed = "\n".join(f"{n}. {m}" for n, m in enumerate(row.values.pop("measures"), start=1))
            row.values["description"] = "\n".join(filter(None, [row.values["description"], f"【{header}】{listed}"]))
            row.notes.append(
                CellError(row.number, header, row.raw.get(header, ""), _("未写牵头单位，整改措施记入问题描述，交办时再分解。"))
            )

    def summary_of(self, row: Row) -> str:
        return str(row.values.get("title") or "")[:60]

    # --- compare with the database ---------------------------------------------------------------
    def _candidates(self, rows: list[Row]) -> tuple[dict, dict, dict]:
        """Registered problems a row may be: by number, by (source, round, source number), by title."""
        numbers = [r.values["number"] for r in rows if r.values.get("number")]
        refs = [r.values["source_ref"] for r in rows if r.values.get("source_ref") and self.layout.name != "template"]
        titles = [r.values["title"] for r in rows if r.values.get("title") and self.layout.name == "progress"]
        by_number: dict[str, Problem] = {}
        by_identity: dict[tuple, Problem] = {}
        by_title: dict[str, list[Problem]] = {}
        for part in chunks(numbers):
            for problem in Problem.objects.filter(number__in=part):
                by_number[problem.number] = problem
        for part in chunks(refs):
            for problem in Problem.objects.filter(source_ref__in=part).order_by("pk"):
                by_identity.setdefault((problem.source, problem.source_round, problem.source_ref), problem)
        for part in chunks(titles):
            for problem in Problem.objects.filter(title__in=part).order_by("pk"):
                by_title.setdefault(problem.title, []).append(problem)
        return by_number, by_identity, by_title

    def _identify(self, row: Row, by_number, by_identity, by_title, taken: set) -> Problem | None:
        """The registered problem this row is (None: a new one), or a conflict for the person to decide:
        a number is an identity only within its round and source (DESIGN.md §4.5)."""
        v = row.values
        current = other = None
        if self.layout.name == "template":
            found = by_number.get(v.get("number"))
            if found is not None and v.get("source") and found.source != v["source"]:
                other = found
            else:
                current = found
        elif self.layout.name == "progress" and not v.get("number"):
            same = by_title.get(v.get("title"), [])
            if len(same) > 1:
                row.error(
                    self.column("title"),
                    _("系统中有 %(n)s 个同名问题（%(nums)s），请在备注中写明“编号：…”以指明是哪一个。")
                    % {"n": len(same), "nums": "、".join(p.number for p in same)},
                )
                return None
            current = same[0] if same else None
            if current is None:
                v["number"] = generated_number(v.get("source_round", ""), v["title"])
                other = by_number.get(v["number"])
        else:
            current = by_identity.get((v.get("source"), v.get("source_round", ""), v.get("source_ref")))
            if current is None and self.layout.name == "progress":
                current = by_number.get(v.get("number"))
            if current is None:
                other = by_number.get(v.get("number"))
            if current is None and other is None and v.get("source_round"):
                # the same 受理编号 registered without its round: maybe this petition, maybe another round's
                other = by_identity.get((v.get("source"), "", v.get("source_ref")))
        if other is None:
            return current
        row.existing = other
        row.conflict = _("编号“%(n)s”已被%(round)s“%(source)s”的问题“%(t)s”使用") % {
            "n": other.number,
            "round": f"“{other.source_round}”" if other.source_round else _("未注明轮次的"),
            "source": other.get_source_display(),
            "t": other.title[:40],
        }
        row.decision = self.decision(row)
        if row.decision == "update":
            return other
        if row.decision == "new":
            v["number"] = free_number(v["number"], taken)
            return None
        row.action = "skip" if row.decision == "skip" else "conflict"
        return other

    def check_rows(self, rows: list[Row]) -> None:
        actor = self.actor
        office = user_scope(actor, "ledger.assign").everything
        visible_scope = user_scope(actor, "ledger.view")
        today = timezone.localdate()
        for row in rows:
            if not row.errors:
                self._shape(row)
            if self.layout.name == "template" or not row.errors:
                for key, bound, length in over_long(self.bounds, row.values):
                    value = row.values[key]
                    shown = shortened(value if isinstance(value, str) else max(value, key=len))
                    row.error(self.column(key), length_problem(bound, length, named=False), shown)
        by_number, by_identity, by_title = self._candidates(rows)
        every = {p.pk: p for p in [*by_number.values(), *by_identity.values()] + [p for ps in by_title.values() for p in ps]}
        cooperating: dict[int, set[int]] = self.cache.setdefault("cooperating", {})
        through = Problem.cooperating_units.through
        units = {u.pk: u for u in Unit.objects.all()}  # ~40 rows, shared by every problem below
        for problem in every.values():
            for name in ("lead_unit", "town", "supervising_unit", "acceptance_unit"):
                unit_id = getattr(problem, f"{name}_id")
                if unit_id is not None:
                    setattr(problem, name, units[unit_id])
        for part in chunks(list(every)):
            for problem_id, unit_id in through.objects.filter(problem_id__in=part).values_list(
                "problem_id", "unit_id"
            ):
                cooperating.setdefault(problem_id, set()).add(unit_id)
        visible_ids = set()
        if not visible_scope.everything and every:
            for part in chunks(list(every)):
                visible_ids |= set(
                    restrict(Problem.objects.filter(pk__in=part), actor, "ledger.view").values_list(
                        "pk", flat=True
                    )
                )
        taken = set(by_number) | {r.values["number"] for r in rows if r.values.get("number")}
        for index, row in enumerate(rows, start=1):
            if not row.errors:
                current = self._identify(row, by_number, by_identity, by_title, taken)
                if row.conflict and not visible_scope.everything and row.existing.pk not in visible_ids:
                    # a problem one cannot see is neither shown nor offered: the number is taken
                    row.conflict = row.decision = row.action = ""
                    row.error(
                        self.column("number"),
                        _("该编号已被其他单位的问题使用，请换一个编号。"),
                    )
                    continue
                if row.action in ("conflict", "skip"):
                    continue
                if not row.errors:
                    self._check_row(row, current, office, visible_scope.everything, visible_ids, today)
            if self.progress and index % 500 == 0:
                self.progress((len(rows) + index) // 2, len(rows))

    def _service_errors(self, row: Row, exc: ServiceError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"number": exc.messages}
        for field, messages in errors.items():
            key = FIELD_COLUMNS.get(field, field)
            if key not in {c.key for c in self.columns}:
                key = "number"
            for message in messages:
                row.error(self.column(key), message)

    def _check_row(self, row: Row, current, office, sees_all, visible_ids, today) -> None:
        v = row.values
        deadline_kind, deadline = v.get("deadline") or (None, None)
        if current is None and self.layout.name != "template" and deadline is not None and deadline < today:
            # an official table registered after its deadline: registered on the deadline, not later
            v["registered_on"] = deadline
            row.notes.append(
                CellError(row.number, self.column("deadline"), str(deadline), _("整改时限早于今天，登记日期按整改时限计。"))
            )
        registered_on = v.get("registered_on") or today
        if v.get("registered_on") and v["registered_on"] > today and self.layout.name == "template":
            row.error(
                self.column("registered_on"),
                _("登记日期不能晚于今天。"),
            )
        if current is None:
            if deadline_kind is not None:
                try:
                    validate_schedule(
                        registered_on=registered_on, deadline_kind=deadline_kind, deadline=deadline
                    )
                except ServiceError as exc:
                    self._service_errors(row, exc)
            try:
                validate_types(v.get("problem_types") or [])
                validate_units(
                    town=v.get("town"),
                    lead_unit=v.get("lead_unit"),
                    acceptance_unit=v.get("acceptance_unit"),
                    supervising_unit=v.get("supervising_unit"),
                    cooperating_units=v.get("cooperating_units") or [],
                )
            except ServiceError as exc:
                self._service_errors(row, exc)
            if v.get("source"):
                try:
                    validate_source_for(self.actor, v["source"], office=office)
                except ServiceError as exc:
                    self._service_errors(row, exc)
            if v.get("lead_unit") is not None and not lead_in_scope(self.actor, v["lead_unit"], office):
                row.error(
                    self.column("lead_unit"),
                    _(
                        "超出您的导入范围：单位经办人只能导入本单位牵头的问题。"
                    ),
                )
            row.action = "create"
            return
        row.existing, row.version = current, current.version
        if not sees_all and current.pk not in visible_ids:
            row.error(
                self.column("number"),
                _(
                    "该编号已被其他单位的问题使用，请换一个编号。"
                ),
            )
            return
        self._compare(row, current, deadline_kind, deadline)
        if row.errors:
            return
        if not row.changes:
            row.action = "unchanged"
            return
        if not office:
            row.error(
                self.column("number"),
                _(
                    "该问题已登记，内容有变化（%(f)s）。已登记问题只能由区督察迎检办修改。"
                )
                % {"f": "、".join(row.changes)},
            )
        else:
            try:
                problem_check_editable(current)
                validate_types(v.get("problem_types") or [])
                validate_units(
                    town=v.get("town") or current.town,
                    lead_unit=current.lead_unit,
                    acceptance_unit=v.get("acceptance_unit") or current.acceptance_unit,
                    supervising_unit=v.get("supervising_unit") or current.supervising_unit,
                    cooperating_units=v.get("cooperating_units") or [],
                )
            except ServiceError as exc:
                self._service_errors(row, exc)
            row.action = "update"

    def _compare(self, row: Row, current: Problem, deadline_kind, deadline) -> None:
        v = row.values
        # An official table is taken as published: what differs from a registered problem's lead unit or
        # deadline (changed on its page) is noted, never blocking the batch.
        blocking = row.error if self.layout.name == "template" else self._note_only(row)
        if v.get("lead_unit") is not None and v["lead_unit"].pk != current.lead_unit_id:
            blocking(
                self.column("lead_unit"),
                _(
                    "与系统中的牵头单位（%(u)s）不同。更换牵头单位请在问题页面办理“改派”。"
                )
                % {"u": current.lead_unit or "—"},
            )
        if deadline_kind is not None and (
            deadline_kind != current.deadline_kind
            or (deadline_kind == DeadlineKind.DATE and deadline != current.deadline)
        ):
            shown = current.deadline or current.get_deadline_kind_display()
            blocking(
                self.column("deadline"),
                _(
                    "与系统中的整改时限（%(d)s）不同。调整时限请在问题页面办理。"
                )
                % {"d": shown},
            )
        if (
            self.layout.name == "template"
            and v.get("registered_on") is not None
            and v["registered_on"] != current.registered_on
        ):
            blocking(
                self.column("registered_on"),
                _("与系统中的登记日期（%(d)s）不同。")
                % {"d": current.registered_on},
            )
        for name in UPDATABLE:
            value = v.get(name)
            if value is None or value == "" or value == []:
                continue  # blank never clears a stored value
            if name == "cooperating_units":
                same = {u.pk for u in value} == self.cache["cooperating"].get(current.pk, set())
            elif name == "problem_types":
                same = set(value) == set(current.problem_types)
            elif name in ("town", "supervising_unit", "acceptance_unit"):
                same = value.pk == getattr(current, f"{name}_id")
            else:
                same = value == getattr(current, name)
            if not same:
                self.cache.setdefault("changed", {}).setdefault(row.number, []).append(name)
                if self.column(name) not in row.changes:
                    row.changes.append(self.column(name))

    def _note_only(self, row: Row):
        def note(column: str, reason: str) -> None:
            row.notes.append(CellError(row.number, column, row.raw.get(column, ""), reason))

        return note

    # --- writing ---------------------------------------------------------------------------------
    def _changes(self, row: Row) -> dict:
        return {name: row.values[name] for name in self.cache.get("changed", {}).get(row.number, [])}

    def write(self, preview, job) -> dict:
        origin_file = job.original_name if job is not None else _("导入文件")
        creates = [r for r in preview.rows if r.action == "create"]
        updates = [r for r in preview.rows if r.action == "update"]
        specs = []
        for row in creates:
            v = dict(row.values)
            v["deadline_kind"], v["deadline"] = v.pop("deadline", None) or (DeadlineKind.DATE, None)
            v["origin"] = _("%(f)s 第 %(r)s 行") % {"f": origin_file, "r": row.number}
            specs.append(v)
        created = problem_bulk_register(actor=self.actor, rows=specs, job=job) if specs else []
        updated = problem_bulk_update(
            actor=self.actor, updates=[(r.existing, r.version, self._changes(r)) for r in updates], job=job
        )
        assigned = 0
        if self.options.get("assign") and user_scope(self.actor, "ledger.assign").everything:
            for problem in created:
                if (
                    problem.lead_unit_id
                    and problem.acceptance_unit_id
                    and (problem.deadline or problem.deadline_kind == DeadlineKind.LONG_TERM)
                ):
                    problem_assign(actor=self.actor, problem=problem)
                    assigned += 1
        rows_by_number = {r.values["number"]: r.number for r in creates + updates}
        skipped = sum(1 for r in preview.rows if r.action == "skip")
        summary = {
            "created": [p.number for p in created],
            "updated": [p.number for p in updated],
            "unchanged": sum(1 for r in preview.rows if r.action == "unchanged"),
            "assigned": assigned,
            "skipped": skipped,
            "rows": rows_by_number,
            "_ids": [p.pk for p in created] + [p.pk for p in updated],
        }
        action_log_append(
            action="ledger.import.committed",
            actor=self.actor,
            obj=job,
            payload={
                "kind": self.kind,
                "file": origin_file,
                "sha256": job.sha256 if job is not None else "",
                "rows": len(preview.rows),
                "created": len(created),
                "updated": len(updated),
                "unchanged": summary["unchanged"],
                "assigned": assigned,
                "skipped": skipped,
                "layout": self.layout.name,
            },
        )
        return summary

    def recheck(self, summary: dict) -> None:
        """After writing: every written problem must be led by one of the actor's units (unless the
        actor is the inspection office). Any row outside rolls the whole import back, naming the rows."""
        ids = summary.pop("_ids", [])
        if user_scope(self.actor, "ledger.assign").everything or not ids:
            return
        scope = user_scope(self.actor, "ledger.work")
        allowed: set[int] = set()
        for part in chunks(ids):
            qs = restrict(Problem.objects.filter(pk__in=part), self.actor, "ledger.work")
            if not scope.everything:
                qs = qs.filter(lead_unit_id__in=scope.unit_ids)
            allowed |= set(qs.values_list("pk", flat=True))
        outside = list(
            Problem.objects.filter(pk__in=[i for i in ids if i not in allowed]).values_list(
                "number", flat=True
            )
        )
        if outside:
            rows = summary.get("rows", {})
            named = "、".join(
                _("第 %(r)s 行（%(n)s）") % {"r": rows.get(n, "?"), "n": n}
                for n in sorted(outside, key=lambda n: rows.get(n, 0))
            )
            raise ImportScopeError(
                _(
                    "以下行超出您的导入范围（单位经办人只能导入本单位牵头的问题），整个导入已撤销：%(rows)s"
                    ""
                )
                % {"rows": named},
                code="scope",
            )
