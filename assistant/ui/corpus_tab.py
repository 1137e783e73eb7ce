"""资料库 tab: add documents to the shared index (`Index.add_files`, writes serialised) and see what
is indexed."""
from __future__ import annotations

import html
import logging
import shutil
import time
from pathlib import Path

from . import render
from .session import Sessions, error_text
from .settings import CORPUS_SUFFIXES

log = logging.getLogger(__name__)


def index_stats_html(index) -> str:
    stats = index.stats()
    docs = index.documents() if hasattr(index, "documents") else []
    kinds = {"report": "往年报告", "policy": "政策法规", "form": "表格"}
    by_kind = "、".join(f"{kinds.get(k, k)}{v}个" for k, v in (stats.get("files_by_kind") or {}).items())
    rows = "".join(f"<tr><td>{html.escape(d['title'] or d['doc'])}</td><td>{kinds.get(d['kind'], d['kind'])}</td>"
                   f"<td>{d.get('year') or '—'}</td><td>{d['chunks']}</td></tr>" for d in docs)
    return (f'<div class="index-stats" id="index-stats"><b>资料库：{stats.get("files", 0)}个文件（{by_kind}），'
            f'{stats.get("chunks", 0)}个片段</b>（向量模型：{html.escape(str(stats.get("embedder") or "—"))}）'
            f'<table class="score-table"><thead><tr><th>文档</th><th>类别</th><th>年份</th><th>片段</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


class CorpusTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.index_handle = sessions.index_handle

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("资料库", id="corpus"):
            self.files = gr.File(label="添加政策文件或往年报告（txt、md、docx、pdf、xlsx）", file_count="multiple",
                                 file_types=list(CORPUS_SUFFIXES), elem_id="corpus-upload")
            with gr.Row():
                self.add = gr.Button("加入资料库", variant="primary", elem_id="corpus-add")
                self.refresh = gr.Button("查看资料库", elem_id="corpus-refresh")
            self.status = gr.HTML(elem_id="corpus-status")
            self.stats = gr.HTML(elem_id="corpus-stats")

    def wire(self, state) -> None:
        self.add.click(self.on_add, inputs=[self.files, state], outputs=[state, self.status, self.stats],
                       api_name="corpus_add")
        self.refresh.click(self.on_stats, inputs=[state], outputs=[state, self.stats], api_name="corpus_stats")

    def on_add(self, files, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        if not files:
            return session, '<div class="data-error">请选择要加入资料库的文件</div>', gr.skip()
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", f)) for f in files]
        bad = [p.name for p in paths if p.suffix.lower() not in CORPUS_SUFFIXES]
        if bad:
            return session, render.error_html(f"不支持的文件类型：{'、'.join(bad)}（支持 {'、'.join(CORPUS_SUFFIXES)}）"), gr.skip()
        staging = session.workdir / "corpus" / str(int(time.time() * 1000))
        staging.mkdir(parents=True, exist_ok=True)
        copies = []
        for path in paths:
            target = staging / path.name
            shutil.copyfile(path, target)
            copies.append(target)
        try:
            index = self.index_handle()
            with self.index_handle.write_lock:
                summary = index.add_files(copies)
            return session, render.notice_html(str(summary)), index_stats_html(index)
        except Exception as error:
            log.exception("corpus add failed")
            return session, render.error_html(error_text(error)), gr.skip()

    def on_stats(self, session):
        session = self.sessions.ensure(session)
        try:
            return session, index_stats_html(self.index_handle())
        except Exception as error:
            log.exception("index stats failed")
            return session, render.error_html(error_text(error))
