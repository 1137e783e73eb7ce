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


class _Walker:
    """The state of one pass over document.xml: open tables, rows, cells and paragraphs."""

    def __init__(self, file: str, styles: dict[str, str]):
        self.file, self.styles = file, styles
        self.document = WordDocument()
        self.tables: list[WordTable] = []
        self.cells: list[WordCell] = []
        self.paragraphs: list[tuple[list[str], list[str]]] = []     # (text parts, [style])
        self.count = 0

    def refuse(self, reason: str) -> DataErrors:
        return DataErrors([DataError(reason, self.file)])

    def start(self, tag: str, element) -> None:
        if tag == "tbl":
            if len(self.tables) >= DOCUMENT.table_nesting:
                raise self.refuse(f"表格套表格超过嵌套层数上限（{DOCUMENT.table_nesting}层）")
            self.count += 1
            self.tables.append(WordTable(self.count, len(self.tables) + 1))
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if len(table.rows) >= DOCUMENT.table_rows:
                raise self.refuse(f"表格{table.number}超过行数上限（{DOCUMENT.table_rows}行）")
            table.rows.append([])
        elif tag == "tc" and self.tables and self.tables[-1].rows:
            cell = WordCell()
            self.tables[-1].rows[-1].append(cell)
            self.cells.append(cell)
        elif tag == "p":
            self.paragraphs.append(([], [""]))

    def end(self, tag: str, element) -> None:
        parent = local(element.getparent().tag) if element.getparent() is not None else ""
        if tag == "t" and self.paragraphs and parent == "r":
            self.paragraphs[-1][0].append(element.text or "")
        elif tag == "tab" and self.paragraphs and parent == "r":
            self.paragraphs[-1][0].append("\t")
        elif tag in ("br", "cr") and self.paragraphs and parent == "r":
            self.paragraphs[-1][0].append("\n")
        elif tag == "pStyle" and self.paragraphs and parent == "pPr":
            style = element.get(f"{{{W_NS}}}val") or ""
            self.paragraphs[-1][1][0] = self.styles.get(style, style)
        elif tag == "gridSpan" and self.cells and parent == "tcPr":
            self._span(element)
        elif tag == "vMerge" and self.cells and parent == "tcPr":
            self.cells[-1].merge = "restart" if element.get(f"{{{W_NS}}}val") == "restart" else "continue"
        elif tag == "p" and self.paragraphs:
            self._paragraph()
        elif tag == "tc" and self.cells:
            cell = self.cells.pop()
            cell.text = "\n".join(cell.paragraphs)
        elif tag == "tbl" and self.tables:
            table = self.tables.pop()
            (self.cells[-1].tables if self.cells else self.document.blocks).append(table)

    def _span(self, element) -> None:
        try:
            span = int(element.get(f"{{{W_NS}}}val") or 1)
        except ValueError:
            span = 1
        row = self.tables[-1].rows[-1]
        self.cells[-1].span = max(1, min(span, SHEET.columns + 1))
        if sum(c.span for c in row) > SHEET.columns:
            table = self.tables[-1]
            raise self.refuse(f"表格{table.number}第{len(table.rows)}行跨{sum(c.span for c in row)}列，"
                              f"超过列数上限（{SHEET.columns}列）")

    def _paragraph(self) -> None:
        parts, style = self.paragraphs.pop()
        text = "".join(parts)
        if self.paragraphs:                                   # a text box inside a paragraph
            if text:
                self.paragraphs[-1][0].append(" " + text)
        elif self.cells:
            self.cells[-1].paragraphs.append(text)
        elif not self.tables:
            self.document.blocks.append(WordParagraph(text, style[0]))


def _styles(archive, document_part: str, refuse) -> dict[str, str]:
    """style id → style name, from the document's styles part (none: {})."""
    names: dict[str, str] = {}
    for kind, target in relationships(archive, document_part, refuse).values():
        if kind.endswith("/styles") and has_part(archive, target):
            for element in part_elements(archive, target, refuse, 32):
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
    with open_archive(path, "Word文件") as archive:
        part = main_part(archive, refuse, "word/document.xml")
        if not has_part(archive, part):
            raise refuse("缺少正文部件（word/document.xml），文件已损坏，或不是 .docx 格式")
        walker = _Walker(path.name, _styles(archive, part, refuse))
        with open_part(archive, part) as stream:
            for event, element in xml_events(stream, lambda reason: refuse(f"正文{reason}"), DOCUMENT.xml_depth):
                tag = local(element.tag)
                if event == "start":
                    walker.start(tag, element)
                    continue
                walker.end(tag, element)
                if tag in ("tr", "p", "tbl", "sdt"):
                    parent = element.getparent()
                    element.clear()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
    return walker.document
