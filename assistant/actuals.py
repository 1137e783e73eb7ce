"""Structured actuals: read an officer's evaluation data into an `Evaluation`.

    load(path)               .yaml/.yml/.json, .xlsx (workbook or the standard 自评表), .docx (自评表 or
                             申报表), .csv (+ a YAML profile beside it), .txt/.tsv (申报表); the format is
                             recognised by content; `overrides=` / `settings=` apply the officer's corrections
    load_declaration(path)   the 部门整体预算绩效目标申报表, targets only (no actuals)

Every format yields the same `Evaluation` with a `Provenance` on every value. Loading keeps what it
can: a file is refused (`DataErrors`, naming file, sheet, row, column, value) only when it is not
what it claims to be or holds neither indicator rows nor budget figures; every other problem is a
review item on the indicator or the evaluation (`assistant/review.py`). Suspicious but usable data
is kept and noted in `Evaluation.warnings`. The readers live in `assistant/loaders/` (one module
per layout, registered in `loaders.REGISTRY`; the vocabulary in `base.py`, the one validation step
in `validate.py` and `rows.py`).
"""
from __future__ import annotations

from .loaders import DECLARATION_SUFFIXES, EVALUATION_SUFFIXES, load, load_declaration

__all__ = ["load", "load_declaration", "EVALUATION_SUFFIXES", "DECLARATION_SUFFIXES"]
