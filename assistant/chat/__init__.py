"""The conversation engine behind the chat: one `ChatSession` per officer, no UI imports.

An officer's question is normalised (half-width, simplified, the domain's typos) and read
(`understanding`: keyword cues, the example bank's nearest neighbours, what it names in the data,
the conversation so far), then answered by its intent's entry in a registry: the data's answers
(unmet indicators and why, score and grade, one indicator, rankings, points lost, the budget,
balance and spending, per-level summaries, targets too low, inconsistencies), policy answers that
answer from the best passage with numbered citations, how past reports wrote a point, drafting
and rewriting a section, small talk, an honest "我无法回答", or a question back with the likely
readings as options.

When a chat model is configured (`assistant.llm.chat_model()`), the model answers instead, using
the same answers as tools through langchain tool calling; a model without tool calling gets the
reading's answer as facts.

Whoever writes an answer, it reaches the officer only through `figures.check` against the
session's ledger (plus the passages retrieved for that answer): text streams out a line at a
time, each line checked and every unverified or misattributed figure replaced by `figures.mark`.

Modules, bottom first: `normalize` (the question made readable), `intents` (the example bank and its
neighbours), `entities` (loose names in the data), `context` (what follow-ups resolve against),
`understanding` (the reading), `routing` (the sections a request names), `answers`, `rankings`,
`funds` and `handlers` (the data's answers by intent), `policy` (the corpus's answers), `citations`,
`stream` (checked output: `CheckedStream`, `Answer`), `workspace` (`Workspace`: the officer's data,
ledger, draft and the data's answers), `tools` (the model's tool-calling loop over a workspace),
`session` (`ChatSession`: a workspace that is asked questions).
"""
from .answers import help_text
from .citations import citation, excerpt, retrieved_text
from .context import Context, Option, Subject
from .normalize import normalize_question
from .routing import Route, section_of
from .session import ChatSession
from .stream import Answer, CheckedStream, Segment, mark_all_numbers
from .tools import MAX_TOOL_ROUNDS
from .understanding import Reading, understand

__all__ = ["ChatSession", "Answer", "Segment", "CheckedStream", "mark_all_numbers", "Route", "section_of",
           "understand", "Reading", "Context", "Option", "Subject", "normalize_question", "citation", "excerpt",
           "retrieved_text", "help_text", "MAX_TOOL_ROUNDS"]
