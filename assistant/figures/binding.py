"""Which subject a figure is about: `bind(checker state, figure)` → `Binding`.

- a figure inside a quotation that names an indicator (with its target, the seed-000 way) belongs to
  it: the quote's `container`;
- else the nearest mention before it in its sentence (`subjects.find_subjects`: exact names,
  quotations, paraphrases, levels; an `unknown` mention is a subject the data does not hold);
- `分别` maps the figures after it, in order, to the mentions before it
  (`举办推介活动8次、提供资讯143条，分别超出目标2次和43条`);
- `均`/`各`/`都` after a list of mentions makes the figure a statement about each of them
  (`A、B和C均达到100%`, `各得10分`);
- a sentence that starts with a role or linking word (`完成率120%`, `其中…`, `该指标…`) and names
  nothing continues the previous sentence's subject.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .extract import Mention
from .names import name_bigrams
from .roles import ROLE_WORDS
from .subjects import Refs, SubjectRef
from .text import TextView
from .words import Words

CONTINUATION_WORDS = ("对应", "其中", "该指标", "该任务", "该项", "上述指标", "这一指标", "此项", "该项目")
_CONTINUATION = re.compile("|".join(sorted([*ROLE_WORDS, *CONTINUATION_WORDS], key=len, reverse=True)))
_EACH = re.compile(r"均|都|各|全部|分别为")
_RESPECTIVELY = "分别"


@dataclass
class Binding:
    refs: list[SubjectRef] = field(default_factory=list)   # the mention(s) the figure is about (one unless `each`)
    each: bool = False                                     # the figure holds for every one of `refs`
    container: SubjectRef | None = None                    # a quotation the figure stands in
    unknown: str = ""                                      # content no subject explains
    carried: bool = False                                  # continued from the previous sentence

    @property
    def subjects(self) -> tuple:
        return tuple(s for r in self.refs for s in r.subjects)

    @property
    def named(self) -> bool:
        return bool(self.refs) or bool(self.unknown)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _each_word(words: Words, plain: str, start: int, end: int) -> bool:
    """均/各/都 as a word of its own between a list of mentions and the figure (各得19分; not 各类)."""
    return any(words.is_word(x.start(), x.end()) for x in _EACH.finditer(plain, start, end))


def bind(view: TextView, refs: Refs, mentions: list[Mention], m: Mention, words: Words) -> Binding:
    seg_start, seg_end = view.segment_of(m.start)
    for ref in refs.within(seg_start, seg_end):
        if ref.quoted and ref.start <= m.start and m.end <= ref.end and ref.subject.kind == "indicator":
            return Binding(refs=[ref], container=ref)
    before = [r for r in refs.within(seg_start, m.start) if not r.known or r.subject.kind != "document"]
    if view.plain[seg_start:m.start].lstrip().startswith("|"):
        # a Markdown table row is about the subject its cells name (the other cells are values)
        named = [r for r in before if r.known and r.subject.kind != "level"]
        if named:
            return Binding(refs=[named[0]])
    numbers = [x for x in mentions if x.kind == "number" and seg_start <= x.start < seg_end]
    respectively = view.plain.rfind(_RESPECTIVELY, seg_start, m.start)
    if respectively >= 0 and not any(r.start > respectively for r in before):
        listed = [r for r in before if r.known and r.start < respectively]
        after = [x for x in numbers if x.start > respectively]
        if listed and m in after:
            k = after.index(m)
            last = listed[-1]
            if 2 <= len(after) <= len(last.subjects):
                # `水稻和玉米其他试验分别3组和2组`: one mention of several subjects, in the order it names them
                ordered = _in_text_order(view.plain[last.start:last.end], last.subjects)
                return Binding(refs=[SubjectRef(last.start, last.end, (ordered[k],))])
            chosen = listed[-len(after):] if len(after) <= len(listed) else listed
            return Binding(refs=[chosen[k % len(chosen)]])
    # content no name explains is evidence about figures of its own clause only
    before = [r for r in before if r.known or not any(ch in "，,；;：:" for ch in view.plain[r.end:m.start])]
    if before:
        nearest = max(before, key=lambda r: (r.end, r.known))
        if not nearest.known:
            return Binding(unknown=nearest.unknown)
        # a date between two names ends the list too (`完工日期目标为2021年4月15日，…，A、B实际均为0`)
        figures = [x for x in mentions if x.kind in ("number", "date") and seg_start <= x.start < seg_end]
        run = _run(before, figures, nearest)
        last_figure = max((x.end for x in numbers if x.end <= m.start), default=seg_start)
        if len(run) >= 2 and _each_word(words, view.plain, max(run[-1].start, last_figure), m.start):
            return Binding(refs=run, each=True)
        return Binding(refs=[nearest])
    lead = _squeeze(view.plain[seg_start:m.start])
    if not lead or _CONTINUATION.match(lead) or not re.search(r"[\u4e00-\u9fff]{2}", lead):
        previous = view.previous_segment(seg_start)
        if previous:
            earlier = [r for r in refs.within(*previous) if r.known and r.subject.kind != "document"]
            if earlier:
                return Binding(refs=[max(earlier, key=lambda r: r.end)], carried=True)
    return Binding()


def _in_text_order(text: str, subjects: tuple) -> list:
    """Subjects in the order the text names them: by where a word only that subject's name has occurs."""
    grams = {s.key: name_bigrams(s.name) for s in subjects}

    def first(subject) -> int:
        own = grams[subject.key] - frozenset().union(*(g for k, g in grams.items() if k != subject.key))
        positions = [text.find(g) for g in own if g in text]
        return min(positions) if positions else len(text)
    return sorted(subjects, key=first)


def _run(before: list[SubjectRef], numbers: list[Mention], nearest: SubjectRef) -> list[SubjectRef]:
    """The list of mentions that ends with `nearest` and has no figure between its members."""
    run = [nearest]
    for ref in sorted((r for r in before if r.end <= nearest.start), key=lambda r: -r.end):
        if not ref.known:
            break
        if any(ref.end <= x.start < run[0].start for x in numbers):
            break
        if ref.subject in run[0].subjects:
            continue
        run.insert(0, ref)
    return run


__all__ = ["Binding", "bind", "CONTINUATION_WORDS"]
