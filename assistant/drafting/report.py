"""Drafts: `draft_report` (every section, in the report type's outline) and `draft_section`.

Whatever writes a section (the template writer or a chat model), its text goes through the
figure checker before it leaves this module. A section whose every figure is verified has status
"verified"; otherwise each unverified or misattributed figure is replaced by a visible
【待核实：…】 marker (`figures.mark`) and the status is "marked". No other path returns text.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model import Evaluation
from ..scoring import ScoringRules
from .context import DraftContext
from .outline import SECTION_KEYS, ordered_keys, report_title, spec
from .tables import DraftTable, section_tables

TEMPLATE = "template"


class DraftSection(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str
    title: str
    text: str                              # as output: verified, or with 【待核实：…】 markers
    check: Any                             # figures.CheckResult of the text the writer produced
    citations: list[dict] = Field(default_factory=list)
    status: Literal["verified", "marked"] = "verified"
    parent: str | None = None              # the first-level heading this section sits under
    tables: list[DraftTable] = Field(default_factory=list)   # tables printed with the text (checked too)
    writer: str = TEMPLATE                 # template | a model provider; "template (fallback)" when a model gave nothing
    rounds: int = 0                        # re-asks a model writer needed (0..2)
    ledger: Any = Field(default=None, exclude=True, repr=False)   # the figures.Ledger it was checked against

    def figures_json(self) -> list[dict]:
        return [{**figure, "section": self.key} for figure in self.check.to_json()["figures"]]


class Draft(BaseModel):
    report_type: str
    title: str
    sections: list[DraftSection]
    ok: bool
    citations: list[dict] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    ledger: Any = Field(default=None, exclude=True, repr=False)   # the figures.Ledger every section was checked against

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

    def to_markdown(self) -> str:
        from ..export import to_markdown
        return to_markdown(self)

    def text(self) -> str:
        """Plain text: title, headings and sections in outline order."""
        lines, parents = [self.title], set()
        for section in self.sections:
            if section.parent and section.parent not in parents:
                parents.add(section.parent)
                lines.append(section.parent)
            parents.add(section.title)
            lines += [section.title, section.text]
        return "\n".join(lines)


def verified_section(ctx: DraftContext, key: str, text: str, used: list[int], writer: str = TEMPLATE,
                     rounds: int = 0) -> DraftSection:
    """Check `text`; mark whatever the checker cannot verify. The only way a section is made."""
    from ..figures import check, mark

    result = check(text, ctx.ledger)
    output = text if result.ok else mark(text, result)
    section_spec = spec(ctx.report_type, key)
    tables = section_tables(ctx, key)
    verified = result.ok and all(t.status == "verified" for t in tables)
    return DraftSection(
        key=key, title=section_spec.title, parent=section_spec.parent, text=output, check=result,
        citations=[ctx.citations[n - 1] for n in used if 0 < n <= len(ctx.citations)],
        status="verified" if verified else "marked", writer=writer, rounds=rounds, ledger=ctx.ledger,
        tables=tables,
    )


def _write(ctx: DraftContext, key: str, writer: str, llm, instruction: str) -> DraftSection:
    if key not in SECTION_KEYS:
        from ..errors import JixiaoError
        raise JixiaoError(f"未知的章节“{key}”，可选：{'、'.join(SECTION_KEYS)}")
    if writer == TEMPLATE and llm is None:
        from .template_writer import write_section
        text, used = write_section(ctx, key)
        return verified_section(ctx, key, text, used)
    from .model_writer import write_section as model_write
    return model_write(ctx, key, llm=llm, provider=None if writer == TEMPLATE else writer, instruction=instruction)


def _context(evaluation: Evaluation, report_type, index, rules) -> DraftContext:
    if report_type and report_type != evaluation.report_type:
        evaluation = evaluation.model_copy(update={"report_type": report_type})
    return DraftContext.build(evaluation, index=index, rules=rules)


def draft_report(evaluation: Evaluation, *, report_type: str | None = None, sections=None,
                 writer: str = TEMPLATE, index=None, llm=None, rules: ScoringRules | None = None,
                 instruction: str = "") -> Draft:
    """The whole report (or the named `sections`) in the outline of its report type."""
    ctx = _context(evaluation, report_type, index, rules)
    if llm is None and writer != TEMPLATE:
        from ..llm import chat_model
        llm = chat_model(writer)
    drafted = [_write(ctx, key, writer, llm, instruction) for key in ordered_keys(ctx.report_type, sections)]
    return Draft(report_type=ctx.report_type, title=report_title(ctx.evaluation), sections=drafted,
                 ok=all(s.status == "verified" for s in drafted), citations=list(ctx.citations), warnings=list(dict.fromkeys(ctx.warnings)), ledger=ctx.ledger)


def draft_section(evaluation: Evaluation, key: str, *, writer: str = TEMPLATE, index=None, llm=None,
                  instruction: str = "", report_type: str | None = None,
                  rules: ScoringRules | None = None) -> DraftSection:
    """One section; its citations are numbered from 1."""
    ctx = _context(evaluation, report_type, index, rules)
    if llm is None and writer != TEMPLATE:
        from ..llm import chat_model
        llm = chat_model(writer)
    return _write(ctx, key, writer, llm, instruction)
