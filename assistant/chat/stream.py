"""Checked output: text reaches the officer only through `figures.check`, a line at a time.

`CheckedStream` checks text as it arrives and gives it back with every unverified or
misattributed figure marked; its `Segment`s make up an `Answer`. If the checker itself fails,
`mark_all_numbers` marks every number in the unit.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..drafting import DraftSection
from ..figures import CheckResult, Ledger, check, mark
from ..retrieval import Passage
from ..quantities import UNITS

log = logging.getLogger(__name__)

@dataclass
class Segment:
    """One checked unit of an answer: the text as written, its check, and what is shown."""
    raw: str
    shown: str
    check: CheckResult | None = None    # None: text with no figures to check
    trusted: bool = False               # a drafted section: checked by drafting, `check` is of its raw text


@dataclass
class Answer:
    question: str
    intent: str
    segments: list[Segment] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    section: DraftSection | None = None  # the section the answer drafted, if any
    tools: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)   # retrieved for this answer (their figures verify)
    writer: str = "template"
    options: list = field(default_factory=list)     # clarification: the likely readings (`context.Option`), as buttons

    @property
    def text(self) -> str:
        """What the officer sees: every unverified figure marked."""
        return "".join(s.shown for s in self.segments)

    @property
    def raw(self) -> str:
        return "".join(s.raw for s in self.segments)

    @property
    def figures(self) -> list:
        """Checked figures, offsets into `text` where a segment was shown as written."""
        out, offset = [], 0
        for segment in self.segments:
            if segment.check is not None:
                for figure in segment.check.figures:
                    out.append(figure.model_copy(update={"start": figure.start + offset, "end": figure.end + offset}))
            offset += len(segment.raw)
        return out

    @property
    def problems(self) -> list:
        return [f for f in self.figures if f.status in ("unverified", "misattributed")]

    @property
    def ok(self) -> bool:
        return not self.problems and (self.section is None or self.section.status == "verified")

    def to_json(self) -> dict:
        return {"question": self.question, "intent": self.intent, "text": self.text, "ok": self.ok,
                "options": [{"label": o.label, "question": o.question} for o in self.options],
                "citations": self.citations, "tools": self.tools, "writer": self.writer,
                "figures": [{"text": f.text, "start": f.start, "end": f.end, "value": f.value, "unit": f.unit,
                             "status": f.status, "source": f.source, "reason": f.reason} for f in self.figures]}


class CheckedStream:
    """Checks text as it arrives, a line (or a long sentence run) at a time, and gives it back marked."""

    MAX_PENDING = 160

    def __init__(self, ledger: Ledger | None):
        self.ledger = ledger
        self.segments: list[Segment] = []
        self._pending = ""

    def feed(self, delta: str) -> str:
        self._pending += delta
        out = []
        while True:
            cut = self._cut(self._pending)
            if cut is None:
                break
            unit, self._pending = self._pending[:cut], self._pending[cut:]
            out.append(self._check(unit))
        return "".join(out)

    def flush(self) -> str:
        unit, self._pending = self._pending, ""
        return self._check(unit) if unit else ""

    def add_trusted(self, text: str, check=None) -> str:
        """Text already checked elsewhere (a drafted section: verified or carrying its 【待核实】 marks)."""
        shown = self.flush()
        self.segments.append(Segment(raw=text, shown=text, check=check, trusted=True))
        return shown + text

    def _cut(self, text: str) -> int | None:
        newline = text.rfind("\n")
        if newline >= 0:
            return newline + 1
        if len(text) > self.MAX_PENDING:
            ends = [text.rfind(mark) for mark in "。！？；"]
            end = max(ends)
            if end >= 0:
                return end + 1
        return None

    def _check(self, unit: str) -> str:
        try:
            result = check(unit, self.ledger)
        except Exception:       # a checker failure must not let figures through: mark every number
            log.exception("figure check failed on %r", unit)
            shown = mark_all_numbers(unit)
            self.segments.append(Segment(raw=shown, shown=shown, check=None))
            return shown
        shown = unit if not result.problems() else mark(unit, result)
        self.segments.append(Segment(raw=unit, shown=shown, check=result))
        return shown


_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER_RUN = re.compile(
    r"\d+(?:[.,]\d+)*%?"                                            # 16, 2122.43, 99.66%
    rf"|[百千]分之[{_CN_DIGITS}]+"                                     # 百分之五, 百分之百
    rf"|(?<![{_CN_DIGITS}])[{_CN_DIGITS}]*[十百千万亿][{_CN_DIGITS}]*"     # 二十, 一百二十
    rf"|(?<![{_CN_DIGITS}])[{_CN_DIGITS}]+(?=(?:{'|'.join(sorted(set(UNITS), key=len, reverse=True))}))")   # 三项, 两次


def mark_all_numbers(text: str) -> str:
    """Every digit run marked 【待核实】: what is shown when the checker itself fails."""
    return _NUMBER_RUN.sub(lambda m: f"【待核实：原文“{m.group(0)}”，数字核对出错，未能核实】", text)
