"""The conversation engine behind the chat: one `ChatSession` per officer, no UI imports.

An officer's question is routed by intent (jieba tokens matched against keyword rules) to an
answer built from the data: which indicators were not met and why (with gaps and reasons), the
score and grade and how they were computed, one indicator's figures, the budget, the data's own
inconsistencies, policy and past-report questions (answered from `Index.search` with numbered
citations [1] to document and section), and "起草/重写 …部分" requests, which draft the section
(`drafting.draft_section`) into the chat and into the session's draft.

When a chat model is configured (`assistant.llm.chat_model()`), the model answers instead, using
the same answers as tools through langchain tool calling (score, underperformers, indicator,
retrieve, draft_section); a model without tool calling gets the routed tool's output as facts.

Whoever writes an answer, it reaches the officer only through `figures.check` against the
session's ledger (plus the passages retrieved for that answer): text streams out a line at a
time, each line checked and every unverified or misattributed figure replaced by `figures.mark`.

Modules, bottom first: `routing` (intent, section, indicator of a question), `answers` (the data's
answers), `citations` (retrieval as numbered citations), `stream` (checked output: `CheckedStream`,
`Answer`), `workspace` (`Workspace`: the officer's data, ledger, draft and the data's answers),
`tools` (the model's tool-calling loop over a workspace), `session` (`ChatSession`: a workspace that
is asked questions).
"""
from .answers import help_text
from .citations import citation, excerpt, retrieved_text
from .routing import INTENTS, Route, match_indicator, route, section_of, tokens
from .session import ChatSession
from .stream import Answer, CheckedStream, Segment, mark_all_numbers
from .tools import MAX_TOOL_ROUNDS

__all__ = ["ChatSession", "Answer", "Segment", "CheckedStream", "mark_all_numbers", "Route", "route",
           "tokens", "section_of", "match_indicator", "INTENTS", "citation", "excerpt", "retrieved_text",
           "help_text", "MAX_TOOL_ROUNDS"]
