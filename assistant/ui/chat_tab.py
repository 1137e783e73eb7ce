"""对话 tab: multi-turn streaming chat (`ChatSession.ask`); figures shown verified (source on hover)
or marked 【待核实…】; citations under the answer, each opening its passage. 停止 ends an answer
(what was shown is kept, marked 已停止), 重新回答 asks the last question again, 有用/没用 (the
thumbs) is saved with the answer, and a separator shows where the data changed. Every answer is
saved when it is complete; a section drafted in chat refreshes the draft tab.

Everything shown is text: the officer's question and the answer are escaped (`render.text_html`)
before our own markup is added, so nothing typed makes the browser fetch anything.
"""
from __future__ import annotations

import logging

from ..errors import JixiaoError
from ..workbench import Turn
from . import render
from .session import Sessions, UISession, error_text

log = logging.getLogger(__name__)

QUICK_QUESTIONS = ("哪些指标没有完成？", "总分是怎么算的？", "预算执行率是多少？", "数据有没有填报错误？",
                   "起草存在的问题部分", "政府采购有哪些规定？")
OPTION_BUTTONS = 4          # a clarification's likely readings, shown as buttons under the answer
FEEDBACK = {"Like": "有用", "Dislike": "没用"}          # Gradio's thumbs → what is saved
FEEDBACK_SHOWN = {v: k for k, v in FEEDBACK.items()}


def messages(session: UISession) -> tuple[list[dict], list[Turn | None]]:
    """The chatbot's messages from the saved conversation, and the turn behind each message."""
    shown, turns = [], []
    for turn in session.work.turns:
        if turn.kind == "separator":
            shown.append({"role": "assistant", "content": render.separator_html(turn.answer_text)})
            turns.append(None)
            continue
        answer = turn.answer_html if not turn.stopped else render.stopped_html(turn.answer_text)
        shown += [{"role": "user", "content": render.user_html(turn.question)},
                  {"role": "assistant", "content": answer}]
        turns += [None, turn]
    return shown, turns


def feedback_values(session: UISession) -> list[str | None]:
    """Each assistant message's thumbs, in order (Gradio's `feedback_value`)."""
    return [FEEDBACK_SHOWN.get(t.feedback) if t is not None else None
            for m, t in zip(*messages(session)) if m["role"] == "assistant"]


def with_passages(answer) -> list[dict]:
    """The answer's citations, each with the whole passage it cites (to open under the answer)."""
    texts = {p.chunk_id: p.text for p in answer.passages}
    return [{**c, "passage": texts.get(c.get("chunk_id"), c.get("quote", ""))} for c in answer.citations]


class ChatTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.everything = None          # set by the app

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("对话", id="chat"):
            self.chatbot = gr.Chatbot(label="对话", height=520, elem_id="chatbot", sanitize_html=True,
                                      latex_delimiters=[], allow_tags=False, group_consecutive_messages=False,
                                      feedback_options=tuple(FEEDBACK), buttons=["copy"],
                                      placeholder="可以问：哪些指标没有完成？总分是怎么算的？起草存在的问题部分")
            with gr.Row():
                self.question = gr.Textbox(placeholder="输入问题，按回车发送", show_label=False, scale=5,
                                           elem_id="chat-input", lines=1, max_lines=4)
                self.send = gr.Button("发送", variant="primary", scale=1, elem_id="chat-send")
                self.stop = gr.Button("停止", variant="stop", scale=1, elem_id="chat-stop")
                self.again = gr.Button("重新回答", scale=1, elem_id="chat-again")
            with gr.Row():
                self.options = [gr.Button(visible=False, size="sm", variant="secondary", elem_classes=["chat-option"])
                                for _ in range(OPTION_BUTTONS)]
            with gr.Row():
                self.quick = [gr.Button(q, size="sm", elem_classes=["quick-q"]) for q in QUICK_QUESTIONS]

    @property
    def outputs(self) -> list:
        return [self.chatbot]

    def views(self, session: UISession) -> tuple:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        shown, _ = messages(session)
        return (gr.update(value=shown, feedback_value=feedback_values(session)),)

    def wire(self, state) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        def on_like(session, data):
            return self.on_like(session, data)
        on_like.__annotations__ = {"data": gr.LikeData}     # Gradio passes the event's data by this type

        # the conversation is the session's: the browser does not send it back with every question
        inputs = [self.question, state]
        # the answer streams into three outputs only (each streamed piece costs Gradio per output); then
        # the save line, the draft (if the answer drafted) and the history list follow
        streamed = [self.chatbot, self.question, state]
        after = [self.everything.header, *self.everything.draft.outputs, *self.everything.history.outputs,
                 *self.options]

        def answered(event):
            return event.then(self.on_answered, inputs=[state], outputs=after, api_visibility="private")

        events = [answered(self.question.submit(self.on_chat, inputs=inputs, outputs=streamed, api_name="chat")),
                  answered(self.send.click(self.on_chat, inputs=inputs, outputs=streamed, api_visibility="private"))]
        for button in self.quick + self.options:
            events.append(answered(button.click(lambda q: q, inputs=[button], outputs=[self.question],
                                                api_visibility="private").then(
                self.on_chat, inputs=inputs, outputs=streamed, api_visibility="private")))
        events.append(answered(self.chatbot.retry(self.on_again, inputs=[state], outputs=streamed,
                                                  api_visibility="private")))
        events.append(answered(self.again.click(self.on_again, inputs=[state], outputs=streamed, api_name="again")))
        # 停止 does not cancel the answer's event (a piece streamed just before could then land after the
        # stopped view): it records the answer as stopped, and the answer's own stream ends at its next piece
        # with the stopped view
        self.stop.click(self.on_stop, inputs=[state], outputs=[self.chatbot, state, self.everything.header],
                        api_name="stop")
        self.chatbot.like(on_like, inputs=[state], outputs=[state, self.everything.header], api_visibility="private")

    # --- handlers ---------------------------------------------------------------------------------

    def on_chat(self, message, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        message = (message or "").strip()
        if not message:
            yield gr.skip(), "", session
            return
        shown_before, _ = messages(session)
        question = {"role": "user", "content": render.user_html(message)}
        with session.lock:
            session.inflight = {"question": message, "shown": ""}
        yield [*shown_before, question, {"role": "assistant", "content": "……"}], "", session
        answer = None
        try:
            for chunk in session.chat.ask(message):
                with session.lock:
                    stopped = session.inflight is None
                    if not stopped:
                        session.inflight["shown"] += chunk
                        shown = session.inflight["shown"]
                if stopped:                             # 停止 recorded it: end with the stopped view
                    yield (*self.views(session), "", session)
                    return
                yield [*shown_before, question, {"role": "assistant", "content": render.streaming_html(shown)}], "", session
            answer = session.chat.answers[-1]
        except Exception as error:
            log.exception("chat failed")
            with session.lock:
                session.inflight = None
            text = str(error) if isinstance(error, JixiaoError) else f"出错了（{type(error).__name__}），请换一种问法或稍后再试。"
            session.save_error = ""
            yield [*shown_before, question, {"role": "assistant", "content": render.streaming_html(text)}], "", session
            return
        finally:
            if answer is None:
                self._record_stopped(session)         # ended early (停止, or the tab went away)
        with session.lock:
            stopped, session.inflight = session.inflight is None, None
        if stopped:
            yield (*self.views(session), "", session)
            return
        turn = Turn(question=message, answer_text=answer.text, answer_html="", citations=with_passages(answer),
                    intent=answer.intent)
        answer.citations = turn.citations
        turn.answer_html = render.answer_html(answer)
        session.drafted_in_chat = answer.section is not None
        try:
            session.work.record_turn(turn)
            session.save_error = ""
        except Exception as error:
            log.exception("saving the answer failed")
            session.save_error = error_text(error)
        yield (*self.views(session), "", session)

    def on_answered(self, session):
        """After an answer: the save line (已保存 only after the commit), the draft when the answer
        drafted into it, the history list, and the likely readings of a question the chat asked back."""
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        header = self.everything.header_html(session, error=session.save_error)
        draft = self.everything.draft.views(session) if session.drafted_in_chat else \
            [gr.skip()] * len(self.everything.draft.outputs)
        session.drafted_in_chat = False
        answers = session.chat.answers
        options = [o.question for o in answers[-1].options][:OPTION_BUTTONS] if answers else []
        buttons = [gr.update(value=q, visible=True) for q in options] + \
            [gr.update(visible=False)] * (OPTION_BUTTONS - len(options))
        return (header, *draft, *self.everything.history.views(session), *buttons)

    def _record_stopped(self, session: UISession) -> None:
        with session.lock:
            inflight, session.inflight = session.inflight, None
        if not inflight:
            return
        turn = Turn(question=inflight["question"], answer_text=inflight["shown"], stopped=True, intent="stopped")
        try:
            session.work.record_turn(turn)
        except Exception:
            log.exception("saving a stopped answer failed")

    def on_stop(self, session):
        session = self.sessions.ensure(session)
        self._record_stopped(session)
        return (*self.views(session), session, self.everything.header_html(session))

    def on_again(self, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        last = session.work.drop_last_turn()
        if last is None:
            yield gr.skip(), gr.skip(), session
            return
        yield from self.on_chat(last.question, session)

    def on_like(self, session, data=None):
        session = self.sessions.ensure(session)
        _, turns = messages(session)
        index = data.index if data is not None else None
        index = index[0] if isinstance(index, (list, tuple)) else index
        turn = turns[index] if isinstance(index, int) and 0 <= index < len(turns) else None
        if turn is None:
            return session, self.everything.header_html(session)
        liked = data.liked
        feedback = FEEDBACK.get(liked) if isinstance(liked, str) else ("有用" if liked else "没用")
        if turn.feedback == feedback:
            feedback = None          # the same thumb again: taken back
        try:
            session.work.set_feedback(turn, feedback)
            return session, self.everything.header_html(session)
        except Exception as error:
            return session, self.everything.header_html(session, error=error_text(error))
