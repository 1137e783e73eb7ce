"""数据 tab: upload an actuals file (or pick an example); the scored indicator table with the
underperformers highlighted, total and grade, findings, and a chart of completion rates — all from
the data just loaded. A 申报表 (targets only) shows its targets and “待填报实际完成值”, no score, no
grade, no chart. An upload that does not load lists the cells to correct; each can be corrected
in place (saved with the session, re-scored, and kept in the figures' provenance as the officer's
edit), and so can any indicator cell of the data in use.

Loading data changes the conversation (a separator), the draft (a new one) and the saved-work
list, so its handlers refresh every view (`Everything`).
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..errors import DataErrors, JixiaoError
from ..workbench import Correction, ReviewItem, awaiting_review, correctable_cells
from . import render
from .files import upload_paths
from .session import Sessions, UISession, error_text
from .settings import DATA_SUFFIXES

log = logging.getLogger(__name__)


def read_upload(files, max_mb: int) -> tuple[list[tuple[str, bytes]], str]:
    """The uploaded files as (name, bytes) and the name to show; clear Chinese errors only."""
    paths = upload_paths(files)
    if not paths:
        raise JixiaoError("请选择要上传的文件")
    for path in paths:
        if path.suffix.lower() not in DATA_SUFFIXES:
            raise JixiaoError(f"文件“{path.name}”的类型不受支持：支持 {'、'.join(DATA_SUFFIXES)}")
        if path.stat().st_size > max_mb * 1024 * 1024:
            raise JixiaoError(f"文件“{path.name}”超过{max_mb}MB上限")
    named = [(p.name, p.read_bytes()) for p in paths]
    shown = next((n for n, _ in named if n.lower().endswith(".csv")), named[0][0])
    return named, shown


def kept_note(session: UISession) -> str:
    """After an upload that did not load: which data the session still uses (nothing was replaced)."""
    work = session.work
    if work.chat.evaluation is None:
        return ""
    return f"\n新文件未载入，仍在使用原来的数据：{work.source}"


def cell_key(item: ReviewItem) -> str:
    return f"{item.sheet or ''}\x1f{item.row}\x1f{item.column}"


def cell_choices(session: UISession) -> list[tuple[str, str]]:
    """What the correction dropdown offers: the pending upload's cells to review, else every
    indicator cell of the data in use."""
    work = session.work
    if work.pending is not None:
        return [(f"{item.where()}：“{item.value}”（{item.reason}）", cell_key(item)) for item in work.pending.items]
    if work.chat.evaluation is None or not work.files:
        return []
    review = awaiting_review(work.chat.evaluation)
    return [(f"{item.where()}：“{item.value}”（待确认：{item.reason}）", cell_key(item)) for item in review] + \
        [(f"{item.where()}：{item.reason}“{item.value}”", cell_key(item))
         for item in correctable_cells(work.chat.evaluation) if cell_key(item) not in {cell_key(r) for r in review}]


def _item_for(session: UISession, key: str) -> ReviewItem | None:
    work = session.work
    evaluation = work.chat.evaluation
    items = work.pending.items if work.pending is not None else (
        awaiting_review(evaluation) + correctable_cells(evaluation) if evaluation is not None else [])
    return next((i for i in items if cell_key(i) == key), None)


class DataTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.everything = None          # set by the app: every view, for handlers that change them all
        examples = sessions.settings.examples()
        self.example_names = [p.name for p in examples]
        self.example_paths = {p.name: p for p in examples}
        preload_name = sessions.preload_name
        self.default_example = preload_name if preload_name in self.example_paths else next(
            (n for n in self.example_names if n.endswith(".yaml")), self.example_names[0] if self.example_names else None)

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        max_mb = self.sessions.settings.max_upload_mb
        with gr.Tab("数据", id="data"):
            with gr.Row():
                # no file_types: Gradio refuses other types in the browser in English; the server says it in Chinese
                self.upload = gr.File(label=f"上传指标数据（xlsx、csv+yaml、yaml、json、申报表 txt/docx；不超过{max_mb}MB）",
                                      file_count="multiple", elem_id="data-upload", scale=2)
                with gr.Column(scale=1):
                    self.example = gr.Dropdown(choices=self.example_names, value=self.default_example,
                                               label="或选择示例", elem_id="example-choice")
                    self.load_example = gr.Button("载入示例", variant="primary", elem_id="load-example")
            self.status = gr.HTML(elem_id="data-status")
            self.review = gr.HTML(elem_id="data-review")
            with gr.Accordion("更正数据中的单元格（经办人更正，随会话保存）", open=False, visible=False,
                              elem_id="correct-box") as self.correct_box:
                with gr.Row():
                    self.correct_cell = gr.Dropdown(label="更正单元格", choices=[], elem_id="correct-cell", scale=3)
                    self.correct_value = gr.Textbox(label="改为", placeholder="例如：16场", elem_id="correct-value", scale=1)
                    self.correct_save = gr.Button("保存更正", variant="primary", elem_id="correct-save", scale=1)
            self.corrections = gr.HTML(elem_id="data-corrections")
            self.summary = gr.HTML(elem_id="data-summary")
            self.table = gr.HTML(elem_id="data-table")
            self.chart = gr.HTML(elem_id="completion-chart")
            self.findings = gr.HTML(elem_id="data-findings")

    @property
    def outputs(self) -> list:
        """What `views` fills, in its order."""
        return [self.status, self.review, self.correct_box, self.correct_cell, self.correct_value, self.corrections,
                self.summary, self.table, self.chart, self.findings, self.upload]

    def wire(self, state) -> None:
        everything = [state, *self.everything.outputs]
        self.upload.upload(self.on_upload, inputs=[self.upload, state], outputs=everything, api_name="upload")
        self.load_example.click(self.on_example, inputs=[self.example, state], outputs=everything,
                                api_name="load_example")
        self.correct_save.click(self.on_correct, inputs=[self.correct_cell, self.correct_value, state],
                                outputs=everything, api_name="correct")

    def views(self, session: UISession, status: str = "") -> tuple:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        work = session.work
        choices = cell_choices(session)
        pending = work.pending
        awaiting = awaiting_review(work.chat.evaluation) if pending is None and work.chat.evaluation is not None else []
        if pending is not None and pending.items:
            review = render.review_html(pending.items, pending.source)
        elif awaiting:
            review = render.review_html(awaiting, work.source, loaded=True)
        else:
            review = ""
        opened = pending is not None or bool(awaiting)
        correct = (gr.update(visible=bool(choices), open=opened),
                   gr.update(choices=choices, value=choices[0][1] if opened and choices else None),
                   gr.update(value=""), render.corrections_html(work.corrections))
        card = work.chat.card
        cleared = gr.update(value=None)        # the next upload is a file of its own, not added to this one
        restore_problem = render.error_html(session.notice, "保存的数据") if session.notice else ""
        if card is None:
            empty = '<div class="notice">尚未载入数据：请上传指标数据文件，或选择一个示例后点击“载入示例”。</div>'
            return (status or restore_problem or empty, review, *correct, "", "", "", "", cleared)
        shown = status or restore_problem or render.notice_html(f"已载入：{work.source}")
        return (shown, review, *correct, render.summary_html(card, work.source), render.table_html(card),
                render.chart_html(card), render.findings_html(card), cleared)

    def on_upload(self, files, session):
        session = self.sessions.ensure(session)
        uploaded = upload_paths(files)
        try:
            session.files.take(uploaded, session.client)        # another client's upload is refused
            named, shown = read_upload(files, self.sessions.settings.max_upload_mb)
        except Exception as error:     # type, size, an unreadable upload: the message only
            if not isinstance(error, JixiaoError):
                log.warning("upload failed", exc_info=True)
            return self.everything.refresh(session, data_status=render.error_html(error_text(error)))
        finally:
            session.files.release(uploaded, session.client)     # what is kept is in the store now
        return self._load(session, named, shown)

    def on_example(self, name, session):
        session = self.sessions.ensure(session)
        if not name or name not in self.example_paths:
            return self.everything.refresh(session, data_status=render.error_html("请选择一个示例"))
        path = self.example_paths[name]
        return self._load(session, [(path.name, path.read_bytes())], name)

    def _load(self, session: UISession, files: list[tuple[str, bytes]], shown: str):
        session.notice = ""
        try:
            session.work.load_data(files, shown)
        except DataErrors as error:
            hint = "\n可以在下方逐个更正这些单元格，改正后即载入。" if session.work.pending.items else ""
            return self.everything.refresh(session, data_status=render.error_html(str(error) + hint + kept_note(session)))
        except Exception as error:
            if not isinstance(error, JixiaoError):
                log.warning("load failed", exc_info=True)
            session.work.discard_pending()
            return self.everything.refresh(session, data_status=render.error_html(error_text(error) + kept_note(session)))
        return self.everything.refresh(session, data_status=render.notice_html(f"已载入：{shown}"))

    def on_correct(self, key, value, session):
        session = self.sessions.ensure(session)
        value = (value or "").strip()
        item = _item_for(session, key or "")
        if item is None or not value:
            message = "请选择要更正的单元格" if item is None else "请填写更正后的值"
            return self.everything.refresh(session, data_status=render.error_html(message, "无法更正"))
        correction: Correction = item.correction(value)
        try:
            evaluation = session.work.correct(correction)
        except JixiaoError as error:
            return self.everything.refresh(session, data_status=render.error_html(str(error), "更正未保存"))
        if evaluation is None:
            left = len(session.work.pending.items)
            return self.everything.refresh(session, data_status=render.error_html(
                f"已记下更正（{correction.where()} → “{value}”），还有{left}处需要更正：\n{session.work.pending.error}",
                "尚不能载入"))
        return self.everything.refresh(session, data_status=render.notice_html(
            f"已更正{correction.where()}为“{value}”并重新评分：{session.work.source}"))
