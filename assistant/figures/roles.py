"""What role a figure has, read from the words around it: `Reading` of a figure in its clause.

Role words are read as words on the tokenised sentence (`words.Words`): 完成率 before a figure
makes it a completion, 实际完成 an actual, 目标值 a target, 得分 a score … (the last role word
before the figure, strong words before weak verbs such as 达到). A role word after a negation is
negated: 未支出/未形成支出/未执行 is a balance, 未达到/未完成 a shortfall. Other readings:
- a difference: a difference word before the figure (多, 少, 超出, 高出, 相差, 尚差, 差距 …), also when
  a target word stands between (`超出目标53次`, `高出目标值20个百分点`), and `高于85%的目标值9个百分点`
  (a comparison, the target, then the difference); its sign is kept (多/超/高 above, 少/低/差 below);
- a target: a formal comparator on the figure (`≥60批次`, `不少于450人次`) or `的目标`/`的年度目标`/
  `的标准` right after it (`略高于40篇的年度目标`);
- a stated figure: the sentence says it is the form's (自评表, 填报, 表中, 原表, 印作, 自评得分 …);
- a recomputation (按…计算, 应为, 应得): the product's own value, not the form's;
- a Markdown table cell: its column header's words.
No role word at all: the plain statement of a quantity, an actual (never a target or a difference).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .names import NEGATIONS, is_filler
from .words import Words

ACTUAL = frozenset({"actual", "name"})
DIFFERENCE_ABOVE = frozenset({"excess", "excess_relative"})
DIFFERENCE_BELOW = frozenset({"gap", "gap_relative", "balance", "deduction"})
DIFFERENCE = DIFFERENCE_ABOVE | DIFFERENCE_BELOW

# role word → the entry roles it allows. Strong words first decide; weak ones only when alone.
ROLE_WORDS: dict[str, frozenset[str]] = {}
_GROUPS: dict[frozenset[str], tuple[str, ...]] = {
    ACTUAL: ("实际完成指标值", "实际完成值", "实际完成指标", "实际完成了", "实际完成", "实际达到", "实际为", "实际值",
             "全年完成值", "完成值",
             "实际", "完成了", "已完成", "共完成", "累计完成"),
    frozenset({"completion"}): ("完成率", "完成比例", "完成度", "完成比率", "达成率"),
    frozenset({"execution_rate"}): ("预算执行率", "执行率", "支出进度", "执行进度"),
    frozenset({"budget", "funds", "total"}): ("预算安排资金", "预算安排", "安排资金", "年初预算", "全年预算",
                                              "调整后预算", "预算数", "拟投入资金", "拟投入", "投入资金", "安排预算",
                                              "预算资金", "预算"),
    frozenset({"spent"}): ("实际支出", "实际支付", "实际使用", "实际投入资金", "实际投入", "支出", "决算数", "使用资金", "执行",
                           "支付", "拨付"),
    frozenset({"target"}): ("年度指标值", "指标值", "目标值", "目标为", "年度目标", "目标", "计划", "预期", "标准",
                            "控制上限", "上限", "下限", "控制在", "要求", "设定为", "设为", "仅设", "只设"),
    frozenset({"weight", "total_points"}): ("分值", "权重", "满分"),
    frozenset({"score", "total"}): ("自评得分", "得分", "总得分", "应得", "得", "给了", "给予", "打了", "评了", "计分"),
    frozenset({"deduction"}): ("扣分", "扣减", "扣"),
    frozenset({"funds", "share", "gap_relative", "budget"}): ("占比", "占预算", "占年度预算", "占"),
    frozenset({"total", "total_points", "score", "weight"}): ("总分",),
    frozenset({"balance", "gap_relative"}): ("结余", "结转", "剩余", "余额"),
    frozenset({"multiple"}): ("倍",),
    frozenset({"average"}): ("平均完成率", "平均值", "平均"),
    frozenset({"adjustment", "excess", "gap"}): ("调增", "调减", "增加", "减少"),
}
for _roles, _words in _GROUPS.items():
    for _word in _words:
        ROLE_WORDS[_word] = _roles
WEAK_WORDS = ("完成", "达到", "达", "实现", "为", "获", "计")
# difference words and their sign: +1 the actual is above the target, −1 below, 0 either
DIFFERENCE_WORDS = {"超出": 1, "超过": 1, "超额": 1, "多出": 1, "高出": 1, "多": 1, "高": 1, "超": 1, "高于": 1,
                    "超标": 1, "超支": 1, "超额完成": 1, "节约": -1, "节省": -1, "偏高": 1, "偏低": -1,
                    "少": -1, "低": -1, "低于": -1, "少于": -1, "差": -1, "尚差": -1, "缺口": -1, "不足": -1,
                    "差距": 0, "相差": 0, "偏差": 0, "相比": 0}
# words that open a comparison with the target (`较年度指标值（≥12场）多出4场`, `比目标少150人`)
COMPARE_WORDS = {"较": 0, "比": 0, "与": 0, "距": 0, "距离": 0, "超出": 1, "超过": 1, "高出": 1, "高于": 1,
                 "略高于": 1, "低于": -1, "略低于": -1, "少于": -1, "多于": 1}
# words that say a figure is the form's own: explicitly (FORM_WORDS: only the form's then), or by the
# label the form and a recomputation share (自评得分: the form's figure is allowed, the product's too)
FORM_WORDS = ("自评表", "填报", "填列", "列示", "表中", "原表", "印作", "报告所列", "表列", "所填", "原填", "自评仍", "填为",
              "填成", "填写为")
STATED_WORDS = FORM_WORDS + ("自评得分", "自评等级", "自评总分", "自评为")
# goals of an improvement measure (`力争2022年执行率达到100%`): a target, not an achievement
GOAL_WORDS = ("力争", "争取", "确保", "力求", "目标是", "提高到", "提升至", "提高至", "达到", "控制在")
COMPUTED_WORDS = ("计算", "应为", "应得", "复核", "重新核算", "核算", "按比例", "折算")
# a turn that leaves the form's figure behind (`填报为100%，而实际支出只占预算的86.20%`)
CONTRAST = re.compile(r"[，,；;]\s*(?:而|但|却|可是|实际上|经核)|实际支出|实际执行")
ROUNDING_WORDS = re.compile(r"四舍五入|取整|保留整数|保留一位|保留两位|约为|大约")
# `未超出29万元的预算`: the budget, a bound
BUDGET_AFTER = re.compile(r"^\s*(?:的|之)\s*(?:年度|全年|项目)?预算")
TARGET_AFTER = re.compile(r"^\s*[”\"）)]*\s*(?:(?:标准|目标值?|上限|下限)的|(?:的|之)\s*(?:年度目标值|年度目标|目标值|目标|年度指标值|指标值|计划|预期|标准|"
                          r"控制上限|上限|下限|要求))")
# `仅为上限的65.60%`, `是目标值的1.5倍`, `为年度指标值43.2万元的86.20%`: the ratio to the target
RATIO_BEFORE = re.compile(r"(?:为|是|占|相当于|仅为|只有|达到|用了|用去|使用了|达|完成)(?:了)?(?:年度|控制)?"
                          r"(?:目标值?|上限|指标值|年度指标值|标准|计划)的?$")
BALANCE_AFTER = re.compile(r"^\s*(?:资金)?(?:尚)?(?:未|没有)[^，。；,;]{0,6}?(?:支出|执行|使用|拨付|支付|花完)")
UNMET_WORDS = re.compile(r"未达到|未达成|未完成|未达标|未实现|没有达到|没有完成|尚未完成|尚未达到")
FORMAL_COMPARATORS = (">=", "<=")
_ALL = sorted({*ROLE_WORDS, *DIFFERENCE_WORDS, *COMPARE_WORDS, *STATED_WORDS, *COMPUTED_WORDS, *WEAK_WORDS},
              key=len, reverse=True)
_CUE = re.compile("|".join(map(re.escape, _ALL)))


@dataclass(frozen=True)
class Reading:
    roles: frozenset[str] | None     # the entry roles the words allow; None: no role word
    cue: str = ""                    # the word that decided, for reasons
    sign: int = 0                    # differences: +1 above the target, −1 below
    stated: bool = False             # the sentence says the figure is the form's (or uses its label)
    computed: bool = False           # … or that it is a recomputation
    target_like: bool = False        # a formal comparator or 的目标 after it
    form: bool = False               # the form's, explicitly: 自评表, 填报, 表中 … (the product's own value is not meant)

    def allows(self, role: str) -> bool:
        if self.roles is None:
            return role not in DIFFERENCE and role not in ("target", "multiple", "threshold", "share")
        return role in self.roles


@dataclass(frozen=True)
class _Cue:
    word: str
    start: int
    end: int
    negated: bool


def _cues(words: Words, plain: str, start: int, end: int, names: tuple[tuple[int, int, str], ...] = ()) -> list[_Cue]:
    """The cue words of plain[start:end] that are words (not parts of other words, nor words of a
    name the sentence mentions: the 目标 of `梳理目标合作企业`), in order. Line breaks and spaces
    inside a word are skipped (`完\n\n成率`)."""
    offsets = [k for k in range(start, end) if not plain[k].isspace()]
    squeezed = "".join(plain[k] for k in offsets)
    found = []
    for match in _CUE.finditer(squeezed):
        a, b = offsets[match.start()], offsets[match.end() - 1] + 1
        glued_to_figure = (match.group() in DIFFERENCE_WORDS or match.group() in ("扣", "得")) \
            and match.end() == len(squeezed) and end - b <= 1
        if not words.is_word(a, b) and not _glued_ok(words, a, b) and not glued_to_figure:
            continue
        if any(s <= a and b <= e and match.group() in name for s, e, name in names):
            continue
        before = words.word_before(a)
        found.append(_Cue(match.group(), a, b, before in NEGATIONS or before.endswith(NEGATIONS)))
    return found


def _glued_ok(words: Words, a: int, b: int) -> bool:
    """A cue jieba glued to a filler word (`结余资金` → 结余 + 资金, `全年执行` → 全年 + 执行) still counts;
    one inside a content word (签约, 一分钱) does not."""
    token = words.token_at(a)
    if token is None:
        return False
    word, start, end = token
    if start == a and end >= b:
        return end == b or is_filler(word[b - start:])
    last = words.token_at(b - 1)
    return last is not None and last[2] == b and a - last[1] >= 2 and is_filler(last[0][:a - last[1]])


def read(words: Words, plain: str, start: int, end: int, *, clause_start: int, previous_figure_start: int | None,
         previous_figure_end: int | None, region_start: int, after_end: int, comparator: str | None,
         header: str | None = None, names: tuple[tuple[int, int, str], ...] = (),
         segment_start: int | None = None, unit: str = "") -> Reading:
    """The reading of the figure at [start, end): `region_start` is where its own words begin (after the
    previous figure or the clause start), `after_end` where the words after it end."""
    reading = _read(words, plain, start, end, clause_start=clause_start, previous_figure_end=previous_figure_end,
                    region_start=region_start, after_end=after_end, comparator=comparator, header=header,
                    names=names, segment_start=segment_start, unit=unit)
    scope = header if header is not None else plain[segment_start if segment_start is not None else clause_start:start]
    form = reading.stated and _stated(words, scope, 0, len(scope), FORM_WORDS)
    return dataclasses.replace(reading, form=form) if form else reading


def _read(words: Words, plain: str, start: int, end: int, *, clause_start: int, previous_figure_end: int | None,
          region_start: int, after_end: int, comparator: str | None, header: str | None,
          names: tuple[tuple[int, int, str], ...], segment_start: int | None, unit: str) -> Reading:
    if header is not None:
        return _read_header(header)
    stated = _stated(words, plain, segment_start if segment_start is not None else clause_start, start)
    computed = any(w in plain[region_start:start] for w in COMPUTED_WORDS)
    after = plain[end:after_end]
    cues = _cues(words, plain, region_start, start, names)
    target_after = bool(TARGET_AFTER.match(after))
    # a balance written after the amount: 尚有12.20万元资金未形成支出
    if BALANCE_AFTER.match(after):
        return Reading(frozenset({"balance", "gap_relative"}), "未支出", -1, stated, computed)
    # a formula the product prints (`91 ÷ 88 = 103%`): the divisor is the target or the budget, the
    # dividend the actual or the spending
    if re.search(r"[÷/]\s*$", plain[region_start:start]):
        return Reading(frozenset({"target", "budget"}), "÷", 0, stated, computed)
    if re.match(r"^\s*[÷/]", after):
        return Reading(frozenset({"actual", "spent"}), "÷", 0, stated, computed)
    if BUDGET_AFTER.match(after) and unit == "元":
        return Reading(frozenset({"budget", "funds"}), "预算", 0, stated, computed, target_like=True)
    if target_after or (comparator in FORMAL_COMPARATORS and not cues):
        return Reading(frozenset({"target", "threshold"}), "目标", 0, stated, computed, target_like=True)
    squeezed = re.sub(r"\s+", "", plain[region_start:start])
    if unit in ("%", "倍") and RATIO_BEFORE.search(squeezed) or unit in ("%", "倍") and squeezed in ("的", "之") and previous_figure_end is not None and \
            RATIO_BEFORE.search(re.sub(r"\s+", "", plain[clause_start:previous_figure_end]).rstrip("0123456789.%万亿元人次个项场家分") + "的"):
        return Reading(frozenset({"completion", "ratio", "share", "execution_rate", "multiple"}), "的", 0, stated, computed)
    difference = _difference(cues, plain, region_start, start, clause_start, previous_figure_end, words)
    if difference is not None:
        word, sign = difference
        roles = DIFFERENCE_ABOVE if sign > 0 else DIFFERENCE_BELOW if sign < 0 else DIFFERENCE
        return Reading(roles, word, sign, stated, computed)
    if re.search(r"力争|争取|确保|力求", plain[clause_start:start]) and not cues or \
            re.search(r"力争|争取|力求", plain[clause_start:start]) and cues and cues[-1].word in ("达到", "达", "执行率", "完成率"):
        return Reading(frozenset({"target", "threshold"}), "力争", 0, stated, computed, target_like=True)
    strong = [c for c in cues if c.word in ROLE_WORDS]
    if strong:
        cue = strong[-1]
        roles = ROLE_WORDS[cue.word]
        if cue.word.startswith("占") and unit == "分":
            roles = frozenset({"weight", "score", "total_points"})     # 各占20分: a weight
        elif cue.word.startswith("占") and any(ROLE_WORDS.get(c.word) == frozenset({"spent"}) and not c.negated
                                               for c in strong[:-1]):
            roles = frozenset({"execution_rate", "share"})      # 实际支出只占预算的86.20%: the execution rate
        if cue.negated:
            if roles & {"spent"}:
                return Reading(frozenset({"balance", "gap_relative"}), "未" + cue.word, -1, stated, computed)
            if roles & ACTUAL:
                return Reading(DIFFERENCE_BELOW, "未" + cue.word, -1, stated, computed)
        return Reading(roles, cue.word, 0, stated, computed, target_like=comparator in FORMAL_COMPARATORS)
    if comparator in FORMAL_COMPARATORS:
        return Reading(frozenset({"target", "threshold"}), "目标", 0, stated, computed, target_like=True)
    weak = [c for c in cues if c.word in WEAK_WORDS]
    if weak:
        if weak[-1].negated:
            return Reading(DIFFERENCE_BELOW, "未" + weak[-1].word, -1, stated, computed)
        return Reading(ACTUAL | {"score", "execution_rate", "share", "total", "count"}, weak[-1].word,
                       0, stated, computed)
    return Reading(None, "", 0, stated, computed)


def _stated(words: Words, plain: str, clause_start: int, start: int, vocabulary: tuple[str, ...] = STATED_WORDS) -> bool:
    """Does the clause say the figure is the form's, and not take it back with a recomputation after?"""
    text = plain[clause_start:start]
    last_stated = max((text.rfind(w) for w in vocabulary), default=-1)
    if last_stated < 0:
        return False
    last_computed = max([text.rfind(w) for w in COMPUTED_WORDS]
                        + [m.start() for m in CONTRAST.finditer(text)], default=-1)
    return last_computed < last_stated


def _difference(cues: list[_Cue], plain: str, region_start: int, start: int, clause_start: int,
                previous_figure_end: int | None, words: Words) -> tuple[str, int] | None:
    """A difference word before the figure, or a comparison the figure completes."""
    if not cues:
        return _completes_comparison(plain, region_start, start, clause_start, previous_figure_end, words)
    last = cues[-1]
    if last.negated and (last.word in DIFFERENCE_WORDS or last.word in COMPARE_WORDS):
        return None                      # 未超出29万元的预算: the bound itself
    if last.word in DIFFERENCE_WORDS and not (last.word in ("高", "低", "多", "少", "超") and
                                               plain[last.end:start].strip() not in ("", "了", "出", "达")):
        return last.word, DIFFERENCE_WORDS[last.word]
    if ROLE_WORDS.get(last.word) == frozenset({"spent"}) and len(cues) > 1 and cues[-2].end == last.start \
            and DIFFERENCE_WORDS.get(cues[-2].word):
        return cues[-2].word, DIFFERENCE_WORDS[cues[-2].word]      # 多支出96.17万元, 少支出20.5万元
    if ROLE_WORDS.get(last.word) in (frozenset({"target"}), frozenset({"budget", "funds", "total"})):
        # 超出目标53次, 高出目标值20个百分点, 超出年初预算96.17万元 (a directed comparison, the target or
        # budget, the difference); but
        # 较年度指标值（≥12场）, 与目标值1500人次: the target itself
        if plain[last.end:start].strip() in ("（", "(", "为", "是"):
            return None
        for cue in reversed(cues[:-1]):
            sign = COMPARE_WORDS.get(cue.word, DIFFERENCE_WORDS.get(cue.word, 0)) \
                if cue.word in COMPARE_WORDS or cue.word in DIFFERENCE_WORDS else None
            if sign:
                return cue.word, sign
        return _completes_comparison(plain, region_start, start, clause_start, previous_figure_end, words)
    return None


def _completes_comparison(plain: str, region_start: int, start: int, clause_start: int,
                          previous_figure_end: int | None, words: Words) -> tuple[str, int] | None:
    """`高于85%的目标值9个百分点`: a comparison word, a figure, the target word, then this figure."""
    region = plain[region_start:start]
    if previous_figure_end is None or not TARGET_AFTER.match(region):
        return None
    for cue in reversed(_cues(words, plain, clause_start, previous_figure_end)):
        if cue.word in COMPARE_WORDS:
            return cue.word, COMPARE_WORDS[cue.word]
        if cue.word in ROLE_WORDS:
            return None
    return None


def _read_header(header: str) -> Reading:
    found = _CUE.findall(re.sub(r"\s+", "", header))
    strong = [w for w in found if w in ROLE_WORDS]
    stated = any(w in header for w in STATED_WORDS)
    if strong:
        word = strong[-1]
        if word in ("目标", "计划", "预期", "标准") and "实际" in header:
            word = "实际"
        return Reading(ROLE_WORDS[word], word, 0, stated)
    if "完成情况" in header or "实际" in header:
        return Reading(ACTUAL, "实际", 0, stated)
    return Reading(None, "", 0, stated)


def unmet_after(plain: str, start: int, end: int) -> bool:
    return bool(UNMET_WORDS.search(plain, start, end))


__all__ = ["Reading", "read", "ROLE_WORDS", "DIFFERENCE", "DIFFERENCE_ABOVE", "DIFFERENCE_BELOW", "ACTUAL",
           "STATED_WORDS", "unmet_after"]
