"""One citation numbering for a draft whose sections were drafted separately.

`draft_section` numbers a section's citations from [1], so two sections drafted on their own (in
the chat, say) both cite a [1]. `renumber(sections)` gives every source one number across the
draft, in order of first citation (sections in the order given), and rewrites each section's
`[n]` markers, its citations and its checked figures' offsets to match. Sections drafted together
(`draft_report`) already share one numbering and come back unchanged.
"""
from __future__ import annotations

import re

from ..figures import mark
from .sections import DraftSection

_MARKER = re.compile(r"\[\s*(\d{1,3})\s*\]")
_MARK_OPEN = "【待核实：原文“"


def citation_key(citation: dict):
    """What makes two citations the same source: the passage (chunk), else document, section and quote."""
    return citation.get("chunk_id") or (citation.get("doc"), citation.get("section"), citation.get("quote"))


def renumber(sections: list[DraftSection]) -> tuple[list[DraftSection], list[dict]]:
    """The sections with one numbering across them, and the draft's citations [1]…[N] in that numbering."""
    numbers: dict = {}
    merged: list[dict] = []
    out = []
    for section in sections:
        mapping: dict[int, int] = {}
        for citation in sorted(section.citations, key=lambda c: c["n"]):
            key = citation_key(citation)
            if key not in numbers:
                numbers[key] = len(merged) + 1
                merged.append({**citation, "n": numbers[key]})
            mapping[citation["n"]] = numbers[key]
        out.append(_renumbered(section, mapping))
    return out, merged


def _renumbered(section: DraftSection, mapping: dict[int, int]) -> DraftSection:
    if all(old == new for old, new in mapping.items()):
        return section
    citations = [{**c, "n": mapping[c["n"]]} for c in section.citations]
    raw = _raw_text(section)
    if raw is None:         # the checked text cannot be recovered: renumber what is shown, keep the check
        return section.model_copy(update={"text": _markers(section.text, mapping)[0], "citations": citations})
    new_raw, edits = _markers(raw, mapping)
    check = section.check.model_copy(update={"figures": [
        f.model_copy(update={"start": _moved(f.start, edits), "end": _moved(f.end, edits)})
        for f in section.check.figures]})
    text = new_raw if section.status == "verified" else mark(new_raw, check)
    return section.model_copy(update={"text": text, "check": check, "citations": citations})


def _markers(text: str, mapping: dict[int, int]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each [n] of `mapping` renumbered, and the edits as (position, length change)."""
    out, edits, last = [], [], 0
    for match in _MARKER.finditer(text):
        n = int(match.group(1))
        if n not in mapping or mapping[n] == n:
            continue
        new = f"[{mapping[n]}]"
        out += [text[last:match.start()], new]
        edits.append((match.start(), len(new) - len(match.group(0))))
        last = match.end()
    out.append(text[last:])
    return "".join(out), edits


def _moved(offset: int, edits: list[tuple[int, int]]) -> int:
    return offset + sum(change for position, change in edits if position < offset)


def _raw_text(section: DraftSection) -> str | None:
    """The text the section's check is of: the shown text, or for a marked section the shown text with
    each 【待核实：原文“…”，…】 put back to its original; None when that does not add up."""
    if section.check is None:
        return None
    if section.status == "verified":
        return section.text
    shown, pieces, raw_at, shown_at = section.text, [], 0, 0
    for figure in sorted(section.check.problems(), key=lambda f: f.start):
        at = shown_at + (figure.start - raw_at)
        original_at = at + len(_MARK_OPEN)
        original = shown[original_at:original_at + figure.end - figure.start]
        close = shown.find("】", original_at + len(original))
        if not shown.startswith(_MARK_OPEN, at) or close < 0:
            return None
        pieces += [shown[shown_at:at], original]
        raw_at, shown_at = figure.end, close + 1
    pieces.append(shown[shown_at:])
    raw = "".join(pieces)
    return raw if mark(raw, section.check) == shown else None
