"""Names the way prose names them: the content words of an indicator, task or budget item name.

Officers and models rarely copy a 三级指标 name: they drop its numbering (`指标1:`, `三、`, `（2）`),
its unit in brackets (`（场）`, `(户)`), its ★ marks and `(≥**人)` placeholders, its quotes, its
本单位/数量/次数 tails, and shorten it (`论坛相关媒体报道` for `亚洲青年领袖论坛相关媒体报道次数`). A name
is therefore compared by its content: the character bigrams of its cleaned text. A phrase of the
checked text (`clean_name` of it, role and filler words removed on jieba tokens) is explained by a
subject when most of its content bigrams occur in the subject's name, weighted by how rare each
bigram is among the ledger's names (`港澳` in every name says little, `沙龙` says much).

`NameIndex.match(phrase)` returns the best subjects (several when the phrase is equally good for
each: `媒体报道` for two media-report indicators), `unknown` when the phrase has content that no name
explains (`专题培训`), or nothing when the phrase is only role and filler words.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..quantities import UNITS
from ..text import simplified
from .words import cut

# Numbering a form prints before a name: `指标1:`, `一、`, `1、`, `（2）`, `2.`, `①`.
_NUMBERING = re.compile(
    r"^\s*(?:指标\s*\d+\s*[:：.、]?|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．](?!\d)"
    r"|[（(]\s*[\d一二三四五六七八九十]{1,2}\s*[)）]|[①-⑳])\s*")
# Pinyin a converter mirror inserts after characters: `項(xiàng)目`.
_PINYIN = re.compile(r"[（(]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]+[)）]")
# Placeholders and units in brackets: `(≥**人)`, `（场）`, `(人次)`, `(%)`, `(万美元)`, `（百分比）`.
_PLACEHOLDER = re.compile(r"[（(][^（）()]*\*[^（）()]*[)）]")
_UNIT_WORDS = "|".join(sorted({*UNITS, "美元", "港元", "欧元", "百分比", "人次", "户", "组", "架", "头", "只", "套"},
                              key=len, reverse=True))
_BRACKET_UNIT = re.compile(rf"[（(]\s*(?:[%‰]|(?:万|亿)?(?:{_UNIT_WORDS})|[≥≤><=]\s*[\d.]*\s*(?:{_UNIT_WORDS}|%)?)\s*[)）]")
_MARKS = re.compile(r"[★☆*“”\"'‘’「」『』《》]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Words that carry no subject: roles, comparisons, time, quantity and linking words. Removed from
# a phrase (on its jieba tokens) before its content is compared with names.
FILLER_WORDS = frozenset((
    "实际", "完成", "完成率", "完成了", "已完成", "实际完成", "实际完成值", "完成值", "达到", "达", "实现", "为", "是",
    "目标", "目标值", "指标值", "年度指标值", "年度目标", "指标", "绩效指标", "计划", "预期", "任务",
    "全年", "年度", "本年", "本年度", "当年", "年内", "累计", "共", "共计", "合计", "总计", "其中", "方面", "在", "的",
    "了", "和", "及", "与", "或", "等", "约", "近", "超", "余", "多", "少", "分别", "均", "各", "都", "也", "还",
    "该", "这", "此", "此外", "另", "另行", "另外", "其", "上述", "以上", "以下", "全部", "已", "已经", "获", "获得",
    "有", "较", "比", "超出", "超过", "高于", "低于", "高出", "多出", "相差", "差距", "尚差", "差", "略", "略高于",
    "略低于", "仅", "只", "达成", "按", "按期", "按时", "如期", "情况", "得分", "分值", "得", "分", "项", "个",
    "自评", "自评表", "填报", "列示", "表中", "原表", "数量", "次数", "场次", "人次", "人数", "个数", "件数",
    "我办", "我局", "本单位", "本项目", "项目", "单位", "本", "从", "看", "来看", "中", "对", "对于", "通过",
    "开展", "组织", "举办", "召开", "提供", "完成情况", "工作", "主要", "一是", "二是", "三是", "四是",
    "对应", "对应产出指标", "指标为", "年", "月", "日", "万", "亿", "元", "万元",
    "产出", "效益", "成本", "产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
    "社会效益", "经济效益", "生态效益", "可持续影响", "社会效益指标", "经济效益指标", "生态效益指标",
    "重点", "资金", "预算", "安排", "列明", "整体", "总体", "部门", "支出", "执行", "结余", "使用", "拨付",
    "全额", "剩余", "尚有", "形成", "预算执行率", "执行率", "个百分点", "百分点", "倍", "占", "占比",
    "计算", "应为", "投入", "使用", "情况", "分析", "应得", "按", "而", "但", "则", "即", "结果", "自评结果", "评价", "综合评价", "经", "显示",
    "根据", "依据", "按照", "实际值", "相比", "同比", "比例", "比率", "一致", "持平", "平均",
    "总分", "自评总分", "仍", "仍为", "其余", "其他", "可以", "再", "如需", "进一步", "分析", "具体", "详见", "见下表",
    "下表", "如下", "列示", "表列", "原表", "表中", "填列", "所填", "只有", "只", "仅为", "已", "均已", "名称",
    "无法辨认", "辨认", "无法", "另一", "取整", "四舍五入", "整数", "超额", "超额完成", "超标", "扣分", "金额", "数额",
    "需", "控制", "控制在", "未", "达标", "未达标", "要求", "以内", "以上", "上限", "下限", "部分", "显示", "列有",
    "定性", "定量", "定性目标", "定量目标", "填为", "填成", "填写", "填写为", "填", "值",
    "待确认", "暂未计入", "暂定", "暂不评价", "经办人", "确认", "核实", "更正", "重新", "另有", "共有",
    "时间", "时长", "速度", "期限", "周期", "并", "把", "将", "并把", "仍被", "被", "也", "只", "也只",
    "评分规则", "规则", "评分", "公式", "方案", "自评方案", "设置", "共设置", "绩效自评", "绩效自评方案", "支出绩效", "口径", "方法", "复核", "核对", "比照", "折算", "计", "给了", "给予",
))


def is_filler(token: str) -> bool:
    """A token that is a filler word, or made of filler words only (结余资金 = 结余 + 资金)."""
    if token in FILLER_WORDS:
        return True
    n = len(token)
    reach = [True] + [False] * n
    for i in range(n):
        if reach[i]:
            for j in range(i + 1, min(n, i + 6) + 1):
                if token[i:j] in FILLER_WORDS:
                    reach[j] = True
    return reach[n]
NEGATIONS = ("尚未", "没有", "未能", "未", "没", "无")


def without_numbering(name: str) -> str:
    """The name without the numbering a form prints before it (`指标1:租车次数` → `租车次数`)."""
    return _NUMBERING.sub("", name or "")


@lru_cache(maxsize=16384)
def clean_name(name: str) -> str:
    """A name without its numbering, pinyin, placeholders, units in brackets, marks and spaces."""
    text = simplified(re.sub(r"\s+", "", name or ""))
    text = _PINYIN.sub("", text)
    text = _NUMBERING.sub("", text)
    text = _PLACEHOLDER.sub("", text)
    text = _BRACKET_UNIT.sub("", text)
    return _MARKS.sub("", text)


def bigrams(runs: list[str]) -> frozenset[str]:
    """The character bigrams of each run of Chinese characters (never across runs)."""
    found = set()
    for run in runs:
        for piece in re.findall(r"[\u4e00-\u9fffA-Za-z0-9]+", run):
            found.update(piece[i:i + 2] for i in range(len(piece) - 1))
    return frozenset(found)


def name_bigrams(name: str) -> frozenset[str]:
    return bigrams([clean_name(name)])


@lru_cache(maxsize=8192)
def phrase_fillers(phrase: str) -> tuple[str, ...]:
    """The phrase's filler words of two characters or more (资金, 金额, 满意度 …): weak evidence for a
    name that holds them (`工程资金金额` is named by more than 工程)."""
    return tuple(t for t in cut(clean_name(phrase)) if len(t) >= 2 and is_filler(t) and _CJK.search(t))


@lru_cache(maxsize=8192)
def phrase_runs(phrase: str) -> tuple[str, ...]:
    """The content of a phrase: its runs of non-filler jieba tokens (`集聚区全年接待参观考察等来访` →
    集聚区 | 接待参观考察 | 来访)."""
    runs, current = [], ""
    for token in cut(clean_name(phrase)):
        if is_filler(token) or not _CJK.search(token) and not token.isalnum():
            if current:
                runs.append(current)
            current = ""
            continue
        if re.fullmatch(r"[\d.%]+", token):
            if current:
                runs.append(current)
            current = ""
            continue
        current += token
    if current:
        runs.append(current)
    return tuple(runs)


@dataclass(frozen=True)
class NameMatch:
    subjects: tuple            # the best subjects (empty when unknown or empty)
    unknown: bool = False      # the phrase has content no name explains
    content: str = ""          # the phrase's content words, for reasons


class NameIndex:
    """Every subject's name content, with the weight of each bigram across the ledger's names."""

    MIN_SHARE = 0.4           # a match explains at least this share of the phrase's content weight
    TIE = 0.8                 # subjects scoring at least this share of the best are equally named
    SOFT = 0.5                # the weight of a filler word a name holds

    def __init__(self, subjects):
        self.subjects = [s for s in subjects if s.kind in ("indicator", "task", "budget", "project")]
        self.grams: list[frozenset[str]] = []
        df: dict[str, int] = {}
        for subject in self.subjects:
            grams = frozenset().union(*(name_bigrams(n) for n in (subject.name, *subject.aliases)))
            self.grams.append(grams)
            for gram in grams:
                df[gram] = df.get(gram, 0) + 1
        n = max(1, len(self.subjects))
        self.weight = {gram: math.log(1 + n / count) for gram, count in df.items()}
        self.unknown_weight = math.log(1 + n)
        self._cache: dict[str, NameMatch] = {}
        self.postings: dict[str, list[int]] = {}
        for k, grams in enumerate(self.grams):
            for gram in grams:
                self.postings.setdefault(gram, []).append(k)

    def _distinctive(self, grams: frozenset[str], k: int) -> bool:
        """One bigram names a subject when the phrase is that one word and no other name has it
        (`仓库`, `产床`, `离岸`)."""
        return len(grams) == 1 and all(len(self.postings.get(g, ())) == 1 and self.postings[g][0] == k for g in grams)

    def match(self, phrase: str) -> NameMatch:
        found = self._cache.get(phrase)
        if found is None:
            found = self._cache[phrase] = self._match(phrase)
        return found

    def _match(self, phrase: str) -> NameMatch:
        runs = phrase_runs(phrase)
        grams = bigrams(list(runs))
        content = "".join(runs)
        if not grams:
            return NameMatch(())
        total = sum(self.weight.get(g, self.unknown_weight) for g in grams)
        scores: dict[int, float] = {}
        counts: dict[int, int] = {}
        for gram in grams:
            for k in self.postings.get(gram, ()):
                scores[k] = scores.get(k, 0.0) + self.weight[gram]
                counts[k] = counts.get(k, 0) + 1
        for gram in bigrams(list(phrase_fillers(phrase))) - grams:
            for k in self.postings.get(gram, ()):
                if k in scores:            # only strengthens a subject the content already names
                    scores[k] += self.SOFT * self.weight[gram]
                    counts[k] += 1
        if not scores:
            return NameMatch((), unknown=len(grams) >= 2, content=content)
        best = max(scores.values())
        chosen = [k for k, s in scores.items() if s >= self.TIE * best
                  and (counts[k] >= 2 or self._distinctive(grams, k))]
        if not chosen or best < self.MIN_SHARE * total:
            return NameMatch((), unknown=len(grams) >= 2, content=content)
        chosen.sort(key=lambda k: (-scores[k], self.subjects[k].kind == "project"))
        if len(chosen) > 1 and self.subjects[chosen[0]].kind != "project":
            chosen = [k for k in chosen if self.subjects[k].kind != "project"]
        return NameMatch(tuple(self.subjects[k] for k in chosen), content=content)


__all__ = ["clean_name", "without_numbering", "name_bigrams", "phrase_runs", "NameIndex", "NameMatch", "FILLER_WORDS", "NEGATIONS", "is_filler"]
