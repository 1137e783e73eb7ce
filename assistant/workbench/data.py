"""An officer's data as uploaded (files as bytes) → an `Evaluation`, with the officer's corrections.

    read_evaluation(files, corrections=())   files: [(name, bytes)]: one table, or a .csv and its .yaml
    review_items(error)                      the cells a `DataErrors` names, each correctable in place

A correction names a cell as the loader's messages do (sheet, row, column as printed) and gives
its new value. It is applied as an override (`loaders.overrides`, the same as `--set` on the command
line) to the cell as read, before validation, and the cell's provenance keeps it as the officer's
edit (`经办人更正：界面更正，原值“约16场”`), so every figure drawn from it says so.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, DataErrors, FileFailure, JixiaoError
from ..evaluation import Evaluation
from ..loaders import assemble, read_raw
from ..loaders.base import text_of
from ..loaders.overrides import Override, apply_overrides
from .store import Correction, safe_name

PROFILE_SUFFIXES = (".yaml", ".yml")
UI_CORRECTION = "界面更正"            # who made a correction, as provenance says it


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
    """The evaluation in the files, the corrections applied; `DataErrors` names what is still wrong,
    and any other failure is a `JixiaoError` naming the file (never a bare exception)."""
    if not files:
        raise DataErrors([DataError("没有数据文件")])
    with tempfile.TemporaryDirectory(prefix="jixiao-data-") as folder:
        paths = []
        for name, content in files:
            path = Path(folder) / safe_name(name)
            path.write_bytes(content)
            paths.append(path)
        table, profile = table_and_profile([p.name for p in paths])
        try:
            return read_paths(paths[table], paths[profile] if profile is not None else None, corrections)
        except JixiaoError:
            raise
        except Exception as error:      # a reader's failure nobody foresaw: a message naming the file
            raise FileFailure(paths[table].name, "读取", error) from error


def read_paths(table: Path, profile: Path | None, corrections: list[Correction] = ()) -> Evaluation:
    raw = read_raw(table, profile)
    apply_overrides(raw, [as_override(c) for c in corrections])
    return assemble(raw)


def as_override(correction: Correction) -> Override:
    """A correction made in the UI as the loaders' override of the same cell."""
    sheet = f"{correction.sheet}!" if correction.sheet else ""
    return Override(f"{sheet}第{correction.row}行.{correction.column}", correction.value, UI_CORRECTION)


def review_items(error: Exception) -> list[ReviewItem]:
    """The cells a load error names with a row and a column: each can be corrected in place."""
    errors = error.errors if isinstance(error, DataErrors) else [error] if isinstance(error, DataError) else []
    items = []
    for e in errors:
        if e.row is not None and e.column:
            items.append(ReviewItem(row=e.row, column=e.column, value=text_of(e.value), reason=e.detail,
                                    sheet=e.sheet, file=e.file))
    return items


def awaiting_review(evaluation: Evaluation) -> list[ReviewItem]:
    """The cells of loaded data that await a person (the loaders' review items: an unreadable actual, a
    one-sided approximation …), each with its reason and correctable in place; the evaluation's own
    items (a missing year …) first, then the indicators'."""
    found = [*evaluation.review, *(item for indicator in evaluation.indicators for item in indicator.review)]
    return [ReviewItem(row=item.where.row, column=item.where.column, value=item.value or "", reason=item.reason,
                       sheet=item.where.sheet, file=item.where.file)
            for item in found if item.where is not None and item.where.row is not None and item.where.column]


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
