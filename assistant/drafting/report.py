"""Drafts: `draft_report` (every section, in the report type's outline) and `draft_section`.

A section is written by a named writer (`writers.py`) and leaves only through the figure checker
(`sections.verified_section`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..evaluation import Evaluation
from ..retrieval import Index
from ..scoring import ScoringRules
from .context import DraftContext
from .outline import ordered_keys, report_title
from .sections import TEMPLATE, Draft, DraftSection
from .writers import model_for, write

if TYPE_CHECKING:       # annotations only: langchain loads with the provider that needs it
    from langchain_core.language_models import BaseChatModel


def _context(evaluation: Evaluation, report_type: str | None, index: Index | None,
             rules: ScoringRules | None) -> DraftContext:
    if report_type and report_type != evaluation.report_type:
        evaluation = evaluation.model_copy(update={"report_type": report_type})
    return DraftContext.build(evaluation, index=index, rules=rules)


def draft_report(evaluation: Evaluation, *, report_type: str | None = None, sections: Iterable[str] | None = None,
                 writer: str = TEMPLATE, index: Index | None = None, llm: BaseChatModel | None = None,
                 rules: ScoringRules | None = None, instruction: str = "") -> Draft:
    """The whole report (or the named `sections`) in the outline of its report type."""
    ctx = _context(evaluation, report_type, index, rules)
    model = model_for(writer, llm)         # one model for every section
    drafted = [write(ctx, key, writer, model, instruction) for key in ordered_keys(ctx.report_type, sections)]
    return Draft(report_type=ctx.report_type, title=report_title(ctx.evaluation), sections=drafted,
                 ok=all(s.status == "verified" for s in drafted), citations=list(ctx.citations),
                 warnings=list(dict.fromkeys(ctx.warnings)), ledger=ctx.ledger)


def draft_section(evaluation: Evaluation, key: str, *, writer: str = TEMPLATE, index: Index | None = None,
                  llm: BaseChatModel | None = None, instruction: str = "", report_type: str | None = None,
                  rules: ScoringRules | None = None) -> DraftSection:
    """One section; its citations are numbered from 1."""
    ctx = _context(evaluation, report_type, index, rules)
    return write(ctx, key, writer, llm, instruction)
