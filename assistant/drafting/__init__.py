"""Drafting: grounded, verified report sections for department and project reports.

    draft_report(evaluation, report_type=None, sections=None, writer="template", index=None, llm=None)
    draft_section(evaluation, key, writer="template", index=None, llm=None, instruction="")

Writers (`writers.py`): "template" (deterministic, the default) or a chat-model provider by name
("openai", "llamacpp", "fake"), or any langchain chat model passed as `llm`. Every section goes
through the figure checker (`sections.verified_section`); what it cannot verify is marked
【待核实：…】 and the section's status is "marked".

Modules, bottom first: `outline` (the two report outlines), `prompts` (the prompt files),
`context` (what a writer drafts from), `problems` (problems derived from the score card),
`sections` (`DraftSection`, `Draft`, `verified_section`), `template_writer`, `model_writer`,
`writers` (the registry), `report` (`draft_report`, `draft_section`), `citations` (one numbering
across separately drafted sections).
"""
from .outline import SECTION_KEYS, outline, report_title
from .report import draft_report, draft_section
from .sections import Draft, DraftSection
from .writers import writer_names

__all__ = ["SECTION_KEYS", "Draft", "DraftSection", "draft_report", "draft_section", "outline", "report_title",
           "writer_names"]
