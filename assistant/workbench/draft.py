"""The officer's edits of the draft, section by section.

A section the officer edits keeps two texts: the writer's (`DraftSection`, as drafted) and the
officer's own, never rewritten. What the draft shows and exports is `officer_section`: the
officer's text checked against the session's ledger plus the passages the section cites, every
figure that does not verify marked 【待核实：…】 in the exported copy only.
"""
from __future__ import annotations

from ..chat.workspace import Workspace
from ..drafting import DraftSection
from ..figures import Ledger, check, mark
from ..retrieval import Passage

OFFICER = "officer"


def section_ledger(workspace: Workspace, section: DraftSection) -> Ledger:
    """The session's ledger plus the passages the section cites (their quotes), citation [n] added
    n-th so that its marker names its source; numbers the section does not cite hold nothing."""
    cited = {c.get("n") or k: c for k, c in enumerate(section.citations or [], 1) if c.get("quote")}
    if not cited:
        return workspace.ledger
    return workspace.answer_ledger([cited_passage(cited.get(n, {})) for n in range(1, max(cited) + 1)])


def cited_passage(citation: dict) -> Passage:
    return Passage(doc=citation.get("doc", ""), title=citation.get("title", ""), kind=citation.get("kind", "report"),
                   section=citation.get("section", ""), text=citation.get("passage") or citation.get("quote", ""),
                   score=0.0, start=0, end=0, chunk_id=citation.get("chunk_id", ""), year=citation.get("year"))


def officer_section(workspace: Workspace, drafted: DraftSection, text: str) -> DraftSection:
    """The section as the draft shows and exports it when the officer's text is `text`."""
    text = text.strip()
    result = check(text, section_ledger(workspace, drafted))
    verified = result.ok and all(t.status == "verified" for t in drafted.tables)
    return DraftSection(key=drafted.key, title=drafted.title, parent=drafted.parent,
                        text=text if result.ok else mark(text, result), check=result, tables=drafted.tables,
                        citations=drafted.citations, status="verified" if verified else "marked", writer=OFFICER)


def reverified(workspace: Workspace, section: DraftSection) -> DraftSection:
    """A drafted section checked again against the current data (after a correction): figures that
    no longer verify are marked."""
    result = check(section.text, section_ledger(workspace, section))
    if result.ok:
        return section
    return section.model_copy(update={"text": mark(section.text, result), "status": "marked"})
