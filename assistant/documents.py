"""The one document reader family: a file's text, whatever its format.

`read_document(path)` gives a `Document`: the text and, where the format has them, locations
(`(start, end, label)` spans: pdf pages, xlsx sheet and row). The corpus chunks it, the CLI checks
and audits it; the CSV and 申报表 loaders decode their text files with `decoded_text`.

| suffix | text |
|---|---|
| .txt .md | the decoded file (UTF-8 with or without BOM, else GB18030), line ends as `\n`; binary, UTF-16 or mixed encodings refused, naming the line |
| .docx | body paragraphs and tables in document order (`word`: nested tables too); Heading styles become `#` headings, table rows tab-separated lines |
| .pdf | the text layer (pypdf), page by page |
| .xlsx | each sheet a `## sheet` section, each data row `表头: 值；…` (`sheets`: the cells present) |

Office files are checked as archives before any part is parsed (`archives`), and every reader
keeps to `limits`: a file over a limit is refused with a message naming it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


from .errors import DataError, DataErrors
from .limits import DOCUMENT
from .sheets import open_book
from .word import WordParagraph, WordTable, read_word


@dataclass
class Document:
    text: str
    locations: list[tuple[int, int, str]] = field(default_factory=list)   # pdf pages, xlsx sheet/row


def decode(data: bytes) -> str | None:
    """Bytes of a text file as UTF-8 (with or without BOM) or GB18030, as Excel and Word write them;
    None when neither reads them, or when they are no text (`text_problem`)."""
    if text_problem(data) is not None:
        return None
    return _as_text(data)


def _as_text(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
CONTROLS = frozenset(range(32)) - {9, 10, 11, 12, 13, 26}     # C0 controls a text file never holds


def text_problem(data: bytes, controls: bool = True) -> tuple[str, int | None] | None:
    """Why `data` is no UTF-8 or GB18030 text, and the line where it shows (None when it is text).
    `controls=False` leaves control characters to the caller (a data table names their cell)."""
    if data.startswith(UTF16_MARKS):
        return "文件是UTF-16编码（记事本的“Unicode”），请另存为UTF-8", None
    position = next((k for k, byte in enumerate(data[:1 << 20]) if byte in CONTROLS), None) if controls else None
    if position is None and controls and len(data) > 1 << 20:
        position = next((k for k, byte in enumerate(data) if byte in CONTROLS), None)
    if position is not None:
        return "文件含有控制字符（如空字节），不是文本文件（可能是二进制文件或UTF-16编码）", _line_at(data, position)
    try:
        data.decode("utf-8-sig")
        return None
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        data.decode("gb18030")
        return None
    except UnicodeDecodeError:
        pass
    line = _line_at(data, utf8_error.start)
    return "该行不是UTF-8编码，整个文件也不是GB18030编码（请将文件整体存为UTF-8或GB18030）", line


def _line_at(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1 if b"\n" in data else data.count(b"\r", 0, position) + 1


def decoded_bytes(data: bytes, file: str, controls: bool = True) -> str:
    """`data` as text (UTF-8 or GB18030); an error naming the file and, where known, the line.
    `controls=False`: control characters pass (the caller refuses them naming their cell)."""
    problem = text_problem(data, controls)
    if problem is not None:
        reason, line = problem
        raise DataErrors([DataError(reason, file, row=line)])
    return _as_text(data) or ""


def _bounded_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > DOCUMENT.text_bytes:
        raise DataErrors([DataError(f"文本文件有{size / 1024 ** 2:.1f}MB，超过文本文件大小上限"
                                    f"（{DOCUMENT.text_bytes // 1024 ** 2}MB）", path.name)])
    return path.read_bytes()


def decoded_text(path: Path) -> str:
    """A text file's text (UTF-8 or GB18030), as typed; an error naming the file (and the line where it
    shows) when it is neither, is binary, or is over `DOCUMENT.text_bytes`."""
    return decoded_bytes(_bounded_bytes(path), path.name)


def read_text_file(path: Path) -> str:
    """A text file's text (UTF-8 or GB18030), line ends as `\n`; undecodable bytes replaced (for a
    best-effort scan; `read_document` refuses such a file)."""
    data = path.read_bytes()
    text = decode(data)
    if text is None:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(path: Path) -> Document:
    return Document(decoded_text(path).replace("\r\n", "\n").replace("\r", "\n"))


def _heading(paragraph: WordParagraph) -> str:
    """A paragraph as a line: Title and Heading N styles become Markdown headings."""
    text, style = paragraph.text.strip(), paragraph.style or ""
    level = re.match(r"(?:heading|标题)\s*(\d)", style, re.IGNORECASE)
    if style.lower() in ("title", "标题"):
        return "# " + text
    if level:
        return "#" * min(int(level.group(1)) + 1, 6) + " " + text
    return text


def _table_lines(table: WordTable) -> list[str]:
    """A Word table as tab-separated lines, a spanned cell once, a vertical merge's text on each of its
    rows; the tables nested in a cell follow the row that holds them."""
    out: list[str] = []
    above: dict[int, str] = {}                     # grid column → the text of the merge that covers it
    for row in table.grid():
        cells: list[str] = []
        nested: list[WordTable] = []
        for column, cell in enumerate(row):
            if cell is None:
                continue                           # a merged cell repeats itself across the span
            text = re.sub(r"\s+", " ", cell.text).strip()
            if cell.merge == "continue":
                text = above.get(column, "")
            above[column] = text
            cells.append(text)
            nested += cell.tables
        if any(cells):
            out.append("\t".join(cells))
        for inner in nested:
            out += _table_lines(inner)
    return out


def _docx(path: Path) -> Document:
    """Body paragraphs and tables in document order; headings become Markdown headings,
    table rows become tab-separated lines (merged cells not repeated), nested tables read."""
    out: list[str] = []
    for block in read_word(path).blocks:
        if isinstance(block, WordParagraph):
            if block.text.strip():
                out.append(_heading(block))
        else:
            out += _table_lines(block)
            out.append("")
    return Document("\n\n".join(line for line in out))


def _pdf(path: Path) -> Document:
    """The text layer, page by page, with page provenance. (pypdf directly: langchain's
    PyPDFLoader wraps the same call and its package is deprecated.)"""
    from pypdf import PdfReader  # heavy: pypdf (~90 ms) loads only when a PDF is read
    pages = [(p.extract_text() or "").replace("\r\n", "\n") for p in PdfReader(str(path)).pages]
    text, locs, pos = [], [], 0
    for i, page in enumerate(pages, 1):
        text.append(page)
        locs.append((pos, pos + len(page), f"第{i}页"))
        pos += len(page) + 2
    return Document("\n\n".join(text), locs)


def _cell_str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.10g}"
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    return re.sub(r"\s+", " ", str(v)).strip()


def _xlsx(path: Path) -> Document:
    """Each sheet becomes a ``## sheet`` section; each data row a line ``header: value；…``
    with (sheet, row) provenance. Only the cells present are read (`sheets`)."""
    parts: list[str] = []
    locs: list[tuple[int, int, str]] = []
    pos = 0

    def emit(line: str, loc: str | None = None):
        nonlocal pos
        if loc:
            locs.append((pos, pos + len(line), loc))
        parts.append(line)
        pos += len(line) + 1

    for ws in open_book(path).worksheets:
        emit(f"## {ws.title}")
        header: list[str] | None = None
        for r_idx, row in ws.rows:
            cells = [_cell_str(c.value) for c in row]
            if not any(cells):
                continue
            if header is None:
                if sum(1 for c in cells if c) >= 2:
                    header = [c or f"列{i + 1}" for i, c in enumerate(cells)]
                    continue
                emit(" ".join(c for c in cells if c), f"{ws.title} 第{r_idx}行")
                continue
            pairs = []
            for i, c in enumerate(cells):
                if not c:
                    continue
                h = header[i] if i < len(header) else f"列{i + 1}"
                pairs.append(f"{h}: {c}")
            emit("；".join(pairs), f"{ws.title} 第{r_idx}行")
        emit("")
    return Document("\n".join(parts), locs)


READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": _text, ".md": _text, ".docx": _docx, ".pdf": _pdf, ".xlsx": _xlsx,
}
SUFFIXES = tuple(READERS)


def read_document(path: str | Path) -> Document:
    """The text of a .txt/.md/.docx/.pdf/.xlsx file. Raises ValueError for another suffix."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"不支持的文件类型: {path.name}（支持 {', '.join(SUFFIXES)}）")
    return reader(path)
