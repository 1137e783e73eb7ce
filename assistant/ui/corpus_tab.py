"""资料库 tab: add documents to the shared index as the type the officer chooses (政策法规 / 往年报告 /
申报表 / 其他), with progress in plain words (“正在处理 3/5 个文件…”); see what is indexed; remove a
document added here (the index drops its chunks). Writes to the index are serialised.
"""
from __future__ import annotations

import html
import logging
import shutil
import threading
import time

from ..errors import JixiaoError
from . import render
from .files import upload_paths
from .session import Sessions, error_text
from .settings import CORPUS_SUFFIXES

log = logging.getLogger(__name__)

KIND_LABELS = {"policy": "政策法规", "report": "往年报告", "form": "申报表", "other": "其他"}
ADDED = "added/"            # documents added on this tab (the shipped corpus is managed in corpus/)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind or "其他")


def index_stats_html(index) -> str:
    stats = index.stats()
    docs = index.documents() if hasattr(index, "documents") else []
    by_kind = "、".join(f"{kind_label(k)}{v}个" for k, v in (stats.get("files_by_kind") or {}).items())
    rows = "".join(f"<tr><td>{html.escape(d['title'] or d['doc'])}</td><td>{html.escape(kind_label(d['kind']))}</td>"
                   f"<td>{html.escape(str(d.get('year') or '—'))}</td><td>{d['chunks']}</td>"
                   f"<td>{'在本页添加' if d['rel'].startswith(ADDED) else '随软件提供'}</td></tr>" for d in docs)
    return (f'<div class="index-stats" id="index-stats"><b>资料库：{stats.get("files", 0)}个文件'
            f'{"（" + by_kind + "）" if by_kind else ""}，共{stats.get("chunks", 0)}个片段</b>'
            f'<table class="score-table"><thead><tr><th>文档</th><th>类别</th><th>年份</th><th>片段</th><th>来源</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def removable(index) -> list[tuple[str, str]]:
    """(label, relative path) of the documents added on this tab."""
    return [(f"{d['title'] or d['doc']}（{kind_label(d['kind'])}，{d['doc']}）", d["rel"])
            for d in index.documents() if d["rel"].startswith(ADDED)]


def progress_text(event: dict, total: int) -> str:
    """The index's latest progress event in words: the file being processed, of how many."""
    if event.get("stage") == "commit":
        return "正在保存到资料库…"
    todo = event.get("files_todo") or total
    return f"正在处理 {min(event.get('files_done', 0) + 1, todo)}/{todo} 个文件…"


def added_text(summary, names: list[str], kind: str) -> str:
    """What happened, in words: which files went in, as what; which could not be read."""
    failed = [n for n in names if any(n in f for f in summary.failed)]
    done = [n for n in names if n not in failed]
    parts = []
    if done and not (summary.added or summary.changed):
        parts.append(f"{'、'.join(done)}已在资料库中（{kind_label(kind)}），内容没有变化。")
    elif done:
        parts.append(f"已加入资料库（{kind_label(kind)}）：{'、'.join(done)}。")
    if failed:    # the reader's own error is in the log; the officer is told what to do
        parts.append(f"未能读取：{'、'.join(failed)}（文件已损坏，或不是所说的格式；可另存为 .docx、.pdf 或 .txt 后再加入）。")
    return "".join(parts)


class CorpusTab:
    """The tab's components (after `layout`) and its handlers."""

    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.index_handle = sessions.index_handle

    def layout(self) -> None:
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        with gr.Tab("资料库", id="corpus") as self.tab:
            with gr.Row():
                self.files = gr.File(label="添加政策文件或往年报告（txt、md、docx、pdf、xlsx）", file_count="multiple",
                                     elem_id="corpus-upload", scale=2)
                with gr.Column(scale=1):
                    self.kind = gr.Radio([(label, kind) for kind, label in KIND_LABELS.items()], value="policy",
                                         label="文档类别", elem_id="corpus-kind")
                    self.add = gr.Button("加入资料库", variant="primary", elem_id="corpus-add")
            self.status = gr.HTML(elem_id="corpus-status")
            with gr.Row():
                self.remove_choice = gr.Dropdown(label="删除在本页添加的文档", choices=[], elem_id="corpus-remove-choice",
                                                 scale=3)
                self.remove = gr.Button("删除", variant="stop", elem_id="corpus-remove", scale=1)
                self.refresh = gr.Button("刷新列表", elem_id="corpus-refresh", scale=1)
            self.stats = gr.HTML(elem_id="corpus-stats")

    def wire(self, state) -> None:
        outputs = [self.status, self.stats, self.remove_choice]
        self.add.click(self.on_add, inputs=[self.files, self.kind, state], outputs=outputs, api_name="corpus_add").then(
            lambda: None, inputs=[], outputs=[self.files], api_visibility="private")    # the next add starts empty
        self.remove.click(self.on_remove, inputs=[self.remove_choice], outputs=outputs, api_name="corpus_remove")
        self.refresh.click(self.on_stats, inputs=[], outputs=outputs, api_name="corpus_stats")
        self.tab.select(self.on_stats, inputs=[], outputs=outputs, api_visibility="private")   # the list when opened

    def _listing(self, index):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built
        return index_stats_html(index), gr.update(choices=removable(index), value=None)

    def on_add(self, files, kind, session):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        session = self.sessions.ensure(session)
        kind = kind if kind in KIND_LABELS else "other"
        if not files:
            yield render.error_html("请选择要加入资料库的文件", "未加入"), gr.skip(), gr.skip()
            return
        paths = upload_paths(files)
        try:
            session.files.take(paths, session.client)           # another client's upload is refused
            bad = [p.name for p in paths if p.suffix.lower() not in CORPUS_SUFFIXES]
            if bad:
                raise JixiaoError(f"不支持的文件类型：{'、'.join(bad)}（支持 {'、'.join(CORPUS_SUFFIXES)}）")
            staging = session.workdir / "corpus" / str(time.time_ns())
            staging.mkdir(parents=True, exist_ok=True)
            copies = []
            for path in paths:
                target = staging / path.name
                shutil.copyfile(path, target)
                copies.append(target)
        except (JixiaoError, OSError) as error:
            yield render.error_html(error_text(error), "未加入"), gr.skip(), gr.skip()
            return
        finally:
            session.files.release(paths, session.client)        # the copy in the session's folder is used
        try:
            index = self.index_handle()
        except Exception as error:
            yield render.error_html(error_text(error), "未加入"), gr.skip(), gr.skip()
            return
        latest: dict = {}
        outcome: dict = {}

        def run():
            try:
                with self.index_handle.write_lock:
                    outcome["summary"] = index.add_files(copies, kind=kind, progress=latest.update)
            except Exception as error:     # shown below, never a stack trace
                log.exception("corpus add failed")
                outcome["error"] = error

        worker = threading.Thread(target=run, name="jixiao-corpus-add", daemon=True)
        shown = progress_text({}, len(copies))
        yield render.notice_html(shown), gr.skip(), gr.skip()     # before the index says anything
        worker.start()
        while worker.is_alive():
            text = progress_text(dict(latest), len(copies))
            if text != shown:
                shown = text
                yield render.notice_html(text), gr.skip(), gr.skip()
            worker.join(0.3)
        if "error" in outcome:
            yield render.error_html(error_text(outcome["error"]), "未加入"), gr.skip(), gr.skip()
            return
        yield render.notice_html(added_text(outcome["summary"], [p.name for p in copies], kind)), *self._listing(index)

    def on_remove(self, rel):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        if not rel:
            return render.error_html("请选择要删除的文档", "未删除"), gr.skip(), gr.skip()
        try:
            index = self.index_handle()
            if rel not in {r for _, r in removable(index)}:
                return render.error_html("只能删除在本页添加的文档", "未删除"), gr.skip(), gr.skip()
            name = rel[len(ADDED):]
            with self.index_handle.write_lock:
                index.remove_files([rel])
            return render.notice_html(f"已从资料库删除：{name}"), *self._listing(index)
        except Exception as error:
            log.exception("corpus remove failed")
            return render.error_html(error_text(error), "未删除"), gr.skip(), gr.skip()

    def on_stats(self):
        import gradio as gr  # heavy: gradio (~2 s) loads only when the UI is built

        try:
            return gr.skip(), *self._listing(self.index_handle())
        except Exception as error:
            log.exception("index stats failed")
            return render.error_html(error_text(error), "资料库"), gr.skip(), gr.skip()
