"""Regenerate the example .xlsx files from their .yaml, the 申报表 .docx from its .txt, and each
example as the standard 绩效自评表 (.xlsx and .docx).

    .venv/bin/python examples/make_xlsx.py

The YAML (and the seed's .txt) are the sources: the generated files are committed too, and
tests/test_actuals.py checks that every format of an example loads to the same Evaluation.
XLSX layout: `基本信息` (字段 | 值), `绩效指标` (one indicator a row; repeated 一级/二级 cells are
merged, as printed forms do), `重点任务` and `资金明细` (类别 来源|用途, 名称, 金额（万元）).

The 自评表 (`…_自评表.xlsx` / `.docx`) is the one table officers hold after the year (domain.md): title
and year, 项目名称 / 主管部门 / 实施单位 (or 部门（单位）名称 and the 年度主要任务), the funds block
(年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分), 年度总体目标, the indicators grouped by level with
merged 一级/二级 cells carrying the level points (`产出指标(50分)`), and 总分. Only figures the YAML holds
are printed: the budget row's 分值 is the usual 10 and its 得分 is left blank, as are 分值/得分 of rows
the report gives none for; the level points are the default weights the YAML's scoring uses.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from assistant.scoring import ScoringRules

HERE = Path(__file__).resolve().parent
XLSX_EXAMPLES = ("2023_港澳办_部门整体", "2023_商协会服务集聚区_项目")
SELF_EVALUATION_SUFFIX = "_自评表"
LEVEL_ORDER = ("产出指标", "效益指标", "满意度指标", "成本指标")
WIDTH = 9           # 标签 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
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


# --- the standard 自评表 --------------------------------------------------------------------------------

class Form:
    """A table as rows of texts plus merged rectangles (row, column, last row, last column), 0-based."""

    def __init__(self):
        self.rows: list[list[str]] = []
        self.merges: list[tuple[int, int, int, int]] = []

    def row(self, cells: list[tuple[str, int]]) -> int:
        """Append a row of (text, columns spanned); returns its index."""
        texts, column = [], 0
        r = len(self.rows)
        for text, span in cells:
            texts += [text] + [""] * (span - 1)
            if span > 1:
                self.merges.append((r, column, r, column + span - 1))
            column += span
        self.rows.append(texts + [""] * (WIDTH - len(texts)))
        return r

    def merge_down(self, column: int, first: int, last: int) -> None:
        if last > first:
            self.merges.append((first, column, last, column))


def _money_text(value) -> str:
    return "" if value is None else f"{float(value):.2f}"


def self_evaluation_form(data: dict) -> Form:
    department = data.get("报告类型") == "部门整体"
    form = Form()
    form.row([("部门整体支出绩效自评表" if department else "项目支出绩效自评表", WIDTH)])
    form.row([(f"（{data['年度']}年度）", WIDTH)])
    if department:
        form.row([("部门（单位）名称", 2), (data["单位名称"], WIDTH - 2)])
        tasks = data.get("重点任务") or []
        first = form.row([("年度主要任务", 1), ("任务名称", 2), ("主要内容", 4), ("预算数（万元）", 2)])
        for task in tasks:
            form.row([("", 1), (task["名称"], 2), (task.get("主要内容", ""), 4), (_money_text(task.get("资金")), 2)])
        form.merge_down(0, first, len(form.rows) - 1)
    else:
        form.row([("项目名称", 2), (data["项目名称"], WIDTH - 2)])
        form.row([("主管部门", 2), (data["单位名称"], 3), ("实施单位", 1), (data["单位名称"], 3)])
    funds_label = "年度部门整体支出预算执行情况（万元）" if department else "项目资金（万元）"
    first = form.row([(funds_label, 1), ("", 2), ("年初预算数", 1), ("全年预算数", 1), ("全年执行数", 1), ("分值", 1),
                      ("执行率", 1), ("得分", 1)])
    budget, spent = data.get("预算安排"), data.get("实际支出")
    rate = data.get("预算执行率", "")
    form.row([("", 1), ("年度资金总额", 2), (_money_text(budget), 1), (_money_text(data.get("调整后预算", budget)), 1),
              (_money_text(spent), 1), ("10", 1), (str(rate), 1), ("", 1)])
    for label in (("其中：基本支出", "项目支出") if department else ("其中：当年财政拨款", "上年结转资金", "其他资金")):
        amount = (data.get("资金用途") or {}).get(label.removeprefix("其中："))
        form.row([("", 1), (label, 2), ("—" if amount is None else _money_text(amount), 1), ("—", 1), ("—", 1),
                  ("—", 1), ("—", 1), ("—", 1)])
    form.merge_down(0, first, len(form.rows) - 1)
    first = form.row([("年度总体目标", 1), ("预期目标", 4), ("实际完成情况", 4)])
    form.row([("", 1), (data.get("总体绩效目标", ""), 4), ("（见绩效指标完成情况）", 4)])
    form.merge_down(0, first, len(form.rows) - 1)
    first = form.row([("绩效指标", 1), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("年度指标值", 1),
                      ("实际完成值", 1), ("分值", 1), ("得分", 1), ("偏差原因分析及改进措施", 1)])
    rows = sorted(data.get("绩效指标", []), key=lambda r: LEVEL_ORDER.index(r["一级指标"]))
    points = _level_points(rows)
    spans: dict[int, int] = {}
    previous: dict[int, object] = {}
    for row in rows:
        r = len(form.rows)
        target = str(row["年度指标值"]) + (row.get("单位", "") if row.get("单位") else "")
        level1 = row["一级指标"] + (f"（{points[row['一级指标']]:g}分）" if row["一级指标"] in points else "")
        keys = {1: row["一级指标"], 2: (row["一级指标"], row.get("二级指标"))}
        cells = ["", level1, row.get("二级指标", ""), row["三级指标"], target, str(row.get("实际完成值", "")),
                 _money_text(row.get("分值")).removesuffix(".00"), _money_text(row.get("得分")).removesuffix(".00"),
                 row.get("偏差原因", "")]
        for column in (1, 2):
            if keys[column] == previous.get(column):
                cells[column] = ""
            else:
                if column in spans:
                    form.merge_down(column, spans[column], r - 1)
                spans[column] = r
            previous[column] = keys[column]
        form.rows.append(cells)
    for column, start in spans.items():
        form.merge_down(column, start, len(form.rows) - 1)
    form.merge_down(0, first, len(form.rows) - 1)
    total = data.get("自评得分")
    form.row([("总分", 6), ("100", 1), ("" if total is None else f"{total:g}", 1), ("", 1)])
    return form


def _level_points(rows: list[dict]) -> dict[str, float]:
    """The level points scoring gives these rows by default (domain.md: 产出 50, 效益 30, 满意度 10 of the 90
    left after budget execution, rescaled over the levels present); printed only when they are whole points."""
    if any(row.get("分值") is not None for row in rows):
        return {}
    levels = list(dict.fromkeys(row["一级指标"] for row in rows))
    defaults = ScoringRules().level1_weights
    scale = 90 / sum(defaults[level] for level in levels)
    points = {level: defaults[level] * scale for level in levels}
    return points if all(float(p).is_integer() for p in points.values()) else {}


def write_self_evaluation_xlsx(yaml_path: Path, xlsx_path: Path) -> None:
    write_form_xlsx(self_evaluation_form(yaml.safe_load(yaml_path.read_text(encoding="utf-8"))), xlsx_path)


def write_self_evaluation_docx(yaml_path: Path, docx_path: Path) -> None:
    """The same table pasted into Word, as officers publish it: merged cells and all."""
    write_form_docx(self_evaluation_form(yaml.safe_load(yaml_path.read_text(encoding="utf-8"))), docx_path)


def write_form_xlsx(form: Form, xlsx_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    wrap = Alignment(wrap_text=True, vertical="center")
    for texts in form.rows:
        sheet.append([text or None for text in texts])
    for r1, c1, r2, c2 in form.merges:
        sheet.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate((12, 12, 12, 40, 16, 14, 8, 8, 30), start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet["A1"].font = Font(bold=True, size=14)
    book.save(xlsx_path)


def write_form_docx(form: Form, docx_path: Path) -> None:
    """A form as a Word table: its first two rows (title, year) as paragraphs above the table."""
    from docx import Document

    document = Document()
    title, year = form.rows[0][0], form.rows[1][0]
    document.add_heading(title, level=1)
    document.add_paragraph(year)
    body = form.rows[2:]
    table = document.add_table(rows=len(body), cols=WIDTH)
    table.style = "Table Grid"
    for r1, c1, r2, c2 in form.merges:
        if r1 >= 2:
            table.cell(r1 - 2, c1).merge(table.cell(r2 - 2, c2))
    for r, texts in enumerate(body):
        for c, text in enumerate(texts):
            if text:
                table.cell(r, c).text = text
    document.save(docx_path)


def main() -> int:
    for stem in XLSX_EXAMPLES:
        source = HERE / f"{stem}.yaml"
        if source.exists():
            write_xlsx(source, HERE / f"{stem}.xlsx")
            print(f"写入 {stem}.xlsx")
    for stem in XLSX_EXAMPLES:
        source = HERE / f"{stem}.yaml"
        if source.exists():
            write_self_evaluation_xlsx(source, HERE / f"{stem}{SELF_EVALUATION_SUFFIX}.xlsx")
            write_self_evaluation_docx(source, HERE / f"{stem}{SELF_EVALUATION_SUFFIX}.docx")
            print(f"写入 {stem}{SELF_EVALUATION_SUFFIX}.xlsx、.docx")
    txt = HERE / f"{DECLARATION}.txt"
    if txt.exists():
        write_declaration_docx(txt, HERE / f"{DECLARATION}.docx")
        print(f"写入 {DECLARATION}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
