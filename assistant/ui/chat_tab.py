"""对话 tab: multi-turn streaming chat (`ChatSession.ask`); figures shown verified (source on hover)
or marked 【待核实…】; citations listed under the answer. A section drafted in chat refreshes the
draft tab."""
from __future__ import annotations

import logging

from ..errors import JixiaoError
from . import render
from .draft_tab import DraftTab
from .session import Sessions

log = logging.getLogger(__name__)

OPTION_BUTTONS = 4          # a clarification's likely readings, shown as buttons under the answer
QUICK_QUESTIONS = ("哪些指标没有完成？", "总分是怎么算的？", "预算执行率是多少？", "数据有没有填报错误？",
                   "起草存在的问题部分", "政府采购有哪些规定？")


class ChatTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions, draft: DraftTab):
        self.sessions = sessions
        self.draft = draft

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("对话", id="chat"):
            self.chatbot = gr.Chatbot(label="对话", height=520, elem_id="chatbot", sanitize_html=True,
                                      placeholder="可以问：哪些指标没有完成？总分是怎么算的？起草存在的问题部分")
            with gr.Row():
                self.question = gr.Textbox(placeholder="输入问题，按回车发送", show_label=False, scale=5,
                                           elem_id="chat-input", lines=1, max_lines=4)
                self.send = gr.Button("发送", variant="primary", scale=1, elem_id="chat-send")
            with gr.Row():
                self.options = [gr.Button(visible=False, size="sm", variant="secondary", elem_classes=["chat-option"])
                                for _ in range(OPTION_BUTTONS)]
            with gr.Row():
                self.quick = [gr.Button(q, size="sm", elem_classes=["quick-q"]) for q in QUICK_QUESTIONS]
            self.citations = gr.HTML(elem_id="chat-citations")

    def wire(self, state) -> None:
        inputs = [self.question, self.chatbot, state]
        outputs = [self.chatbot, self.question, state, self.citations, *self.draft.outputs, *self.options]
        self.question.submit(self.on_chat, inputs=inputs, outputs=outputs, api_name="chat")
        self.send.click(self.on_chat, inputs=inputs, outputs=outputs, api_name=False)
        for button in self.quick + self.options:
            button.click(lambda q: q, inputs=[button], outputs=[self.question], api_name=False).then(
                self.on_chat, inputs=inputs, outputs=outputs, api_name=False)
        self.chatbot.clear(self.on_clear, inputs=[state], outputs=[state, self.citations], api_name=False)

    def on_chat(self, message, history, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        history = list(history or [])
        message = (message or "").strip()
        keep = [gr.skip()] * OPTION_BUTTONS
        if not message:
            yield history, "", session, gr.skip(), *[gr.skip()] * len(self.draft.outputs), *keep
            return
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": "……"}]
        hidden = [gr.update(visible=False)] * OPTION_BUTTONS
        yield history, "", session, gr.skip(), *[gr.skip()] * len(self.draft.outputs), *hidden
        shown = ""
        try:
            for chunk in session.chat.ask(message):
                shown += chunk
                history[-1] = {"role": "assistant", "content": render.streaming_html(shown)}
                yield history, "", session, gr.skip(), *[gr.skip()] * len(self.draft.outputs), *keep
            answer = session.chat.answers[-1]
            history[-1] = {"role": "assistant", "content": render.answer_html(answer)}
        except Exception as error:
            log.exception("chat failed")
            text = str(error) if isinstance(error, JixiaoError) else f"出错了（{type(error).__name__}），请换一种问法或稍后再试。"
            history[-1] = {"role": "assistant", "content": render.streaming_html(text)}
            yield history, "", session, gr.skip(), *[gr.skip()] * len(self.draft.outputs), *keep
            return
        cites = render.citations_html(answer.citations, "上一个回答的参考资料（悬停可见摘录，点“原文”看全文）") or ""
        options = [o.question for o in answer.options][:OPTION_BUTTONS]
        buttons = [gr.update(value=q, visible=True) for q in options] + \
            [gr.update(visible=False)] * (OPTION_BUTTONS - len(options))
        if answer.section is not None:
            yield history, "", session, cites, *self.draft.views(session), *buttons
        else:
            yield history, "", session, cites, *[gr.skip()] * len(self.draft.outputs), *buttons

    def on_clear(self, session):
        session = self.sessions.ensure(session)
        session.chat.history.clear()
        session.chat.focus = None
        return session, ""
