"""The officer's corrections: a cell set by hand, kept in provenance as the officer's edit.

Two ways to give them, both keyed by where the cell is, as provenance prints it:

- a YAML file beside the data, `X.overrides.yaml` for `X.xlsx` (read automatically), or any file
  given with `--overrides FILE`: one `位置: 值` line per correction;
- `jixiao score X --set 第3行.实际完成值=16场` (repeatable; also on `jixiao draft` and `jixiao check`).

A position is `第N行.列名` (the row and column as a message names them: `第3行.实际完成值`,
`第3行.绩效指标.实际完成值` for a YAML list), optionally with the sheet first (`绩效指标!第3行.实际完成值`),
or a field name alone for a top-level field (`年度`, `单位名称`, `实际支出`). A correction that
matches no cell is an error naming it; nothing is applied silently elsewhere.

```yaml
# 2023_某单位.overrides.yaml
第2行.得分: 10
第7行.年度指标值: 14.8万元
年度: 2021
```
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, DataErrors, failure_kind
from ..evaluation import Provenance
from .base import Cell, RawEvaluation, clean, indicator_column, profile_field_hint, text_of
from .yaml_json import read_data_file

COMMAND_LINE = "命令行 --set"
_POSITION = re.compile(r"^(?:(?P<sheet>[^!！]+)[!！])?第(?P<row>\d+)行[.．。](?P<column>.+)$")


@dataclass(frozen=True)
class Override:
    """One correction: a position (`第3行.实际完成值`, or a field name) and the value the officer gives."""
    position: str
    value: object
    by: str = COMMAND_LINE          # who says so: `命令行 --set` or the override file's name

    @property
    def parts(self) -> tuple[str | None, int | None, str]:
        text = clean(self.position)
        match = _POSITION.match(text)
        if match:
            return match.group("sheet"), int(match.group("row")), match.group("column")
        return None, None, text


def parse_set(text: str) -> Override:
    """`第3行.实际完成值=16场` → Override; raises DataErrors naming the text when it has no `=`."""
    position, sep, value = text.partition("=")
    if not sep or not position.strip():
        raise DataErrors([DataError(f"更正“{text}”应写作“第3行.实际完成值=16场”或“年度=2023”", COMMAND_LINE)])
    return Override(position.strip(), value.strip(), COMMAND_LINE)


def overrides_file_for(path: Path) -> Path:
    """Where the corrections of `path` are kept: `X.overrides.yaml` beside it."""
    return path.with_name(f"{path.stem}.overrides.yaml")


def read_overrides(path: Path) -> list[Override]:
    try:
        data = read_data_file(path) or {}
    except OSError as error:
        raise DataErrors([DataError(f"无法读取更正文件：{failure_kind(error)}", path.name)]) from error
    if not isinstance(data, dict):
        raise DataErrors([DataError("更正文件应为“位置: 值”的映射（如“第3行.实际完成值: 16场”）", path.name)])
    return [Override(str(k), v, path.name) for k, v in data.items()]


def _segments(column: str) -> list[str]:
    """`绩效指标.实际完成值` → [`绩效指标.实际完成值`, `实际完成值`]: the printed column and its last part."""
    text = clean(column)
    return [text] + ([text.rsplit(".", 1)[1]] if "." in text else [])


def _same_column(printed: str | None, wanted: str) -> bool:
    if not printed:
        return False
    mine, theirs = _segments(printed), _segments(wanted)
    if set(mine) & set(theirs):
        return True
    field = indicator_column(theirs[-1])[0]
    return field is not None and indicator_column(mine[-1])[0] == field


def _corrected(where: Provenance, override: Override, old: object) -> Provenance:
    return where.model_copy(update={"corrected_by": override.by, "original": text_of(old) if old is not None else None})


def apply_overrides(raw: RawEvaluation, overrides: list[Override]) -> None:
    """Put every correction into `raw` in place; raise DataErrors for those that match no cell."""
    errors = []
    for override in overrides:
        sheet, row, column = override.parts
        if row is None:
            if not _set_profile(raw, override, column):
                errors.append(DataError(f"更正“{override.position}”：“{column}”不是可更正的字段（如年度、单位名称、"
                                        "实际支出），单元格请写作“第3行.实际完成值”", override.by))
            continue
        if not _set_cell(raw, override, sheet, row, column):
            errors.append(DataError(f"更正“{override.position}”：数据中没有第{row}行的“{column}”单元格"
                                    + (f"（工作表“{sheet}”）" if sheet else ""), override.by))
    if errors:
        raise DataErrors(errors)


def _set_profile(raw: RawEvaluation, override: Override, column: str) -> bool:
    field, _ = profile_field_hint(column)
    if field is None or field in ("indicators", "tasks", "by_source", "by_item", "policy_basis"):
        return False
    old = raw.profile.get(field)
    where = old[1] if old else Provenance(file=raw.file, column=column)
    raw.profile[field] = (override.value, _corrected(where, override, old[0] if old else None))
    return True


def _set_cell(raw: RawEvaluation, override: Override, sheet: str | None, row: int, column: str) -> bool:
    def here(where: Provenance) -> bool:
        return where.row == row and (sheet is None or clean(where.sheet or "") == sheet)

    found = False
    for key, (value, where) in list(raw.profile.items()):
        if here(where) and _same_column(where.column, column):
            raw.profile[key] = (override.value, _corrected(where, override, value))
            found = True
    for records in (raw.indicators, raw.tasks):
        for record in records:
            for key, (value, where) in list(record.items()):
                if here(where) and _same_column(where.column, column):
                    record[key] = (override.value, _corrected(where, override, value))
                    found = True
    for breakdown in (raw.by_source, raw.by_item):
        for k, (name, (value, where)) in enumerate(breakdown):
            if here(where) and _same_column(where.column, column):
                breakdown[k] = (name, (override.value, _corrected(where, override, value)))
                found = True
    if found:
        return True
    # a cell the row left empty (a YAML row without that key): add it to the indicator row
    field = indicator_column(_segments(column)[-1])[0]
    for record in raw.indicators:
        cells: list[Cell] = list(record.values())
        if field is not None and cells and here(cells[0][1]):
            printed = cells[0][1].column or ""
            prefix = printed.rsplit(".", 1)[0] + "." if "." in printed else ""
            where = cells[0][1].model_copy(update={"column": prefix + _segments(column)[-1]})
            record[field] = (override.value, _corrected(where, override, None))
            return True
    return False
