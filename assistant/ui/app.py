"""The Gradio 6 app: five tabs over one `UISession` per browser tab (held in `gr.State`), each over
the officer's saved `Work`.

- 数据 (`data_tab`): upload an actuals file (or pick an example); score table, total and grade,
  findings, the completion chart; cells to correct in place.
- 对话 (`chat_tab`): streaming chat with stop, ask again, feedback, citations that open.
- 报告草稿 (`draft_tab`): the draft section by section, each with its own editor and checked view;
  downloads .docx, .md and .pdf (the PDF where LibreOffice is installed).
- 资料库 (`corpus_tab`): add documents as a chosen type, remove them, see what is indexed.
- 历史 (`history_tab`): earlier work: open, delete, new.

A page load reopens the owner's latest work (the login name, else a browser id kept in the
browser's localStorage, encrypted with a secret kept in the data folder), so a reload or a server
restart shows everything that was saved. The line at the top says 已保存 only after a commit.
Nothing mutable is global: the only shared objects are the store (every call names its owner), the
index handle (locked for writes) and the file grants (`files`: a file URL serves only the client its
session or upload belongs to; session folders go with the session and at shutdown). The page loads nothing from outside and is in Chinese
whatever the browser's language (`page`).
"""
from __future__ import annotations

import atexit
import signal

from ..workbench import title_of
from . import render
from .chat_tab import QUICK_QUESTIONS, ChatTab
from .corpus_tab import CorpusTab, index_stats_html
from .data_tab import DataTab, read_upload
from .draft_tab import SECTION_NAMES, DraftTab, problems_html
from .files import OwnFiles, request_client
from .gradio_state import keep_copies_under_their_component
from .history_tab import HistoryTab
from .index_handle import IndexHandle
from .memory import limit_malloc_arenas
from .page import ChinesePage, translations
from .session import Sessions, UISession, end_session, new_browser_id, owner_of
from .settings import CORPUS_SUFFIXES, DATA_SUFFIXES, MAX_UPLOAD_MB, TRANSFER_LIMIT_MB, UISettings

__all__ = ["UISettings", "UISession", "IndexHandle", "build_app", "launch", "read_upload", "problems_html",
           "index_stats_html", "QUICK_QUESTIONS", "SECTION_NAMES", "DATA_SUFFIXES", "CORPUS_SUFFIXES", "MAX_UPLOAD_MB"]

BROWSER_ID_KEY = "jixiao-browser-id"


class Everything:
    """Every view of a session, for the handlers that change them all (load data, open work …)."""

    def __init__(self, header, data: DataTab, chat: ChatTab, draft: DraftTab, history: HistoryTab):
        self.header, self.data, self.chat, self.draft, self.history = header, data, chat, draft, history
        for tab in (data, chat, draft, history):
            tab.everything = self

    @property
    def outputs(self) -> list:
        return [self.header, *self.data.outputs, *self.chat.outputs, *self.draft.outputs, *self.history.outputs]

    @staticmethod
    def header_html(session: UISession, error: str = "") -> str:
        work = session.work
        title = title_of(work.chat.evaluation) if work.chat.evaluation is not None else ""
        return render.save_html(work.saved_at, title, error)

    def refresh(self, session: UISession, data_status: str = "", header_error: str = "") -> tuple:
        """(state, *outputs) of every view of `session`."""
        return (session, self.header_html(session, header_error), *self.data.views(session, data_status),
                *self.chat.views(session), *self.draft.views(session), *self.history.views(session))


def build_app(settings: UISettings | None = None):
    import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

    settings = settings or UISettings.from_env()
    keep_copies_under_their_component()
    sessions = Sessions(settings)
    data, chat, draft = DataTab(sessions), ChatTab(sessions), DraftTab(sessions)
    history, corpus = HistoryTab(sessions), CorpusTab(sessions)
    theme = _theme(gr)
    with gr.Blocks(title="绩效报告助手", analytics_enabled=False) as app:
        state = gr.State(None, delete_callback=end_session)
        browser_id = gr.BrowserState("", storage_key=BROWSER_ID_KEY, secret=sessions.store.browser_secret())
        gr.HTML('<div class="app-title"><h1 style="margin:0">绩效报告助手</h1>'
                '<div class="notice">预算绩效自评报告：评分、问答、起草。每个数字都与数据核对，'
                '<span class="fig-ok" title="示例：核对通过的数字，悬停可见来源">已核实</span>的数字悬停可见来源，'
                '<span class="fig-bad">【待核实】</span>的数字需要补充依据。工作随时自动保存，可在“历史”页打开以前的工作。</div></div>')
        header = gr.HTML(elem_id="save-line")
        everything = Everything(header, data, chat, draft, history)
        with gr.Tabs():
            data.layout()
            chat.layout()
            draft.layout()
            corpus.layout()
            history.layout()
        data.wire(state)
        chat.wire(state)
        draft.wire(state)
        corpus.wire(state)
        history.wire(state)

        def on_start(session, stored_id, request):
            username = getattr(request, "username", None)
            browser = stored_id or new_browser_id()
            owner = owner_of(username, browser)
            client = request_client(request)
            if session is None or session.owner != owner:
                if session is not None:
                    end_session(session)
                session = sessions.resume(owner, client)
            session.belongs_to(client)
            return (browser, *everything.refresh(session))
        on_start.__annotations__ = {"request": gr.Request}      # Gradio passes the request by this type

        app.load(on_start, inputs=[state, browser_id], outputs=[browser_id, state, *everything.outputs],
                 api_name="start")
    app.jixiao_theme = theme
    app.jixiao_index = sessions.index_handle
    app.jixiao_settings = settings
    app.jixiao_sessions = sessions
    return app


def _theme(gr):
    """Gradio's default theme with local fonts only (the default asks Google Fonts for Inter)."""
    sans = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
    mono = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"]
    return gr.themes.Default(font=sans, font_mono=mono)


def launch(settings: UISettings | None = None, *, block: bool = True, quiet: bool = False):
    """Start the app; returns (app, address). With `block=False` it serves in the background."""
    import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built
    from starlette.middleware import Middleware  # heavy: starlette comes with gradio

    settings = settings or UISettings.from_env()
    limit_malloc_arenas()           # before the server's threads start
    app = build_app(settings)
    sessions = app.jixiao_sessions
    closing = app.close

    def close() -> None:            # shutdown: the sessions' folders and the uploads not taken go too
        try:
            closing()
        finally:
            sessions.close()
    app.close = close
    atexit.register(sessions.close)
    logins = settings.logins()
    app.queue(default_concurrency_limit=16)
    app.jixiao_index.start()
    app.launch(
        server_name=settings.host, server_port=settings.port, auth=logins or None, auth_message="绩效报告助手：请登录",
        theme=app.jixiao_theme, css=render.CSS, ssr_mode=False, share=False, inbrowser=False,
        show_error=False, quiet=True, prevent_thread_lock=True, max_file_size=f"{TRANSFER_LIMIT_MB}mb",
        footer_links=[], pwa=False, mcp_server=False, enable_monitoring=False,
        app_kwargs={"middleware": [Middleware(ChinesePage), Middleware(OwnFiles, grants=sessions.files)]},
        i18n=gr.I18n(**translations()),
    )
    address = app.local_url or f"http://{settings.host}:{app.server_port}/"
    if not quiet:
        print(f"绩效报告助手已启动：{address}", flush=True)
    if block:
        stop = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, _interrupt)       # `kill`: the same clean shutdown as Ctrl-C
        try:
            app.block_thread()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, stop)
            app.close()
    return app, address


def _interrupt(signum, frame):
    raise KeyboardInterrupt
