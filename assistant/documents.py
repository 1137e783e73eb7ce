"""The one document reader family: a file's text, whatever its format.

`read_document(path)` gives a `Document`: the text and, where the format has them, locations
(`(start, end, label)` spans: pdf pages, xlsx sheet and row). The corpus chunks it, the CLI checks
and audits it; the CSV and 申报表 loaders decode their text files with `decoded_text`.

| suffix | text |
|---|---|
| .txt .md | the decoded file (UTF-8 with or without BOM, else GB18030), line ends as `\n` |
| .docx | body paragraphs and tables in document order; Heading styles become `#` headings, table rows tab-separated lines |
| .pdf | the text layer (pypdf), page by page |
| .xlsx | each sheet a `## sheet` section, each data row `表头: 值；…` |
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import docx
import openpyxl
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from .errors import DataError, DataErrors


@dataclass
class Document:
    text: str
    locations: list[tuple[int, int, str]] = field(default_factory=list)   # pdf pages, xlsx sheet/row


def decode(data: bytes) -> str | None:
    """Bytes of a text file as UTF-8 (with or without BOM) or GB18030, as Excel and Word write them;
    None when neither reads them."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def decoded_text(path: Path) -> str:
    """A text file's text (UTF-8 or GB18030), as typed; an error naming the file when neither reads it."""
    text = decode(path.read_bytes())
    if text is None:
        raise DataErrors([DataError("无法识别文件编码（请存为UTF-8或GB18030）", path.name)])
    return text


def read_text_file(path: Path) -> str:
    """A text file's text (UTF-8 or GB18030), line ends as `\n`; undecodable bytes replaced."""
    data = path.read_bytes()
    text = decode(data)
    if text is None:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(path: Path) -> Document:
    return Document(read_text_file(path))


def _docx(path: Path) -> Document:
    """Body paragraphs and tables in document order; headings become Markdown headings,
    table rows become tab-separated lines (merged cells not repeated)."""
    d = docx.Document(str(path))
    out: list[str] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, d)
            txt = para.text.strip()
            if not txt:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            m = re.match(r"(?:Heading|标题)\s*(\d)", style)
            if style in ("Title", "标题"):
                out.append("# " + txt)
            elif m:
                out.append("#" * min(int(m.group(1)) + 1, 6) + " " + txt)
            else:
                out.append(txt)
        elif tag == "tbl":
            table = Table(child, d)
            for row in table.rows:
                cells: list[str] = []
                prev = None
                for cell in row.cells:
                    if prev is not None and cell._tc is prev:
                        continue  # a merged cell repeats itself across the span
                    prev = cell._tc
                    cells.append(re.sub(r"\s+", " ", cell.text).strip())
                if any(cells):
                    out.append("\t".join(cells))
            out.append("")
    return Document("\n\n".join(line for line in out))


def _pdf(path: Path) -> Document:
    """The text layer, page by page, with page provenance. (pypdf directly: langchain's
    PyPDFLoader wraps the same call and its package is deprecated.)"""
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
    with (sheet, row) provenance."""
    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    parts: list[str] = []
    locs: list[tuple[int, int, str]] = []
    pos = 0

    def emit(line: str, loc: str | None = None):
        nonlocal pos
        if loc:
            locs.append((pos, pos + len(line), loc))
        parts.append(line)
        pos += len(line) + 1

    for ws in wb.worksheets:
        emit(f"## {ws.title}")
        header: list[str] | None = None
        for r_idx, row in enumerate(ws.iter_rows(values_only=True), 1):
            cells = [_cell_str(v) for v in row]
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
    wb.close()
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
