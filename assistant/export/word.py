"""A draft as a .docx in 公文 layout (GB/T 9704-2012, as domain.md gives it).

The page and its document grid come from `page.GRID` (22 lines × 28 characters of 3号 text, every
number derived there). Title in 2号 方正小标宋简体, centred; body in 3号 仿宋_GB2312, justified,
with a two-character first-line indent; `一、` headings in 黑体 and `（一）` headings in 楷体_GB2312,
kept with the paragraph after them; page numbers “— N —” in 4号 宋体 through a PAGE field, odd
pages on the right and even pages on the left, one character in from the edge. Fonts are declared
with their substitutes (`fonts`). Tables are real Word tables (`word_table`). Marked figures
(【待核实：…】) are bold on yellow so the officer finds them.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

from ..drafting import Draft
from . import fonts
from .blocks import blocks
from .ooxml import PARAGRAPH_ORDER, RUN_ORDER, SECTION_ORDER, set_property
from .page import GRID, PAGE_NUMBER_SIZE_PT, TWIPS_PER_PT
from .paragraphs import BODY, EAST_ASIAN_LANGUAGE, HEADINGS, PAGE_NUMBER, TITLE, add_paragraph, add_run, run_properties
from .word_table import add_table


def to_docx(draft: Draft, path: str | Path) -> Path:
    path = Path(path)
    document = Document()
    _page_setup(document)
    _normal_style(document)
    fonts.declare_fonts(document)
    for block in blocks(draft):
        if block.kind == "title":
            add_paragraph(document, block.text, TITLE)
            add_paragraph(document, "", BODY)              # GB/T 9704: one blank line below the title
        elif block.kind == "heading":
            add_paragraph(document, block.text, HEADINGS.get(block.level, BODY))
        elif block.kind == "table":
            add_table(document, block.table)
        else:
            add_paragraph(document, block.text, BODY)
    _footers(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(GRID.page_width), Twips(GRID.page_height)
    section.top_margin, section.bottom_margin = Twips(GRID.top), Twips(GRID.bottom)
    section.left_margin, section.right_margin = Twips(GRID.left), Twips(GRID.right)
    section.footer_distance = Twips(GRID.footer)
    set_property(section._sectPr, "docGrid", SECTION_ORDER, type="linesAndChars", linePitch=GRID.line_pitch,
                 charSpace=GRID.char_space)
    document.settings.odd_and_even_pages_header_footer = True


def _normal_style(document) -> None:
    """Normal: the body's font, size, grid scale and exact line pitch; no widow control (it would
    move lines off a 22-line page); East Asian language zh-CN (simplified glyphs)."""

    normal = document.styles["Normal"].element
    r_pr = normal.get_or_add_rPr()
    run_properties(r_pr, BODY)
    set_property(r_pr, "lang", RUN_ORDER, val="en-US", eastAsia=EAST_ASIAN_LANGUAGE)
    p_pr = normal.get_or_add_pPr()
    set_property(p_pr, "widowControl", PARAGRAPH_ORDER, val=0)
    set_property(p_pr, "spacing", PARAGRAPH_ORDER, before=0, after=0, line=GRID.line_pitch, lineRule="exact")
    set_property(p_pr, "jc", PARAGRAPH_ORDER, val="both")
    default_language = document.styles.element.find(f".//{qn('w:docDefaults')}//{qn('w:lang')}")
    if default_language is not None:
        default_language.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _footers(document) -> None:
    section = document.sections[0]
    one_char = PAGE_NUMBER_SIZE_PT * TWIPS_PER_PT
    for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        footer.is_linked_to_previous = False
        for stale in list(footer.paragraphs):
            stale._p.getparent().remove(stale._p)
        paragraph = add_paragraph(footer, "", replace(PAGE_NUMBER, align=align))
        paragraph._p.pPr.find(qn("w:ind")).set(qn(f"w:{side}"), str(one_char))
        _page_number_runs(paragraph)


def _page_number_runs(paragraph) -> None:
    """`— N —` with N a PAGE field (fldChar begin / instrText / separate / result / end)."""
    def run(text: str = ""):
        return add_run(paragraph, text, PAGE_NUMBER)

    def field_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._r.append(instruction)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")
