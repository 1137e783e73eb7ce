"""A drafted section and a draft, and the one way a section is made: `verified_section`.

Whatever writes a section (the template writer or a chat model), its text goes through the figure
checker here. A section whose every figure is verified has status "verified"; otherwise each
unverified or misattributed figure is replaced by a visible 【待核实：…】 marker (`figures.mark`)
and the status is "marked". No other path makes a section.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..figures import CheckResult, Ledger, check, mark
from .context import DraftContext
from .outline import spec
from .tables import DraftTable, section_tables

TEMPLATE = "template"


class DraftSection(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str
    title: str
    text: str                              # as output: verified, or with 【待核实：…】 markers
    check: CheckResult | None              # the checker's result on the text the writer produced
    citations: list[dict] = Field(default_factory=list)
    status: Literal["verified", "marked"] = "verified"
    parent: str | None = None              # the first-level heading this section sits under
    tables: list[DraftTable] = Field(default_factory=list)   # tables printed with the text (checked too)
    writer: str = TEMPLATE                 # template | a model provider; "template (fallback)" when a model gave nothing
    rounds: int = 0                        # re-asks a model writer needed (0..2)
    ledger: Ledger | None = Field(default=None, exclude=True, repr=False)   # what it was checked against

    def figures_json(self) -> list[dict]:
        return [{**figure, "section": self.key} for figure in self.check.to_json()["figures"]]


class Draft(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    report_type: str
    title: str
    sections: list[DraftSection]
    ok: bool
    citations: list[dict] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    ledger: Ledger | None = Field(default=None, exclude=True, repr=False)   # what every section was checked against

    def to_json(self) -> dict:
        """{"sections": [{"key","title","text"}], "figures": {checker JSON}, "ok", "citations"}.

        `figures` merges the sections' checker results; each figure's start/end are offsets into
        the text its `section` produced (before marking)."""
        return {
            "title": self.title,
            "report_type": self.report_type,
            "sections": [{"key": s.key, "title": s.title, "text": s.text, "status": s.status, "writer": s.writer,
                          "tables": [t.model_dump() for t in s.tables]}
                         for s in self.sections],
            "figures": {"ok": self.ok, "figures": [f for s in self.sections for f in s.figures_json()]},
            "ok": self.ok,
            "citations": self.citations,
            "warnings": self.warnings,
        }

    def walk(self) -> list[tuple[str | None, DraftSection]]:
        """The sections in order, each with the first-level heading to print before it: its parent the
        first time that parent appears (and not already printed as a section's own title), else None.
        Every view of a draft (text, Markdown, .docx, the UI) prints headings through this walk."""
        printed: set[str] = set()
        walked = []
        for section in self.sections:
            parent = section.parent if section.parent and section.parent not in printed else None
            if parent:
                printed.add(parent)
            printed.add(section.title)
            walked.append((parent, section))
        return walked

    def text(self) -> str:
        """Plain text: title, headings and sections in outline order."""
        lines = [self.title]
        for parent, section in self.walk():
            lines += ([parent] if parent else []) + [section.title, section.text]
        return "\n".join(lines)


def verified_section(ctx: DraftContext, key: str, text: str, used: list[int], writer: str = TEMPLATE,
                     rounds: int = 0) -> DraftSection:
    """Check `text`; mark whatever the checker cannot verify. The only way a section is made."""
    result = check(text, ctx.ledger)
    output = text if result.ok else mark(text, result)
    section_spec = spec(ctx.report_type, key)
    tables = section_tables(ctx, key)
    verified = result.ok and all(t.status == "verified" for t in tables)
    return DraftSection(
        key=key, title=section_spec.title, parent=section_spec.parent, text=output, check=result,
        citations=[ctx.citations[n - 1] for n in used if 0 < n <= len(ctx.citations)],
        status="verified" if verified and "【待核实" not in output else "marked", writer=writer, rounds=rounds,
        ledger=ctx.ledger, tables=tables,
    )
