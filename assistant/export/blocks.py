"""A draft as the sequence of blocks every export prints: title, headings, paragraphs, tables,
citations, in outline order.

Each outline heading is printed once: a first-level heading shared by several sections (the
department's 二、绩效自评情况) before the first of them, and a line of a section's text that
repeats a heading already printed (a model writer often starts with the report title or its
section's heading) is dropped. A section's tables are printed before the line they name
(`DraftTable.before`), or after its text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..drafting import Draft
from ..drafting.outline import heading_level
from ..drafting.tables import DraftTable

CITATIONS_HEADING = "附：引用来源"


@dataclass(frozen=True)
class Block:
    kind: Literal["title", "heading", "paragraph", "table", "citation"]
    text: str = ""
    level: int = 0                # headings: 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）
    table: DraftTable | None = None   # for kind "table"


def blocks(draft: Draft) -> list[Block]:
    out = [Block("title", draft.title)]
    printed = {_key(draft.title)}

    def heading(text: str) -> None:
        if _key(text) not in printed:
            printed.add(_key(text))
            out.append(Block("heading", text.strip(), heading_level(text) or 1))

    for parent, section in draft.walk():
        if parent:
            heading(parent)
        heading(section.title)
        pending = list(section.tables)
        for line in _lines(section.text):
            anchored = [t for t in pending if t.before and _key(t.before) == _key(line)]
            for table in anchored:
                out.append(Block("table", table.caption, table=table))
                pending.remove(table)
            if _key(line) in printed:
                continue
            level = heading_level(line)
            out.append(Block("heading", line, level) if level in (1, 2) else Block("paragraph", line))
        out += [Block("table", table.caption, table=table) for table in pending]
    if draft.citations:
        out.append(Block("heading", CITATIONS_HEADING, 1))
        out += [Block("citation", f"[{c['n']}] {citation_label(c)}") for c in draft.citations]
    return out


def citation_label(citation: dict) -> str:
    title = citation.get("title") or citation.get("doc") or ""
    section = citation.get("section") or ""
    label = f"《{title}》" if title and not title.startswith("《") else title
    return f"{label}{(' ' + section) if section else ''}（{citation.get('doc', '')}）"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _key(line: str) -> str:
    """A heading as compared: no Markdown marks, spaces or closing punctuation."""
    return re.sub(r"\s+", "", re.sub(r"^#+", "", line.strip())).rstrip("。：:；;，,")
