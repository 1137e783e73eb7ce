"""Measure a rendered PDF with poppler-utils only: rows of text per page, their boxes and sizes.

`read_pages(pdf)` runs `pdftotext -bbox-layout` and groups its words into visual rows (words at
the same height, left to right). `measure(pages)` gives what the GB/T 9704 page is judged by:

- characters on full body lines: rows of 3号 text (row height that of 16 pt text) that start at
  the left margin and reach the right margin (a justified line that is not its paragraph's last,
  nor a first line indented, nor a heading), made of full-width characters only (a half-width
  digit is half a character, and LibreOffice and Word round such lines differently);
- lines on full pages: every page but the last, without table rows (which have their own
  height) and not followed by a page that starts with a table (the text before a table ends where
  the table's first rows no longer fit): the grid lines from the page's first row to its last, at
  the rows' measured pitch;
- the page number: the text below the text block, “— N —”.
"""
from __future__ import annotations

import re
import statistics
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

PT_PER_MM = 72 / 25.4
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Row:
    x0: float
    y0: float
    x1: float
    y1: float
    words: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.words)

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    number: int
    width: float
    height: float
    rows: list[Row]


@dataclass
class Layout:
    """Where the text block is, in PDF points (from the page's top left)."""
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    body_size_pt: float = 16

    def block(self, page: Page) -> tuple[float, float, float, float]:
        return (self.left_mm * PT_PER_MM, self.top_mm * PT_PER_MM,
                page.width - self.right_mm * PT_PER_MM, page.height - self.bottom_mm * PT_PER_MM)


def read_pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(xml)
    pages = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), 1):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                 for w in page.iter(f"{XHTML}word")]
        rows: list[Row] = []
        for x0, y0, x1, y1, text in sorted(words, key=lambda w: (round(w[1]), w[0])):
            row = next((r for r in rows if abs(r.y0 - y0) < 2), None)
            if row is None:
                rows.append(Row(x0, y0, x1, y1, [text]))
            else:
                row.x0, row.x1, row.y1 = min(row.x0, x0), max(row.x1, x1), max(row.y1, y1)
                row.words.append(text)
        pages.append(Page(number, float(page.get("width")), float(page.get("height")),
                          sorted(rows, key=lambda r: r.y0)))
    return pages


def full_width(text: str) -> bool:
    return bool(text) and all(unicodedata.east_asian_width(ch) in "WF" for ch in text)


@dataclass
class Measures:
    chars_on_full_lines: list[int]
    lines_on_full_pages: list[int]
    page_numbers: list[str]
    line_pitch: float


def body_rows(page: Page, layout: Layout) -> list[Row]:
    _, top, _, bottom = layout.block(page)
    return [r for r in page.rows if r.y0 >= top - layout.body_size_pt / 2 and r.y1 <= bottom + layout.body_size_pt / 2]


def is_body_size(row: Row, layout: Layout) -> bool:
    """A row of 3号 text: pdftotext's box of a 16 pt CJK line is 1.3 em high (20.8 pt)."""
    return abs(row.height - 1.3 * layout.body_size_pt) < 0.1 * layout.body_size_pt


def is_table_size(row: Row, layout: Layout) -> bool:
    """A row of table text or the table's caption (小四 or 4号, smaller than 3号)."""
    return row.height < 1.2 * layout.body_size_pt


def measure(pages: list[Page], layout: Layout | None = None) -> Measures:
    layout = layout or Layout()
    chars, pitches = [], []
    for page in pages:
        left, _, right, _ = layout.block(page)
        rows = body_rows(page, layout)
        for row in rows:
            if (is_body_size(row, layout) and row.x0 - left < layout.body_size_pt / 4
                    and right - row.x1 < layout.body_size_pt / 2 and full_width(row.text)):
                chars.append(len(row.text))
        body = [r for r in rows if is_body_size(r, layout)]
        pitches += [b.y0 - a.y0 for a, b in zip(body, body[1:]) if 0 < b.y0 - a.y0 < 1.5 * layout.body_size_pt * 2]
    pitch = statistics.median(pitches) if pitches else 0.0
    lines = []
    for page, following in zip(pages, pages[1:]):
        rows, next_rows = body_rows(page, layout), body_rows(following, layout)
        if not rows or any(is_table_size(r, layout) for r in rows) or (next_rows and is_table_size(next_rows[0], layout)):
            continue            # table rows have their own height; the page before a table ends where the table fits
        lines.append(round((rows[-1].y0 - rows[0].y0) / pitch) + 1)
    numbers = []
    for page in pages:
        _, _, _, bottom = layout.block(page)
        numbers.append(re.sub(r"\s+", "", "".join(r.text for r in page.rows if r.y0 > bottom)))
    return Measures(chars, lines, numbers, pitch)


def page_text(page: Page) -> str:
    return "".join(r.text for r in page.rows)
