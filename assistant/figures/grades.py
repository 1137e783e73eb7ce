"""Grades are figures: `评价等级为“优”` is checked against the computed grade, the grade of the form's
total and the form's stated grade (a disputed one only where the sentence says it is the form's).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .extract import Mention

if TYPE_CHECKING:       # annotations only: verify imports this module
    from .verify import CheckedFigure, _Checker


def check_grade(c: _Checker, k: int, m: Mention) -> CheckedFigure:
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
