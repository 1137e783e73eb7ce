"""An officer's data as uploaded (files as bytes) → an `Evaluation`, with the officer's corrections.

    read_evaluation(files, corrections=())   files: [(name, bytes)]: one table, or a .csv and its .yaml
    review_items(error)                      the cells a `DataErrors` names, each correctable in place

A correction names a cell as the loader's messages do (sheet, row, column as printed) and gives
its new value. It is applied to the cell as read, before validation, and the cell's provenance
keeps it as the officer's edit (`经办人更正，原值“约16场”`), so every figure drawn from it says so.
This is the one place corrections meet the loaders: issue 10's overrides replace `_apply` here.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, DataErrors
from ..evaluation import Evaluation, Provenance
from ..loaders import READERS, load
from ..loaders.base import RawEvaluation, ReadOptions, assemble, indicator_column, text_of
from .store import Correction, safe_name

PROFILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ReviewItem:
    """A cell the officer should look at: where, its value, why (in Chinese)."""
    row: int
    column: str
    value: str
    reason: str
    sheet: str | None = None
    file: str = ""

    def correction(self, value: str) -> Correction:
        return Correction(row=self.row, column=self.column, value=value, sheet=self.sheet, original=self.value)

    def where(self) -> str:
        return self.correction("").where()


def table_and_profile(names: list[str]) -> tuple[int, int | None]:
    """Which of the uploaded files is the table (a .csv before anything else) and which its profile."""
    suffixes = [Path(n).suffix.lower() for n in names]
    if ".csv" in suffixes:
        profile = next((k for k, s in enumerate(suffixes) if s in PROFILE_SUFFIXES), None)
        return suffixes.index(".csv"), profile
    return 0, None


def read_evaluation(files: list[tuple[str, bytes]], corrections: list[Correction] = ()) -> Evaluation:
    """The evaluation in the files, the corrections applied; `DataErrors` names what is still wrong."""
    if not files:
        raise DataErrors([DataError("没有数据文件")])
    with tempfile.TemporaryDirectory(prefix="jixiao-data-") as folder:
        paths = []
        for name, content in files:
            path = Path(folder) / safe_name(name)
            path.write_bytes(content)
            paths.append(path)
        table, profile = table_and_profile([p.name for p in paths])
        return read_paths(paths[table], paths[profile] if profile is not None else None, corrections)


def read_paths(table: Path, profile: Path | None, corrections: list[Correction] = ()) -> Evaluation:
    if not corrections:
        return load(table, profile=profile) if profile else load(table)
    reader = READERS.get(table.suffix.lower())
    if reader is None:
        return load(table)          # the loader's own message for an unsupported type
    raw = reader(table, ReadOptions(profile=profile))
    for correction in corrections:
        _apply(raw, correction)
    return assemble(raw)


def review_items(error: Exception) -> list[ReviewItem]:
    """The cells a load error names with a row and a column: each can be corrected in place."""
    errors = error.errors if isinstance(error, DataErrors) else [error] if isinstance(error, DataError) else []
    items = []
    for e in errors:
        if e.row is not None and e.column:
            items.append(ReviewItem(row=e.row, column=e.column, value=text_of(e.value), reason=e.detail,
                                    sheet=e.sheet, file=e.file))
    return items


def correctable_cells(evaluation: Evaluation) -> list[ReviewItem]:
    """Every indicator's target, actual, weight and reason cell that the file holds (a loaded table's
    cells the officer may correct), in table order."""
    fields = (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"), ("reason", "偏差原因"))
    cells = []
    for indicator in evaluation.indicators:
        for name, label in fields:
            where = indicator.sources.get(name)
            if where is None or where.row is None or not where.column:
                continue
            value = getattr(indicator, name)
            shown = value.text if hasattr(value, "text") else text_of(value)
            cells.append(ReviewItem(row=where.row, column=where.column, value=shown or "",
                                    reason=f"{indicator.name}的{label}", sheet=where.sheet, file=where.file))
    return cells


# --- applying a correction to the cells as read ------------------------------------------------------

def _matches(where: Provenance, correction: Correction) -> bool:
    return (where.row == correction.row and where.column == correction.column
            and (correction.sheet is None or where.sheet == correction.sheet))


def _edited(where: Provenance, original) -> Provenance:
    before = text_of(original)
    return where.model_copy(update={"edit": f"经办人更正，原值“{before}”" if before else "经办人填写"})


def _apply(raw: RawEvaluation, correction: Correction) -> None:
    """Sets the cell the correction names; adds it to its indicator row when the row had it blank."""
    value = correction.value

    def fix(cell):
        original, where = cell
        return (value, _edited(where, original)) if _matches(where, correction) else cell

    raw.profile = {k: fix(c) for k, c in raw.profile.items()}
    raw.policy_basis = [fix(c) for c in raw.policy_basis]
    raw.tasks = [{k: fix(c) for k, c in row.items()} for row in raw.tasks]
    raw.by_source = [(name, fix(c)) for name, c in raw.by_source]
    raw.by_item = [(name, fix(c)) for name, c in raw.by_item]
    raw.indicators = [{f: fix(c) for f, c in row.items()} for row in raw.indicators]
    if any(_matches(where, correction) for _, where in _all_cells(raw)):
        return
    # a blank cell (not read at all): add it to the row it belongs to, under its column's field
    column = correction.column.rsplit(".", 1)[-1]
    field, _hint = indicator_column(column)
    for row in raw.indicators:
        first = next(iter(row.values()), None)
        if field and first is not None and first[1].row == correction.row and \
                (correction.sheet is None or first[1].sheet == correction.sheet):
            where = first[1].model_copy(update={"column": correction.column})
            row[field] = (value, _edited(where, None))
            return


def _all_cells(raw: RawEvaluation):
    yield from raw.profile.values()
    yield from raw.policy_basis
    for row in raw.tasks:
        yield from row.values()
    for _, cell in raw.by_source + raw.by_item:
        yield cell
    for row in raw.indicators:
        yield from row.values()
