"""Structured actuals: read an officer's evaluation data into an `Evaluation`.

    load(path)               .yaml/.yml/.json, .xlsx, .csv (+ a YAML profile beside it),
                             .txt/.tsv/.docx (申报表)
    load_declaration(path)   the 部门整体预算绩效目标申报表, targets only (no actuals)

Every format yields the same `Evaluation` with a `Provenance` on every value. Bad input raises
`DataErrors` listing every problem (file, sheet, row, column, value); nothing is partially loaded.
Suspicious but legal data is kept and noted in `Evaluation.warnings`. The readers live in
`assistant/loaders/` (one module per format; shared vocabulary and validation in `base.py`).
"""
from __future__ import annotations

from .loaders import DECLARATION_SUFFIXES, EVALUATION_SUFFIXES, load, load_declaration

__all__ = ["load", "load_declaration", "EVALUATION_SUFFIXES", "DECLARATION_SUFFIXES"]
