"""历史 tab: the officer's earlier work, latest first — open one, delete one (its files too, after a
confirmation), or start new work. Only the owner's own sessions are ever listed or opened."""
from __future__ import annotations

import html
import logging
import time

from ..errors import JixiaoError
from .session import Sessions, UISession, end_session, error_text

log = logging.getLogger(__name__)


def when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


class HistoryTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.everything = None          # set by the app

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("历史", id="history"):
            self.listing = gr.HTML(elem_id="history-list")
            with gr.Row():
                self.choice = gr.Dropdown(label="选择一项工作", choices=[], elem_id="history-choice", scale=3)
                self.open = gr.Button("打开", variant="primary", elem_id="history-open", scale=1)
                self.delete = gr.Button("删除", variant="stop", elem_id="history-delete", scale=1)
                self.new = gr.Button("新建工作", elem_id="history-new", scale=1)
            with gr.Row(visible=False, elem_id="history-confirm") as self.confirm_row:
                self.confirm_text = gr.HTML()
                self.confirm = gr.Button("确认删除", variant="stop", elem_id="history-confirm-delete")
                self.cancel = gr.Button("取消", elem_id="history-cancel")

    @property
    def outputs(self) -> list:
        return [self.listing, self.choice, self.confirm_row]

    def views(self, session: UISession) -> tuple:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        rows, choices = [], []
        for info in self.sessions.store.sessions(session.owner):
            current = info.id == session.work.id
            mark = "（当前）" if current else ""
            rows.append(f'<tr data-id="{html.escape(info.id)}"><td class="{"current" if current else ""}">'
                        f'{html.escape(info.title)}{mark}</td><td>{html.escape(info.source)}</td>'
                        f'<td>{when(info.updated)}</td><td>{info.turns}</td><td>{info.sections}</td></tr>')
            choices.append((f"{info.title} · {info.source} · {when(info.updated)}{mark}", info.id))
        if not rows:
            listing = '<div class="notice" id="history-empty">还没有保存的工作：载入数据、提问或起草后会自动保存。</div>'
        else:
            listing = ('<table class="score-table history-table" id="history-table"><thead><tr><th>工作</th><th>数据文件</th>'
                       '<th>最后修改</th><th>问答</th><th>草稿章节</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")
        value = session.work.id if session.work.id in {c[1] for c in choices} else None
        return listing, gr.update(choices=choices, value=value), gr.update(visible=False)

    def wire(self, state) -> None:
        everything = [state, *self.everything.outputs]
        self.open.click(self.on_open, inputs=[self.choice, state], outputs=everything, api_name="history_open")
        self.new.click(self.on_new, inputs=[state], outputs=everything, api_name="history_new")
        self.delete.click(self.on_ask_delete, inputs=[self.choice, state], outputs=[self.confirm_row, self.confirm_text],
                          api_visibility="private")
        self.cancel.click(lambda: self._hidden(), inputs=[], outputs=[self.confirm_row], api_visibility="private")
        self.confirm.click(self.on_delete, inputs=[self.choice, state], outputs=everything, api_name="history_delete")

    def _hidden(self):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built
        return gr.update(visible=False)

    def on_open(self, session_id, session):
        session = self.sessions.ensure(session)
        if not session_id:
            return self.everything.refresh(session, header_error="请先选择一项工作")
        try:
            opened = self.sessions.open(session.owner, session_id, session.client)
        except JixiaoError as error:
            return self.everything.refresh(session, header_error=str(error))
        end_session(session)
        return self.everything.refresh(opened)

    def on_new(self, session):
        session = self.sessions.ensure(session)
        fresh = self.sessions.new(session.owner, session.client)
        end_session(session)
        return self.everything.refresh(fresh)

    def on_ask_delete(self, session_id, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        info = next((s for s in self.sessions.store.sessions(session.owner) if s.id == session_id), None)
        if info is None:
            return gr.update(visible=False), ""
        return (gr.update(visible=True),
                f'<div class="notice">确定删除“{html.escape(info.title)}”（{html.escape(info.source)}）？'
                "数据文件、对话和草稿都将删除，无法恢复。</div>")

    def on_delete(self, session_id, session):
        session = self.sessions.ensure(session)
        if not session_id:
            return self.everything.refresh(session, header_error="请先选择一项工作")
        try:
            self.sessions.store.delete(session.owner, session_id)
        except Exception as error:
            log.warning("delete failed", exc_info=True)
            return self.everything.refresh(session, header_error=error_text(error))
        if session_id == session.work.id:           # the open work itself: start new work
            fresh = self.sessions.new(session.owner, session.client)
            end_session(session)
            session = fresh
        return self.everything.refresh(session)
