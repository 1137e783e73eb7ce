"""The Gradio 6 app: four tabs over one `ChatSession` per browser session (held in `gr.State`).

- 数据: upload an actuals file (or pick an example); the scored indicator table with the
  underperformers highlighted, total and grade, findings, and a bar chart of completion rates.
- 对话: multi-turn streaming chat (`ChatSession.ask`); figures shown verified (source on hover)
  or marked 【待核实…】; citations listed under the answer.
- 报告草稿: report type and sections, generate, view with figures highlighted, edit, re-check,
  download .docx and .md.
- 资料库: add documents to the index (`Index.add_files`) and see what is indexed.

Nothing mutable is global: the only shared object is the index handle (opened once, locked for
writes). The page loads nothing from outside: fonts are local (no Google Fonts), analytics are
off, SSR is off.
"""
from __future__ import annotations

import html
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..chat import ChatSession
from ..drafting.outline import SECTION_KEYS, outline
from ..errors import JixiaoError
from ..model import Evaluation
from . import render

log = logging.getLogger(__name__)

DATA_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".yaml", ".yml", ".json", ".txt", ".tsv", ".docx")
CORPUS_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx")
MAX_UPLOAD_MB = 10
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECTION_NAMES = {"background": "基本情况", "indicators": "指标分析", "conclusion": "评价结论",
                 "problems": "存在的问题", "measures": "改进措施"}
QUICK_QUESTIONS = ("哪些指标没有完成？", "总分是怎么算的？", "预算执行率是多少？", "数据有没有填报错误？",
                   "起草存在的问题部分", "政府采购有哪些规定？")


@dataclass
class UISettings:
    """Where the app listens and what it starts with; `from_env` reads JIXIAO_HOST/PORT/USER/PASSWORD."""
    host: str = "127.0.0.1"
    port: int | None = 7860
    username: str | None = None
    password: str | None = None
    data: str | None = None                 # an actuals file every new session starts with
    examples_dir: Path | None = None
    llm_provider: str | None = None         # None: the template writer; else assistant.llm.chat_model(provider)
    index_dir: str | None = None
    max_upload_mb: int = MAX_UPLOAD_MB
    index_provider: Callable[[], Any] | None = None   # tests: a ready index

    @classmethod
    def from_env(cls, **overrides) -> "UISettings":
        env = os.environ
        values: dict[str, Any] = {
            "host": env.get("JIXIAO_HOST") or "127.0.0.1",
            "port": int(env["JIXIAO_PORT"]) if env.get("JIXIAO_PORT") else 7860,
            "username": env.get("JIXIAO_USER") or None,
            "password": env.get("JIXIAO_PASSWORD") or None,
            "llm_provider": env.get("JIXIAO_LLM_PROVIDER") or ("openai" if env.get("JIXIAO_LLM_BASE_URL") else None),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def examples(self) -> list[Path]:
        folder = self.examples_dir or next((p for p in (Path("examples"), PROJECT_ROOT / "examples") if p.is_dir()), None)
        if folder is None or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith("."))


class IndexHandle:
    """The shared index. The default one is opened (and built from ./corpus when missing) in a
    background thread started with the app, so the first question never waits minutes for a
    build: until it is ready, retrieval answers that the index is being built and drafts go out
    without citations. A given `provider` (tests) is called directly. Writes are serialised."""

    def __init__(self, index_dir: str | None = None, provider: Callable[[], Any] | None = None):
        self.index_dir = index_dir
        self._provider = provider
        self._index = None
        self._error: Exception | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()

    def start(self) -> None:
        if self._provider is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._open, name="jixiao-index", daemon=True)
                self._thread.start()

    def _open(self) -> None:
        try:
            from ..index import default_index
            self._index = default_index(self.index_dir)
        except Exception as error:      # kept and shown when the index is asked for
            log.exception("index unavailable")
            self._error = error

    def ready(self) -> bool:
        return self._index is not None

    def wait(self, timeout: float | None = None):
        self.start()
        if self._thread is not None:
            self._thread.join(timeout)
        return self()

    def __call__(self):
        if self._provider is not None:
            index = self._provider()
            if index is None:
                raise JixiaoError("未配置资料库（索引）")
            return index
        if self._index is not None:
            return self._index
        if self._error is not None:
            raise JixiaoError(f"资料库无法打开：{self._error}")
        self.start()
        raise JixiaoError("资料库正在建立索引（首次启动需要几分钟），请稍后再试")


@dataclass
class UISession:
    """One browser session: the chat engine plus a private folder for downloads."""
    chat: ChatSession
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="jixiao-ui-")))
    source: str = ""

    def __deepcopy__(self, memo):       # gr.State never needs to copy a live session
        return self


def load_evaluation(path: str | Path, profile: str | Path | None = None) -> Evaluation:
    from ..actuals import load
    return load(path, profile=profile) if profile else load(path)


def _read_upload(files, max_mb: int) -> tuple[Evaluation, str]:
    """The evaluation in an upload (one file, or a .csv with its .yaml profile); clear errors only."""
    if not files:
        raise JixiaoError("请选择要上传的文件")
    paths = [Path(f if isinstance(f, str) else getattr(f, "name", f)) for f in (files if isinstance(files, list) else [files])]
    for path in paths:
        if path.suffix.lower() not in DATA_SUFFIXES:
            raise JixiaoError(f"文件“{path.name}”的类型不受支持：支持 {'、'.join(DATA_SUFFIXES)}")
        if path.stat().st_size > max_mb * 1024 * 1024:
            raise JixiaoError(f"文件“{path.name}”超过{max_mb}MB上限")
    csvs = [p for p in paths if p.suffix.lower() == ".csv"]
    if csvs:
        profiles = [p for p in paths if p.suffix.lower() in (".yaml", ".yml")]
        return load_evaluation(csvs[0], profiles[0] if profiles else None), csvs[0].name
    main = paths[0]
    return load_evaluation(main), main.name


def _error_text(error: Exception) -> str:
    if isinstance(error, JixiaoError):
        return str(error)
    return f"无法读取文件（{type(error).__name__}）：{error}"


# --- views -----------------------------------------------------------------------------------------

def chart_frame(card):
    import pandas as pd

    rows = []
    for k, s in enumerate(card.indicators, 1):
        if s.completion is None:
            continue
        name = s.name if len(s.name) <= 10 else s.name[:9] + "…"
        status = "未完成" if s.met is False else "已完成"
        rows.append({"指标": f"{k:02d} {name}", "完成率（%）": round(s.completion * 100, 1), "状态": status})
    return pd.DataFrame(rows, columns=["指标", "完成率（%）", "状态"])


def editable_text(draft) -> str:
    """The draft as the officer edits it: `## 标题` lines for sections, their text below."""
    if draft is None or not draft.sections:
        return ""
    lines = [f"# {draft.title}"]
    parents: set[str] = set()
    for section in draft.sections:
        if section.parent and section.parent not in parents:
            parents.add(section.parent)
            lines += ["", f"## {section.parent}"]
        lines += ["", f"## {section.title}", section.text.strip()]
    return "\n".join(lines).strip() + "\n"


def parse_editable(text: str, report_type: str) -> dict[str, str]:
    """Section key → edited text, from `editable_text`'s layout (unknown headings stay in the text)."""
    specs = outline(report_type)
    by_title = {s.title: s.key for s in specs}
    parents = {s.parent for s in specs if s.parent}
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^#{1,3}\s*(.+?)\s*$", line)
        if heading:
            title = heading.group(1)
            if title in by_title:
                current = by_title[title]
                sections.setdefault(current, [])
                continue
            if title in parents or line.startswith("# "):
                continue
        if current is not None:
            sections[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in sections.items()}


def draft_html(session: UISession) -> tuple[str, list]:
    """The session's draft, every section re-checked as shown, figures highlighted."""
    chat = session.chat
    draft = chat.draft()
    if draft is None or not draft.sections:
        return '<div class="notice">尚无草稿：选择报告类型和章节后点击“生成草稿”，或在对话中说“起草存在的问题部分”。</div>', []
    from ..figures import check

    parts = [f'<div class="draft-view" id="draft-view"><h2>{html.escape(draft.title)}</h2>']
    problems = []
    parents: set[str] = set()
    for section in draft.sections:
        if section.parent and section.parent not in parents:
            parents.add(section.parent)
            parts.append(f"<h3>{html.escape(section.parent)}</h3>")
        parts.append(f'<h3 class="section-title" data-key="{section.key}">{html.escape(section.title)}</h3>')
        result = check(section.text, section_ledger(chat, section))
        # what the writer's check marked (now inside 【待核实】), then anything the view's re-check finds
        marked = section.check.problems() if section.check is not None else []
        problems += [(section.title, f) for f in [*marked, *result.problems()]]
        for line in section.text.split("\n"):
            if not line.strip():
                continue
            parts.append("<p>" + render.checked_html(line, _shift(result, section.text, line)) + "</p>")
    if draft.citations:
        parts.append(render.citations_html(draft.citations))
    parts.append("</div>")
    return "".join(parts), problems


def _shift(result, text: str, line: str):
    """The figures of `result` that fall in `line` (first occurrence in `text`), offsets into the line."""
    from ..figures import CheckResult

    start = text.find(line)
    end = start + len(line)
    figures = [f.model_copy(update={"start": f.start - start, "end": f.end - start})
               for f in result.figures if start <= f.start and f.end <= end]
    return CheckResult(ok=not any(f.status in render.PROBLEM for f in figures), figures=figures)


def section_ledger(chat: ChatSession, section):
    """The session's ledger plus the passages the section cites (their quotes)."""
    passages = [_cited_passage(c) for c in (section.citations or []) if c.get("quote")]
    return chat.answer_ledger(passages) if passages else chat.ledger


def _cited_passage(citation: dict):
    from ..index import Passage
    return Passage(doc=citation.get("doc", ""), title=citation.get("title", ""), kind=citation.get("kind", "report"),
                   section=citation.get("section", ""), text=citation.get("quote", ""), score=0.0, start=0, end=0,
                   chunk_id=citation.get("chunk_id", ""), year=citation.get("year"))


def problems_html(problems: list) -> str:
    if not problems:
        return '<div class="findings ok" id="draft-check">核对通过：草稿中的每个数字都能在数据或引用资料中找到来源。</div>'
    items = "".join(f"<li>{html.escape(title)}：“{html.escape(f.text)}”——{html.escape(f.reason or '无法核实')}</li>"
                    for title, f in problems)
    return (f'<div class="problems-list" id="draft-check"><b>有{len(problems)}处数字无法核实，已标为【待核实】：</b>'
            f"<ol>{items}</ol></div>")


def write_downloads(session: UISession) -> tuple[str | None, str | None]:
    """The draft as .docx and .md in the session's folder (marked figures stay marked)."""
    from ..export import to_docx, to_markdown

    draft = session.chat.draft()
    if draft is None or not draft.sections:
        return None, None
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", draft.title)[:60] or "绩效报告草稿"
    folder = session.workdir / str(int(time.time() * 1000))
    folder.mkdir(parents=True, exist_ok=True)
    docx_path = to_docx(draft, folder / f"{stem}.docx")
    md_path = folder / f"{stem}.md"
    md_path.write_text(to_markdown(draft), encoding="utf-8")
    return str(docx_path), str(md_path)


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


# --- the app ---------------------------------------------------------------------------------------

def build_app(settings: UISettings | None = None):
    import gradio as gr

    settings = settings or UISettings.from_env()
    index_handle = IndexHandle(settings.index_dir, settings.index_provider)
    preload: Evaluation | None = load_evaluation(settings.data) if settings.data else None
    preload_name = Path(settings.data).name if settings.data else ""
    examples = settings.examples()
    example_names = [p.name for p in examples]
    example_paths = {p.name: p for p in examples}
    llm_factory = _llm_factory(settings.llm_provider)
    if llm_factory is not None:
        llm_factory()           # a misconfigured model fails at start (JixiaoError), not in a session
    default_example = preload_name if preload_name in example_paths else next(
        (n for n in example_names if n.endswith(".yaml")), example_names[0] if example_names else None)

    def new_session() -> UISession:
        chat = ChatSession(index_provider=index_handle, llm=llm_factory() if llm_factory else None,
                           writer="template")
        session = UISession(chat=chat)
        if preload is not None:
            chat.load(preload.model_copy(deep=True))
            session.source = preload_name
        return session

    def ensure(session: UISession | None) -> UISession:
        return session if session is not None else new_session()

    def data_views(session: UISession, status: str = ""):
        card = session.chat.card
        if card is None:
            empty = '<div class="notice">尚未载入数据：请上传指标数据文件，或选择一个示例后点击“载入示例”。</div>'
            return (status or empty, "", "", gr.update(value=None, visible=False), "")
        frame = chart_frame(card)
        top = max([100.0] + list(frame["完成率（%）"])) * 1.1
        return (status or render.notice_html(f"已载入：{session.source}"), render.summary_html(card, session.source),
                render.table_html(card), gr.update(value=frame, y_lim=[0, round(top)], visible=True),
                render.findings_html(card))

    def chart_frame_empty():
        import pandas as pd
        return pd.DataFrame({"指标": [], "完成率（%）": [], "状态": []})

    def draft_views(session: UISession):
        view, problems = draft_html(session)
        draft = session.chat.draft()
        docx, md = write_downloads(session)
        return (view, editable_text(draft), problems_html(problems) if draft and draft.sections else "",
                gr.update(value=docx, interactive=docx is not None), gr.update(value=md, interactive=md is not None))

    def on_start(session):
        session = ensure(session)
        chat = session.chat
        report_type = chat.report_type or "部门整体"
        return (session, *data_views(session), *draft_views(session), gr.update(value=report_type))

    def after_load(session: UISession, evaluation: Evaluation, name: str):
        session.chat.load(evaluation)
        session.source = name
        report_type = session.chat.report_type or "部门整体"
        return (session, *data_views(session, render.notice_html(f"已载入：{name}")), *draft_views(session),
                gr.update(value=report_type))

    def on_upload(files, session):
        session = ensure(session)
        try:
            evaluation, name = _read_upload(files, settings.max_upload_mb)
        except Exception as error:     # every failure is shown as a message, never a stack trace
            if not isinstance(error, JixiaoError):
                log.warning("upload failed", exc_info=True)
            return (session, render.error_html(_error_text(error)), *[gr.skip()] * 4, *[gr.skip()] * 5, gr.skip())
        return after_load(session, evaluation, name)

    def on_example(name, session):
        session = ensure(session)
        if not name or name not in example_paths:
            return (session, render.error_html("请选择一个示例"), *[gr.skip()] * 4, *[gr.skip()] * 5, gr.skip())
        try:
            evaluation = load_evaluation(example_paths[name])
        except Exception as error:
            return (session, render.error_html(_error_text(error)), *[gr.skip()] * 4, *[gr.skip()] * 5, gr.skip())
        return after_load(session, evaluation, name)

    def on_chat(message, history, session):
        session = ensure(session)
        history = list(history or [])
        message = (message or "").strip()
        if not message:
            yield history, "", session, gr.skip(), *[gr.skip()] * 5
            return
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": "……"}]
        yield history, "", session, gr.skip(), *[gr.skip()] * 5
        shown = ""
        try:
            for chunk in session.chat.ask(message):
                shown += chunk
                history[-1] = {"role": "assistant", "content": render.streaming_html(shown)}
                yield history, "", session, gr.skip(), *[gr.skip()] * 5
            answer = session.chat.answers[-1]
            history[-1] = {"role": "assistant", "content": render.answer_html(answer)}
        except Exception as error:
            log.exception("chat failed")
            text = str(error) if isinstance(error, JixiaoError) else f"出错了（{type(error).__name__}），请换一种问法或稍后再试。"
            history[-1] = {"role": "assistant", "content": render.streaming_html(text)}
            yield history, "", session, gr.skip(), *[gr.skip()] * 5
            return
        cites = render.citations_html(answer.citations, "上一个回答的参考资料（悬停可见摘录）") or ""
        if answer.section is not None:
            yield history, "", session, cites, *draft_views(session)
        else:
            yield history, "", session, cites, *[gr.skip()] * 5

    def on_clear(session):
        session = ensure(session)
        session.chat.history.clear()
        session.chat.focus = None
        return session, ""

    def on_generate(report_type, keys, session):
        session = ensure(session)
        if session.chat.evaluation is None:
            return (session, '<div class="data-error">尚未载入数据：请先在“数据”页载入数据。</div>', "", "",
                    gr.skip(), gr.skip())
        keys = [k for k in (keys or []) if k in SECTION_KEYS] or list(SECTION_KEYS)
        try:
            session.chat.draft_report(report_type=report_type, sections=keys)
        except Exception as error:
            log.exception("draft failed")
            return (session, render.error_html(_error_text(error)), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        return (session, *draft_views(session))

    def on_recheck(text, session):
        session = ensure(session)
        chat = session.chat
        draft = chat.draft()
        if draft is None or not draft.sections:
            return (session, gr.skip(), gr.skip(), '<div class="notice">尚无草稿可核对。</div>', gr.skip(), gr.skip())
        from ..drafting import DraftSection
        from ..figures import check, mark

        edited = parse_editable(text or "", draft.report_type)
        for original in draft.sections:
            new_text = edited.get(original.key)
            if new_text is None or new_text == original.text.strip():
                continue
            result = check(new_text, section_ledger(chat, original))
            shown = new_text if result.ok else mark(new_text, result)
            chat.sections[original.key] = DraftSection(
                key=original.key, title=original.title, parent=original.parent, text=shown, check=result,
                citations=original.citations, status="verified" if result.ok else "marked",
                writer="officer")
        return (session, *draft_views(session))

    def on_corpus_add(files, session):
        session = ensure(session)
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
            index = index_handle()
            with index_handle.write_lock:
                summary = index.add_files(copies)
            return session, render.notice_html(str(summary)), index_stats_html(index)
        except Exception as error:
            log.exception("corpus add failed")
            return session, render.error_html(_error_text(error)), gr.skip()

    def on_corpus_stats(session):
        session = ensure(session)
        try:
            return session, index_stats_html(index_handle())
        except Exception as error:
            log.exception("index stats failed")
            return session, render.error_html(_error_text(error))

    app_index = index_handle
    theme = _theme(gr)
    with gr.Blocks(title="绩效报告助手", analytics_enabled=False) as app:
        state = gr.State(None, delete_callback=_end_session)
        gr.HTML('<div class="app-title"><h1 style="margin:0">绩效报告助手</h1>'
                '<div class="notice">预算绩效自评报告：评分、问答、起草。每个数字都与数据核对，'
                '<span class="fig-ok" title="示例：核对通过的数字，悬停可见来源">已核实</span>的数字悬停可见来源，'
                '<span class="fig-bad">【待核实】</span>的数字需要补充依据。</div></div>')
        with gr.Tabs():
            with gr.Tab("数据", id="data"):
                with gr.Row():
                    upload = gr.File(label=f"上传指标数据（xlsx、csv+yaml、yaml、json、申报表 txt/docx；不超过{settings.max_upload_mb}MB）",
                                     file_count="multiple", file_types=list(DATA_SUFFIXES), elem_id="data-upload", scale=2)
                    with gr.Column(scale=1):
                        example = gr.Dropdown(choices=example_names, value=default_example,
                                              label="或选择示例", elem_id="example-choice")
                        load_example = gr.Button("载入示例", variant="primary", elem_id="load-example")
                status = gr.HTML(elem_id="data-status")
                summary = gr.HTML(elem_id="data-summary")
                table = gr.HTML(elem_id="data-table")
                chart = gr.BarPlot(value=None, visible=False, x="指标", y="完成率（%）", color="状态",
                                   color_map={"已完成": "#2e7d32", "未完成": "#c62828"}, x_label_angle=-35,
                                   title="各指标完成率", height=380, elem_id="completion-chart", label="完成率")
                findings = gr.HTML(elem_id="data-findings")
            with gr.Tab("对话", id="chat"):
                chatbot = gr.Chatbot(label="对话", height=520, elem_id="chatbot", sanitize_html=True,
                                     placeholder="可以问：哪些指标没有完成？总分是怎么算的？起草存在的问题部分")
                with gr.Row():
                    question = gr.Textbox(placeholder="输入问题，按回车发送", show_label=False, scale=5,
                                          elem_id="chat-input", lines=1, max_lines=4)
                    send = gr.Button("发送", variant="primary", scale=1, elem_id="chat-send")
                with gr.Row():
                    quick = [gr.Button(q, size="sm", elem_classes=["quick-q"]) for q in QUICK_QUESTIONS]
                citations = gr.HTML(elem_id="chat-citations")
            with gr.Tab("报告草稿", id="draft"):
                with gr.Row():
                    report_type = gr.Radio(["部门整体", "项目"], value="部门整体", label="报告类型", elem_id="report-type")
                    section_choice = gr.CheckboxGroup([(SECTION_NAMES[k], k) for k in SECTION_KEYS], value=list(SECTION_KEYS),
                                                      label="章节", elem_id="draft-sections")
                generate = gr.Button("生成草稿", variant="primary", elem_id="draft-generate")
                draft_check = gr.HTML(elem_id="draft-check-box")
                with gr.Row():
                    with gr.Column(scale=1):
                        draft_view = gr.HTML(elem_id="draft-html")
                    with gr.Column(scale=1):
                        draft_edit = gr.Textbox(label="编辑草稿（以“## 标题”分节；改完点“重新核对”）", lines=24, max_lines=60,
                                                elem_id="draft-edit")
                        recheck = gr.Button("重新核对", elem_id="draft-recheck")
                with gr.Row():
                    download_docx = gr.DownloadButton("下载 .docx", interactive=False, elem_id="download-docx")
                    download_md = gr.DownloadButton("下载 .md", interactive=False, elem_id="download-md")
            with gr.Tab("资料库", id="corpus"):
                corpus_files = gr.File(label="添加政策文件或往年报告（txt、md、docx、pdf、xlsx）", file_count="multiple",
                                       file_types=list(CORPUS_SUFFIXES), elem_id="corpus-upload")
                with gr.Row():
                    corpus_add = gr.Button("加入资料库", variant="primary", elem_id="corpus-add")
                    corpus_refresh = gr.Button("查看资料库", elem_id="corpus-refresh")
                corpus_status = gr.HTML(elem_id="corpus-status")
                corpus_stats = gr.HTML(elem_id="corpus-stats")

        data_outputs = [status, summary, table, chart, findings]
        draft_outputs = [draft_view, draft_edit, draft_check, download_docx, download_md]
        app.load(on_start, inputs=[state], outputs=[state, *data_outputs, *draft_outputs, report_type],
                 api_name="start")
        upload.upload(on_upload, inputs=[upload, state], outputs=[state, *data_outputs, *draft_outputs, report_type],
                      api_name="upload")
        load_example.click(on_example, inputs=[example, state],
                           outputs=[state, *data_outputs, *draft_outputs, report_type], api_name="load_example")
        chat_outputs = [chatbot, question, state, citations, *draft_outputs]
        question.submit(on_chat, inputs=[question, chatbot, state], outputs=chat_outputs, api_name="chat")
        send.click(on_chat, inputs=[question, chatbot, state], outputs=chat_outputs, api_name=False)
        for button in quick:
            button.click(lambda q: q, inputs=[button], outputs=[question], api_name=False).then(
                on_chat, inputs=[question, chatbot, state], outputs=chat_outputs, api_name=False)
        chatbot.clear(on_clear, inputs=[state], outputs=[state, citations], api_name=False)
        generate.click(on_generate, inputs=[report_type, section_choice, state], outputs=[state, *draft_outputs],
                       api_name="generate")
        recheck.click(on_recheck, inputs=[draft_edit, state], outputs=[state, *draft_outputs], api_name="recheck")
        corpus_add.click(on_corpus_add, inputs=[corpus_files, state], outputs=[state, corpus_status, corpus_stats],
                         api_name="corpus_add")
        corpus_refresh.click(on_corpus_stats, inputs=[state], outputs=[state, corpus_stats], api_name="corpus_stats")
    app.jixiao_theme = theme
    app.jixiao_index = app_index
    app.jixiao_settings = settings
    return app


def _end_session(session: UISession | None) -> None:
    """A browser session is gone: remove its downloads folder."""
    if session is not None:
        shutil.rmtree(session.workdir, ignore_errors=True)


def _llm_factory(provider: str | None):
    if not provider:
        return None
    from ..llm import chat_model

    def factory():
        return chat_model(provider)
    return factory


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
