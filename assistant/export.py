"""A draft as Markdown, or as a .docx in 公文 layout (GB/T 9704-2012, as domain.md gives it).

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid of 22 lines
× 28 characters (line pitch 28.95 pt, fixed line spacing); title in 2号 (22 pt) 方正小标宋简体,
centred; body in 3号 (16 pt) 仿宋_GB2312 with a two-character first-line indent; `一、` headings
in 黑体, `（一）` headings in 楷体_GB2312; page numbers in the footer as “— N —” in 4号 (14 pt)
宋体 through a PAGE field, odd pages on the right and even pages on the left, one character in
from the edge. Chinese font names are written to `w:eastAsia` so Word uses them for Chinese.
Marked figures (【待核实：…】) are highlighted so the officer finds them.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .drafting import Draft
from .drafting.outline import heading_level

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH_PT = 28.95
TITLE_FONT, TITLE_SIZE = "方正小标宋简体", 22
BODY_FONT, BODY_SIZE = "仿宋_GB2312", 16
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE = "宋体", 14
MARKER = re.compile(r"【待核实：[^】]*】")


# --- Markdown -------------------------------------------------------------------------------------

def to_markdown(draft: Draft) -> str:
    lines = [f"# {draft.title}", ""]
    for parent, section in draft.walk():
        if parent:
            lines += [f"## {parent}", ""]
        lines += [_md_heading(section.title), ""]
        for line in _lines(section.text):
            lines += [_md_heading(line) if heading_level(line) in (1, 2) else line, ""]
    if draft.citations:
        lines += ["## 引用来源", ""]
        for citation in draft.citations:
            lines.append(f"[{citation['n']}] {_citation_label(citation)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_heading(line: str) -> str:
    """`一、…` → `## 一、…`, `（一）…` → `### （一）…` (the report title is `#`)."""
    return "#" * ((heading_level(line) or 1) + 1) + " " + line.strip()


def _citation_label(citation: dict) -> str:
    title = citation.get("title") or citation.get("doc") or ""
    section = citation.get("section") or ""
    label = f"《{title}》" if title and not title.startswith("《") else title
    return f"{label}{(' ' + section) if section else ''}（{citation.get('doc', '')}）"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- .docx ----------------------------------------------------------------------------------------

def to_docx(draft: Draft, path: str | Path) -> Path:

    path = Path(path)
    document = Document()
    _page_setup(document)
    _base_style(document)

    _paragraph(document, draft.title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "", BODY_FONT, BODY_SIZE, indent=False)
    for parent, section in draft.walk():
        if parent:
            _heading(document, parent)
        _heading(document, section.title)
        for line in _lines(section.text):
            if heading_level(line) in (1, 2):
                _heading(document, line)
            else:
                _paragraph(document, line, BODY_FONT, BODY_SIZE)
    if draft.citations:
        _heading(document, "附：引用来源")
        for citation in draft.citations:
            _paragraph(document, f"[{citation['n']}] {_citation_label(citation)}", BODY_FONT, BODY_SIZE)
    _footers(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)       # the page number sits about 7 mm below the text block
    # 22 lines × 28 characters: Word's document grid, in twips and 1/4096 pt of extra char spacing.
    text_width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
    char_space = round((text_width_pt / CHARS_PER_LINE - BODY_SIZE) * 4096)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(char_space))
    document.settings.odd_and_even_pages_header_footer = True


def _base_style(document) -> None:
    normal = document.styles["Normal"]
    _set_font(normal.font, normal.element, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)


def _set_font(font, element, name: str, size: float, bold: bool | None = None) -> None:
    font.name = name
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _paragraph(document, text: str, font: str, size: float, align=None, indent: bool = True):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
    position = 0
    for match in list(MARKER.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if end > position:
            run = paragraph.add_run(text[position:end])
            _set_font(run.font, run._element, font, size)
        if match:
            run = paragraph.add_run(match.group(0))
            _set_font(run.font, run._element, font, size, bold=True)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            position = match.end()
    return paragraph


def _heading(document, text: str):
    level = heading_level(text) or 1
    return _paragraph(document, text, HEADING_FONTS.get(level, BODY_FONT), BODY_SIZE)


def _footers(document) -> None:
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = align
        one_char = Pt(PAGE_NUMBER_SIZE)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = one_char
        else:
            paragraph.paragraph_format.left_indent = one_char
        _page_number_runs(paragraph)


def _page_number_runs(paragraph) -> None:
    """`— N —` with N a PAGE field (fldChar begin / instrText / separate / result / end)."""

    def run(text: str = ""):
        r = paragraph.add_run(text)
        _set_font(r.font, r._element, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        return r

    def field_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._element.append(element)

    run("— ")
    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._element.append(instruction)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")
