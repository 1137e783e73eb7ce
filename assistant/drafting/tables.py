"""Tables a section carries beside its text: the indicator table of the indicators section.

A `DraftTable` is data (caption, header, rows of printed cells), not text: the export prints it as
a Markdown table or a real Word table. Its cells are printed by `printing`, the same forms the
ledger records, and the table goes through the figure checker like any text (as the Markdown
table it prints as, each figure read in its column's role); a cell the checker cannot verify is
marked 【待核实：…】. Cells copied verbatim from the data are the data. The section's own text is
not touched.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from .. import printing
from ..figures import Ledger, check, mark
from ..vocabulary import LEVEL1_ORDER, LEVEL2_ORDER
from .context import DraftContext

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "得分")
INDICATOR_CAPTION = "绩效指标完成情况表"
# Where the indicator table sits in the indicators section: before this heading of the template's
# text (the department's 管理效率分析), else after the section's text.
INDICATOR_TABLE_BEFORE = {"部门整体": "（三）管理效率分析"}
EMPTY_CELL = "—"
PENDING_CELL = "待确认"          # an indicator whose cells await the officer (a review item)
VERBATIM_HEADERS = ("一级指标", "二级指标", "年度指标值")     # cells copied from the data as they are


class DraftTable(BaseModel):
    caption: str
    header: list[str]
    rows: list[list[str]]
    before: str | None = None            # the section line the table is printed before; None: after the text
    status: Literal["verified", "marked"] = "verified"

    def markdown_lines(self) -> list[str]:
        lines = [_markdown_row(self.header), "|" + "---|" * len(self.header)]
        return lines + [_markdown_row(row) for row in self.rows]


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(text: str | None) -> str:
    """One line of cell text; a `|` would end the cell in Markdown, so it is printed full-width."""
    text = re.sub(r"\s+", " ", (text or "").strip()).replace("|", "｜")
    return text or EMPTY_CELL


def indicator_table(ctx: DraftContext) -> DraftTable | None:
    """Every indicator with its target, actual, completion and score, grouped by 一级 and 二级
    indicator as the self-evaluation forms print them; None without indicators."""
    evaluation, card = ctx.evaluation, ctx.card
    if not card.indicators:
        return None
    rows = []
    for scored in sorted(card.indicators, key=_form_order):
        indicator = evaluation.indicators[scored.index]
        if scored.pending:          # a cell awaits the officer: none of its figures is stated as a fact
            actual, completion, points = PENDING_CELL, "", ""
        else:
            actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual is not None else ""
            completion = printing.rate(scored.completion) if scored.completion is not None else ""
            points = printing.points(scored.score).removesuffix("分") if scored.score is not None else ""
        rows.append([_cell(c) for c in (scored.level1, scored.level2, scored.name, indicator.target.text,
                                        actual, completion, points)])
    return DraftTable(caption=INDICATOR_CAPTION, header=list(INDICATOR_HEADER), rows=rows,
                      before=INDICATOR_TABLE_BEFORE.get(ctx.report_type))


def _form_order(scored) -> tuple[int, int, int]:
    def rank(name: str, order: tuple[str, ...]) -> int:
        candidates = (name, f"{name}指标")
        return next((k for k, known in enumerate(order) if known in candidates), len(order))
    return rank(scored.level1, LEVEL1_ORDER), rank(scored.level2, LEVEL2_ORDER), scored.index


def verified_table(table: DraftTable, ledger: Ledger) -> DraftTable:
    """The table checked as the Markdown table it prints as; unverified cells marked 【待核实：…】.

    Cells copied verbatim from the data (`VERBATIM_HEADERS`: the levels and the target as the
    form wrote it, `﹦100` with its unit in another column, `需控制在6.5次/10万公顷`) are the data
    cell itself; the checker reads the columns the product printed (actual, completion, score),
    each against the indicator its row names."""
    verbatim = {c for c, header in enumerate(table.header) if header in VERBATIM_HEADERS}
    checked = table.model_copy(update={"rows": [[EMPTY_CELL if c in verbatim else cell for c, cell in enumerate(row)]
                                                for row in table.rows]})
    text = "\n".join(checked.markdown_lines())
    result = check(text, ledger)
    if result.ok:
        return table
    marked_lines = mark(text, result).split("\n")[2:]
    marked = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in marked_lines]
    rows = [[original[c] if c in verbatim else marked_row[c] for c in range(len(original))]
            for original, marked_row in zip(table.rows, marked)]
    return table.model_copy(update={"rows": rows, "status": "marked"})


def section_tables(ctx: DraftContext, key: str) -> list[DraftTable]:
    """The tables section `key` carries, checked against the draft's ledger."""
    if key != "indicators":
        return []
    table = indicator_table(ctx)
    return [verified_table(table, ctx.ledger)] if table is not None else []
