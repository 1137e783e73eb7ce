"""Every cell a reader found, made safe to read before validation decides what it means.

Whatever the format, before `validate.assemble` reads a cell:
- a table over the row limit, or a cell over the length limit, refuses the file, naming the limit
  and the cell (`limits.DATA_FILES`): nothing else would bound the work a hostile file asks for;
- a NUL character refuses it too (a text cell never holds one: the file is damaged or not text);
- line ends become `\\n` (a CSV cell quoted across lines keeps its lines, not its carriage returns);
- invisible characters — format characters (a right-to-left override, a zero-width space, a BOM
  inside a name) and control characters other than tab and newline — are removed, and a warning
  names each cell they were removed from: a name with a hidden U+202E prints reversed, and a
  sheet or column label with a zero-width space would not be recognised;
- a cell read as a number or quantity (a target, an actual, a weight, a budget) that holds a lone
  surrogate (a broken escape such as `\\ud800`) becomes a `CellProblem`: a review item on that
  cell, never a guess. Elsewhere a surrogate stays, and every message prints it escaped.
"""
from __future__ import annotations

import re
import unicodedata

from .. import limits
from ..errors import DataError, printable
from ..evaluation import Provenance
from .base import Cell, CellProblem, RawEvaluation, invisible

# Fields whose cells are read as numbers or quantities.
NUMERIC_INDICATOR_FIELDS = frozenset({"target", "actual", "period_target", "weight", "score", "stated_completion"})
NUMERIC_PROFILE_FIELDS = frozenset({"year", "budget", "adjusted_budget", "spent", "stated_execution_rate",
                                    "stated_total", "stated_budget_weight", "stated_budget_score"})
NUMERIC_TASK_FIELDS = frozenset({"funds"})
WARNED_CELLS = 5              # cells named one by one in the warning about removed characters
_LINE_ENDS = re.compile(r"\r\n?")


def located(message: str, where: Provenance, value: object = None) -> DataError:
    """A refusal naming the cell `where` points at."""
    return DataError(message, where.file, sheet=where.sheet, row=where.row, column=where.column, value=value)


class _Cleaner:
    def __init__(self, file: str):
        self.file = file
        self.errors: list[DataError] = []
        self.removed: list[tuple[set[str], Provenance]] = []

    def text(self, value: str, where: Provenance, numeric: bool) -> object:
        cap = limits.DATA_FILES.cell_chars
        if len(value) > cap:
            self.errors.append(located(f"单元格内容超过长度上限（{cap}字，此处{len(value)}字）", where, value))
            return value
        if "\x00" in value:
            self.errors.append(located("单元格含有空字符（\\x00），文件可能已损坏或不是文本", where, value))
            return value
        value = _LINE_ENDS.sub("\n", value)
        hidden = invisible(value)
        if hidden:
            value = "".join(ch for ch in value if ch not in set(hidden))
            self.removed.append((set(hidden), where))
        if numeric and any(unicodedata.category(ch) == "Cs" for ch in value):
            return CellProblem(printable(value, newlines=False), "含有无法识别的字符（编码损坏），无法读取")
        return value

    def value(self, value: object, where: Provenance, numeric: bool = False) -> object:
        if isinstance(value, str):
            return self.text(value, where, numeric)
        if isinstance(value, list):
            return [self.value(v, where, numeric) for v in value]
        return value

    def cell(self, cell: Cell, numeric: bool = False) -> Cell:
        value, where = cell
        return self.value(value, where, numeric), where

    def name(self, name: object, where: Provenance) -> object:
        return self.value(name, where)

    def warnings(self) -> list[str]:
        if not self.removed:
            return []
        shown = "；".join(f"{where.describe()}（{'、'.join(sorted(f'U+{ord(ch):04X}' for ch in chars))}）"
                         for chars, where in self.removed[:WARNED_CELLS])
        more = f"等{len(self.removed)}处" if len(self.removed) > WARNED_CELLS else ""
        return [f"已去除单元格中的不可见字符（方向控制符、零宽字符或控制字符）：{shown}{more}"]


def sanitize(raw: RawEvaluation) -> list[DataError]:
    """Clean every cell of `raw` in place; the refusals (rows or a cell over a limit, a NUL) found."""
    rows = limits.DATA_FILES.rows
    if len(raw.indicators) > rows:
        return [DataError(f"绩效指标超过行数上限（{rows}行，此处{len(raw.indicators)}行）", raw.file)]
    cleaner = _Cleaner(raw.file)
    raw.profile = {k: cleaner.cell(c, k in NUMERIC_PROFILE_FIELDS) for k, c in raw.profile.items()}
    raw.policy_basis = [cleaner.cell(c) for c in raw.policy_basis]
    raw.titles = [cleaner.cell(c) for c in raw.titles]
    raw.tasks = [{k: cleaner.cell(c, k in NUMERIC_TASK_FIELDS) for k, c in task.items()} for task in raw.tasks]
    raw.by_source = [(cleaner.name(name, cell[1]), cleaner.cell(cell, True)) for name, cell in raw.by_source]
    raw.by_item = [(cleaner.name(name, cell[1]), cleaner.cell(cell, True)) for name, cell in raw.by_item]
    raw.indicators = [{k: cleaner.cell(c, k in NUMERIC_INDICATOR_FIELDS) for k, c in row.items()}
                      for row in raw.indicators]
    raw.problems = [(reason, cleaner.value(value, where), where) for reason, value, where in raw.problems]
    raw.warnings.extend(cleaner.warnings())
    return cleaner.errors
