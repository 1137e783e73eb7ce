"""A printed table as a grid of cell texts: a Word table, a worksheet, or tab-separated text.

Forms come as tables with merged cells. In every grid a merged cell's text sits in its first
(top-left) position and its continuations read blank, whatever the source: a Word cell spanning
grid columns or continuing a vertical merge (`word`), a merged range's other cells in a worksheet
(`sheets` reads only the cells present), and Word's tab-separated export writes blanks. Readers
of table layouts (the 申报表, the standard 自评表) walk these grids; `Grid.where` gives the
provenance a cell should cite. Every grid is held to `limits.SHEET` (rows, columns, characters in
a cell): a grid over one is refused naming the row and column.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..documents import decoded_text
from ..errors import DataError, DataErrors
from ..evaluation import Provenance
from ..limits import SHEET
from ..sheets import Book, Sheet, open_book
from ..word import WordDocument, read_word
from .base import parsed_once, text_of


class Grid:
    """Rows of cell texts with the row numbers and sheet name provenance should cite."""

    def __init__(self, file: str, sheet: str | None = None):
        self.file, self.sheet = file, sheet
        self.title: list[tuple[str, int]] = []          # text before the table (title lines)
        self.rows: list[tuple[int, list[str]]] = []
        self.warnings: list[str] = []                   # what the source says of itself (hidden sheets …)

    def where(self, row: int | None, column: str | None) -> Provenance:
        return Provenance(file=self.file, sheet=self.sheet, row=row, column=column)

    def texts(self) -> list[str]:
        """Every non-blank text of the grid, titles first (what a reader recognises a layout by)."""
        return [t for t, _ in self.title] + [c for _, cells in self.rows for c in cells if c]


def read_text_grid(path: Path, starts_table) -> Grid:
    """Tab-separated text: lines before the first one `starts_table(first_cell)` accepts are the title."""
    text = decoded_text(path)
    grid = Grid(path.name)
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in line.split("\t", SHEET.columns)]
        _check_row(grid, number, cells)
        if not in_table and not starts_table(cells[0]):
            if cells[0]:
                grid.title.append((cells[0], number))
            continue
        in_table = True
        grid.rows.append((number, cells))
    return _checked(grid)


def _check_row(grid: Grid, number: int, cells: list[str], lengths: bool = True) -> None:
    """A row within the grid limits: columns, and (with `lengths`) characters in each cell, else
    refused, located. A worksheet's cells are measured by the reader that knows their headers."""
    width = max((k for k, text in enumerate(cells, start=1) if text), default=0)
    if width > SHEET.columns:
        raise DataErrors([DataError(f"该行超过列数上限（{SHEET.columns}列）", grid.file, grid.sheet, number)])
    for column, text in enumerate(cells if lengths else (), start=1):
        if len(text) > SHEET.cell_chars:
            raise DataErrors([DataError(f"单元格有{len(text)}字，超过单元格字数上限（{SHEET.cell_chars}字）",
                                        grid.file, grid.sheet, number, f"第{column}列")])


def _checked(grid: Grid) -> Grid:
    if len(grid.rows) > SHEET.rows:
        raise DataErrors([DataError(f"表格超过行数上限（{SHEET.rows}行）", grid.file, grid.sheet)])
    return grid


open_workbook = parsed_once(open_book)          # a workbook, opened once for every reader that looks at it
open_word = parsed_once(read_word)              # a Word file, read once for every reader that looks at it


@parsed_once
def read_docx_grid(path: Path) -> Grid:
    """Every table of a Word file, outer tables before the tables nested in them, one after the
    other; a merged cell's continuations read blank."""
    document: WordDocument = open_word(path)
    tables = document.tables()
    grid = Grid(path.name, "表格1" if len(tables) == 1 else None)
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text.strip():
            grid.title.append((paragraph.text.strip(), number))
    offset = 0
    for table in tables:
        for r, row in enumerate(table.grid(), start=1):
            texts = ["" if cell is None or cell.merge == "continue" else cell.text.strip() for cell in row]
            _check_row(grid, offset + r, texts)
            grid.rows.append((offset + r, texts))
        offset += len(table.rows)
    return _checked(grid)


def read_sheet_grid(sheet: Sheet, file: str) -> Grid:
    """A worksheet (its cells present): row numbers as Excel shows them; merged continuations are blank."""
    grid = Grid(file, sheet.title)
    grid.warnings = sheet.warnings
    for number, row in sheet.rows:
        texts = []
        for cell in row:
            value = cell.value
            if isinstance(value, (dt.datetime, dt.date)):
                value = f"{value.year}年{value.month}月{value.day}日"
            elif isinstance(value, float) and "%" in (cell.number_format or "") and value == value \
                    and abs(value) != float("inf"):
                value = f"{value * 100:.{_percent_decimals(cell.number_format)}f}%"
            texts.append(text_of(value))
        _check_row(grid, number, texts, lengths=False)
        grid.rows.append((number, texts))
    return _checked(grid)


def _percent_decimals(number_format: str) -> int:
    if "." not in number_format:
        return 0
    return len(number_format.split(".")[1].split("%")[0].rstrip("_)"))


__all__ = ["Book", "Grid", "open_workbook", "open_word", "read_docx_grid", "read_sheet_grid", "read_text_grid"]
