"""Facts a model cites instead of typing them: `{F12}` in a reply becomes the ledger's printing of F12.

The facts block of a prompt (`Ledger.facts_block`) lists `[F12] 标签：值（来源）`; a model may write
`{F12}` (or `｛F12｝`) where the value belongs, and `render_fact_ids` puts in exactly what the ledger
prints (`133%`, `2115.30万元`): no typing, no rounding, no unit slips. An id the ledger does not hold
is never shown raw: it becomes a 【待核实】 marker. The rendered text is checked like any other text
(a fact written next to the wrong indicator is still misattributed).
"""
from __future__ import annotations

import re

from .ledger import Ledger

FACT_ID = re.compile(r"[{｛]\s*(F\d+)\s*[}｝]")


def render_fact_ids(text: str, ledger: Ledger) -> str:
    """`text` with every `{F12}` replaced by the ledger's printed value of F12."""
    def one(match: re.Match) -> str:
        entry_id = match.group(1)
        try:
            return ledger.get(entry_id).printed
        except KeyError:
            return f"【待核实：原文“{match.group(0)}”，核数账本中没有编号{entry_id}的事实】"
    return FACT_ID.sub(one, text or "")


def cited_fact_ids(text: str) -> list[str]:
    """The fact ids a text cites with `{F12}`, in order."""
    return [m.group(1) for m in FACT_ID.finditer(text or "")]


def unknown_fact_ids(text: str, ledger: Ledger) -> list[str]:
    """The ids a text cites that the ledger does not hold (`{F9999}`)."""
    known = {entry.id for entry in ledger}
    return [fid for fid in cited_fact_ids(text) if fid not in known]


__all__ = ["render_fact_ids", "cited_fact_ids", "unknown_fact_ids", "FACT_ID"]
