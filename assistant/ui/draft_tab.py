"""报告草稿 tab: report type and sections, generate; then the draft section by section, each with its
heading (not editable), its text in an editor of its own, and beside it the section as the report
shows it, its figures checked: verified ones highlighted, the others marked 【待核实…】 in the view
and in the downloads (.docx, .md) — never in the officer's text. A section can be drafted again,
removed and restored. Every edit is saved as it is typed (the save line says when).

The draft is the chat session's (chat can draft into it too); `Work` keeps the officer's text of
each section beside the drafted one.
"""
from __future__ import annotations

import html
import logging
import re
import time
from pathlib import Path

from ..drafting.outline import SECTION_KEYS, outline
from ..export import pdf_available, to_docx, to_markdown, to_pdf
from ..figures import check
from ..workbench import section_ledger
from . import render
from .session import Sessions, UISession, error_text

log = logging.getLogger(__name__)

SECTION_NAMES = {"background": "基本情况", "indicators": "指标分析", "conclusion": "评价结论",
                 "problems": "存在的问题", "measures": "改进措施"}
SLOT_OUTPUTS = 7        # per section: its box, heading, view, editor, and the 起草/删除/恢复 buttons


def section_problems(session: UISession) -> dict[str, tuple[list, object]]:
    """Section key → (figures to list as problems, the re-check of the shown text)."""
    chat = session.chat
    checked = {}
    for key, section in chat.sections.items():
        result = check(section.text, section_ledger(chat, section))
        marked = section.check.problems() if section.check is not None else []
        checked[key] = ([*marked, *result.problems()], result)
    return checked


def listed_problems(session: UISession, checked: dict) -> list:
    """(section title, figure) of every figure to list as a problem, sections in outline order."""
    sections = session.chat.sections
    return [(sections[k].title, f) for k in session.work.section_keys() if k in checked for f in checked[k][0]]


def problems_html(problems: list) -> str:
    if not problems:
        return '<div class="findings ok" id="draft-check">核对通过：草稿中的每个数字都能在数据或引用资料中找到来源。</div>'
    items = "".join(f"<li>{html.escape(title)}：“{html.escape(f.text)}”——{html.escape(f.reason or '无法核实')}</li>"
                    for title, f in problems)
    return (f'<div class="problems-list" id="draft-check"><b>有{len(problems)}处数字无法核实，已在右侧和下载的文件中标为【待核实】：</b>'
            f"<ol>{items}</ol></div>")


def download_path(session: UISession, draft, suffix: str) -> Path:
    """A new file for a download of `draft` in the session's folder, named after the report."""
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", draft.title)[:60] or "绩效报告草稿"
    folder = session.workdir / str(time.time_ns())
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stem}{suffix}"


def write_downloads(session: UISession) -> tuple[str | None, str | None]:
    """The draft as .docx and .md in the session's folder (marked figures stay marked)."""
    draft = session.chat.draft()
    if draft is None or not draft.sections:
        return None, None
    docx_path = to_docx(draft, download_path(session, draft, ".docx"))
    folder, stem = docx_path.parent, docx_path.stem
    md_path = folder / f"{stem}.md"
    md_path.write_text(to_markdown(draft), encoding="utf-8")
    return str(docx_path), str(md_path)


class DraftTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.everything = None          # set by the app
        self.slots: dict[str, dict] = {}

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("报告草稿", id="draft"):
            with gr.Row():
                self.report_type = gr.Radio(["部门整体", "项目"], value="部门整体", label="报告类型", elem_id="report-type")
                # values are the Chinese names (Gradio shows a choice's value on hover)
                self.section_choice = gr.CheckboxGroup(list(SECTION_NAMES.values()), value=list(SECTION_NAMES.values()),
                                                       label="章节", elem_id="draft-sections")
            with gr.Row():
                self.generate = gr.Button("生成所选章节", variant="primary", elem_id="draft-generate")
                self.recheck = gr.Button("重新核对全部", elem_id="draft-recheck")
            self.check_box = gr.HTML(elem_id="draft-check-box")
            self.title = gr.HTML(elem_id="draft-title")
            with gr.Column(elem_id="draft-body"):
                for n, key in enumerate(SECTION_KEYS, 1):
                    with gr.Column(elem_id=f"section-{key}", elem_classes=["draft-section", f"order-{n}"]) as box:
                        head = gr.HTML(elem_id=f"head-{key}")
                        with gr.Row(equal_height=False):
                            edit = gr.Textbox(show_label=False, lines=8, max_lines=40, elem_id=f"edit-{key}",
                                              placeholder="本节正文", visible=False)
                            view = gr.HTML(elem_id=f"view-{key}", elem_classes=["draft-view"])
                        with gr.Row():
                            regenerate = gr.Button("起草本节", size="sm", elem_id=f"regenerate-{key}")
                            remove = gr.Button("删除本节", size="sm", visible=False, elem_id=f"remove-{key}")
                            restore = gr.Button("恢复本节", size="sm", visible=False, elem_id=f"restore-{key}")
                    self.slots[key] = {"box": box, "head": head, "view": view, "edit": edit,
                                       "regenerate": regenerate, "remove": remove, "restore": restore}
            self.citations = gr.HTML(elem_id="draft-citations")
            with gr.Row():
                self.download_docx = gr.DownloadButton("下载 .docx", interactive=False, elem_id="download-docx")
                self.download_md = gr.DownloadButton("下载 .md", interactive=False, elem_id="download-md")
                # the PDF is made on request (LibreOffice takes 1–2 s), only where LibreOffice is installed
                self.make_pdf = gr.Button("生成 .pdf", visible=pdf_available(), elem_id="make-pdf")
                self.download_pdf = gr.DownloadButton("下载 .pdf", visible=False, elem_id="download-pdf")

    @property
    def outputs(self) -> list:
        """What `views` fills, in its order."""
        slots = [self.slots[k][part] for k in SECTION_KEYS
                 for part in ("box", "head", "view", "edit", "regenerate", "remove", "restore")]
        return [self.check_box, self.title, self.citations, self.download_docx, self.download_md, self.report_type,
                *slots]

    def wire(self, state) -> None:
        everything = [state, *self.everything.outputs]
        self.generate.click(self.on_generate, inputs=[self.report_type, self.section_choice, state],
                            outputs=everything, api_name="generate")
        self.recheck.click(self.on_recheck, inputs=[state], outputs=everything, api_name="recheck")
        self.make_pdf.click(self.on_pdf, inputs=[state], outputs=[self.download_pdf, self.everything.header],
                            api_name="pdf")
        for key, slot in self.slots.items():
            edited = [slot["head"], slot["view"], self.check_box, self.download_docx, self.download_md,
                      self.everything.header]
            # .change, not .input: Gradio sends no input event for pasted text; an unchanged text saves nothing
            slot["edit"].change(self._on_edit(key), inputs=[slot["edit"], state], outputs=edited,
                                api_visibility="private", trigger_mode="always_last", show_progress="hidden")
            slot["regenerate"].click(self._on_section(key, "regenerate"), inputs=[state], outputs=everything,
                                     api_visibility="private")
            slot["remove"].click(self._on_section(key, "remove"), inputs=[state], outputs=everything, api_visibility="private")
            slot["restore"].click(self._on_section(key, "restore"), inputs=[state], outputs=everything, api_visibility="private")

    # --- views -----------------------------------------------------------------------------------

    def views(self, session: UISession) -> tuple:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        chat, work = session.chat, session.work
        report_type = chat.report_type or "部门整体"
        draft = chat.draft()
        checked = section_problems(session)
        problems = listed_problems(session, checked)
        docx, md = write_downloads(session)
        has_draft = bool(draft and draft.sections)
        top = (problems_html(problems) if has_draft else "",
               f'<div class="draft-title">{html.escape(draft.title)}</div>' if draft is not None and (has_draft or work.drafted) else
               '<div class="notice">尚无草稿：选择报告类型和章节后点击“生成所选章节”，或在对话中说“起草存在的问题部分”。</div>',
               render.citations_html(draft.citations, "引用来源（点击查看原文）") if has_draft else "",
               gr.update(value=docx, interactive=docx is not None), gr.update(value=md, interactive=md is not None),
               gr.update(value=report_type))
        slots = []
        for key in SECTION_KEYS:
            slots += self._slot(session, key, checked.get(key))
        return (*top, *slots)

    def _heading(self, session: UISession, key: str) -> str:
        chat, work = session.chat, session.work
        items = outline(chat.report_type or "部门整体")
        k = next(n for n, i in enumerate(items) if i.key == key)
        item = items[k]
        # the parent heading once, before the first section under it, unless a section before is titled so
        shown_before = {i.title for i in items[:k]} | {i.parent for i in items[:k]}
        parent = (f'<div class="parent-heading">{html.escape(item.parent)}</div>'
                  if item.parent and item.parent not in shown_before else "")
        if key in work.removed:
            state, cls = '<span class="section-state">本节已删除，可恢复</span>', " removed"
        elif key not in chat.sections:
            state, cls = '<span class="section-state">尚未起草</span>', ""
        else:
            section = chat.sections[key]
            who = "经办人修改" if key in work.officer_texts else "草稿"
            ok = section.status == "verified"
            state = (f'<span class="section-state state-{"verified" if ok else "marked"}">{who} · '
                     f'{"数字均已核实" if ok else "有数字待核实"}</span>')
            cls = ""
        return f'<div class="section-head{cls}">{parent}<h3>{html.escape(item.title)}{state}</h3></div>'

    def _slot(self, session: UISession, key: str, checked) -> list:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        chat, work = session.chat, session.work
        order = [i.key for i in outline(chat.report_type or "部门整体")].index(key) + 1
        box = gr.update(elem_classes=["draft-section", f"order-{order}"], visible=chat.evaluation is not None)
        head = self._heading(session, key)
        if key in chat.sections:
            section = chat.sections[key]
            view = render.section_html(section.text, checked[1] if checked else None)
            return [box, head, view, gr.update(value=work.officer_text(key), visible=True),
                    gr.update(value="重新生成本节"), gr.update(visible=True), gr.update(visible=False)]
        removed = key in work.removed
        return [box, head, "", gr.update(value="", visible=False), gr.update(value="重新生成本节" if removed else "起草本节"),
                gr.update(visible=False), gr.update(visible=removed)]

    # --- handlers ----------------------------------------------------------------------------------

    def on_pdf(self, session):
        """The draft as a PDF (through LibreOffice), offered for download."""
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        draft = session.chat.draft()
        if draft is None or not draft.sections:
            return gr.update(visible=False), self.everything.header_html(session, error="尚无草稿可导出。")
        try:
            path = to_pdf(draft, download_path(session, draft, ".pdf"))
        except Exception as error:
            log.warning("PDF export failed", exc_info=True)
            return gr.update(visible=False), self.everything.header_html(session, error=error_text(error))
        return gr.update(value=str(path), visible=True, interactive=True), self.everything.header_html(session)

    def on_generate(self, report_type, keys, session):
        session = self.sessions.ensure(session)
        if session.chat.evaluation is None:
            return self.everything.refresh(session, header_error="尚未载入数据：请先在“数据”页载入数据。")
        by_name = {name: key for key, name in SECTION_NAMES.items()}
        keys = [by_name.get(k, k) for k in (keys or [])]
        keys = [k for k in keys if k in SECTION_KEYS] or list(SECTION_KEYS)
        try:
            session.work.draft_report(report_type or session.chat.report_type or "部门整体", keys)
        except Exception as error:
            log.exception("draft failed")
            return self.everything.refresh(session, header_error=error_text(error))
        return self.everything.refresh(session)

    def on_recheck(self, session):
        return self.everything.refresh(self.sessions.ensure(session))

    def _on_edit(self, key: str):
        def on_edit(text, session):
            import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

            session = self.sessions.ensure(session)
            work = session.work
            if key not in work.drafted or key in work.removed or (text or "").strip() == work.officer_text(key).strip():
                return tuple(gr.skip() for _ in range(6))     # the editor was filled in, not edited
            try:
                work.edit(key, text)
                header = self.everything.header_html(session)
            except Exception as error:
                log.warning("edit not saved", exc_info=True)
                header = self.everything.header_html(session, error=error_text(error))
            checked = section_problems(session)
            chat = session.chat
            problems = listed_problems(session, checked)
            view = render.section_html(chat.sections[key].text, checked[key][1]) if key in chat.sections else ""
            docx, md = write_downloads(session)
            return (self._heading(session, key), view, problems_html(problems),
                    gr.update(value=docx, interactive=docx is not None), gr.update(value=md, interactive=md is not None),
                    header)
        return on_edit

    def _on_section(self, key: str, action: str):
        def on_section(session):
            session = self.sessions.ensure(session)
            try:
                getattr(session.work, action)(key)
            except Exception as error:
                if not hasattr(error, "detail"):
                    log.warning("%s %s failed", action, key, exc_info=True)
                return self.everything.refresh(session, header_error=error_text(error))
            return self.everything.refresh(session)
        return on_section
