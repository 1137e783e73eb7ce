"""Which answer a question asks for: jieba tokens matched against keyword rules.

`route(question, evaluation)` gives a `Route` (intent, the section a draft request names, the
indicator the question names); `section_of` and `match_indicator` are its two lookups.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..evaluation import Evaluation
from ..quantities import normalize
from ..tokenizer import tokenizer

INTENTS = ("draft", "underperformers", "findings", "score", "budget", "indicator", "retrieve", "help")

# Each rule is a tuple of words that must all occur (as jieba tokens or as substrings of the
# question). The intent with the most matched rules wins; ties go to the earlier intent in INTENTS.
INTENT_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "draft": (("起草",), ("重写",), ("改写",), ("撰写",), ("草拟",), ("润色",), ("帮我写",), ("写一",),
              ("写个",), ("再写",), ("生成", "部分"), ("生成", "报告"), ("写", "部分"), ("写", "章节")),
    "underperformers": (("没有", "完成"), ("未完成",), ("没完成",), ("未达",), ("没达",), ("达不到",),
                        ("不达标",), ("未实现",), ("差距",), ("偏差",), ("落后",), ("欠缺",),
                        ("完成", "不好"), ("哪些", "没"), ("为什么", "没")),
    "findings": (("不一致",), ("核对",), ("数据", "问题"), ("错误",), ("矛盾",), ("异常",), ("核查",),
                 ("对不上",), ("填报", "有误")),
    "score": (("得分",), ("总分",), ("分数",), ("评分",), ("等级",), ("打分",), ("几分",), ("多少分",),
              ("怎么", "算"), ("如何", "计算"), ("计算", "方法"), ("自评", "结果")),
    "budget": (("预算",), ("执行率",), ("支出",), ("资金",), ("经费",), ("花了",)),
    "indicator": (("完成值",), ("目标值",), ("指标值",), ("实际", "完成"), ("完成率",), ("完成", "多少")),
    "retrieve": (("政策",), ("规定",), ("法规",), ("条例",), ("办法",), ("依据",), ("法律",), ("文件",),
                 ("往年",), ("以前",), ("过去",), ("历年",), ("案例",), ("范文",), ("参考",),
                 ("往期",), ("其他", "报告"), ("过往",), ("要求",), ("哪一条",), ("第几条",), ("法", "规定")),
    "help": (("你好",), ("帮助",), ("能做什么",), ("功能",), ("怎么用",), ("使用", "说明")),
}
# Words that name a report section, for "起草/重写 …部分" (longest first when matched).
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "problems": ("存在的主要问题", "存在的问题", "主要问题", "问题"),
    "measures": ("下一步改进措施", "改进措施", "改进建议", "整改措施", "措施", "建议", "下一步"),
    "conclusion": ("自评结论", "评价结论", "综合评价", "结论", "评价等级"),
    "background": ("部门基本情况", "基本情况", "项目概述", "评价项目概述", "概述", "背景", "概况"),
    "indicators": ("履职效能分析", "指标分析", "绩效指标分析", "履职效能", "指标情况", "绩效分析", "指标"),
}
WHOLE_REPORT_WORDS = ("全文", "整个报告", "完整报告", "整篇", "全部章节", "整份报告", "报告全文")
FOLLOW_UP_WORDS = ("为什么", "原因", "怎么回事", "为何")

DOMAIN_WORDS = ("预算执行率", "执行率", "存在的问题", "改进措施", "自评结论", "完成值", "目标值", "指标值",
                "完成率", "未完成", "没完成", "不达标", "绩效自评", "偏差原因", "得分", "总分", "评价等级",
                "基本情况", "履职效能", "满意度", "起草", "重写")


def tokens(text: str) -> list[str]:
    """jieba tokens of `text` (the domain dictionary), with the intent rules' words kept whole."""
    return [t for t in tokenizer(DOMAIN_WORDS).lcut(text) if t.strip()]


@dataclass(frozen=True)
class Route:
    intent: str
    section: str | None = None          # draft: the section key
    whole_report: bool = False          # draft: every section
    indicator: int | None = None        # the indicator index the question names
    scores: dict[str, int] = field(default_factory=dict)


def _rule_hits(text: str, words: set[str], rules) -> int:
    return sum(1 for rule in rules if all(w in words or w in text for w in rule))


def section_of(text: str) -> str | None:
    """The report section a request names (`存在的问题` → problems), or None."""
    best, best_len = None, 0
    for key, phrases in SECTION_WORDS.items():
        for phrase in phrases:
            if phrase in text and len(phrase) > best_len:
                best, best_len = key, len(phrase)
    return best


def match_indicator(question: str, evaluation: Evaluation | None) -> int | None:
    """The indicator a question names: the most of its name's words (jieba tokens) in the question."""
    if evaluation is None or not evaluation.indicators:
        return None
    text = normalize(question)
    asked = {t for t in tokens(text) if len(t) >= 2}
    best, best_score = None, 0.0
    for k, indicator in enumerate(evaluation.indicators):
        name = normalize(indicator.name)
        if len(name) >= 4 and name in text:
            return k
        words = {t for t in tokens(name) if len(t) >= 2}
        if not words:
            continue
        common = asked & words
        weight = sum(len(w) for w in common)
        share = weight / sum(len(w) for w in words)
        score_ = len(common) + share
        if len(common) >= 2 and score_ > best_score:
            best, best_score = k, score_
    return best


def route(question: str, evaluation: Evaluation | None = None) -> Route:
    """Which answer a question asks for."""
    text = normalize(question)
    words = set(tokens(text))
    scores = {intent: _rule_hits(text, words, rules) for intent, rules in INTENT_RULES.items()}
    indicator = match_indicator(text, evaluation)
    if scores["draft"]:
        whole = any(w in text for w in WHOLE_REPORT_WORDS)
        return Route("draft", section=section_of(text), whole_report=whole, indicator=indicator, scores=scores)
    if indicator is not None and not scores["underperformers"]:
        return Route("indicator", indicator=indicator, scores=scores)
    best = max(INTENTS, key=lambda name: (scores.get(name, 0), -INTENTS.index(name)))
    if scores.get(best, 0) == 0:
        best = "unknown"
    return Route(best, indicator=indicator, scores=scores)
