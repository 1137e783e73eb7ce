"""The two report outlines (domain.md), and where each drafted section sits in them.

Department self-evaluation (seed 000):
  一、部门基本情况 (background)
  二、绩效自评情况 — （一）自评结论 (conclusion) （二）履职效能分析 (indicators, with （三）管理效率分析)
  三、存在的主要问题 (problems)
  四、下一步改进措施 (measures)
Project evaluation (seed 003):
  一、评价项目概述 (background, with 二、绩效目标和绩效指标设定情况 and 三、绩效评价组织情况)
  四、绩效评价指标分析情况 (indicators)
  五、综合评价等级和评价结论 (conclusion)
  六、主要经验做法、存在的问题和建议 — （一）主要经验做法 （二）存在的问题 (problems) （三）改进建议 (measures,
  followed by 七、绩效评价结果应用)

A section's `title` is its own heading; `parent` is a first-level heading printed once before
the first section under it. Section texts may hold further headings of their own, one per line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_KEYS = ("background", "indicators", "conclusion", "problems", "measures")


# Heading levels as 公文 numbers them: 一、 / （一） / 1. / （1）
_HEADING_PATTERNS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"^\d+[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d+[)）]")),
)


def strip_number(title: str) -> str:
    for _, pattern in _HEADING_PATTERNS:
        title = pattern.sub("", title, count=1)
    return title.strip()


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str                  # the section's heading as printed, with its number
    parent: str | None = None   # first-level heading it sits under, if the title is second-level
    name: str = ""              # the heading without its number, for prompts


def _spec(key: str, title: str, parent: str | None = None) -> SectionSpec:
    return SectionSpec(key=key, title=title, parent=parent, name=strip_number(title))


DEPARTMENT = (
    _spec("background", "一、部门基本情况"),
    _spec("conclusion", "（一）自评结论", "二、绩效自评情况"),
    _spec("indicators", "（二）履职效能分析", "二、绩效自评情况"),
    _spec("problems", "三、存在的主要问题"),
    _spec("measures", "四、下一步改进措施"),
)
PROJECT = (
    _spec("background", "一、评价项目概述"),
    _spec("indicators", "四、绩效评价指标分析情况"),
    _spec("conclusion", "五、综合评价等级和评价结论"),
    _spec("problems", "六、主要经验做法、存在的问题和建议"),
    _spec("measures", "（三）改进建议", "六、主要经验做法、存在的问题和建议"),
)
OUTLINES = {"部门整体": DEPARTMENT, "项目": PROJECT}

def outline(report_type: str) -> tuple[SectionSpec, ...]:
    return OUTLINES.get(report_type, DEPARTMENT)


def spec(report_type: str, key: str) -> SectionSpec:
    for item in outline(report_type):
        if item.key == key:
            return item
    raise KeyError(key)


def ordered_keys(report_type: str, keys=None) -> list[str]:
    """The requested keys (default all) in the order the report type's outline prints them."""
    wanted = set(keys or SECTION_KEYS)
    return [item.key for item in outline(report_type) if item.key in wanted]


def heading_level(line: str) -> int | None:
    """1 for `一、…`, 2 for `（一）…`, 3 for `1.…`, 4 for `（1）…` when the line is a short heading."""
    text = line.strip()
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            if level >= 3 and (len(text) > 40 or text.endswith(("；", "。")) and len(text) > 30):
                return None     # a numbered paragraph, not a heading
            return level
    return None


def report_title(evaluation) -> str:
    """`2023年度…部门整体支出绩效自评报告` or `2023年度…项目支出绩效评价报告`.

    The title names the year once: a project named after its own year (`2021年度本专科生奖助学金`
    evaluated for 2021) is printed without it; a project named after another year keeps it."""
    if evaluation.report_type == "项目":
        project = without_year(evaluation.project or "", evaluation.year) or "项目"
        unit = evaluation.unit_name or ""
        return f"{evaluation.year_label()}{unit}{project}项目支出绩效评价报告".replace("项目项目", "项目")
    return f"{evaluation.year_label()}{evaluation.unit_name or '【待补充：单位名称】'}部门整体支出绩效自评报告"


def without_year(name: str, year) -> str:
    """`2021年度本专科生奖助学金` → `本专科生奖助学金` when `year` is 2021 (also `2021年`, `2021年度的`)."""
    return re.sub(rf"^\s*{year}\s*年度?的?\s*", "", name.strip()) if year else name.strip()
