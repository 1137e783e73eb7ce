"""THE list of things that look like figures but are not checked as figures. Nowhere else.

Two kinds of entries:

- `excluded`: not a figure at all; the checker does not report it. Outline and list markers
  (`一、` `（二）` `1.` `（3）`), page numbers (`— 2 —`), attachment labels (`附件 2`), citation
  markers (`[1]`, `[F12]`), figures already marked `【待核实：…】`, set phrases that contain numerals
  (`一带一路`, `二十大`, `三区一中心`, `一站式`, `一对一`, `“十四五”` …), codes glued to Latin letters
  (`5G`, `GB/T 9704-2012`).
- `out-of-scope`: figure-like, reported with status "out-of-scope" and never counted as a problem.
  Only structural references are out of scope: article/chapter references in a citation
  (`第三十二条`, `第2款`), quarters and session ordinals (`第四季度`, `第二届`, `第三次会议`) and relative
  periods (`近三年`). Every other ordinal or count (`第3名`, `一项`) IS a figure and is checked.

The patterns run on `text.to_plain(text)` (full-width ASCII already turned into ASCII).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..text import PAGE_NUMBER, PAGE_OF

_CN = "零〇一二两三四五六七八九十百千"


@dataclass(frozen=True)
class Exclusion:
    name: str
    status: Literal["excluded", "out-of-scope"]
    pattern: str
    why: str
    examples: tuple[str, ...]


# Set phrases containing numerals. Many would not be read as figures anyway (no measure word
# follows the numeral); they are listed so the list is the one place to look.
SET_PHRASES: tuple[str, ...] = (
    "一带一路", "一国两制", "二十大", "十九大", "十八大", "十四五", "十三五", "十五五", "十二五",
    "三区一中心", "一站式", "一对一", "一体化", "一系列", "一把手", "一盘棋", "一网通办", "一网统管",
    "一件事", "一次性", "一揽子", "一线", "一流", "两个确立", "两个维护", "四个意识", "四个自信",
    "四个全面", "五位一体", "三重一大", "一岗双责", "一事一议", "三公经费", "一张网", "一张图",
    "一门式", "一条龙", "最多跑一次", "一起", "一并", "一律", "一致", "一定", "一些", "一切", "一直",
    "一般", "进一步", "统一", "唯一", "一方面", "另一方面", "双循环", "双碳", "两会", "三农",
    "一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是",
    "一级", "二级", "三级", "四级", "十分", "万分",
)

EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion("pending_mark", "excluded", r"【待核实[^】]*】",
              "已标注待核实的数字：官员已被提示，不再重复检查", ("【待核实：原文“16场”，数据中无此数值】",)),
    Exclusion("page_number", "excluded", rf"(?m)^[ \t]*{PAGE_NUMBER}[ \t]*$", "公文页码", ("— 2 —",)),
    Exclusion("page_of", "excluded", PAGE_OF, "页码", ("第2页共9页",)),
    Exclusion("attachment", "excluded", r"附件\s*\d+", "附件编号", ("附件 2",)),
    Exclusion("citation_marker", "excluded", r"\[\s*F?\d{1,3}\s*\]", "引用标记、事实编号", ("[1]", "[F12]")),
    Exclusion("outline_chinese", "excluded", r"(?m)(?:^|(?<=[\s>。;；:：“\"「『(（]))[一二三四五六七八九十]{1,3}、",
              "一级标题序号", ("一、",)),
    Exclusion("outline_paren_chinese", "excluded", r"\(\s*[一二三四五六七八九十]{1,3}\s*\)",
              "二级标题序号", ("（二）",)),
    Exclusion("list_paren_arabic", "excluded", r"\(\s*\d{1,2}\s*\)", "条目序号", ("（3）", "(1)")),
    Exclusion("list_arabic", "excluded",
              r"(?m)(?:^|(?<=[\s。;；:：>“\"「『(（]))[-•·*]?[ \t]*\d{1,2}[ \t]*[.、](?![\d.])",
              "条目序号（行首或句首）", ("1.", "2、")),
    Exclusion("circled", "excluded", r"[①-⑳]", "带圈序号", ("①",)),
    Exclusion("party_session", "excluded", rf"(?<![{_CN}])[{_CN}]{{1,4}}届[{_CN}]{{1,3}}中全会", "党的会议届次", ("二十届三中全会",)),
    Exclusion("standard_code", "excluded", r"(?:GB|DB|JGJ|ISO)(?:/T|/Z)?\s*\d+(?:[.\-]\d+)*", "标准编号",
              ("GB/T 9704-2012",)),
    Exclusion("latin_code", "excluded",
              r"(?<![A-Za-z\d.])\d+(?!(?:TB|GB|MB|kW|kWh)(?![A-Za-z]))[A-Za-z]+(?![A-Za-z])|[A-Za-z]+\d+(?:[.\-]\d+)*",
              "字母数字代码、型号", ("5G", "G20")),
    Exclusion("classifier_after_name", "excluded", r"(?<=[”」』])\s*一项(?![\d零〇一二两三四五六七八九十])",
              "引号后的“一项”是量词，指所引事项本身，不是个数", ("“会议场次”一项",)),
    Exclusion("set_phrase", "excluded", "|".join(sorted(SET_PHRASES, key=len, reverse=True)),
              "含数字的固定说法", ("一带一路", "三区一中心", "二十大")),
    Exclusion("article_reference", "out-of-scope",
              rf"第\s*[{_CN}\d]+\s*(?:条|款|项|章|节|编|目|部分)", "法规条款编号（引用结构，不是数值）",
              ("第三十二条", "第2款")),
    Exclusion("session_ordinal", "out-of-scope",
              rf"第\s*[{_CN}\d]+\s*(?:季度|届|次会议|次全体会议|批|期|轮)", "季度、届次、批次序数",
              ("第四季度", "第二届", "第一批")),
    Exclusion("relative_period", "out-of-scope",
              rf"(?:近|过去|未来|今后)[{_CN}\d]+\s*(?:年|个月|周)", "相对时段", ("近三年",)),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, Exclusion], ...]:
    return tuple((re.compile(e.pattern), e) for e in EXCLUSIONS)


def find_exclusions(plain: str) -> list[tuple[int, int, Exclusion]]:
    """Non-overlapping excluded / out-of-scope spans, earlier list entries first."""
    taken: list[tuple[int, int, Exclusion]] = []
    mask = bytearray(len(plain))
    for pattern, exclusion in _compiled():
        for match in pattern.finditer(plain):
            start, end = match.span()
            if end <= start or mask.find(1, start, end) != -1:
                continue
            mask[start:end] = b"\x01" * (end - start)
            taken.append((start, end, exclusion))
    return sorted(taken, key=lambda t: t[0])
