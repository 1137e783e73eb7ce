"""Word files (.docx) read from their XML: paragraphs and tables in body order, nested tables too.

`read_word(path)` checks the archive (`archives.open_archive`), then streams `word/document.xml`
once (lxml `iterparse`, each row cleared once read), so memory follows the text, not the XML
tree. It never walks python-docx's `row.cells` (which follows a vertical merge up the rows by
recursion: 3000 chained merges ran into a RecursionError): a cell records its own grid span and
merge mark, and readers resolve them row by row.

A table inside a cell is kept in `WordCell.tables`; `WordDocument.tables()` lists every table,
outer first. Limits (`limits.DOCUMENT`, `limits.SHEET.columns`): rows of one table, tables
nested in tables, grid columns of one row, XML nesting; a DTD and malformed XML are refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .archives import has_part, local, main_part, open_archive, open_part, part_elements, relationships, xml_events
from .errors import DataError, DataErrors
from .limits import DOCUMENT, SHEET

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class WordParagraph:
    text: str
    style: str = ""                          # the style's name (`heading 1`, `Title`), else its id


@dataclass
class WordCell:
    text: str = ""
    span: int = 1                            # grid columns the cell covers
    merge: str | None = None                 # None, "restart" (top of a vertical merge) or "continue"
    tables: list["WordTable"] = field(default_factory=list)    # tables nested in the cell
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class WordTable:
    number: int                              # 1-based, in document order (outer tables first)
    depth: int                               # 1: in the body; 2: inside a cell of a table …
    rows: list[list[WordCell]] = field(default_factory=list)

    def grid(self) -> list[list[WordCell | None]]:
        """Each row by grid column: a cell in its first column, None in the others it spans."""
        out = []
        for row in self.rows:
            columns: list[WordCell | None] = []
            for cell in row:
                columns.append(cell)
                columns += [None] * (cell.span - 1)
            out.append(columns)
        return out


@dataclass
class WordDocument:
    blocks: list[WordParagraph | WordTable] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[WordParagraph]:
        return [b for b in self.blocks if isinstance(b, WordParagraph)]

    def tables(self) -> list[WordTable]:
        """Every table, each followed by the tables nested in it (document order)."""
        out: list[WordTable] = []
        pending = [b for b in reversed(self.blocks) if isinstance(b, WordTable)]
        while pending:
            table = pending.pop()
            out.append(table)
            nested = [t for row in table.rows for cell in row for t in cell.tables]
            pending += reversed(nested)
        return out


TEXT_TAGS = ("{*}t", "{*}tab", "{*}br", "{*}cr")


def _val(element) -> str | None:
    return element.get(f"{{{W_NS}}}val")


class _Walker:
    """One pass over document.xml. A paragraph in the body is read at its end; a table at its end,
    with its rows and cells (a nested table was read at its own end and waits in `nested`); a row's
    end counts the rows of its table against the limit."""

    def __init__(self, file: str, styles: dict[str, str]):
        self.file, self.styles = file, styles
        self.document = WordDocument()
        self.rows: dict[object, int] = {}               # an open table → rows so far
        self.nested: dict[object, WordTable] = {}       # a nested table's element → the table read

    def refuse(self, reason: str) -> DataErrors:
        return DataErrors([DataError(reason, self.file)])

    def element(self, element) -> None:
        tag = local(element.tag)
        if tag == "tr":
            table = element.getparent()
            self.rows[table] = self.rows.get(table, 0) + 1
            if self.rows[table] > DOCUMENT.table_rows:
                raise self.refuse(f"表格超过行数上限（{DOCUMENT.table_rows}行）")
        elif tag == "p":
            if next(element.iterancestors("{*}tc", "{*}p"), None) is None:     # else read with its cell or paragraph
                self.document.blocks.append(WordParagraph(_text(element), self._style(element)))
                _clear(element)
        elif tag == "tbl":
            depth = sum(1 for _ in element.iterancestors("{*}tbl")) + 1
            if depth > DOCUMENT.table_nesting:
                raise self.refuse(f"表格套表格超过嵌套层数上限（{DOCUMENT.table_nesting}层）")
            table = self._table(element, depth)
            self.rows.pop(element, None)
            if depth == 1:
                self.document.blocks.append(table)
                _clear(element)
            else:
                self.nested[element] = table

    def _style(self, paragraph) -> str:
        style = next(paragraph.iterchildren("{*}pPr"), None)
        style = next(style.iterchildren("{*}pStyle"), None) if style is not None else None
        name = (_val(style) or "") if style is not None else ""
        return self.styles.get(name, name)

    def _table(self, element, depth: int) -> WordTable:
        table = WordTable(0, depth)
        for tr in element.iterchildren("{*}tr"):
            row: list[WordCell] = []
            for tc in tr.iterchildren("{*}tc"):
                cell = WordCell()
                for child in tc:
                    name = local(child.tag)
                    if name == "tcPr":
                        self._properties(child, cell)
                    elif name == "p":
                        cell.paragraphs.append(_text(child))
                # the tables nested in this cell (directly, or inside a content control); theirs are taken
                cell.tables = [self.nested.pop(t) for t in tc.iterdescendants("{*}tbl") if t in self.nested]
                cell.text = "\n".join(cell.paragraphs)
                row.append(cell)
            width = sum(c.span for c in row)
            if width > SHEET.columns:
                raise self.refuse(f"表格第{len(table.rows) + 1}行跨{width}列，超过列数上限（{SHEET.columns}列）")
            table.rows.append(row)
        return table

    @staticmethod
    def _properties(properties, cell: WordCell) -> None:
        for child in properties:
            name = local(child.tag)
            if name == "gridSpan":
                try:
                    cell.span = max(1, min(int(_val(child) or 1), SHEET.columns + 1))
                except ValueError:
                    cell.span = 1
            elif name == "vMerge":
                cell.merge = "restart" if _val(child) == "restart" else "continue"


def _text(paragraph) -> str:
    """A paragraph's text, as python-docx reads it: its runs' text, tabs and breaks (not the text of a
    text box anchored in it)."""
    out = []
    boxed = next(paragraph.iter("{*}txbxContent"), None) is not None
    for node in paragraph.iter(*TEXT_TAGS):
        if boxed and next(node.iterancestors("{*}txbxContent"), None) is not None:
            continue
        name = local(node.tag)
        if name == "t":
            out.append(node.text or "")
        elif local(node.getparent().tag) == "r":            # not a tab stop of the paragraph's settings
            out.append("\t" if name == "tab" else "\n")
    return "".join(out)


def _clear(element) -> None:
    """Free what has been read: the element's content and the siblings before it."""
    parent = element.getparent()
    element.clear()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _styles(archive, document_part: str, refuse) -> dict[str, str]:
    """style id → style name, from the document's styles part (none: {})."""
    names: dict[str, str] = {}
    for kind, target in relationships(archive, document_part, refuse).values():
        if kind.endswith("/styles") and has_part(archive, target):
            for element in part_elements(archive, target, refuse):
                if local(element.tag) == "style":
                    name = next((c.get(f"{{{W_NS}}}val") for c in element if local(c.tag) == "name"), None)
                    names[element.get(f"{{{W_NS}}}styleId") or ""] = name or ""
    return names


def read_word(path: Path) -> WordDocument:
    """The paragraphs and tables of the Word file at `path` (refused, with the reason, when it is
    no Word file or is over a limit)."""
    path = Path(path)

    def refuse(reason: str) -> DataErrors:
        return DataErrors([DataError(f"Word文件{reason}", path.name)])
    with open_archive(path, "Word") as archive:
        part = main_part(archive, refuse, "word/document.xml")
        if not has_part(archive, part):
            raise refuse("缺少正文部件（word/document.xml），文件已损坏，或不是 .docx 格式")
        walker = _Walker(path.name, _styles(archive, part, refuse))
        with open_part(archive, part) as stream:
            for element in xml_events(stream, lambda reason: refuse(f"正文{reason}"), ("{*}p", "{*}tr", "{*}tbl")):
                walker.element(element)
    number = 0
    for table in walker.document.tables():
        number += 1
        table.number = number
    return walker.document
