"""The GB/T 9704-2012 page, and the document grid every number of it is derived from.

The standard gives: A4 (210 × 297 mm); margins top 37, bottom 35, left 28, right 26 mm; 22 lines a
page of 28 characters of 3号 (16 pt) text. Word, WPS and LibreOffice lay a page out to that only
through the section's document grid (`w:docGrid`), so the grid is computed here, never typed in:

  twips (1/20 pt) as the file stores them, mm × 1440 / 25.4 rounded:
    page 11906 × 16838, margins top 2098, bottom 1984, left 1587, right 1474
    text block 11906 − 1587 − 1474 = 8845 wide, 16838 − 2098 − 1984 = 12756 high

  line pitch = ⌊12756 / 22⌋ = 579 twips (28.95 pt); rounded down, so that 22 lines fit

  character pitch = 8845 / 28 = 315.89 twips (15.79 pt). Word and WPS read `w:charSpace` as what
    is added to the Normal style's font size, in 1/4096 pt (ECMA-376 §17.6.5):
    charSpace = ⌊(15.794 − 16) × 4096⌋ = −842, rounded down so that 28 characters fit.

  LibreOffice reads the same grid its own way (writerfilter's SectionPropertyMap): the cell is the
    Normal style's East Asian size plus charSpace split into whole points and a fraction truncated
    to whole twips, each converted to 1/100 mm: 564 − 35 + 26 = 555 (1/100 mm) = 314.65 twips.
    Up to 7.x it then gives a character wider than one cell two cells (sw::Justify::SnapToGridEdge
    rounds each advance up to whole cells): a CJK glyph is 1 em, 16 pt > 15.73 pt, so 3号 text came
    out 14 characters a line. Two consequences, both derived from that cell:
    - body runs are scaled horizontally to fit one cell: w:w = ⌊100 × 314.65 / 320⌋ = 98 %. Word and
      WPS add the grid's −0.21 pt to each (15.68 pt) character: 15.47 pt, still 28 to the line,
      justified to the margins;
    - LibreOffice starts an indented line at the next cell edge after the indent, and reads only
      `w:firstLine` (Word and WPS read `w:firstLineChars`, 2 characters): firstLine = 2 × ⌊314.65⌋
      = 628 twips, two cells, where 640 (2 × 16 pt) would start the text in the third.

The title (2号, wider than a cell at any scale that keeps it 2号) does not snap to the grid; its
lines keep the grid's line pitch, so the text below it stays on the grid.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_SIZE_PT = 16                 # 3号
TITLE_SIZE_PT = 22                # 2号
PAGE_NUMBER_SIZE_PT = 14          # 4号
TABLE_SIZE_PT = 12                # 小四
TABLE_CAPTION_SIZE_PT = 14        # 4号

TWIPS_PER_PT = 20
CHAR_SPACE_UNITS_PER_PT = 4096    # w:charSpace is in 1/4096 pt
TWIPS_PER_INCH, MM_PER_INCH, MM100_PER_INCH = 1440, 25.4, 2540
FOOTER_BELOW_TEXT_MM = 7          # GB/T 9704 7.5: the page number's line starts 7 mm below the text block


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_INCH / MM_PER_INCH)


@dataclass(frozen=True)
class Grid:
    """The page in twips and the document grid derived from it (see the module docstring)."""
    page_width: int
    page_height: int
    top: int
    bottom: int
    left: int
    right: int
    footer: int                   # footer distance: from the page's lower edge to the page number's line
    line_pitch: int               # twips: w:docGrid/@w:linePitch and the exact line spacing
    char_space: int               # 1/4096 pt: w:docGrid/@w:charSpace
    libreoffice_cell: float       # twips: the character cell LibreOffice derives from char_space
    glyph_scale: int              # percent: w:w on grid runs, so LibreOffice gives each glyph one cell

    @property
    def text_width(self) -> int:
        return self.page_width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.page_height - self.top - self.bottom

    @property
    def char_pitch_pt(self) -> float:
        """The pitch Word and WPS lay characters out at."""
        return BODY_SIZE_PT + self.char_space / CHAR_SPACE_UNITS_PER_PT

    def indent(self, chars: int) -> int:
        """`w:firstLine` for an indent of `chars` characters that LibreOffice keeps on the cell edge."""
        return chars * int(self.libreoffice_cell)


def libreoffice_cell(size_pt: float, char_space: int) -> float:
    """The grid cell (twips) LibreOffice's DOCX import derives from the style size and charSpace."""
    def mm100(twips: float) -> int:
        return round(twips * MM100_PER_INCH / TWIPS_PER_INCH)

    whole_points = char_space >> 12                                   # signed, the upper 20 bits
    fraction_twips = (char_space & 0xFFF) * TWIPS_PER_PT // 0xFFF     # the lower 12 bits, truncated
    cell = mm100(size_pt * TWIPS_PER_PT) + mm100(whole_points * TWIPS_PER_PT) + mm100(fraction_twips)
    return cell * TWIPS_PER_INCH / MM100_PER_INCH


def gbt9704_grid(lines: int = LINES_PER_PAGE, chars: int = CHARS_PER_LINE, size_pt: float = BODY_SIZE_PT) -> Grid:
    page_width, page_height = mm_to_twips(PAGE_WIDTH_MM), mm_to_twips(PAGE_HEIGHT_MM)
    top, bottom = mm_to_twips(MARGINS_MM["top"]), mm_to_twips(MARGINS_MM["bottom"])
    left, right = mm_to_twips(MARGINS_MM["left"]), mm_to_twips(MARGINS_MM["right"])
    text_width, text_height = page_width - left - right, page_height - top - bottom
    size_twips = size_pt * TWIPS_PER_PT
    char_space = math.floor((text_width / chars - size_twips) / TWIPS_PER_PT * CHAR_SPACE_UNITS_PER_PT)
    cell = libreoffice_cell(size_pt, char_space)
    return Grid(page_width=page_width, page_height=page_height, top=top, bottom=bottom, left=left, right=right,
                footer=bottom - mm_to_twips(FOOTER_BELOW_TEXT_MM) - PAGE_NUMBER_SIZE_PT * TWIPS_PER_PT,
                line_pitch=text_height // lines, char_space=char_space, libreoffice_cell=cell,
                glyph_scale=math.floor(100 * cell / size_twips))


GRID = gbt9704_grid()
