"""The standard self-evaluation table (项目支出绩效自评表 / 部门整体支出绩效自评表), as .xlsx or a Word table.

What officers hold after the year (domain.md, "The standard self-evaluation table"): one table,
top to bottom:

- a title (`项目支出绩效自评表`, `（2023年度）`): the report type and the year;
- header cells: 项目名称, 主管部门, 实施单位 (or 部门（单位）名称), each followed by its value;
- for a department, 年度主要任务: 任务名称 | 主要内容 | 预算数 …;
- funds: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, on the rows 年度资金总额 (the budget,
  with the form's own execution weight, rate and score, all checked), 其中：本年财政拨款, 上年结转资金,
  其他资金 (by source), or 基本支出, 项目支出 (by item); `（万元）` in a label gives the money unit;
- 年度总体目标: 预期目标 | 实际完成情况, in prose;
- the indicators: 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施,
  the 一级/二级 cells merged down their rows (their points, `产出指标(50分)`, are read and checked);
- 总分: the form's total (its 得分 cell is the stated total).

The file is recognised by its content (the indicator header with 实际完成值, or the funds header
with 全年执行数, beside the title or the header fields), never by its name. Merged cells come
through `grid` (continuations read blank), so the same parser reads both formats.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError, DataErrors
from ..vocabulary import plain_label
from .base import RawEvaluation, ReadOptions, indicator_column, is_blank, parsed_once, split_header, task_field
from .grid import Grid, open_workbook, read_docx_grid, read_sheet_grid

SUFFIXES = (".xlsx", ".xlsm", ".docx")
LOOKED_FOR = ("项目支出/部门整体支出绩效自评表（表头“一级指标”“三级指标”“年度指标值”“实际完成值”，"
              "或资金表头“年初预算数”“全年预算数”“全年执行数”）")

HEADER_FIELDS = {
    "项目名称": "project", "主管部门": "supervisor", "实施单位": "implementer", "资金使用单位": "implementer",
    "项目单位": "implementer", "部门名称": "unit_name", "单位名称": "unit_name", "预算单位": "unit_name",
    "填报单位": "unit_name",
}
FUNDS_COLUMNS = {
    "年初预算数": "initial", "全年预算数": "annual", "调整后预算数": "annual", "全年执行数": "spent",
    "执行数": "spent", "分值": "weight", "执行率": "rate", "预算执行率": "rate", "得分": "score",
}
GOAL_LABELS = ("年度总体目标", "总体目标", "年度绩效目标", "总体绩效目标")
TOTAL_LABELS = ("总分", "合计", "总计", "总得分")
TASK_FUNDS = ("预算数", "资金", "预算金额", "对应资金", "拟投入资金")
MONEY_HINTS = ("万元", "元", "亿元")


def _label(text: str) -> str:
    """A cell as a label: simplified, no spaces, no `（单位）` gloss, no trailing colon or hint."""
    name = plain_label(text)
    name = re.sub(r"\(单位\)|\(部门\)", "", name).rstrip(":：")
    return name


@parsed_once
def grid_of(path: Path) -> Grid:
    if path.suffix.lower() == ".docx":
        return read_docx_grid(path)
    book = open_workbook(path)
    grids = [read_sheet_grid(sheet, path.name) for sheet in book.worksheets]
    if not grids:
        raise DataErrors([DataError("工作簿中没有工作表", path.name)])
    return next((grid for grid in grids if _is_form(grid)), grids[0])


def _indicator_header(cells: list[str]) -> dict[int, tuple[str, str, str]]:
    columns: dict[int, tuple[str, str, str]] = {}
    for index, cell in enumerate(cells):
        if not cell:
            continue
        field, hint = indicator_column(cell)
        if field is not None and field not in [c[0] for c in columns.values()]:
            columns[index] = (field, cell, hint)
    fields = {c[0] for c in columns.values()}
    return columns if {"name", "target", "actual"} <= fields else {}


def _funds_header(cells: list[str]) -> dict[int, str]:
    columns = {}
    for index, cell in enumerate(cells):
        name, _ = split_header(cell)
        if name in FUNDS_COLUMNS and FUNDS_COLUMNS[name] not in columns.values():
            columns[index] = FUNDS_COLUMNS[name]
    return columns if {"spent"} <= set(columns.values()) and len(columns) >= 3 else {}


def _is_form(grid: Grid) -> bool:
    has_table = any(_indicator_header(cells) or _funds_header(cells) for _, cells in grid.rows)
    texts = [_label(t) for t in grid.texts()]
    has_head = any("自评表" in t for t in texts) or any(t in HEADER_FIELDS for t in texts)
    return has_table and has_head


def recognises(path: Path) -> bool:
    if path.suffix.lower() not in SUFFIXES:
        return False
    return _is_form(grid_of(path))


def read(path: Path, options: ReadOptions = ReadOptions()) -> RawEvaluation:
    grid = grid_of(path)
    raw = RawEvaluation(file=path.name, source_file=str(path))
    raw.warnings += grid.warnings
    _FormReader(grid, raw).read()
    return raw


class _FormReader:
    def __init__(self, grid: Grid, raw: RawEvaluation):
        self.grid, self.raw = grid, raw
        self.heads: dict[str, tuple[str, object]] = {}

    def read(self) -> None:
        grid, raw = self.grid, self.raw
        for text, number in grid.title:
            self._title(text, grid.where(number, "标题"))
        section = "head"
        funds: dict[int, str] = {}
        tasks: dict[int, tuple[str, str]] = {}
        indicators: dict[int, tuple[str, str, str]] = {}
        goal_columns: dict[str, int] = {}
        for number, cells in grid.rows:
            labels = [_label(c) for c in cells]
            header = _indicator_header(cells)
            if section == "done" and (header or _funds_header(cells) or "项目名称" in labels or "部门名称" in labels):
                # a second form in the same file (one table per project): read the first, say so
                self.raw.warnings.append(f"{grid.where(number, None).describe()}起是另一张自评表，未读入；"
                                         "请将每张自评表分别保存为一个文件")
                break
            if header:
                section, indicators = "indicators", header
                continue
            if _funds_header(cells):
                section, funds = "funds", _funds_header(cells)
                self._money_unit(cells, number)
                continue
            if any(t in GOAL_LABELS for t in labels) or ("预期目标" in labels and "实际完成情况" in labels):
                section = "goal"
                if "预期目标" in labels:
                    goal_columns = {"goal": labels.index("预期目标"),
                                    "result": labels.index("实际完成情况") if "实际完成情况" in labels else -1}
                continue
            task_header = self._task_header(cells)
            if task_header:
                section, tasks = "tasks", task_header
                continue
            if section == "indicators" and any(t in TOTAL_LABELS for t in labels):
                self._total(cells, number, indicators)
                section = "done"
                continue
            if section == "head":
                if any("自评表" in t or re.search(r"(?:19|20)\d{2}\s*年", t) for t in labels if t) \
                        and sum(1 for c in cells if c) == 1:
                    self._title(next(c for c in cells if c), grid.where(number, "标题"))
                self._head_fields(cells, labels, number)
            elif section == "funds":
                self._funds_row(cells, labels, number, funds)
            elif section == "goal":
                self._goal_row(cells, number, goal_columns)
            elif section == "tasks":
                self._task_row(cells, number, tasks)
            elif section == "indicators" and any(cells):
                self._indicator_row(cells, number, indicators)
        self._unit_name()

    def _title(self, text: str, where) -> None:
        self.raw.titles.append((text, where))
        label = _label(text)
        if "部门整体" in label:
            self.raw.profile.setdefault("report_type", ("部门整体", where))
        elif "项目" in label and "自评表" in label:
            self.raw.profile.setdefault("report_type", ("项目", where))

    def _head_fields(self, cells: list[str], labels: list[str], number: int) -> None:
        for index, label in enumerate(labels):
            field = HEADER_FIELDS.get(label)
            if field is None:
                continue
            value = next((c for c, l in zip(cells[index + 1:], labels[index + 1:]) if c and l not in HEADER_FIELDS), "")
            where = self.grid.where(number, cells[index])
            if value and field not in self.heads:
                self.heads[field] = (value, where)

    def _unit_name(self) -> None:
        for field in ("unit_name", "supervisor", "implementer"):
            if field in self.heads:
                self.raw.profile["unit_name"] = self.heads[field]
                break
        if "project" in self.heads:
            self.raw.profile["project"] = self.heads["project"]

    def _money_unit(self, cells: list[str], number: int) -> None:
        for cell in cells:
            _, hint = split_header(cell)
            if hint in MONEY_HINTS and "money_unit" not in self.raw.profile:
                self.raw.profile["money_unit"] = (hint, self.grid.where(number, cell))

    def _funds_row(self, cells: list[str], labels: list[str], number: int, funds: dict[int, str]) -> None:
        first = min(funds)
        label_at = next((k for k in range(first) if labels[k] and not _is_amount(labels[k])
                         and split_header(cells[k])[1] not in MONEY_HINTS), None)
        if label_at is None:
            return
        label = re.sub(r"^其中[:：]?", "", labels[label_at])
        values = {key: cells[index] if index < len(cells) else "" for index, key in funds.items()}
        where = {key: self.grid.where(number, f"{label}.{_FUNDS_NAMES[key]}") for key in funds.values()}
        raw = self.raw
        if any(word in label for word in ("资金总额", "总额", "合计", "总计")):
            for key, field in (("initial", "budget"), ("annual", "adjusted_budget"), ("spent", "spent"),
                               ("weight", "stated_budget_weight"), ("rate", "stated_execution_rate"),
                               ("score", "stated_budget_score")):
                if key in values and not is_blank(values[key]):
                    raw.profile[field] = (values[key], where[key])
            if "budget" in raw.profile and "adjusted_budget" in raw.profile \
                    and _same(raw.profile["budget"][0], raw.profile["adjusted_budget"][0]):
                del raw.profile["adjusted_budget"]              # 全年预算数 = 年初预算数: no adjustment
            return
        amount_key = "annual" if "annual" in values and not is_blank(values["annual"]) else "initial"
        if amount_key not in values or is_blank(values[amount_key]):
            return
        cell = (values[amount_key], where[amount_key])
        if "基本支出" in label or "项目支出" in label:
            raw.by_item.append(("基本支出" if "基本支出" in label else "项目支出", cell))
        else:
            raw.by_source.append((label, cell))

    def _goal_row(self, cells: list[str], number: int, columns: dict[str, int]) -> None:
        """The 预期目标 text (the 实际完成情况 prose beside it restates what the indicators hold)."""
        goal_at = columns.get("goal", 0)
        goal = next((c for k, c in enumerate(cells) if c and k >= goal_at and _label(c) not in GOAL_LABELS), "")
        if goal and "overall_goal" not in self.raw.profile:
            self.raw.profile["overall_goal"] = (goal, self.grid.where(number, "预期目标"))

    def _task_header(self, cells: list[str]) -> dict[int, tuple[str, str]]:
        columns = {}
        for index, cell in enumerate(cells):
            name, hint = split_header(cell)
            field = "funds" if name in TASK_FUNDS else task_field(cell)[0]
            if field is not None and field not in [c[0] for c in columns.values()]:
                columns[index] = (field, cell)
        return columns if "name" in [c[0] for c in columns.values()] and len(columns) >= 2 else {}

    def _task_row(self, cells: list[str], number: int, columns: dict[int, tuple[str, str]]) -> None:
        record = {field: (cells[index] if index < len(cells) else "", self.grid.where(number, label))
                  for index, (field, label) in columns.items()}
        if any(not is_blank(v) for v, _ in record.values()):
            self.raw.tasks.append(record)

    def _indicator_row(self, cells: list[str], number: int, columns: dict[int, tuple[str, str, str]]) -> None:
        record = {}
        for index, (field, label, _) in columns.items():
            record[field] = (cells[index] if index < len(cells) else "", self.grid.where(number, label))
        self.raw.indicators.append(record)

    def _total(self, cells: list[str], number: int, columns: dict[int, tuple[str, str, str]]) -> None:
        for index, (field, label, _) in columns.items():
            if field == "score" and index < len(cells) and not is_blank(cells[index]):
                self.raw.profile["stated_total"] = (cells[index], self.grid.where(number, f"总分.{label}"))


_FUNDS_NAMES = {"initial": "年初预算数", "annual": "全年预算数", "spent": "全年执行数", "weight": "分值",
                "rate": "执行率", "score": "得分"}


def _is_amount(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d.,]+(?:万元|万|元|%)?", text))


def _same(a: object, b: object) -> bool:
    try:
        return abs(float(str(a).replace(",", "").rstrip("万元")) - float(str(b).replace(",", "").rstrip("万元"))) < 1e-9
    except ValueError:
        return False
