"""Build progress: the events a build reports, and the printer `jixiao index build` shows them with.

A build calls its `progress` callable with one dict per event; ``stage`` names it:
``scan`` (files_total, files_todo, removed), ``chunk`` (files_done, files_todo, chunks),
``copy`` (chunks_done, chunks_total), ``embed`` (files_done, files_todo, chunks_done, chunks_total,
rate), ``commit``, ``done`` (summary).
"""
from __future__ import annotations

import sys
import time
from typing import Callable

Progress = Callable[[dict], None]


def silent(event: dict) -> None:
    """The progress callable of a build nobody watches."""


class ProgressPrinter:
    """Prints build progress to a stream at most every ``interval`` seconds (and always the
    first embedding batch), e.g. ``索引构建：文件 12/32，片段 300/913，向量 6.4 个/秒``."""

    def __init__(self, stream=None, interval: float = 2.0):
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0
        self._first_embed = True

    def __call__(self, ev: dict) -> None:
        now = time.monotonic()
        stage = ev.get("stage")
        force = stage in ("scan", "commit") or (stage == "embed" and self._first_embed)
        if stage == "embed":
            self._first_embed = False
        if not force and now - self._last < self.interval:
            return
        self._last = now
        msg = self.message(ev)
        if msg:
            print(msg, file=self.stream, flush=True)

    @staticmethod
    def message(ev: dict) -> str | None:
        say = MESSAGES.get(ev.get("stage"))
        return say(ev) if say else None


def _embedding(ev: dict) -> str:
    left = ev["chunks_total"] - ev["chunks_done"]
    eta = f"，约 {left / ev['rate']:.0f} 秒后完成" if ev["rate"] > 0 and left > 0 else ""
    return (f"索引构建：文件 {ev['files_done']}/{ev['files_todo']}，片段 {ev['chunks_done']}/"
            f"{ev['chunks_total']}，向量 {ev['rate']:.1f} 个/秒{eta}")


# What the printer says for each stage (a stage without an entry is not printed).
MESSAGES: dict[str, Callable[[dict], str]] = {
    "scan": lambda ev: (f"索引构建：扫描 {ev['files_total']} 个文件，需处理 {ev['files_todo']} 个"
                        f"（删除 {ev.get('removed', 0)} 个）"),
    "chunk": lambda ev: f"索引构建：切分 文件 {ev['files_done']}/{ev['files_todo']}，片段 {ev['chunks']}",
    "copy": lambda ev: f"索引构建：沿用未变文件的片段 {ev['chunks_done']}/{ev['chunks_total']}",
    "embed": _embedding,
    "commit": lambda ev: "索引构建：提交新版本",
}
