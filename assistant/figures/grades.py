"""Grades are figures: `评价等级为“优”` is checked against the computed grade, the grade of the form's
total and the form's stated grade (a disputed one only where the sentence says it is the form's). A grade
given to an indicator whose own cell is a grade (`管理机制健全性为“优”`, actual 优) is checked against that cell.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..scoring import grade_for
from ..text import quoted
from .extract import Mention
from .text import compact

GRADE_WORDS = ("优秀", "良好", "中等", "较差", "优", "良", "中", "差")

if TYPE_CHECKING:       # annotations only: verify imports this module
    from .verify import CheckedFigure, _Checker


def _graded_indicator(c: _Checker, m: Mention):
    """The indicator named before the grade whose own cell is a grade (`机制健全性` actual “优”)."""
    seg_start, _ = c.view.segment_of(m.start)
    named = [r for r in c.refs.within(seg_start, m.start) if r.known and r.subject.kind == "indicator"]
    if not named:
        return None
    subject = max(named, key=lambda r: r.end).subject
    actual = compact(subject.actual_text)
    return subject if actual[:2] in GRADE_WORDS or actual[:1] in GRADE_WORDS else None


def _total_before(c: _Checker, m: Mention) -> float | None:
    """The total score the sentence states (verified) before the grade, if any."""
    seg_start, _ = c.view.segment_of(m.start)
    for figure in reversed(c.results):
        if figure.start < seg_start:
            break
        if figure.status == "verified" and figure.entry_id and figure.end <= m.start:
            entry = c.ledger.get(figure.entry_id)
            if entry.role == "total" and entry.unit == "分" and entry.subject_kind == "evaluation":
                return entry.value
    return None


def check_grade(c: _Checker, k: int, m: Mention) -> CheckedFigure:
    graded = _graded_indicator(c, m)
    if graded is not None:
        actual = compact(graded.actual_text)
        if actual.startswith(m.grade):
            return c._figure(m, "verified", source=f"指标{quoted(graded.name)}的实际完成值“{graded.actual_text}”")
        return c._figure(m, "unverified", reason=f"指标{quoted(graded.name)}的实际完成值为“{graded.actual_text}”，"
                                                 f"不是“{m.grade}”")
    clause_start, _ = c._clause(m)
    own_words = re.search(r"填报|填列|自评表|原表|印作", c.view.plain[clause_start:m.start])
    total = None if own_words else _total_before(c, m)     # `填报评价等级“良”`: the form's grade as printed
    if total is not None and grade_for(total) != m.grade:
        # `自评表总分100分，等级为良`: the grade of the total the sentence has just given
        return c._figure(m, "unverified", reason=f"本句所述总分{total:g}分对应的等级为“{grade_for(total)}”，不是“{m.grade}”")
    grades = [e for e in c.ledger.entries if e.role == "grade"]
    if not grades:
        return c._figure(m, "unverified", reason="数据中没有可评定等级的总分")
    clause_start, _ = c._clause(m)
    seg_start, _ = c.view.segment_of(m.start)
    stated_words = re.search(r"自评表|填报|表中|原表|印作|报告所列|自评等级|自评结果|填列|自评总分|自评得分|自评为",
                             c.view.plain[seg_start:m.start])
    computed = next(e for e in grades if not e.stated)
    for entry in grades:
        if entry.text != m.grade:
            continue
        if not entry.stated:
            return c._figure(m, "verified", entry=entry)
        if not entry.disputed:
            return c._figure(m, "verified", entry=entry)
        if stated_words:
            return c._figure(m, "verified", entry=entry,
                                source=entry.describe() + f"（数据所填报的等级，与计算不符：{entry.disputed}）")
    reference = next((e for e in grades if e.stated and not e.disputed and e.label != "填报评价等级"), computed)
    return c._figure(m, "unverified", entry=reference,
                        reason=f"评价等级应为“{reference.text}”（{reference.where()}），不是“{m.grade}”")


__all__ = ["check_grade"]
