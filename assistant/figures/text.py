"""A checked text seen three ways, all sharing the original character offsets.

- `plain`: the text with full-width ASCII turned into ASCII one character for one character
  (`２０２３` → `2023`, `％` → `%`, `（` → `(`), so every regex runs on one alphabet and every
  match span is a span of the original. The full-width comma `，` is kept: only an ASCII comma
  between digits is a thousands separator (`1,747.90`), never `12，150`. Single quotes ‘’ read as
  “”: a name printed with its own quotes nested (`“‘港澳商协汇’公众号关注量”`, `text.quoted`) is the
  name with “” (`“港澳商协汇”公众号关注量`).
- `compact`: `plain` without whitespace, with a map back to original offsets, for finding names
  that a page break or a stray space cut in two (`亚洲\\n\\n青年领袖`).
- segments: the sentence-level pieces a figure's subject is looked for in (split at `。；;！？!?`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

_KEEP = {0xFF0C}   # ，
_TRANSLATION = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F) if i not in _KEEP}
_TRANSLATION[0x3000] = 0x20   # ideographic space
_TRANSLATION.update({0x2018: 0x201C, 0x2019: 0x201D})   # ‘’ → “” (nested quotes)
_TRANSLATION.update({0xFE66: 0x3D, 0xFE64: 0x3C, 0xFE65: 0x3E})   # small-form ﹦﹤﹥ comparators


def to_plain(text: str) -> str:
    """Full-width ASCII to ASCII and ‘’ to “”, one character for one, so offsets survive."""
    return text.translate(_TRANSLATION)


def compact(text: str) -> str:
    """`to_plain` without any whitespace: the form names are compared in."""
    return re.sub(r"\s+", "", to_plain(text))


_MARK = re.compile(r"【待核实[^】]*】")
# a heading line (`一、…`, `（二）…`, `1.…`, `# …`) without a sentence end: a segment of its own
HEADING_LINE = re.compile(r"(?m)^[ \t]*(?:#+|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、])"
                          r"[^\n。；;！？!?:：，,]{0,30}\n")
SEGMENT_END = "。;；!?！？"
CLAUSE_END = SEGMENT_END + ",，、:："
QUOTE_PAIRS = {"“": "”", "\"": "\"", "「": "」", "『": "』", "《": "》", "‘": "’"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class TextView:
    text: str
    plain: str = field(init=False)

    def __post_init__(self) -> None:
        # figures already marked 【待核实：…】 are opaque: their quotes and commas don't structure the text
        self.plain = _MARK.sub(lambda m: "【" + "■" * (len(m.group()) - 2) + "】", to_plain(self.text))

    @cached_property
    def _compact(self) -> tuple[str, list[int]]:
        offsets = [m.start() for m in re.finditer(r"\S", self.plain)]
        return re.sub(r"\s+", "", self.plain), offsets

    @property
    def compact(self) -> str:
        return self._compact[0]

    def original_span(self, compact_start: int, compact_end: int) -> tuple[int, int]:
        """Original offsets of a compact-text span."""
        offsets = self._compact[1]
        return offsets[compact_start], offsets[compact_end - 1] + 1

    @cached_property
    def segment_starts(self) -> list[int]:
        starts = [0]
        for index, char in enumerate(self.plain):
            if char in SEGMENT_END:
                starts.append(index + 1)
        # each row of a Markdown table is a segment of its own, and so is a paragraph and a heading line
        starts.extend(m.start() + 1 for m in re.finditer(r"\n(?=[ \t]*\|)", self.plain))
        starts.extend(m.end() for m in re.finditer(r"(?m)^[ \t]*\|[^\n]*\n", self.plain))
        # (a blank line after a line that ends mid-sentence is a page break inside a sentence: not a break)
        starts.extend(m.end() for m in re.finditer(r"[。;；!?！？:：][ \t]*\n[ \t]*\n", self.plain))
        starts.extend(m.end() for m in re.finditer(HEADING_LINE, self.plain))
        return sorted(set(starts))

    def segment_of(self, offset: int) -> tuple[int, int]:
        """The sentence-level segment [start, end) containing an offset."""
        starts = self.segment_starts
        k = bisect.bisect_right(starts, offset) - 1
        start = starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else len(self.plain)
        return start, end

    def previous_segment(self, segment_start: int) -> tuple[int, int] | None:
        starts = self.segment_starts
        k = bisect.bisect_right(starts, segment_start) - 1
        if k <= 0:
            return None
        return starts[k - 1], starts[k]

    @cached_property
    def quotes(self) -> list[Span]:
        """Quoted stretches (“…”, 「…」, 《…》) with their text as in `plain` (marks masked); unbalanced
        quotes are ignored."""
        spans: list[Span] = []
        stack: list[tuple[str, int]] = []
        closers = {closer: opener for opener, closer in QUOTE_PAIRS.items() if opener != "\""}
        for index, char in enumerate(self.plain):
            if char == "\"":
                if stack and stack[-1][0] == "\"":
                    _, start = stack.pop()
                    spans.append(Span(start + 1, index, self.plain[start + 1:index]))
                else:
                    stack.append((char, index))
            elif char in closers:
                opener = closers[char]
                depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == opener), None)
                if depth is not None:
                    _, start = stack[depth]
                    del stack[depth:]
                    spans.append(Span(start + 1, index, self.plain[start + 1:index]))
            elif char in QUOTE_PAIRS:
                stack.append((char, index))
        return sorted(spans, key=lambda s: (s.start, -s.end))

    def quote_containing(self, start: int, end: int, openers: str = "“\"「『‘") -> Span | None:
        best = None
        for span in self.quotes:
            if span.start > start:
                break
            if span.start <= start and end <= span.end and self.plain[span.start - 1] in openers:
                if best is None or span.start >= best.start:
                    best = span
        return best

    @cached_property
    def _clause_marks(self) -> list[int]:
        return [k for k, char in enumerate(self.plain) if char in CLAUSE_END]

    def clause_start(self, offset: int, floor: int = 0) -> int:
        """Where the comma-level clause holding `offset` starts (not before `floor`)."""
        marks = self._clause_marks
        k = bisect.bisect_left(marks, offset) - 1
        return max(floor, marks[k] + 1) if k >= 0 else floor
