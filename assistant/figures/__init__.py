"""Figure ledger and checker: no unverified number reaches an officer.

- `Ledger` / `LedgerEntry` (ledger.py), `build_ledger(card)` (ledger_build.py): every figure the product may print, with
  provenance (data cell), formula and inputs (derived value) or document, section, chunk (passage).
- `extract` (extract.py): every figure mention in Chinese text; `exclusions.py` is the one list of
  things that look like figures but are not.
- `check` / `mark` / `CheckResult` / `CheckedFigure` (verify.py): value at printed precision, unit,
  subject and role; `mark` replaces each unverified figure by 【待核实：…】.
- `audit` (audit.py): recompute the statements of a published report.
"""
from .extract import Mention, extract
from .ledger import Ledger, LedgerEntry, Subject
from .ledger_build import build_ledger, evaluation_ledger
from .verify import CheckedFigure, CheckResult, check, mark

__all__ = ["Ledger", "LedgerEntry", "Subject", "build_ledger", "evaluation_ledger", "Mention", "extract", "check", "mark", "CheckResult",
           "CheckedFigure"]
