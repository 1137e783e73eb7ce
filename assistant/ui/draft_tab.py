"""报告草稿 tab: report type and sections, generate, the draft with its figures highlighted, edit and
re-check, download .docx and .md. The draft is the chat session's (chat can draft into it too)."""
from __future__ import annotations

import html
import logging
import re
import time

from ..chat import ChatSession
from ..drafting import DraftSection
from ..drafting.outline import SECTION_KEYS, outline
from ..export import to_docx, to_markdown
from ..figures import CheckResult, check, mark
from ..retrieval import Passage
from . import render
from .session import Sessions, UISession, error_text

log = logging.getLogger(__name__)

SECTION_NAMES = {"background": "基本情况", "indicators": "指标分析", "conclusion": "评价结论",
                 "problems": "存在的问题", "measures": "改进措施"}


def editable_text(draft) -> str:
    """The draft as the officer edits it: `## 标题` lines for sections, their text below."""
    if draft is None or not draft.sections:
        return ""
    lines = [f"# {draft.title}"]
    for parent, section in draft.walk():
        if parent:
            lines += ["", f"## {parent}"]
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
    parts = [f'<div class="draft-view" id="draft-view"><h2>{html.escape(draft.title)}</h2>']
    problems = []
    for parent, section in draft.walk():
        if parent:
            parts.append(f"<h3>{html.escape(parent)}</h3>")
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
    start = text.find(line)
    end = start + len(line)
    figures = [f.model_copy(update={"start": f.start - start, "end": f.end - start})
               for f in result.figures if start <= f.start and f.end <= end]
    return CheckResult(ok=not any(f.status in render.PROBLEM for f in figures), figures=figures)


def section_ledger(chat: ChatSession, section):
    """The session's ledger plus the passages the section cites (their quotes), citation [n] added
    n-th so that its marker names its source; numbers the section does not cite hold nothing."""
    cited = {c.get("n") or k: c for k, c in enumerate(section.citations or [], 1) if c.get("quote")}
    if not cited:
        return chat.ledger
    return chat.answer_ledger([_cited_passage(cited.get(n, {})) for n in range(1, max(cited) + 1)])


def _cited_passage(citation: dict) -> Passage:
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


class DraftTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("报告草稿", id="draft"):
            with gr.Row():
                self.report_type = gr.Radio(["部门整体", "项目"], value="部门整体", label="报告类型", elem_id="report-type")
                self.section_choice = gr.CheckboxGroup([(SECTION_NAMES[k], k) for k in SECTION_KEYS],
                                                       value=list(SECTION_KEYS), label="章节", elem_id="draft-sections")
            self.generate = gr.Button("生成草稿", variant="primary", elem_id="draft-generate")
            self.check_box = gr.HTML(elem_id="draft-check-box")
            with gr.Row():
                with gr.Column(scale=1):
                    self.view = gr.HTML(elem_id="draft-html")
                with gr.Column(scale=1):
                    self.edit = gr.Textbox(label="编辑草稿（以“## 标题”分节；改完点“重新核对”）", lines=24, max_lines=60,
                                           elem_id="draft-edit")
                    self.recheck = gr.Button("重新核对", elem_id="draft-recheck")
            with gr.Row():
                self.download_docx = gr.DownloadButton("下载 .docx", interactive=False, elem_id="download-docx")
                self.download_md = gr.DownloadButton("下载 .md", interactive=False, elem_id="download-md")

    @property
    def outputs(self) -> list:
        """What `views` fills, in its order."""
        return [self.view, self.edit, self.check_box, self.download_docx, self.download_md]

    def wire(self, state) -> None:
        self.generate.click(self.on_generate, inputs=[self.report_type, self.section_choice, state],
                            outputs=[state, *self.outputs], api_name="generate")
        self.recheck.click(self.on_recheck, inputs=[self.edit, state], outputs=[state, *self.outputs],
                           api_name="recheck")

    @staticmethod
    def views(session: UISession) -> tuple:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        view, problems = draft_html(session)
        draft = session.chat.draft()
        docx, md = write_downloads(session)
        return (view, editable_text(draft), problems_html(problems) if draft and draft.sections else "",
                gr.update(value=docx, interactive=docx is not None), gr.update(value=md, interactive=md is not None))

    def on_generate(self, report_type, keys, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        if session.chat.evaluation is None:
            return (session, '<div class="data-error">尚未载入数据：请先在“数据”页载入数据。</div>', "", "",
                    gr.skip(), gr.skip())
        keys = [k for k in (keys or []) if k in SECTION_KEYS] or list(SECTION_KEYS)
        try:
            session.chat.draft_report(report_type=report_type, sections=keys)
        except Exception as error:
            log.exception("draft failed")
            return (session, render.error_html(error_text(error)), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        return (session, *self.views(session))

    def on_recheck(self, text, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        chat = session.chat
        draft = chat.draft()
        if draft is None or not draft.sections:
            return (session, gr.skip(), gr.skip(), '<div class="notice">尚无草稿可核对。</div>', gr.skip(), gr.skip())

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
        return (session, *self.views(session))
