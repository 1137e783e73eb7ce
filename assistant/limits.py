"""The limits within which jixiao reads a file: each a named setting, so that a file over one gets a
message saying which limit and where (`文件“x.xlsx”的工作表“绩效指标”超过行数上限（100000行）`).

One frozen dataclass per area, each field with its docstring line. A limit can be changed for a
deployment with the environment variable `JIXIAO_LIMIT_<AREA>_<FIELD>` (an integer), read once at
import: `JIXIAO_LIMIT_SHEET_ROWS=200000`. Code reads an instance's fields at call time
(`limits.DATA_FILES.cell_chars`), so a test can replace the instance. This module sits at the bottom
of the package: it imports nothing of the package.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

MB = 1024 ** 2


def _from_environment(area: str, limits):
    """`limits` with every field the environment overrides (`JIXIAO_LIMIT_<AREA>_<FIELD>`)."""
    changes = {}
    for item in dataclasses.fields(limits):
        text = os.environ.get(f"JIXIAO_LIMIT_{area}_{item.name}".upper())
        if text and text.strip().isdigit():
            changes[item.name] = int(text)
    return dataclasses.replace(limits, **changes)


# --- data files ---

@dataclass(frozen=True)
class DataFileLimits:
    """Evaluation data read as text: YAML/JSON files, CSV tables and their profiles, and every cell."""
    file_bytes: int = 10 * MB
    """Size of a YAML/JSON evaluation, a CSV table or its profile (the upload cap is 10 MB too)."""
    yaml_nodes: int = 1_000_000
    """Nodes a YAML/JSON file holds once every alias is expanded (a billion-laughs file holds billions)."""
    yaml_depth: int = 64
    """Nesting depth of lists and mappings in a YAML/JSON file (an evaluation needs 4)."""
    rows: int = 10_000
    """Indicator rows (list items under 绩效指标, CSV records) in one file."""
    columns: int = 500
    """Columns of a CSV table."""
    cell_chars: int = 10_000
    """Characters in one cell or field value (Excel itself holds 32,767; a long 项目概况 runs to a few thousand)."""
    quantity_chars: int = 200
    """Characters of a target or actual cell read as a quantity; a longer one is kept as text, under review."""
    number_digits: int = 400
    """Digits of an integer written in a data file (a float stops at 309; Python refuses 4,300)."""


DATA_FILES = _from_environment("data", DataFileLimits())


# --- archives, sheets and documents ---

@dataclass(frozen=True)
class ArchiveLimits:
    """An Office file (.xlsx/.xlsm/.docx) is a zip: its directory is checked against these before any
    part is parsed (the sizes are the uncompressed sizes the directory states; a part that inflates
    beyond its stated size fails its CRC check when read)."""
    members: int = 2000
    """parts in one file (a workbook has a few dozen; Word files with many pictures a few hundred)"""
    member_bytes: int = 64 * MB
    """uncompressed size of one part (a 50,000-row worksheet of six columns is about 15 MB)"""
    total_bytes: int = 256 * MB
    """uncompressed size of all parts together"""
    ratio: int = 500
    """compression ratio of one part (Office XML compresses 5-50:1, a cell of repeated text a few
    hundred to one, a bomb about 1000:1)"""
    ratio_from_bytes: int = 8 * MB
    """the ratio is checked on parts larger than this (the sizes above bound the smaller ones)"""


@dataclass(frozen=True)
class SheetLimits:
    """A worksheet and any table read as a grid (a Word table, a tab-separated 申报表)."""
    rows: int = 50_000
    """rows holding a value, in one worksheet or table (an indicator table has tens, a detailed
    spending list a few thousand)"""
    columns: int = 1000
    """columns of one row (Excel allows 16,384; no form is near 1000)"""
    cell_chars: int = 10_000
    """characters in one cell of a data table (Excel allows 32,767; the longest prose cell of a form,
    a deviation reason or the overall goal, is a few hundred)"""
    stray_gap: int = 1000
    """a cell more than this many empty rows below the table, or empty columns right of it, is a stray
    cell: ignored with a warning naming it"""


@dataclass(frozen=True)
class DocumentLimits:
    """A Word document (a 申报表 or a report) and the text files read as documents."""
    table_rows: int = 10_000
    """rows of one Word table (a 申报表 has about 60)"""
    table_nesting: int = 16
    """tables inside tables (a layout table holding a form is 2)"""
    text_bytes: int = 64 * MB
    """size of a text file (.txt/.md, a 申报表 or a CSV): a 300-page report is about 1 MB"""
    index_chars: int = 400_000
    """characters of one document added to the index (a 300-page report holds about 330,000; the
    largest shipped policy 15,000): every passage is embedded, about 0.5 s of one core for 360
    characters, so this many take 5-10 minutes on two cores and a 64 MB text file would take hours"""


XML_DEPTH = 256
"""nesting of elements in any XML part: libxml2's own limit (lxml without `huge_tree`), not a setting;
a worksheet's rich-text cell is about 8 deep, 16 nested Word tables about 60"""

ARCHIVE = _from_environment("archive", ArchiveLimits())
SHEET = _from_environment("sheet", SheetLimits())
DOCUMENT = _from_environment("document", DocumentLimits())


# --- the shared server ---

@dataclass(frozen=True)
class ServerLimits:
    """What the browser UI accepts and how long it keeps an officer's files."""
    upload_mb: int = 10
    """An upload's size (MB): a larger data file or document is refused with the loader's message."""
    transfer_mb: int = 200
    """Gradio's own transfer limit, far above `upload_mb`: a file between the two reaches the server
    and is refused there in Chinese (Gradio's browser-side refusal is in English)."""
    upload_kept_s: int = 600
    """An upload no handler has taken (read and deleted) is deleted after this many seconds."""


SERVER = _from_environment("server", ServerLimits())
