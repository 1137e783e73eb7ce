"""A printed table as a grid of cell texts: a Word table, a worksheet, or tab-separated text.

Forms come as tables with merged cells. In every grid a merged cell's text sits in its first
(top-left) position and its continuations read blank, whatever the source: python-docx repeats
the same `_tc` for a merged Word cell (blanked here), openpyxl leaves a merged range's other cells
empty, and Word's tab-separated export writes blanks. Readers of table layouts (the 申报表, the
standard 自评表) walk these grids; `Grid.where` gives the provenance a cell should cite.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ..documents import decoded_text
from ..errors import DataError, DataErrors
from ..evaluation import Provenance
from .base import parsed_once, text_of


class Grid:
    """Rows of cell texts with the row numbers and sheet name provenance should cite."""

    def __init__(self, file: str, sheet: str | None = None):
        self.file, self.sheet = file, sheet
        self.title: list[tuple[str, int]] = []          # text before the table (title lines)
        self.rows: list[tuple[int, list[str]]] = []

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
        cells = [c.strip() for c in line.split("\t")]
        if not in_table and not starts_table(cells[0]):
            if cells[0]:
                grid.title.append((cells[0], number))
            continue
        in_table = True
        grid.rows.append((number, cells))
    return grid


@parsed_once
def open_docx(path: Path):
    try:
        return docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a damaged file
        raise DataErrors([DataError("无法读取Word文件：文件已损坏，或不是 .docx 格式的Word文档"
                                    "（可用Word打开后另存为 .docx 再上传）", path.name)]) from error


@parsed_once
def open_workbook(path: Path, data_only: bool = True):
    """A workbook, opened once for every reader that looks at it (values, or formulas with `data_only=False`)."""
    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise DataErrors([DataError("无法读取Excel文件：文件已损坏，或不是 .xlsx 格式的Excel工作簿"
                                    "（可用Excel打开后另存为 .xlsx 再上传）", path.name)]) from error


@parsed_once
def read_docx_grid(path: Path) -> Grid:
    """Every table of a Word file, one after the other; a merged cell's continuations read blank."""
    document = open_docx(path)
    tables = document.tables
    grid = Grid(path.name, "表格1" if len(tables) == 1 else None)
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text.strip():
            grid.title.append((paragraph.text.strip(), number))
    offset = 0
    for table in tables:
        previous = None
        for r, row in enumerate(table.rows, start=1):
            cells = row.cells
            texts = []
            for c, cell in enumerate(cells):
                spanned = (c > 0 and cells[c - 1]._tc is cell._tc) or \
                    (previous is not None and c < len(previous) and previous[c]._tc is cell._tc)
                texts.append("" if spanned else cell.text.strip())
            previous = cells
            grid.rows.append((offset + r, texts))
        offset += len(table.rows)
    return grid


def read_sheet_grid(sheet, file: str) -> Grid:
    """A worksheet (openpyxl, values): row numbers as Excel shows them; merged continuations are blank."""
    grid = Grid(file, sheet.title)
    for row in sheet.iter_rows():
        if not row:
            continue
        texts = []
        for cell in row:
            value = cell.value
            if isinstance(value, (dt.datetime, dt.date)):
                value = f"{value.year}年{value.month}月{value.day}日"
            elif isinstance(value, float) and "%" in (cell.number_format or ""):
                value = f"{value * 100:.{_percent_decimals(cell.number_format)}f}%"
            texts.append(text_of(value))
        grid.rows.append((row[0].row, texts))
    return grid


def _percent_decimals(number_format: str) -> int:
    if "." not in number_format:
        return 0
    return len(number_format.split(".")[1].split("%")[0].rstrip("_)"))
