"""`ChatSession`: one officer's conversation over their `Workspace`: asking, and the answers' history.

A question is answered by the session's chat model when one is configured (`tools.model_answer`,
tool calling over the workspace), else by the data's own answer for its routed intent. Either
way every line reaches the officer through `CheckedStream`.
"""
from __future__ import annotations

from typing import Iterator

from . import answers
from .routing import FOLLOW_UP_WORDS, Route, route
from .stream import Answer, CheckedStream
from .tools import model_answer
from .workspace import IndexProvider, Workspace

__all__ = ["ChatSession", "IndexProvider"]


class ChatSession(Workspace):
    """One officer's conversation: the workspace plus asking."""

    # asking

    def ask(self, question: str) -> Iterator[str]:
        """Stream the answer to `question`: chunks of checked text, marked where unverified.

        When the generator is exhausted, `self.answers[-1]` is the whole `Answer`.
        """
        question = (question or "").strip()
        answer = Answer(question=question, intent="empty")
        self.answers.append(answer)
        if not question:
            return
        self.history.append({"role": "user", "content": question})
        try:
            if self.evaluation is None:
                answer.intent = "no_data"
                stream = CheckedStream(None)
                yield stream.add_trusted("尚未载入数据。请先在“数据”页上传指标数据（xlsx、csv、yaml、json 或申报表），"
                                         "或选择一个示例，然后再提问。")
                answer.segments = stream.segments
            elif self.llm is not None:
                yield from model_answer(self, question, answer)
            else:
                yield from self._template_answer(question, answer)
        finally:
            self.history.append({"role": "assistant", "content": answer.text})

    def answer(self, question: str) -> Answer:
        """Ask and wait for the whole answer."""
        for _ in self.ask(question):
            pass
        return self.answers[-1]

    def _template_answer(self, question: str, answer: Answer) -> Iterator[str]:
        r = route(question, self.evaluation)
        if r.intent in ("unknown", "help") and any(w in question for w in FOLLOW_UP_WORDS):
            r = Route("reasons", indicator=self.focus)
        searched_instead = False
        if r.intent == "unknown" and self.index_provider is not None:
            r, searched_instead = Route("retrieve"), True   # not about the data: look in the corpus
        answer.intent = r.intent
        passages: list = []
        if r.intent == "draft":
            yield from self.draft_answer(question, r, answer)
            return
        if r.intent == "retrieve":
            text, passages = self.retrieve_text(question, answer)
            if searched_instead and not passages:
                answer.intent, text = "help", answers.help_text()
        else:
            text = self.tool_text(r.intent, r.indicator)
        stream = CheckedStream(self.answer_ledger(passages))
        for line in text.splitlines(keepends=True):
            chunk = stream.feed(line)
            if chunk:
                yield chunk
        tail = stream.flush()
        if tail:
            yield tail
        answer.segments = stream.segments

