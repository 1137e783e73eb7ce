"""The report sections a request names: `section_of` (`存在的问题` → problems), the words of a
whole-report request, and `Route`, a draft request as the drafting answer takes it.

How a question is read as a whole (its intent, what it names, the follow-ups) is `understanding.py`.
"""
from __future__ import annotations

from dataclasses import dataclass

# Words that name a report section, for "起草/重写 …部分" (longest first when matched).
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "problems": ("存在的主要问题", "存在的问题", "主要问题", "主要经验做法", "经验做法", "问题"),
    "measures": ("下一步改进措施", "改进措施", "改进建议", "整改措施", "措施", "建议", "下一步"),
    "conclusion": ("自评结论", "评价结论", "综合评价", "结论", "评价等级"),
    "background": ("部门基本情况", "基本情况", "项目概述", "评价项目概述", "概述", "背景", "概况"),
    "indicators": ("履职效能分析", "指标分析", "绩效指标分析", "履职效能", "指标情况", "绩效分析", "指标"),
}
WHOLE_REPORT_WORDS = ("全文", "整个报告", "完整报告", "整篇", "全部章节", "整份报告", "报告全文")


@dataclass(frozen=True)
class Route:
    """A draft request: the section it names (or the whole report), and the indicator it names."""
    intent: str
    section: str | None = None
    whole_report: bool = False
    indicator: int | None = None


def section_of(text: str) -> str | None:
    """The report section a request names (`存在的问题` → problems), or None."""
    best, best_len = None, 0
    for key, phrases in SECTION_WORDS.items():
        for phrase in phrases:
            if phrase in text and len(phrase) > best_len:
                best, best_len = key, len(phrase)
    return best
