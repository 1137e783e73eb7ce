"""A `DraftTable` as a real Word table: caption, a header row repeated on every page the table
spans, columns fitted to the text block, 小四 仿宋 cells (黑体 header, long labels on two lines),
一级/二级 cells merged down their runs of equal values, as the self-evaluation forms print them.

Cells are off the document grid (`w:snapToGrid` 0): a 小四 character on the 3号 grid would be
spread to a full grid cell. Column widths: `column_widths`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

from . import fonts
from .ooxml import CELL_ORDER, ROW_ORDER, TABLE_ORDER, set_property
from .page import GRID, TABLE_CAPTION_SIZE_PT, TABLE_SIZE_PT, TWIPS_PER_PT
from .paragraphs import BODY, TextStyle, add_paragraph

CELL = TextStyle(fonts.BODY, TABLE_SIZE_PT, align="center", indent=False, on_grid=False,
                 line_twips=round(TABLE_SIZE_PT * TWIPS_PER_PT * 1.25))
HEADER = replace(CELL, font=fonts.HEADING_1)
CAPTION = replace(BODY, font=fonts.HEADING_1, size_pt=TABLE_CAPTION_SIZE_PT, align="center", indent=False,
                  on_grid=False, keep_next=True)
TEXT_COLUMN_HEADERS = {"三级指标"}           # the column of running text: left-aligned, takes the width left over
MERGED_HEADERS = ("一级指标", "二级指标")    # merged down runs of equal values, as the forms print them
CELL_MARGIN_TWIPS = round(TABLE_SIZE_PT * TWIPS_PER_PT / 4)   # a quarter character left and right
FIT_SLACK_CHARS = 0.5           # digits and Latin letters are a little wider than half a character
HEADER_LINE_CHARS = 4
BORDER_EIGHTHS_PT = 4                       # 0.5 pt lines


def add_table(document, table) -> None:

    add_paragraph(document, table.caption, CAPTION)
    columns = len(table.header)
    word_table = document.add_table(rows=1 + len(table.rows), cols=columns)
    _table_properties(word_table._tbl)
    text_column = next((c for c, h in enumerate(table.header) if h in TEXT_COLUMN_HEADERS), None)
    widths = column_widths(table.header, table.rows, GRID.text_width, text_column)
    for column, width in zip(word_table.columns, widths):
        column.width = Twips(width)
    for r, cells in enumerate([table.header, *table.rows]):
        row = word_table.rows[r]
        tr_pr = row._tr.get_or_add_trPr()
        set_property(tr_pr, "cantSplit", ROW_ORDER)
        if r == 0:
            set_property(tr_pr, "tblHeader", ROW_ORDER)
        for c, text in enumerate(cells[:columns]):
            cell = row.cells[c]
            cell.width = Twips(widths[c])
            if r == 0:
                _cell_text(cell, header_lines(text), HEADER)
            else:
                _cell_text(cell, [text], replace(CELL, align="left") if c == text_column else CELL)
    _merge_runs(word_table, table)


def _table_properties(tbl) -> None:

    tbl_pr = tbl.tblPr
    set_property(tbl_pr, "tblW", TABLE_ORDER, w=GRID.text_width, type="dxa")
    set_property(tbl_pr, "jc", TABLE_ORDER, val="center")
    borders = set_property(tbl_pr, "tblBorders", TABLE_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for name, value in (("val", "single"), ("sz", BORDER_EIGHTHS_PT), ("space", 0), ("color", "000000")):
            line.set(qn(f"w:{name}"), str(value))
        borders.append(line)
    set_property(tbl_pr, "tblLayout", TABLE_ORDER, type="fixed")
    margins = set_property(tbl_pr, "tblCellMar", TABLE_ORDER)
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)


def _cell_text(cell, lines: list[str], style: TextStyle) -> None:
    cell._tc.remove(cell.paragraphs[0]._p)          # python-docx starts each cell with an empty paragraph
    for line in lines:
        add_paragraph(cell, line, style)
    set_property(cell._tc.get_or_add_tcPr(), "vAlign", CELL_ORDER, val="center")


def _merge_runs(word_table, table) -> None:
    """Merge each run of equal 一级 (and, within it, 二级) cells into one vertical cell."""
    for header in MERGED_HEADERS:
        if header not in table.header:
            continue
        column = table.header.index(header)
        keys = [tuple(row[:column + 1]) for row in table.rows]
        start = 0
        for end in range(1, len(keys) + 1):
            if end == len(keys) or keys[end] != keys[start]:
                if end - start > 1:
                    top, bottom = word_table.cell(start + 1, column), word_table.cell(end, column)
                    for r in range(start + 2, end + 1):          # keep one copy of the text
                        _clear(word_table.cell(r, column))
                    top.merge(bottom)
                start = end


def _clear(cell) -> None:
    for paragraph in cell.paragraphs:
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)


def column_widths(header: list[str], rows: list[list[str]], total: int, text_column: int | None = None) -> list[int]:
    """Twips per column summing to `total`: each column as wide as its header's longest line and
    its typical (third-quartile) cell; the text column (三级指标) takes what is left, at least its
    header. A longer cell wraps within its column."""
    def twips(characters: float) -> float:
        return (characters + FIT_SLACK_CHARS) * TABLE_SIZE_PT * TWIPS_PER_PT + 2 * CELL_MARGIN_TWIPS

    def typical(column: int) -> float:
        widths = sorted(display_width(row[column]) for row in rows if column < len(row))
        return widths[int(0.75 * (len(widths) - 1))] if widths else 0.0

    heads = [max(display_width(line) for line in header_lines(h)) for h in header]
    need = [twips(max(heads[c], typical(c))) for c in range(len(header))]
    if text_column is not None:
        need[text_column] = max(twips(heads[text_column]), total - sum(need) + need[text_column])
    widths = [n * total / sum(need) for n in need]
    rounded = [int(w) for w in widths]
    rounded[rounded.index(max(rounded))] += total - sum(rounded)
    return rounded


def header_lines(label: str) -> list[str]:
    """A header longer than `HEADER_LINE_CHARS` on two lines after its first word of two
    characters (`年度` / `指标值`), as the forms print it; shorter ones on one line."""
    if display_width(label) <= HEADER_LINE_CHARS:
        return [label]
    return [label[:2], label[2:]]


def display_width(text: str) -> float:
    """Characters as a CJK character counts them: full-width 1, half-width (digits, Latin) ½."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text or "")
