"""XLSX workbooks: sheet `基本信息` (field/value rows) and sheet `绩效指标` (one indicator a row).

Optional sheets: `重点任务` (名称, 主要内容, 资金, 目标) and `资金明细` (类别 = 来源|用途, 名称, 金额).
Provenance: the sheet name, the spreadsheet row (1-based) and the column header as printed; in
`基本信息` the column is the field label as printed (`实际支出`). The workbook is read once, by
`sheets` (only the cells present, within `limits.SHEET`): a formula cell Excel never calculated, or
a cell its XML breaks (a missing shared string, `abc` stored as a number, a date serial no calendar
has), becomes a `CellProblem` naming the cell, which validation turns into a review item; a cell
longer than `SHEET.cell_chars` is an error naming it. What `sheets` says of a sheet (hidden, hidden
rows or columns, stray cells left out) becomes a warning.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path


from ..errors import DataError
from ..evaluation import Provenance
from ..limits import SHEET
from .base import (
    CellProblem,
    RawEvaluation,
    ReadOptions,
    clean,
    indicator_column,
    is_blank,
    profile_field_hint,
    split_header,
    task_field,
    text_of,
    unit_hint,
    with_unit_hint,
)
from .grid import open_workbook

SHEET_NAMES = {
    "profile": ("基本信息", "基本情况", "profile"),
    "indicators": ("绩效指标", "指标", "绩效指标表", "indicators"),
    "tasks": ("重点任务", "年度重点工作任务", "tasks"),
    "breakdown": ("资金明细", "资金来源及用途", "breakdown"),
}
BREAKDOWN_COLUMNS = {
    "category": ("类别", "类型", "category"),
    "name": ("名称", "项目", "name"),
    "amount": ("金额", "预算金额", "amount"),
}


class _Sheet:
    """One worksheet as `sheets` reads it (the cells present), its values as the readers want them."""

    def __init__(self, sheet, raw: RawEvaluation):
        self.sheet, self.raw, self.title = sheet, raw, sheet.title

    def rows(self):
        return iter(self.sheet.rows)

    def value(self, cell, column_label: str) -> object:
        value = cell.value
        if cell.formula is not None:
            return CellProblem(cell.formula, f"（单元格{cell.coordinate}）是公式，但文件中没有计算结果（文件未经Excel计算保存）："
                                             "请在Excel中打开并保存后再导入，或改填数值")
        if cell.problem is not None:
            return CellProblem(str(value), f"（单元格{cell.coordinate}）{cell.problem}")
        if value is None:
            return None
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, (int, float)):
            fmt = cell.number_format or ""
            if isinstance(value, float) and (value != value or abs(value) == float("inf")):
                return value
            if "%" in fmt:
                decimals = len(re.search(r"\.(0*)", fmt).group(1)) if "." in fmt else 0
                return f"{value * 100:.{decimals}f}%"
            match = re.fullmatch(r"[#,]*0\.(0+)", fmt)
            if match and isinstance(value, float):
                return f"{value:.{len(match.group(1))}f}"
            return value
        if isinstance(value, (dt.datetime, dt.date)):
            return f"{value.year}年{value.month}月{value.day}日"
        if isinstance(value, str) and len(value) > SHEET.cell_chars:
            self.raw.errors.append(DataError(f"单元格{cell.coordinate}有{len(value)}字，超过单元格字数上限"
                                             f"（{SHEET.cell_chars}字）", self.raw.file, self.title, cell.row,
                                             column_label))
            return None
        return value


def _find_sheet(workbook, kind: str):
    wanted = SHEET_NAMES[kind]
    for name in workbook.sheetnames:
        if split_header(name)[0] in wanted:
            return name
    return None


def _header_row(sheet: _Sheet, lookup, required: str, scan: int = 10):
    """The first row (within `scan`) whose headers include `required`: {column index: (field, label, hint)}."""
    for number, row in sheet.rows():
        if number > scan:
            break
        columns = {}
        for index, cell in enumerate(row):
            if is_blank(cell.value):
                continue
            field, hint = lookup(cell.value)
            if field is not None and field not in [c[0] for c in columns.values()]:
                columns[index] = (field, text_of(cell.value), hint)
        if required in [c[0] for c in columns.values()]:
            return number, columns, row
    return None, {}, ()


SUFFIXES = (".xlsx", ".xlsm")
LOOKED_FOR = "绩效数据工作簿（工作表“基本信息”“绩效指标”）"


def recognises(path: Path) -> bool:
    """A workbook with a `基本信息` or a `绩效指标` sheet (a file that is no workbook is reported as such)."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    workbook = open_workbook(path)
    return any(_find_sheet(workbook, kind) for kind in ("profile", "indicators"))


def read(path: Path, options: ReadOptions = ReadOptions()) -> RawEvaluation:
    values = open_workbook(path)
    raw = RawEvaluation(file=path.name, source_file=str(path))

    names = {kind: _find_sheet(values, kind) for kind in SHEET_NAMES}
    for kind, label in (("profile", "基本信息"), ("indicators", "绩效指标")):
        if names[kind] is None:
            raw.warnings.append(f"缺少工作表“{label}”（现有：{'、'.join(values.sheetnames)}）")
    sheets = {kind: _Sheet(values[name], raw) for kind, name in names.items() if name}
    for sheet in sheets.values():
        raw.warnings += sheet.sheet.warnings

    if "profile" in sheets:
        _read_profile(sheets["profile"], raw)
    if "indicators" in sheets:
        _read_table(sheets["indicators"], raw, indicator_column, "name", "三级指标", raw.indicators)
    if "tasks" in sheets:
        _read_table(sheets["tasks"], raw, task_field, "name", "名称", raw.tasks)
    if "breakdown" in sheets:
        _read_breakdown(sheets["breakdown"], raw)
    return raw


def _read_profile(sheet: _Sheet, raw: RawEvaluation) -> None:
    for number, row in sheet.rows():
        if len(row) < 1 or is_blank(row[0].value):
            continue
        label = text_of(row[0].value)
        if clean(label) in ("字段", "项目", "名称", "field", "key") and number <= 2:
            continue                                            # a header row: 字段 | 值
        field, hint = profile_field_hint(label)
        value = sheet.value(row[1], label) if len(row) > 1 else None
        where = Provenance(file=raw.file, sheet=sheet.title, row=number, column=label)
        if field is None:
            raw.warnings.append(f"工作表“{sheet.title}”第{number}行的字段“{label}”未识别，已忽略")
        elif field == "policy_basis":
            for line in str(value or "").splitlines():
                raw.policy_basis.append((line.strip(), where))
        elif field in ("tasks", "by_source", "by_item", "indicators"):
            raw.warnings.append(f"工作表“{sheet.title}”第{number}行的“{label}”请填在单独的工作表中，已忽略")
        else:
            if field == "functions" and isinstance(value, str):
                value = value.strip()
            raw.profile[field] = (with_unit_hint(value, hint), where)


def _read_table(sheet: _Sheet, raw: RawEvaluation, lookup, required: str, required_label: str,
                out: list) -> None:
    header_number, columns, header = _header_row(sheet, lookup, required)
    if header_number is None:
        raw.warnings.append(f"工作表“{sheet.title}”中找不到表头“{required_label}”，未读入")
        return
    for index, cell in enumerate(header):
        if index not in columns and not is_blank(cell.value):
            raw.warnings.append(f"工作表“{sheet.title}”的列“{text_of(cell.value)}”未识别，已忽略")
    for field, _, hint in columns.values():
        if field in ("target", "actual") and unit_hint(hint):
            raw.column_units[field] = unit_hint(hint)
    for number, row in sheet.rows():
        if number <= header_number:
            continue
        if all(is_blank(c.value) and c.formula is None for c in row):
            continue
        record = {}
        for index, (field, label, hint) in columns.items():
            value = sheet.value(row[index], label) if index < len(row) else None
            if field in ("stated_completion", "funds", "amount"):
                value = with_unit_hint(value, hint)
            record[field] = (value, Provenance(file=raw.file, sheet=sheet.title, row=number, column=label))
        out.append(record)


def _breakdown_column(label: object) -> tuple[str | None, str]:
    name, hint = split_header(label)
    for field, aliases in BREAKDOWN_COLUMNS.items():
        if name in aliases:
            return field, hint
    return None, hint


def _read_breakdown(sheet: _Sheet, raw: RawEvaluation) -> None:
    rows: list[dict] = []
    _read_table(sheet, raw, _breakdown_column, "amount", "金额", rows)
    for record in rows:
        category, where = record.get("category", (None, None))
        name = text_of(record.get("name", ("", None))[0])
        amount = record["amount"]
        kind = clean(category)
        if "来源" in kind:
            raw.by_source.append((name, amount))
        elif "用途" in kind or "支出" in kind or "明细" in kind:
            raw.by_item.append((name, amount))
        else:
            raw.problem("资金明细的类别应为“来源”或“用途”，该行未读入", where or amount[1], category)
