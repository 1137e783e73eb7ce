"""The 部门整体预算绩效目标申报表 (target declaration form), as tab-separated text or a .docx table.

Seed 004 is the form exported from a Word table to tab-separated text: merged cells come out as
blank cells, and one row (`时效指标`) is broken: the label sits alone in the first column and the
indicator row below it is shifted one column to the left. Both are repaired here, with a warning
naming the row. The .docx reader turns the Word table into the same grid (a merged cell's
continuation reads blank), so both formats go through the same parser.

What is read: 部门名称 → unit_name; 预算整体情况 → by_item (基本支出, 项目支出) and by_source
(财政拨款, 其他资金), budget = the sum of the sources (the 事业发展性支出 and 预算级次 breakdowns
restate the same money and are not read); 总体绩效目标 → overall_goal; 年度重点工作任务 → tasks
with funds; 绩效指标 → indicators with their 年度指标值 (no actuals: the year is not over).
The year comes from the `year` argument, else the form's title, else the file name
(`validate.assemble`); otherwise the evaluation carries a review item asking for it.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError, DataErrors
from ..quantities import QuantityError, parse_quantity
from ..vocabulary import LEVEL1_NAMES, LEVEL2_NAMES
from .base import (
    RawEvaluation,
    parsed_once,
    ReadOptions,
    clean,
    indicator_column,
    split_header,
    task_field,
    text_of,
    with_unit_hint,
)
from .grid import Grid, read_docx_grid, read_text_grid

SECTIONS = {
    "部门名称": "unit", "单位名称": "unit", "预算整体情况": "budget", "总体绩效目标": "goal",
    "年度重点工作任务": "tasks", "其他需完成的任务": "other", "绩效指标": "indicators",
}
BY_ITEM_LABELS = ("基本支出", "项目支出")
BY_SOURCE_LABELS = ("财政拨款", "其他资金")


def _section(cell: str) -> str | None:
    text = clean(cell)
    text = re.sub(r"[(（][^)）]*[)）]$", "", text)
    return SECTIONS.get(text)


SUFFIXES = (".txt", ".tsv", ".docx")
LOOKED_FOR = "部门整体预算绩效目标申报表（.txt/.tsv/.docx，首列有“部门名称”“预算整体情况”“绩效指标”等栏目）"


@parsed_once
def grid_of(path: Path) -> Grid:
    if path.suffix.lower() == ".docx":
        return read_docx_grid(path)
    if path.suffix.lower() in (".txt", ".tsv"):
        return read_text_grid(path, lambda first: _section(first) is not None)
    raise DataErrors([DataError(f"申报表应为 .txt/.tsv（制表符分隔）或 .docx，而不是“{path.suffix}”", path.name)])


def recognises(path: Path) -> bool:
    """A 申报表: its first column names at least two of the form's sections (部门名称, 预算整体情况, 绩效指标 …)."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    grid = grid_of(path)
    sections = {_section(cells[0]) for _, cells in grid.rows if cells}
    return len(sections - {None}) >= 2


def read(path: Path, options: ReadOptions = ReadOptions()) -> RawEvaluation:
    grid = grid_of(path)
    raw = RawEvaluation(file=path.name, source_file=str(path))
    if not grid.rows:
        raw.errors.append(DataError("文件中找不到申报表（部门名称、预算整体情况、绩效指标……）", path.name))
        return raw
    raw.profile["report_type"] = ("部门整体", grid.where(grid.title[0][1] if grid.title else None, "标题"))
    raw.titles = [(text, grid.where(number, "标题")) for text, number in grid.title]
    _parse(grid, raw)
    return raw


def _parse(grid: Grid, raw: RawEvaluation) -> None:
    section = None
    budget_hints: dict[int, str] = {}
    task_columns: dict[int, tuple[str, str, str]] = {}
    indicator_columns: dict[int, tuple[str, str, str]] = {}
    for number, cells in grid.rows:
        cells = cells + [""] * (6 - len(cells))
        found = _section(cells[0])
        if found:
            section = found
        elif section == "indicators" and cells[0] and _level_name(cells[0]):
            # a level label printed alone in the first column (seed 004's `时效指标` row)
            level, name = _level_name(cells[0])
            raw.indicators.append({level: (name, grid.where(number, "第1列"))})
            raw.warnings.append(f"{_row_name(grid, number)}：“{cells[0]}”写在首列，按{'一' if level == 'level1' else '二'}级指标读取")
            continue
        rest = cells[1:]
        if section == "unit":
            value = next((c for c in rest if c), "")
            raw.profile["unit_name"] = (value, grid.where(number, text_of(cells[0])))
        elif section == "goal":
            value = next((c for c in rest if c), "")
            raw.profile["overall_goal"] = (value, grid.where(number, text_of(cells[0])))
        elif section == "other":
            value = next((c for c in rest if c), "")
            if value:
                raw.warnings.append(f"{_row_name(grid, number)}“其他需完成的任务”：{value}（未作为重点任务读入）")
        elif section == "budget":
            _budget_row(grid, raw, number, cells, budget_hints)
        elif section == "tasks":
            if found or not task_columns:
                task_columns = _columns(cells, task_field)
                if "name" in [c[0] for c in task_columns.values()]:
                    continue
            record = {}
            for index, (field, label, hint) in task_columns.items():
                value = with_unit_hint(cells[index], hint) if field == "funds" else cells[index]
                record[field] = (value, grid.where(number, label))
            raw.tasks.append(record)
        elif section == "indicators":
            if found:
                indicator_columns = _columns(cells, indicator_column)
                continue
            if not any(cells):
                continue
            _indicator_row(grid, raw, number, cells, indicator_columns)


def _columns(cells: list[str], lookup) -> dict[int, tuple[str, str, str]]:
    columns = {}
    for index, cell in enumerate(cells):
        if index == 0 or not cell:
            continue
        field, hint = lookup(cell)
        if field is not None:
            columns[index] = (field, cell, hint)
    return columns


def _level_name(text: str) -> tuple[str, str] | None:
    name = clean(text)
    if name in LEVEL1_NAMES and name not in LEVEL2_NAMES:
        return "level1", name
    if name in LEVEL2_NAMES:
        return "level2", name
    return None


def _budget_row(grid: Grid, raw: RawEvaluation, number: int, cells: list[str], hints: dict[int, str]) -> None:
    for label_index in (1, 3):
        label, value = cells[label_index], cells[label_index + 1]
        if not label:
            continue
        name, hint = split_header(value)
        if "预算金额" in name or "金额" in name:           # a header pair: 部门预算支出 | 预算金额（万元）
            hints[label_index + 1] = hint
            if hint in ("元", "万元", "亿元") and "money_unit" not in raw.profile:
                raw.profile["money_unit"] = (hint, grid.where(number, value))
            continue
        header = "预算金额" + (f"（{hints[label_index + 1]}）" if hints.get(label_index + 1) else "")
        amount = (with_unit_hint(value, hints.get(label_index + 1, "")), grid.where(number, header))
        if clean(label) in BY_ITEM_LABELS:
            raw.by_item.append((clean(label), amount))
        elif clean(label) in BY_SOURCE_LABELS:
            raw.by_source.append((clean(label), amount))
    raw.budgeted_from_sources = True


def _indicator_row(grid: Grid, raw: RawEvaluation, number: int, cells: list[str],
                   columns: dict[int, tuple[str, str, str]]) -> None:
    index_of = {field: index for index, (field, _, _) in columns.items()}
    target_at, period_at, name_at = index_of.get("target"), index_of.get("period_target"), index_of.get("name")
    # shifted one column left: the 年度指标值 column empty, a value where the 三级指标 should be
    if target_at is not None and period_at is not None and name_at is not None and not cells[target_at] \
            and cells[period_at] and _is_number(cells[name_at]) and name_at >= 1 and cells[name_at - 1]:
        cells = [""] + cells[:-1]
        raw.warnings.append(f"{_row_name(grid, number)}的单元格整体左移了一列（三级指标写在了二级指标列），已右移一列读取")
    level1_at = index_of.get("level1")
    if level1_at is not None and cells[level1_at] and clean(cells[level1_at]) in LEVEL2_NAMES \
            and clean(cells[level1_at]) not in LEVEL1_NAMES:
        raw.warnings.append(f"{_row_name(grid, number)}：“{cells[level1_at]}”写在一级指标列，按二级指标读取")
        cells = cells[:level1_at] + [""] + cells[level1_at:-1]
    record = {}
    for index, (field, label, _) in columns.items():
        record[field] = (cells[index] if index < len(cells) else "", grid.where(number, label))
    raw.indicators.append(record)


def _row_name(grid: Grid, number: int) -> str:
    return f"申报表{grid.sheet or ''}第{number}行"


def _is_number(text: str) -> bool:
    try:
        return parse_quantity(text).is_numeric
    except QuantityError:
        return False


__all__ = ["read", "recognises", "grid_of"]
