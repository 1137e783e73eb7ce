"""Figure ledger and checker: no unverified number reaches an officer.

- `Ledger` / `LedgerEntry` (ledger.py), `build_ledger(card)` (ledger_build.py): every figure the product may print, with
  provenance (data cell), formula and inputs (derived value) or document, section, chunk (passage).
- `extract` (extract.py): every figure mention in Chinese text; `exclusions.py` is the one list of
  things that look like figures but are not.
- `check` / `mark` / `CheckResult` / `CheckedFigure` (verify.py): value at printed precision, unit,
  subject and role; `mark` replaces each unverified figure by 【待核实：…】.
- `audit` (audit.py): recompute the statements of a published report.
- `render_fact_ids` (facts.py): a model's `{F12}` becomes the ledger's printing of fact F12.
"""
from .extract import Mention, extract
from .facts import render_fact_ids, unknown_fact_ids
from .ledger import Ledger, LedgerEntry, Subject
from .ledger_build import build_ledger, evaluation_ledger
from .ledger_totals import budget_weight_added
from .verify import CheckedFigure, CheckResult, check, mark

__all__ = ["render_fact_ids", "unknown_fact_ids", "Ledger", "LedgerEntry", "Subject", "build_ledger", "evaluation_ledger", "budget_weight_added", "Mention", "extract", "check", "mark", "CheckResult",
           "CheckedFigure"]
