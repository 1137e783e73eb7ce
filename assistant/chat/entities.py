"""What a question names in the data: indicators by a loose name, budget items, sources, tasks, levels.

Officers name things loosely (满意度, 关注量, 飞行时长, 低保标准, 特困供养人数). A name is matched
by how much of it the question covers with shared stretches of two or more characters, after the
question's generic words (指标, 完成率, 多少 …) are set aside, so 完成率 alone names no indicator.
When several names are covered equally (媒体报道 for two indicators), all of them come back as
tied candidates: the caller asks which one is meant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..evaluation import Evaluation
from ..text import simplified
from ..vocabulary import LEVEL1_ORDER, LEVEL2_NAMES

# Words of a question that name no indicator by themselves.
GENERIC_WORDS = ("实际完成值", "年度指标值", "实际完成", "完成情况", "完成率", "完成值", "指标值", "目标值", "怎么样",
                 "是多少", "多少", "指标", "完成", "目标", "实际", "情况", "年度", "得分", "分值", "数量", "项目",
                 "那个", "这个", "哪个", "达标", "资金", "经费", "金额", "费用", "多少钱", "一下", "本单位", "什么",
                 "有没有", "是否", "哪些", "怎么", "为什么", "原因", "达到", "完成了", "没有", "任务", "单位", "呢")
# Within budget names, these say only that it is money.
MONEY_WORDS = ("资金", "经费", "费用", "金额")
_CJK = "\u4e00-\u9fff"


def clean_name(name: str) -> str:
    """An indicator name as officers would say it: no ★, no `(≥**人)` placeholders, numbering or quotes."""
    text = simplified(name)
    text = re.sub(r"[★☆*]+", "", text)
    text = re.sub(r"[(（][^()（）]*[≥≤<>=][^()（）]*[)）]", "", text)      # (≥**人), (<**元/户·年)
    text = re.sub(r"^\s*(?:指标\s*\d+[:：]?|[一二三四五六七八九十]+、|\d+[、.．])", "", text)
    text = re.sub(r"[“”\"‘’'《》]", "", text)
    return re.sub(rf"[^{_CJK}A-Za-z0-9]+", "", text)


def content_of(question: str) -> str:
    """The question with its generic words blanked out (each becomes a separator)."""
    text = simplified(question)
    for word in sorted(GENERIC_WORDS, key=len, reverse=True):
        text = text.replace(word, "|")
    return text


def covered(question: str, name: str, min_len: int = 2) -> tuple[int, int]:
    """(characters of the question, characters of the name) in stretches of `min_len` or more that both share."""
    in_name = [False] * len(name)
    in_question = [False] * len(question)
    for start in range(len(question)):
        for end in range(len(question), start + min_len - 1, -1):
            piece = question[start:end]
            if "|" in piece or piece not in name:
                continue
            for k in range(start, end):
                in_question[k] = True
            at = name.find(piece)
            while at >= 0:
                for k in range(at, at + len(piece)):
                    in_name[k] = True
                at = name.find(piece, at + 1)
            break
    return sum(in_question), sum(in_name)


@dataclass
class Match:
    kind: str               # indicator | item | source | task | level
    key: str | int          # indicator index, or the item/source/task/level name
    name: str               # as the data prints it
    score: float


@dataclass
class Matches:
    """Candidates, best first. `score` = question characters covered + half the share of the name said."""
    found: list[Match] = field(default_factory=list)

    @property
    def best(self) -> Match | None:
        return self.found[0] if self.found else None

    @property
    def tied(self) -> list[Match]:
        """The candidates the question names as much as the best one (equal characters covered)."""
        if not self.found:
            return []
        top = int(self.found[0].score)
        return [m for m in self.found if int(m.score) == top]

    @property
    def ambiguous(self) -> bool:
        return len(self.tied) > 1


def _rank(question: str, names: list[tuple[str | int, str, str]], kind: str, strip: tuple[str, ...] = ()) -> Matches:
    content = content_of(question)
    found = []
    for key, printed, name in names:
        core = name
        for word in strip:
            core = core.replace(word, "")
        if not core:
            continue
        asked, named = covered(content, core)
        if not asked:
            continue
        # characters of the question the name accounts for; then how much of the name was said
        found.append(Match(kind, key, printed, asked + 0.5 * named / len(core)))
    found.sort(key=lambda m: -m.score)
    return Matches(found)


def indicator_matches(question: str, evaluation: Evaluation | None) -> Matches:
    """The indicators a question names, best first (ties: several equally named)."""
    if evaluation is None:
        return Matches()
    names = [(k, i.name, clean_name(i.name)) for k, i in enumerate(evaluation.indicators)]
    matches = _rank(question, names, "indicator")
    if matches.found:
        return matches
    # no shared stretch: two or more single characters of a short name (飞机租够了没 → 租机数量)
    content = content_of(question)
    loose = []
    for k, printed, name in names:
        chars = {c for c in name if c in content and re.match(f"[{_CJK}]", c)}
        if len(chars) >= 2 and len(chars) >= len(set(name)) / 2:
            loose.append(Match("indicator", k, printed, len(chars) * 0.5))
    loose.sort(key=lambda m: -m.score)
    return Matches(loose)


def budget_matches(question: str, evaluation: Evaluation | None) -> Matches:
    """Budget items (资金用途), sources (资金来源) and key tasks a question names, best first."""
    if evaluation is None:
        return Matches()
    found: list[Match] = []
    budget = evaluation.budget
    for kind, names in (("item", list(budget.by_item)), ("source", list(budget.by_source)),
                        ("task", [t.name for t in evaluation.tasks if t.funds is not None])):
        listed = [(n, n, clean_name(n)) for n in names]
        found += _rank(question, listed, kind, strip=MONEY_WORDS + ("工作任务", "任务")).found
    found.sort(key=lambda m: -m.score)
    return Matches(found)


def level_named(question: str, evaluation: Evaluation | None = None) -> str | None:
    """The indicator level a question names (`效益指标呢` → 效益指标), or None."""
    text = simplified(question)
    levels = list(LEVEL2_NAMES) + list(LEVEL1_ORDER)
    present = {i.level1 for i in evaluation.indicators} | {i.level2 for i in evaluation.indicators} \
        if evaluation is not None else set()
    for level in sorted(levels, key=len, reverse=True):
        short = level[:-2] if level.endswith("指标") else level
        if level in text or (short in text and f"{short}类" in text):
            return level
        if present and level in present and (f"{short}方面" in text):
            return level
    return None
