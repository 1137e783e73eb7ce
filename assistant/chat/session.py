"""`ChatSession`: one officer's conversation over their `Workspace`: asking, and the answers' history.

A question is answered by the session's chat model when one is configured (`tools.model_answer`,
tool calling over the workspace). Without one, it is read (`understanding.understand`: normalised,
keyword cues, the example bank's neighbours, the data's names, the conversation so far) and
answered by the registry of its intent: the data's answers (`handlers.HANDLERS`), the corpus
(`policy`), drafting and rewriting, small talk, an honest "我无法回答", or a question back with
the likely readings as options. Either way every line reaches the officer through `CheckedStream`.
"""
from __future__ import annotations

from typing import Callable, Iterator

from . import answers, policy
from .context import Subject
from .handlers import HANDLERS
from .routing import Route
from .stream import Answer, CheckedStream
from .tools import model_answer
from .understanding import Reading
from .workspace import IndexProvider, Workspace

__all__ = ["ChatSession", "IndexProvider"]


ANSWERS_KEPT = 2        # whole `Answer`s a session keeps (the UI reads the last); the conversation's text stays in `history`


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
        del self.answers[:-ANSWERS_KEPT]        # an answer holds its checked figures (~60 KB): only the last are kept
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
        reading = self.read(question)
        answer.intent = reading.intent
        replier = REPLIERS.get(reading.intent)
        if replier is not None:
            yield from replier(self, reading, answer)
            return
        reply = HANDLERS[reading.intent](self.evaluation, self.card, reading)
        self._remember(reading.intent, reply.subject, reply.listed)
        yield from self._stream(reply.text, answer)

    def _remember(self, intent: str, subject: Subject | None, listed: list[Subject]) -> None:
        context = self.context
        context.intent = intent
        if subject is not None:
            context.subject = subject
        elif listed:
            context.subject = listed[0] if len(listed) == 1 else context.subject
        context.listed = list(listed) if listed else context.listed

    def _stream(self, text: str, answer: Answer, passages: list | None = None) -> Iterator[str]:
        stream = CheckedStream(self.answer_ledger(passages or []))
        for line in text.splitlines(keepends=True):
            chunk = stream.feed(line)
            if chunk:
                yield chunk
        tail = stream.flush()
        if tail:
            yield tail
        answer.segments = stream.segments

    # the intents that are not the data's answers

    def _clarify(self, reading: Reading, answer: Answer) -> Iterator[str]:
        answer.options = list(reading.options)
        yield from self._stream(answers.clarify_text(reading.options), answer)

    def _conversation(self, reading: Reading, answer: Answer) -> Iterator[str]:
        text = {"small_talk": answers.small_talk_text(reading.text), "help": answers.help_text(),
                "off_topic": answers.off_topic_text()}[reading.intent]
        yield from self._stream(text, answer)

    def _corpus(self, reading: Reading, answer: Answer) -> Iterator[str]:
        if self.index_provider is None:
            yield from self._stream("未配置资料库（索引），无法检索政策法规和往年报告。", answer)
            return
        compose = policy.policy_text if reading.intent == "policy" else policy.past_report_text
        text, passages = compose(self.index, reading.text, answer)
        self.context.intent = reading.intent
        yield from self._stream(text, answer, passages)

    def _draft(self, reading: Reading, answer: Answer) -> Iterator[str]:
        route = Route("draft", section=reading.section, whole_report=reading.whole_report)
        yield from self.draft_answer(reading.text, route, answer)
        if answer.section is not None:
            self.context.section = answer.section.key

    def _rewrite(self, reading: Reading, answer: Answer) -> Iterator[str]:
        key = reading.section or self.context.section or next(reversed(self.sections), None)
        focus = [int(s.key) for s in reading.subjects if s.kind == "indicator"]
        yield from self.rewrite_answer(reading.text, key, focus, answer)
        if answer.section is not None:
            self.context.section = answer.section.key


REPLIERS: dict[str, Callable[[ChatSession, Reading, Answer], Iterator[str]]] = {
    "clarify": ChatSession._clarify,
    "small_talk": ChatSession._conversation,
    "help": ChatSession._conversation,
    "off_topic": ChatSession._conversation,
    "policy": ChatSession._corpus,
    "past_report": ChatSession._corpus,
    "draft": ChatSession._draft,
    "rewrite": ChatSession._rewrite,
}
