"""Regenerate the example .xlsx files from their .yaml, and the 申报表 .docx from its .txt.

    .venv/bin/python examples/make_xlsx.py

The YAML (and the seed's .txt) are the sources: the generated files are committed too, and
tests/test_actuals.py checks that every format of an example loads to the same Evaluation.
XLSX layout: `基本信息` (字段 | 值), `绩效指标` (one indicator a row; repeated 一级/二级 cells are
merged, as printed forms do), `重点任务` and `资金明细` (类别 来源|用途, 名称, 金额（万元）).
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
XLSX_EXAMPLES = ("2023_港澳办_部门整体", "2023_商协会服务集聚区_项目")
DECLARATION = "2024_港澳办_申报表"

PROFILE_ORDER = ("单位名称", "年度", "报告类型", "项目名称", "金额单位", "预算安排", "调整后预算", "实际支出",
                 "预算执行率", "自评得分", "评价等级", "部门职能", "总体绩效目标", "政策依据")
MONEY_FIELDS = ("预算安排", "调整后预算", "实际支出")
SHEETS = ("绩效指标", "重点任务", "资金来源", "资金用途")      # keys written to their own sheets
INDICATOR_ORDER = ("一级指标", "二级指标", "三级指标", "年度指标值", "单位", "实际完成值", "完成率", "分值", "得分",
                   "偏差原因", "关联任务")


def _percent_number(text: str) -> float:
    return float(str(text).rstrip("%")) / 100


def write_xlsx(yaml_path: Path, xlsx_path: Path) -> None:
    data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    book = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    info = book.active
    info.title = "基本信息"
    info.append(["字段", "值"])
    keys = [k for k in PROFILE_ORDER if k in data] + [k for k in data if k not in PROFILE_ORDER and k not in SHEETS]
    for key in keys:
        value = data[key]
        if key == "政策依据":
            value = "\n".join(value)
        info.append([key, value])
        cell = info.cell(info.max_row, 2)
        if key in MONEY_FIELDS:
            cell.number_format = "0.00"
        elif key == "预算执行率":          # a real percent cell: 0.9966 shown as 99.66%
            cell.value, cell.number_format = _percent_number(value), "0.00%"
        cell.alignment = wrap
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 14, 90

    sheet = book.create_sheet("绩效指标")
    rows = data.get("绩效指标", [])
    columns = [c for c in INDICATOR_ORDER if any(c in row for row in rows)]
    sheet.append(columns)
    previous: dict[str, object] = {}
    spans: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        values = []
        for column in columns:
            value = row.get(column)
            if column in ("一级指标", "二级指标"):
                same_block = value == previous.get(column) and (
                    column == "一级指标" or row.get("一级指标") == previous.get("一级指标"))
                if same_block:
                    value = None                       # merged below, as a printed form shows it
                else:
                    _merge(sheet, columns.index(column) + 1, spans.get(column), number - 1)
                    spans[column] = number
            values.append(value)
        sheet.append(values)
        for column in ("一级指标", "二级指标"):
            previous[column] = row.get(column)
        if "完成率" in columns and row.get("完成率") is not None:      # a percent-formatted number
            cell = sheet.cell(number, columns.index("完成率") + 1)
            cell.value, cell.number_format = _percent_number(row["完成率"]), "0%"
    for column in ("一级指标", "二级指标"):
        if column in columns:
            _merge(sheet, columns.index(column) + 1, spans.get(column), len(rows) + 1)
    for index, width in enumerate((10, 14, 44, 18, 6, 12, 8, 6, 6, 30, 30)[: len(columns)], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width

    tasks = data.get("重点任务", [])
    if tasks:
        task_sheet = book.create_sheet("重点任务")
        task_sheet.append(["名称", "主要内容", "资金（万元）", "目标"])
        for task in tasks:
            task_sheet.append([task.get("名称"), task.get("主要内容"), task.get("资金"), task.get("目标")])
            task_sheet.cell(task_sheet.max_row, 3).number_format = "0.00"

    if data.get("资金来源") or data.get("资金用途"):
        money = book.create_sheet("资金明细")
        money.append(["类别", "名称", "金额（万元）"])
        for category, key in (("来源", "资金来源"), ("用途", "资金用途")):
            for name, amount in (data.get(key) or {}).items():
                money.append([category, name, amount])
                money.cell(money.max_row, 3).number_format = "0.00"

    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = bold
    book.save(xlsx_path)


def _merge(sheet, column: int, start: int | None, end: int) -> None:
    if start is not None and end > start:
        sheet.merge_cells(start_row=start, start_column=column, end_row=end, end_column=column)


def write_declaration_docx(txt_path: Path, docx_path: Path) -> None:
    """The 申报表 as a Word table: the .txt grid, with the blank continuation cells merged.

    Text before the first table row (the title) becomes paragraphs. A label followed by blank cells
    to the end of its row is merged across; a label in the first two columns is merged down over
    the blank cells below it (a block stops at a row that starts a new label or is entirely blank).
    The .txt's misplaced `时效指标` row is kept as it is: the importer must cope with it either way.
    """
    from docx import Document

    lines = txt_path.read_text(encoding="utf-8-sig").splitlines()
    title = [line.strip() for line in lines if line.strip() and "\t" not in line]
    first_row = next(k for k, line in enumerate(lines) if "\t" in line)
    grid = [line.split("\t") for line in lines[first_row:]]
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    while grid and not any(c.strip() for c in grid[-1]):
        grid.pop()

    document = Document()
    for line in title[:1]:
        document.add_heading(line, level=1)
    table = document.add_table(rows=len(grid), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    # horizontal: a label whose row is blank to the right
    for r, row in enumerate(grid):
        filled = [c for c, text in enumerate(row) if text.strip()]
        if filled and filled[-1] < width - 1 and len(filled) <= 2 and filled[0] <= 1:
            last = filled[-1]
            table.cell(r, last).merge(table.cell(r, width - 1))
    # vertical: first two columns, a label over the blank cells below it
    for c in (0, 1):
        r = 0
        while r < len(grid):
            if grid[r][c].strip() and not _is_spanned(grid[r], c):
                end = r
                while end + 1 < len(grid) and not grid[end + 1][c].strip() and any(x.strip() for x in grid[end + 1]) \
                        and not any(x.strip() for x in grid[end + 1][:c]) and _continues(grid, end + 1, c):
                    end += 1
                if end > r:
                    table.cell(r, c).merge(table.cell(end, c))
                r = end + 1
            else:
                r += 1
    document.save(docx_path)


def _is_spanned(row: list[str], c: int) -> bool:
    """A label merged across the row (nothing to its right) is not merged down as well."""
    return not any(x.strip() for x in row[c + 1:])


def _continues(grid: list[list[str]], r: int, c: int) -> bool:
    """Row r continues the block above in column c: it has content to the right of c, none left of it."""
    return any(x.strip() for x in grid[r][c + 1:]) and (c == 0 or not grid[r][0].strip())


def main() -> int:
    for stem in XLSX_EXAMPLES:
        source = HERE / f"{stem}.yaml"
        if source.exists():
            write_xlsx(source, HERE / f"{stem}.xlsx")
            print(f"写入 {stem}.xlsx")
    txt = HERE / f"{DECLARATION}.txt"
    if txt.exists():
        write_declaration_docx(txt, HERE / f"{DECLARATION}.docx")
        print(f"写入 {DECLARATION}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
