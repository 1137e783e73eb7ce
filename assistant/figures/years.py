"""Years, dates and document numbers in their roles (`verify.check` asks these for such mentions).

- a year must be the evaluation year, a year of the data's text or dates (never the digits inside a
  document number), or a cited source's; in an improvement measure or plan (`力争2024年`, `2023年起`,
  `编制2025年绩效目标`, under a `下一步改进措施` heading) the next year, where the evaluation year
  itself is wrong; a year that opens a sentence (`2021年，…`) or reads `…年度` is the evaluation year;
- a date with a month must appear in the data or a cited source;
- a document number must be in the data, an added passage, the known set (the indexed corpus) or
  the national documents of `data/policy_documents.txt`.
Each function takes the checker (`verify._Checker`) whose text and ledger it reads.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from .extract import Mention
from .ledger import LedgerEntry
from .text import compact

if TYPE_CHECKING:       # annotations only: verify imports this module
    from .verify import CheckedFigure, _Checker

_FORWARD_BEFORE = re.compile(r"改进措施|措施|建议|下一步|下一年度|明年|今后|力争|争取|计划|预计|拟|提前|编制|将在|确保|要在")
_FORWARD_HEADING = re.compile(r"措施|建议|下一步|改进|计划|打算")
_FORWARD_AFTER = re.compile(r"^\s*(?:度)?\s*(?:起|开始|以后|进一步|将|继续|加快|要|力争|争取|前完成|底前)")
_SENTENCE_LEAD = re.compile(r"^[\s\-*•>#|]*(?:[一二三四五六七八九十]+[、.]|\(?[0-9一二三四五六七八九十]{1,2}[)）.、])?\s*"
                            r"(?:[\u4e00-\u9fff]{1,4}[:：])?\s*$")


def _forward(c: _Checker, m: Mention) -> bool:
    """Is the year in an improvement measure or plan (力争2024年, 2023年起, 改进措施：2022年…, or under
    a heading 下一步改进措施)?"""
    seg_start, _ = c.view.segment_of(m.start)
    before = c.view.plain[seg_start:m.start]
    if _FORWARD_BEFORE.search(before) or _FORWARD_AFTER.match(c.view.plain[m.end:m.end + 6]):
        return True
    k = bisect.bisect_right(c._heading_starts, m.start) - 1
    return k >= 0 and bool(_FORWARD_HEADING.search(c._headings[k].group()))

def _plan_year(c: _Checker, m: Mention) -> bool:
    """A year a plan is for (`力争2020年…`, `2023年起`, `编制2025年绩效目标`, `改进措施：2022年…`,
    `建议2021年适当调高`, `下一步，2023年将…`); asked only of a year in an improvement measure."""
    before = compact(c.view.plain[max(0, m.start - 8):m.start])
    after = c.view.plain[m.end:m.end + 4]
    if re.search(r"(?:力争|争取|提前做好|编制|计划|预计|拟于|拟|将于|将在|确保|要在|下一年度|明年|措施[:：]|建议[:：]?"
                 r"|下一步[，,]?|今后[，,]?)$", before) or re.match(r"^\s*(?:度)?\s*(?:起|开始|以后)", after):
        return True
    # `下一步，2022年将加强…`: a year a measure will act in
    return bool(re.match(r"^\s*(?:将|要|力争|争取|继续)", after))

def _evaluation_year_role(c: _Checker, m: Mention) -> bool:
    """A year that opens a sentence (`2021年，…`) or reads `…年度` stands for the evaluation year."""
    seg_start, _ = c.view.segment_of(m.start)
    line_start = c.view.plain.rfind("\n", 0, m.start) + 1
    lead = c.view.plain[max(seg_start, line_start):m.start]
    follows = c.view.plain[m.end:m.end + 2]
    opens = bool(_SENTENCE_LEAD.match(lead)) and follows[:1] in ("，", ",", "全", "")
    return opens or compact(m.text).endswith("年度")

def check_year(c: _Checker, m: Mention) -> CheckedFigure:
    allowed = c.ledger.years(c.cited)
    year = c.ledger.year
    if year is not None and _forward(c, m) and m.year != year:
        if m.year == year + 1:
            return c._figure(m, "verified", source=f"评价年度{year}年的下一年（改进措施、计划）")
        if m.year not in allowed or m.year < year:
            return c._figure(m, "unverified", reason=f"改进措施应指向评价年度{year}年之后（{year + 1}年），"
                                                         f"不是{m.year}年")
    if year is not None and m.year != year and _evaluation_year_role(c, m) and not c._cited_in_segment(m):
        return c._figure(m, "unverified", reason=f"此处年份应为评价年度{year}年，不是{m.year}年")
    if year is not None and m.year == year and _forward(c, m) and _plan_year(c, m):
        return c._figure(m, "unverified", reason=f"改进措施应指向评价年度的下一年（{year + 1}年），不是{m.year}年")
    if m.year in allowed:
        return c._figure(m, "verified", source=allowed[m.year])
    return c._figure(m, "unverified", reason=f"年份{m.year}年不是评价年度{year}年，也未见于数据或所引来源")

def check_date(c: _Checker, m: Mention) -> CheckedFigure:
    if m.year is not None and m.year not in c.ledger.years(c.cited):
        return c._figure(m, "unverified", reason=f"年份{m.year}年不是评价年度，也未见于数据或所引来源")
    needle = compact(m.text)
    haystacks = [c.ledger.data_text] + [t for d, t in c.ledger.passage_text.items() if d in c.cited]
    if any(needle in h for h in haystacks):
        return c._figure(m, "verified", source="日期见于数据或所引来源")
    return c._figure(m, "unverified", reason=f"日期“{m.text.strip()}”未见于数据或所引来源")

def check_docno(c: _Checker, m: Mention) -> CheckedFigure:
    found = c.ledger.docno_entry(m.docno or "", m.docno_org)
    if isinstance(found, LedgerEntry):
        return c._figure(m, "verified", entry=found)
    if found == "corpus":
        return c._figure(m, "verified", source="文号见于已索引的语料或常用政策文件目录")
    return c._figure(m, "unverified", reason=f"文号“{m.docno}”未见于数据或已索引的语料")


__all__ = ["check_year", "check_date", "check_docno"]
