"""Paragraphs and runs of the 公文 layout: the text styles (body, title, headings, page numbers) and
how a paragraph of a style is written into a document, a table cell or a footer."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import fonts
from .ooxml import PARAGRAPH_ORDER, RUN_ORDER, set_property
from .page import BODY_SIZE_PT, GRID, PAGE_NUMBER_SIZE_PT, TITLE_SIZE_PT, TWIPS_PER_PT

MARKER = re.compile(r"【待核实：[^】]*】")
EAST_ASIAN_LANGUAGE = "zh-CN"
INDENT_CHARS = 2                       # first-line indent of body paragraphs and headings


@dataclass(frozen=True)
class TextStyle:
    """How one kind of paragraph is set."""
    font: fonts.OfficialFont
    size_pt: float
    align: str = "both"                # w:jc
    indent: bool = True                # two-character first-line indent
    on_grid: bool = True               # w:snapToGrid: characters on the document grid
    keep_next: bool = False
    bold: bool = False
    line_twips: int = GRID.line_pitch  # exact line spacing


BODY = TextStyle(fonts.BODY, BODY_SIZE_PT)
TITLE = TextStyle(fonts.TITLE, TITLE_SIZE_PT, align="center", indent=False, on_grid=False)
HEADINGS = {1: replace(BODY, font=fonts.HEADING_1, keep_next=True),
            2: replace(BODY, font=fonts.HEADING_2, keep_next=True)}
PAGE_NUMBER = TextStyle(fonts.PAGE_NUMBER, PAGE_NUMBER_SIZE_PT, indent=False, on_grid=False,
                        line_twips=PAGE_NUMBER_SIZE_PT * TWIPS_PER_PT)


def run_properties(r_pr, style: TextStyle, bold: bool | None = None, scale: int | None = None) -> None:
    name = style.font.name
    set_property(r_pr, "rFonts", RUN_ORDER, ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")
    if style.bold if bold is None else bold:
        set_property(r_pr, "b", RUN_ORDER)
    set_property(r_pr, "w", RUN_ORDER, val=scale or (GRID.glyph_scale if style.on_grid else 100))
    half_points = round(style.size_pt * 2)
    set_property(r_pr, "sz", RUN_ORDER, val=half_points)
    set_property(r_pr, "szCs", RUN_ORDER, val=half_points)


def add_paragraph(container, text: str, style: TextStyle):
    """A paragraph of `style` in a document, cell or footer; marked figures highlighted."""
    paragraph = container.add_paragraph()
    p_pr = paragraph._p.get_or_add_pPr()
    if style.keep_next:
        set_property(p_pr, "keepNext", PARAGRAPH_ORDER)
    if not style.on_grid:
        set_property(p_pr, "snapToGrid", PARAGRAPH_ORDER, val=0)
    set_property(p_pr, "spacing", PARAGRAPH_ORDER, before=0, after=0, line=style.line_twips, lineRule="exact")
    if style.indent:
        set_property(p_pr, "ind", PARAGRAPH_ORDER, firstLineChars=INDENT_CHARS * 100,
                     firstLine=GRID.indent(INDENT_CHARS))
    else:
        set_property(p_pr, "ind", PARAGRAPH_ORDER, firstLineChars=0, firstLine=0)
    set_property(p_pr, "jc", PARAGRAPH_ORDER, val=style.align)
    position = 0
    for match in [*MARKER.finditer(text), None]:
        end = match.start() if match else len(text)
        if end > position:
            add_run(paragraph, text[position:end], style)
        if match:
            run = add_run(paragraph, match.group(0), style, bold=True)
            set_property(run._r.get_or_add_rPr(), "highlight", RUN_ORDER, val="yellow")
            position = match.end()
    return paragraph


def add_run(paragraph, text: str, style: TextStyle, bold: bool | None = None):
    run = paragraph.add_run(text)
    run_properties(run._r.get_or_add_rPr(), style, bold=bold)
    return run
