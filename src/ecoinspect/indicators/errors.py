"""Errors raised for bad input. Every message names where (row, column) and why, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputProblem:
    """One problem found in the input: 1-based data row (None for the whole file), column, value, reason."""

    row: int | None
    column: str | None
    value: str | None
    reason_zh: str
    reason_en: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行 / row {self.row}")
        if self.column:
            where.append(f"列 {self.column} / column {self.column}")
        if self.value is not None:
            where.append(f"值 / value {self.value!r}")
        prefix = "，".join(where)
        return f"{prefix}：{self.reason_zh} / {self.reason_en}" if prefix else f"{self.reason_zh} / {self.reason_en}"


class IndicatorInputError(ValueError):
    """Input that cannot be computed on. Carries every problem found, not only the first."""

    def __init__(self, problems: list[InputProblem] | InputProblem):
        self.problems = [problems] if isinstance(problems, InputProblem) else list(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"\n…另有 {more} 处问题 / {more} more problems"
        super().__init__(shown)
