"""Drafting: grounded, verified report sections for department and project reports.

    draft_report(evaluation, report_type=None, sections=None, writer="template", index=None, llm=None)
    draft_section(evaluation, key, writer="template", index=None, llm=None, instruction="")

Writers: "template" (deterministic, the default) or a chat model ("openai", "llamacpp", "fake",
or any langchain chat model passed as `llm`). Every section goes through the figure checker;
what it cannot verify is marked 【待核实：…】 and the section's status is "marked".
"""
from .outline import SECTION_KEYS, outline, report_title
from .report import Draft, DraftSection, draft_report, draft_section

__all__ = ["SECTION_KEYS", "Draft", "DraftSection", "draft_report", "draft_section", "outline", "report_title"]
