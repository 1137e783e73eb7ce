"""Named limits on what jixiao reads: each bounds the time and memory a hostile or careless file can take.

One frozen dataclass per area, one instance each; code reads the instance's fields at call time
(`limits.DATA_FILES.cell_chars`), so a test or a deployment can replace the instance. A file over a
limit is refused with a Chinese message that names the limit and where it was passed
(`文件“x.yaml”，第3行，“绩效指标.三级指标”列：单元格超过长度上限（10000字）`).

This module sits at the bottom of the package: it imports nothing of the package.
"""
from __future__ import annotations

from dataclasses import dataclass

# --- data files ---


@dataclass(frozen=True)
class DataFileLimits:
    """Evaluation data read as text: YAML/JSON files, CSV tables and their profiles, and every cell."""
    file_bytes: int = 10 * 1024 ** 2
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


DATA_FILES = DataFileLimits()
