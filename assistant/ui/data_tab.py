"""数据 tab: upload an actuals file (or pick an example); the scored indicator table with the
underperformers highlighted, total and grade, findings, and a bar chart of completion rates.

Loading data starts a new draft, so the handlers also refresh the draft tab (`DraftTab.views`).
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..errors import JixiaoError
from ..evaluation import Evaluation
from . import render
from .draft_tab import DraftTab
from .session import Sessions, UISession, error_text, load_evaluation
from .settings import DATA_SUFFIXES

log = logging.getLogger(__name__)


def read_upload(files, max_mb: int) -> tuple[Evaluation, str]:
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


def chart_frame(card):
    import pandas as pd  # heavy: pandas, for the chart's frame only

    rows = []
    for k, s in enumerate(card.indicators, 1):
        if s.completion is None:
            continue
        name = s.name if len(s.name) <= 10 else s.name[:9] + "…"
        status = "未完成" if s.met is False else "已完成"
        rows.append({"指标": f"{k:02d} {name}", "完成率（%）": round(s.completion * 100, 1), "状态": status})
    return pd.DataFrame(rows, columns=["指标", "完成率（%）", "状态"])


class DataTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions, draft: DraftTab):
        self.sessions = sessions
        self.draft = draft
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
                self.upload = gr.File(label=f"上传指标数据（xlsx、csv+yaml、yaml、json、申报表 txt/docx；不超过{max_mb}MB）",
                                      file_count="multiple", file_types=list(DATA_SUFFIXES), elem_id="data-upload",
                                      scale=2)
                with gr.Column(scale=1):
                    self.example = gr.Dropdown(choices=self.example_names, value=self.default_example,
                                               label="或选择示例", elem_id="example-choice")
                    self.load_example = gr.Button("载入示例", variant="primary", elem_id="load-example")
            self.status = gr.HTML(elem_id="data-status")
            self.summary = gr.HTML(elem_id="data-summary")
            self.table = gr.HTML(elem_id="data-table")
            self.chart = gr.BarPlot(value=None, visible=False, x="指标", y="完成率（%）", color="状态",
                                    color_map={"已完成": "#2e7d32", "未完成": "#c62828"}, x_label_angle=-35,
                                    title="各指标完成率", height=380, elem_id="completion-chart", label="完成率")
            self.findings = gr.HTML(elem_id="data-findings")

    @property
    def outputs(self) -> list:
        """What a load fills, in the handlers' order: this tab's views, the draft tab's, the report type."""
        return [self.status, self.summary, self.table, self.chart, self.findings, *self.draft.outputs,
                self.draft.report_type]

    def wire(self, app, state) -> None:
        app.load(self.on_start, inputs=[state], outputs=[state, *self.outputs], api_name="start")
        self.upload.upload(self.on_upload, inputs=[self.upload, state], outputs=[state, *self.outputs],
                           api_name="upload")
        self.load_example.click(self.on_example, inputs=[self.example, state], outputs=[state, *self.outputs],
                                api_name="load_example")

    @staticmethod
    def views(session: UISession, status: str = "") -> tuple:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        card = session.chat.card
        if card is None:
            empty = '<div class="notice">尚未载入数据：请上传指标数据文件，或选择一个示例后点击“载入示例”。</div>'
            return (status or empty, "", "", gr.update(value=None, visible=False), "")
        frame = chart_frame(card)
        top = max([100.0] + list(frame["完成率（%）"])) * 1.1
        return (status or render.notice_html(f"已载入：{session.source}"), render.summary_html(card, session.source),
                render.table_html(card), gr.update(value=frame, y_lim=[0, round(top)], visible=True),
                render.findings_html(card))

    def on_start(self, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        report_type = session.chat.report_type or "部门整体"
        return (session, *self.views(session), *self.draft.views(session), gr.update(value=report_type))

    def _after_load(self, session: UISession, evaluation: Evaluation, name: str):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session.chat.load(evaluation)
        session.source = name
        report_type = session.chat.report_type or "部门整体"
        return (session, *self.views(session, render.notice_html(f"已载入：{name}")), *self.draft.views(session),
                gr.update(value=report_type))

    def _failed(self, session: UISession, message: str):
        """The message in the status line; every other output left as it was."""
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built
        return (session, render.error_html(message), *[gr.skip()] * 4, *[gr.skip()] * len(self.draft.outputs),
                gr.skip())

    def on_upload(self, files, session):
        session = self.sessions.ensure(session)
        try:
            evaluation, name = read_upload(files, self.sessions.settings.max_upload_mb)
        except Exception as error:     # every failure is shown as a message, never a stack trace
            if not isinstance(error, JixiaoError):
                log.warning("upload failed", exc_info=True)
            return self._failed(session, error_text(error))
        return self._after_load(session, evaluation, name)

    def on_example(self, name, session):
        session = self.sessions.ensure(session)
        if not name or name not in self.example_paths:
            return self._failed(session, "请选择一个示例")
        try:
            evaluation = load_evaluation(self.example_paths[name])
        except Exception as error:
            return self._failed(session, error_text(error))
        return self._after_load(session, evaluation, name)
