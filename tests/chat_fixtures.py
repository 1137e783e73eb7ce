"""The chat tests' shared step: ask a session one or more questions and hold its answer to the contract
(no figure unverified and unmarked, never the excerpt dump)."""
from __future__ import annotations

from assistant.chat import ChatSession
from drafting_fixtures import assert_no_unverified_figure_unmarked as assert_no_leak

EXCERPT_DUMP = "资料库中与问题最相关的内容"


def ask(evaluation, *questions, **kwargs):
    session = ChatSession(evaluation, **kwargs)
    for question in questions:
        answer = session.answer(question)
    assert_no_leak(answer, session.answer_ledger(answer.passages))
    assert EXCERPT_DUMP not in answer.text
    return session, answer
