"""Excel workbooks (.xlsx/.xlsm) read from their XML: only the cells present, within stated limits.

`open_book(path)` checks the archive (`archives.open_archive`), then reads the workbook's sheet
list (names, hidden or not), shared strings and number formats. `Book.sheet(name).rows` streams
each worksheet once (lxml `iterparse`, elements cleared as they are read) and keeps the rows that
hold a value, each a dense list of `SheetCell` from column A to its last value.

Never the declared dimension: a sheet that declares `A1:XFD1048576` over six rows reads six rows.
A cell more than `SHEET.stray_gap` empty rows below the table (or columns right of it) is a stray:
left out, and named in `Sheet.warnings`. Over `SHEET.rows` rows or `SHEET.columns` columns the
sheet is refused with a message naming the limit. A cell the XML holds but no reader can use (a
shared-string index that does not exist, `abc` in a number cell, a date serial no calendar has)
keeps its raw text with a `problem` saying why; a formula with no calculated value keeps its
formula. Hidden sheets, rows and columns are read as any other, and `Sheet.warnings` says so.
A DTD, nesting deeper than `limits.XML_DEPTH` and malformed XML are refused naming the sheet.
"""
from __future__ import annotations

import datetime as dt
import re
import types
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .archives import (
    has_part,
    local,
    main_part,
    open_archive,
    open_part,
    part_elements,
    relationship_id,
    relationships,
    xml_events,
)
from .errors import DataError, DataErrors
from .limits import SHEET

LAST_SERIAL = 2958465                 # 9999-12-31, the last date Excel has
REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
INTEGER = re.compile(r"[+-]?\d{1,300}")
HIDDEN_SHOWN = 5                      # hidden rows named in a warning (then “等N行”)


@lru_cache(maxsize=1)
def _openpyxl():
    """openpyxl's cell-address, number-format and date helpers, imported when a workbook is first read."""
    import openpyxl.styles.numbers as numbers  # heavy: openpyxl (~200 ms with numpy) loads only for a workbook
    import openpyxl.utils.cell as cell  # heavy: see above
    import openpyxl.utils.datetime as dates  # heavy: see above
    return types.SimpleNamespace(BUILTIN_FORMATS=numbers.BUILTIN_FORMATS, is_date_format=numbers.is_date_format,
                                 get_column_letter=cell.get_column_letter,
                                 column_index_from_string=cell.column_index_from_string,
                                 CALENDAR_MAC_1904=dates.CALENDAR_MAC_1904,
                                 CALENDAR_WINDOWS_1900=dates.CALENDAR_WINDOWS_1900, from_excel=dates.from_excel)


@dataclass(slots=True)
class SheetCell:
    row: int
    column: int
    value: object = None              # str, int, float, bool, datetime or None
    number_format: str = "General"
    formula: str | None = None        # a formula with no calculated value in the file
    problem: str | None = None        # why the cell cannot be read (then `value` is its raw text)

    @property
    def coordinate(self) -> str:
        return f"{_openpyxl().get_column_letter(self.column)}{self.row}"


@dataclass
class Sheet:
    title: str
    state: str = "visible"                                  # visible | hidden | veryHidden
    rows: list[tuple[int, list[SheetCell]]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)     # hidden rows that hold a value
    hidden_columns: list[int] = field(default_factory=list)  # hidden columns that hold a value
    stray: list[str] = field(default_factory=list)           # coordinates of stray cells left out

    @property
    def warnings(self) -> list[str]:
        out = []
        name = f"工作表“{self.title}”"
        if self.state != "visible":
            out.append(f"{name}是隐藏的工作表，已照常读取（请确认其内容应当计入）")
        if self.hidden_rows:
            shown = "、".join(f"第{r}行" for r in self.hidden_rows[:HIDDEN_SHOWN])
            more = f"等{len(self.hidden_rows)}行" if len(self.hidden_rows) > HIDDEN_SHOWN else ""
            out.append(f"{name}的{shown}{more}是隐藏行，已照常读取（请确认其内容应当计入）")
        if self.hidden_columns:
            shown = "、".join(f"{_openpyxl().get_column_letter(c)}列" for c in self.hidden_columns[:HIDDEN_SHOWN])
            out.append(f"{name}的{shown}是隐藏列，已照常读取（请确认其内容应当计入）")
        if self.stray:
            shown = "、".join(self.stray[:HIDDEN_SHOWN]) + (f"等{len(self.stray)}个" if len(self.stray) > HIDDEN_SHOWN else "")
            out.append(f"{name}的单元格{shown}离表格太远（相隔超过{SHEET.stray_gap}个空行或空列），"
                       "不属于表格，已忽略")
        return out


def _refusal(file: str, sheet: str | None, reason: str) -> DataErrors:
    return DataErrors([DataError(reason, file, sheet=sheet)])


@dataclass
class _Styles:
    formats: list[str] = field(default_factory=list)        # cellXfs index → number format code

    def format_of(self, index: str | None) -> str:
        try:
            return self.formats[int(index)] if index is not None else "General"
        except (ValueError, IndexError):
            return "General"


class Book:
    """A workbook's sheet list, shared strings and styles; each worksheet parsed once, when asked."""

    def __init__(self, path: Path):
        self.path, self.file = path, path.name
        self.strings: list[str] = []
        self.styles = _Styles()
        self.epoch = _openpyxl().CALENDAR_WINDOWS_1900
        self._parts: dict[str, str] = {}                      # sheet name → part name
        self.states: dict[str, str] = {}
        self._read: dict[str, Sheet] = {}
        with open_archive(path, "Excel") as archive:
            self._workbook(archive)

    @property
    def sheetnames(self) -> list[str]:
        return list(self._parts)

    @property
    def worksheets(self) -> list[Sheet]:
        return [self.sheet(name) for name in self._parts]

    def __getitem__(self, name: str) -> Sheet:
        return self.sheet(name)

    def sheet(self, name: str) -> Sheet:
        if name not in self._read:
            with zipfile.ZipFile(self.path) as archive:
                self._read[name] = _SheetReader(self, name, self.states[name]).read(archive, self._parts[name])
        return self._read[name]

    # -- the workbook part, its relationships, shared strings and styles --------------------------

    def _refuse(self, reason: str):
        return lambda detail: _refusal(self.file, None, f"{reason}{detail}")

    def _elements(self, archive, part: str, label: str):
        if not has_part(archive, part):
            raise _refusal(self.file, None, f"工作簿缺少部件“{part}”（{label}），文件已损坏")
        return part_elements(archive, part, self._refuse(f"{label}（{part}）"))

    def _workbook(self, archive) -> None:
        refuse = self._refuse("工作簿的部件关系")
        main = main_part(archive, refuse, "xl/workbook.xml")
        rels = relationships(archive, main, refuse)
        sheets = []
        for element in self._elements(archive, main, "工作簿目录"):
            tag = local(element.tag)
            if tag == "sheet":
                rid = relationship_id(element)
                sheets.append((element.get("name") or "", element.get("state") or "visible", rid))
            elif tag == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = _openpyxl().CALENDAR_MAC_1904
        for name, state, rid in sheets:
            kind, target = rels.get(rid, ("", ""))
            if kind.endswith("/worksheet") and target:
                self._parts[name], self.states[name] = target, state
        for kind, target in rels.values():
            if kind.endswith("/sharedStrings") and has_part(archive, target):
                self.strings = [_text_of(si) for si in self._elements(archive, target, "共享字符串")
                                if local(si.tag) == "si"]
            elif kind.endswith("/styles") and has_part(archive, target):
                self.styles = self._read_styles(archive, target)

    def _read_styles(self, archive, part: str) -> _Styles:
        custom: dict[int, str] = {}
        formats: list[str] = []
        for element in self._elements(archive, part, "样式"):
            tag = local(element.tag)
            if tag == "numFmt":
                try:
                    custom[int(element.get("numFmtId", ""))] = element.get("formatCode") or "General"
                except ValueError:
                    continue
            elif tag == "xf" and local(element.getparent().tag) == "cellXfs":
                try:
                    number = int(element.get("numFmtId") or 0)
                except ValueError:
                    number = 0
                formats.append(custom.get(number) or _openpyxl().BUILTIN_FORMATS.get(number, "General"))
        return _Styles(formats)


MAIN_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
NAMES = {f"{{{ns}}}{name}": name for ns in MAIN_NS for name in ("v", "f", "is", "t", "r", "rPh")}


def _text_of(element) -> str:
    """The text of a shared string or an inline string: its `t` elements and its runs' (not the
    phonetic runs, `rPh`)."""
    out = []
    for child in element:
        name = NAMES.get(child.tag)
        if name == "t":
            out.append(child.text or "")
        elif name == "r":
            out += [t.text or "" for t in child if NAMES.get(t.tag) == "t"]
    return "".join(out)


@lru_cache(maxsize=20_000)
def _column_index(letters: str) -> int:
    return _openpyxl().column_index_from_string(letters.upper())


class _SheetReader:
    def __init__(self, book: Book, title: str, state: str):
        self.book, self.sheet = book, Sheet(title, state)
        self.hidden_ranges: list[tuple[int, int]] = []
        self.last_row = 0                   # the last row kept
        self.width = 0                      # the last column of any row kept
        self.beyond = False                 # past a gap: everything after is stray
        self.hidden_seen: set[int] = set()

    def refuse(self, reason: str) -> DataErrors:
        return _refusal(self.book.file, self.sheet.title, reason)

    def read(self, archive, part: str) -> Sheet:
        if not has_part(archive, part):
            raise self.refuse(f"工作表的部件“{part}”不存在，文件已损坏")
        with open_part(archive, part) as stream:
            for element in xml_events(stream, lambda reason: self.refuse(f"工作表{reason}"), ("{*}row", "{*}col")):
                if local(element.tag) == "col":
                    if element.get("hidden") in ("1", "true"):
                        try:
                            self.hidden_ranges.append((int(element.get("min") or 0), int(element.get("max") or 0)))
                        except ValueError:
                            pass
                    continue
                cells, column = [], 0
                for child in element.iterchildren("{*}c"):
                    cell = self.cell(element, child, column + 1)
                    column = cell.column
                    if cell.value is not None or cell.formula is not None:
                        cells.append(cell)
                self.row(element, cells)
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        self.sheet.hidden_columns.sort()
        return self.sheet

    def row(self, element, cells: list[SheetCell]) -> None:
        if not cells:
            return
        number = cells[0].row
        if self.beyond or (self.last_row and number - self.last_row > SHEET.stray_gap):
            self.beyond = True
            self.sheet.stray += [c.coordinate for c in cells]
            return
        kept, previous = [], 0
        for cell in cells:
            if cell.column - max(previous, self.width) > SHEET.stray_gap:
                self.sheet.stray.append(cell.coordinate)
                continue
            kept.append(cell)
            previous = cell.column
        if not kept:
            return
        if kept[-1].column > SHEET.columns:
            raise self.refuse(f"第{number}行有{kept[-1].column}列，超过列数上限（{SHEET.columns}列）")
        if len(self.sheet.rows) >= SHEET.rows:
            raise self.refuse(f"有值的行超过行数上限（{SHEET.rows}行）")
        self.last_row, self.width = number, max(self.width, kept[-1].column)
        dense = [SheetCell(number, k) for k in range(1, kept[-1].column + 1)]
        for cell in kept:
            dense[cell.column - 1] = cell
            if cell.column not in self.hidden_seen and any(lo <= cell.column <= hi for lo, hi in self.hidden_ranges):
                self.hidden_seen.add(cell.column)
                self.sheet.hidden_columns.append(cell.column)
        if element.get("hidden") in ("1", "true"):
            self.sheet.hidden_rows.append(number)
        self.sheet.rows.append((number, dense))

    def cell(self, row_element, element, next_column: int) -> SheetCell:
        reference = element.get("r") or ""
        match = REFERENCE.fullmatch(reference)
        row = self.last_row + 1
        column = next_column
        if match:
            column, row = _column_index(match.group(1)), int(match.group(2))
        elif (row_element.get("r") or "").isdigit():
            row = int(row_element.get("r"))
        cell = SheetCell(row, column, number_format=self.book.styles.format_of(element.get("s")))
        kind = element.get("t") or "n"
        value = formula = inline = None
        for child in element:
            tag = NAMES.get(child.tag)
            if tag == "v":
                value = child.text
            elif tag == "f":
                formula = child.text or ""
            elif tag == "is":
                inline = _text_of(child)
        if kind == "inlineStr":
            cell.value = inline if inline is not None else value
        elif value is None:
            if formula is not None:
                cell.formula = "=" + formula if formula else "=（共享公式）"
        elif kind == "s":
            self._shared(cell, value)
        elif kind in ("str", "e"):
            cell.value = value
        elif kind == "b":
            cell.value = value.strip() in ("1", "true")
        elif kind == "d":
            try:
                cell.value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                cell.value, cell.problem = value, "不是有效的日期"
        else:
            self._number(cell, value)
        return cell

    def _shared(self, cell: SheetCell, value: str) -> None:
        strings = self.book.strings
        index = value.strip()
        if index.isdigit() and int(index) < len(strings):
            cell.value = strings[int(index)]
        else:
            cell.value, cell.problem = value, f"引用的共享字符串（序号{value[:20]}）在文件中不存在，文件已损坏"

    def _number(self, cell: SheetCell, value: str) -> None:
        text = value.strip()
        try:
            number = int(text) if INTEGER.fullmatch(text) else float(text)
        except ValueError:
            cell.value, cell.problem = value, "存为数字，但内容不是数字"
            return
        if _openpyxl().is_date_format(cell.number_format) and number == number and abs(number) != float("inf"):
            if not 0 <= number <= LAST_SERIAL:
                cell.value, cell.problem = value, f"是日期格式，但日期序号{text[:20]}不对应任何日期"
                return
            try:
                cell.value = _openpyxl().from_excel(number, self.book.epoch)
            except (ValueError, OverflowError):
                cell.value, cell.problem = value, f"是日期格式，但日期序号{text[:20]}不对应任何日期"
            return
        cell.value = number


def open_book(path: Path) -> Book:
    """The workbook at `path`, its archive checked (a file over a limit, or no workbook, is refused)."""
    return Book(Path(path))
