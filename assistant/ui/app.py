"""The Gradio 6 app: four tabs over one `ChatSession` per browser session (held in `gr.State`).

- 数据 (`data_tab`): upload an actuals file (or pick an example); the scored indicator table with
  the underperformers highlighted, total and grade, findings, and a bar chart of completion rates.
- 对话 (`chat_tab`): multi-turn streaming chat (`ChatSession.ask`); figures shown verified (source
  on hover) or marked 【待核实…】; citations listed under the answer.
- 报告草稿 (`draft_tab`): report type and sections, generate, view with figures highlighted, edit,
  re-check, download .docx, .md and .pdf (the PDF where LibreOffice is installed).
- 资料库 (`corpus_tab`): add documents to the index (`Index.add_files`) and see what is indexed.

This module assembles them (`build_app`) and serves the result (`launch`). Nothing mutable is
global: the only shared object is the index handle (`index_handle`, opened once, locked for
writes). The page loads nothing from outside: fonts are local (no Google Fonts), analytics are
off, SSR is off.
"""
from __future__ import annotations

from . import render
from .chat_tab import QUICK_QUESTIONS, ChatTab
from .corpus_tab import CorpusTab, index_stats_html
from .data_tab import DataTab, chart_frame, read_upload
from .draft_tab import SECTION_NAMES, DraftTab, draft_html, editable_text, parse_editable, problems_html
from .index_handle import IndexHandle
from .session import Sessions, UISession, end_session, load_evaluation
from .settings import CORPUS_SUFFIXES, DATA_SUFFIXES, MAX_UPLOAD_MB, UISettings

__all__ = ["UISettings", "UISession", "IndexHandle", "build_app", "launch", "read_upload", "load_evaluation",
           "chart_frame", "draft_html", "editable_text", "parse_editable", "problems_html", "index_stats_html",
           "QUICK_QUESTIONS", "SECTION_NAMES", "DATA_SUFFIXES", "CORPUS_SUFFIXES", "MAX_UPLOAD_MB"]


def build_app(settings: UISettings | None = None):
    import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

    settings = settings or UISettings.from_env()
    sessions = Sessions(settings)
    draft = DraftTab(sessions)
    data = DataTab(sessions, draft)
    chat = ChatTab(sessions, draft)
    corpus = CorpusTab(sessions)
    theme = _theme(gr)
    with gr.Blocks(title="绩效报告助手", analytics_enabled=False) as app:
        state = gr.State(None, delete_callback=end_session)
        gr.HTML('<div class="app-title"><h1 style="margin:0">绩效报告助手</h1>'
                '<div class="notice">预算绩效自评报告：评分、问答、起草。每个数字都与数据核对，'
                '<span class="fig-ok" title="示例：核对通过的数字，悬停可见来源">已核实</span>的数字悬停可见来源，'
                '<span class="fig-bad">【待核实】</span>的数字需要补充依据。</div></div>')
        with gr.Tabs():
            data.layout()
            chat.layout()
            draft.layout()
            corpus.layout()
        data.wire(app, state)
        chat.wire(state)
        draft.wire(state)
        corpus.wire(state)
    app.jixiao_theme = theme
    app.jixiao_index = sessions.index_handle
    app.jixiao_settings = settings
    return app


def _theme(gr):
    """Gradio's default theme with local fonts only (the default asks Google Fonts for Inter)."""
    sans = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
    mono = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"]
    return gr.themes.Default(font=sans, font_mono=mono)


def launch(settings: UISettings | None = None, *, block: bool = True, quiet: bool = False):
    """Start the app; returns (app, address). With `block=False` it serves in the background."""
    settings = settings or UISettings.from_env()
    app = build_app(settings)
    auth = (settings.username, settings.password) if settings.username and settings.password else None
    app.queue(default_concurrency_limit=16)
    app.jixiao_index.start()
    app.launch(
        server_name=settings.host, server_port=settings.port, auth=auth, auth_message="绩效报告助手：请登录",
        theme=app.jixiao_theme, css=render.CSS, ssr_mode=False, share=False, inbrowser=False,
        show_error=False, quiet=True, prevent_thread_lock=True, max_file_size=f"{settings.max_upload_mb}mb",
        footer_links=[], pwa=False, mcp_server=False, enable_monitoring=False,
    )
    address = app.local_url or f"http://{settings.host}:{app.server_port}/"
    if not quiet:
        print(f"绩效报告助手已启动：{address}", flush=True)
    if block:
        try:
            app.block_thread()
        except KeyboardInterrupt:
            pass
    return app, address
