"""Figures a sentence computes from its own checked figures, when no ledger entry is one:
- a sum after 合计/共计/总计 (`各得19分，…得27分，4项合计74分`; a figure stated for each of several
  subjects counts once for each);
- the difference of its last two figures (`两者相差24.75万元`, `比分值合计80分少6分`; of two rates, in 百分点);
- the number of subjects it lists (`A、B两项`), or that a table just before lists (`以上5项指标中4项达到目标`),
  and how many of those are met or not;
- a count repeating an earlier count of the sentence (`已打分的4项…4项合计74分`);
- every indicator's own figure (`五项绩效指标各占20分`);
- the indicators of the levels it lists (`数量、质量、时效、成本指标4项`).
Only checked figures take part, so the result is as sure as its parts.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .extract import Mention
from .ledger import COUNT_UNITS, reads_as
from .roles import DIFFERENCE
from .subjects import owns
from .text import compact

if TYPE_CHECKING:       # annotations only: verify imports this module
    from .verify import CheckedFigure, _Checker


def own_arithmetic(c: _Checker, k: int, m: Mention) -> CheckedFigure | None:
    """A figure the sentence computes from its own checked figures: a sum after 合计/共计 (`各得19分 …
    4项合计74分`), a difference (`两者相差24.75万元`, `比分值合计80分少6分`), or the number of the
    subjects it has just listed (`A、B两项`)."""
    seg_start, _ = c.view.segment_of(m.start)
    earlier = [(j, x) for j, x in enumerate(c.mentions[:k]) if x.start >= seg_start and x.kind == "number"
               and j < len(c.results) and c.results[j].status == "verified" and x.value is not None]
    if m.value is None:
        return None
    reading = c.readings.get(k)
    previous = earlier[-1][1] if earlier else None
    region = compact(c.view.plain[previous.end if previous else seg_start:m.start])
    same = [(j, x) for j, x in earlier if x.unit == m.unit and m.unit != "%"]
    if m.unit == "百分点":         # a difference of two rates of the sentence
        same = [(j, x) for j, x in earlier if x.unit == "%"]
    if re.search(r"合计|共计|总计|累计|之和|加总|共$", region) and m.unit != "百分点" \
            and sum(c.multiplicity.get(j, 1) for j, _ in same) >= 2:
        last_sum = max((j for j, x in same if re.search(r"合计|共计|总计", compact(
            c.view.plain[c.mentions[j - 1].end if j else seg_start:x.start]))), default=-1)
        parts = [(j, x) for j, x in same if j > last_sum] or same
        total = sum(x.value * c.multiplicity.get(j, 1) for j, x in parts)
        if reads_as(total, m):
            return c._figure(m, "verified", source=f"句中所列{len(parts)}个数之和（{'＋'.join(x.text.strip() for _, x in parts)}）")
    if reading is not None and reading.roles is not None and reading.roles <= DIFFERENCE and len(same) >= 2:
        # the two figures the comparison is between: the last two of the sentence
        factor = 100 if m.unit == "百分点" else 1
        (_, a), (_, b) = same[-2], same[-1]
        if reads_as(abs(a.value - b.value) * factor, m):
            return c._figure(m, "verified", source=f"句中两数之差（{b.text.strip()}与{a.text.strip()}）")
    clause_start, _ = c._clause(m)
    if reading is not None and re.search(r"(?:各项|每项|所有|全部|\d+项|[一二三四五六七八九十两]+项)?(?:绩效)?指标[^，。；]*?(?:各|均|都)",
                                          compact(c.view.plain[clause_start:m.start])) \
            and not any(r.known and clause_start <= r.start and r.end <= m.start and r.subject.kind == "indicator"
                        for r in c.refs):
        every = [s for s in c.ledger.subjects.values() if s.kind == "indicator"]
        entries = c.ledger.candidates(m)
        if every and all(any(owns(s, e) and reading.allows(e.role) for e in entries) for s in every):
            return c._figure(m, "verified", source=f"每项指标均为{m.text.strip()}")
    if m.unit in COUNT_UNITS and m.unit and m.value == int(m.value):
        group = listed_group(c, k, m)
        words = c._count_reading(k, m)
        if group and words.predicate in (None, "met", "unmet"):
            wanted = {None: len(group), "met": sum(1 for g in group if g.met),
                      "unmet": sum(1 for g in group if g.met is False)}[words.predicate]
            if wanted == int(m.value):
                return c._figure(m, "verified", source=f"上文所列{len(group)}项指标" +
                                    ("" if words.predicate is None else f"中{'达标' if words.predicate == 'met' else '未达标'}者"))
    listed_levels = _listed_levels(c, m)
    if listed_levels and m.unit in COUNT_UNITS and m.unit:
        total = sum(len(level.members) for level in listed_levels)
        if total == m.value:
            return c._figure(m, "verified", source="所列各级指标个数之和（" +
                             "＋".join(f"{level.name}{len(level.members)}项" for level in listed_levels) + "）")
    counts_before = [x for j, x in earlier if x.unit in COUNT_UNITS and x.unit and c.results[j].entry_id
                     and c.ledger.get(c.results[j].entry_id).role == "count"]
    if m.unit in COUNT_UNITS and m.unit and any(x.value == m.value for x in counts_before) \
            and c._count_reading(k, m).predicate is None and c._count_reading(k, m).counted in (None, "指标", "任务") \
            and (reading is None or reading.roles is None or "count" in reading.roles):
        return c._figure(m, "verified", source="与句中前文所述个数相同（指同一组指标）")
    if m.unit in COUNT_UNITS and m.value == int(m.value) and m.value >= 2 and m.comparator is None \
            and c.view.quote_containing(m.start, m.end) is None:
        named = [r for r in c.refs.within(seg_start, m.start) if r.known
                 and r.subject.kind not in ("level", "document", "project")]
        summed = re.match(r"\s*(?:合计|共计|总计)", c.view.plain[m.end:m.end + 4])
        # `A、B两项`: the subjects just listed; `…各得19分，…得27分，3项合计65分`: those the sentence sums
        listed = named if summed else [r for r in named if not any(r.end <= x.start < m.start for _, x in earlier)]
        if len({s.key for r in listed for s in r.subjects[:1]}) == int(m.value):
            return c._figure(m, "verified", source=f"句中列举的{int(m.value)}项")
    return None

def listed_group(c: _Checker, k: int, m: Mention) -> list:
    """The indicators a table or list just before names, when a count points back to them
    (`以上5项指标中4项达到目标` after a table of five rows); kept for the sentence's later counts."""
    seg_start, _ = c.view.segment_of(m.start)
    if seg_start in c._groups:
        return c._groups[seg_start]
    before = compact(c.view.plain[c.view.clause_start(m.start, seg_start):m.start])
    if not re.search(r"(?:以上|上述|上表|表中|前述|所列)(?:所列)?$", before):
        return []
    group, start = [], seg_start
    while True:
        previous = c.view.previous_segment(start)
        if previous is None or not c.view.plain[previous[0]:previous[1]].lstrip().startswith("|"):
            break
        row = [r for r in c.refs.within(*previous) if r.known and r.subject.kind == "indicator"]
        if row and all(row[0].subject.key != g.key for g in group):
            group.insert(0, row[0].subject)
        start = previous[0]
    c._groups[seg_start] = group
    return group


__all__ = ["own_arithmetic", "listed_group"]


def _listed_levels(c: _Checker, m: Mention) -> list:
    """`数量、质量、时效、成本指标4项`: the levels a count just after their list counts together."""
    seg_start, _ = c.view.segment_of(m.start)
    before = compact(c.view.plain[seg_start:m.start])
    before = re.split(r"[，,；;:：]", before)[-1]       # the list is cut at 、 into clauses: back to the comma
    found = re.search(r"((?:[\u4e00-\u9fff]{2}[、和及与])+[\u4e00-\u9fff]{2})(?:指标|类指标)(?:共|合计|共计)?$", before)
    if found is None:
        return []
    levels = {s.name: s for s in c.ledger.subjects.values() if s.kind == "level"}
    chosen = []
    for short in re.split(r"[、和及与]", found.group(1)):
        level = levels.get(short + "指标")
        if level is None:
            return []
        chosen.append(level)
    return chosen if len(chosen) >= 2 else []
