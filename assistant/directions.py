"""Which way an indicator points, and why: positive (more is better), negative (less is better),
equality, qualitative, or deadline (met when done no later than the date).

The order of evidence (domain.md, "Scoring"): the target's own comparator (`≥`, `不低于`, `以内`,
`需控制在`, `=`, `﹦`, `等于`) wins; then the form's 方向 / 指标性质 column (or the officer's
override of it); then a comparator the indicator's name carries (`公猪舍(≥**平方米)`); then the
indicator's nature. A bare value (`200人`, `12次`, `90%`) is how most county forms write a target,
and officers mean "at least" by it, except where smaller is better by the indicator's nature:
costs, fees, unit prices, complaints, incidents, error and incidence rates, durations and time
limits, and a target of 0. Equality is read only where the form writes it. Every reading is
returned with its reason in Chinese, which `jixiao score` shows beside the indicator.
"""
from __future__ import annotations

import re
from typing import Literal

from .quantities import Comparator, Quantity, is_date, name_template, normalize

Direction = Literal["positive", "negative", "equality", "qualitative", "deadline"]
DIRECTIONS: tuple[Direction, ...] = ("positive", "negative", "equality", "qualitative", "deadline")
DIRECTION_NAMES: dict[str, str] = {"positive": "正向", "negative": "反向", "equality": "等于", "qualitative": "定性",
                                   "deadline": "时限"}      # how tables print a direction

# What a 方向 / 指标性质 column (or an override of it) may say.
DIRECTION_WORDS: dict[str, Direction] = {
    "正向": "positive", "正": "positive", "越大越好": "positive", "越高越好": "positive", "越多越好": "positive",
    "正向指标": "positive", "positive": "positive", "≥": "positive", ">=": "positive", "大于等于": "positive",
    "不低于": "positive", "不少于": "positive", ">": "positive", "大于": "positive",
    "反向": "negative", "负向": "negative", "逆向": "negative", "反": "negative", "越小越好": "negative",
    "越低越好": "negative", "越少越好": "negative", "反向指标": "negative", "negative": "negative",
    "≤": "negative", "<=": "negative", "小于等于": "negative", "不高于": "negative", "不超过": "negative",
    "<": "negative", "小于": "negative",
    "等于": "equality", "相等": "equality", "=": "equality", "equality": "equality",
    "定性": "qualitative", "定性指标": "qualitative", "qualitative": "qualitative",
    "时限": "deadline", "deadline": "deadline",
}
COMPARATOR_SIGNS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
COMPARATOR_DIRECTIONS: dict[str, Direction] = {">=": "positive", ">": "positive", "<=": "negative", "<": "negative",
                                               "=": "equality"}

# Where smaller is better by the indicator's nature (domain.md): words anywhere in the name …
NEGATIVE_WORDS = ("成本", "费用", "单价", "价格", "投诉", "事故", "安全事件", "差错", "失误", "损失", "超支",
                  "伤亡", "死亡", "时长", "天数", "时限", "用时", "耗时", "处置时间", "办理时间", "响应时间")
# … and rates named by what they count, when the name is a rate.
NEGATIVE_RATES = ("发生率", "受害率", "差错率", "错误率", "失误率", "投诉率", "事故率", "死亡率", "伤亡率", "超支率",
                  "损失率", "变质率", "空置率", "违规率", "返工率", "流失率", "缺陷率", "故障率", "不合格率")
RATE_ENDINGS = ("率", "比例", "比率", "占比", "满意度", "知晓度", "认可度", "完成度", "覆盖度", "达标度")
# Deadline words that name a date-like target (`按期`); `及时` and the like are qualitative.
# Rates whose bare 100% target still reads "at least" (a survey's share, the budget's execution): the
# form measures them against a standard, and officers compare them so.
AT_LEAST_RATES = ("满意度", "预算执行率", "资金执行率", "支出执行率")
DEADLINE_WORDS = ("按期", "按时", "如期", "按期完成", "按时完成", "如期完成")
TIME_UNITS = ("小时", "分钟", "秒", "天", "日", "工作日", "周", "月")
TIME_WORDS = ("时间", "速度", "时长", "用时", "耗时", "时限", "周期", "响应")


def direction_word(value: object) -> Direction | None:
    """A 方向 / 指标性质 cell (`正向`, `反向`, `大于等于`) → its direction; None when it says nothing usable."""
    return DIRECTION_WORDS.get(normalize(value).lower()) if value is not None else None


def _bare_name(name: str) -> str:
    """The name without template brackets and placeholders at its end: `受益人数(人)` → `受益人数`."""
    text = normalize(name)
    text = re.sub(r"(?:[(（][^()（）]*[)）])+$", "", text)
    return re.sub(r"[≥≤<>=*]+[^率度]*$", "", text) or text


def nature(name: str, level2: str = "", unit: str = "", target_value: float | None = None) -> tuple[Direction, str]:
    """The direction a bare target takes from the indicator's nature, and why."""
    if target_value is not None and target_value == 0:
        return "negative", "年度指标值为0且未写比较符号：0只能是上限，按“不高于0”理解"
    bare = _bare_name(name)
    rate_ending = next((e for e in RATE_ENDINGS if bare.endswith(e)), None)
    whole = (unit == "%" and target_value == 1.0) or (unit == "" and rate_ending and target_value == 100)
    if whole and not bare.endswith(AT_LEAST_RATES):
        return "equality", "未写比较符号；年度指标值为100%（全部），比例至多100%，按“等于100%”理解（达到100%即达到）"
    if rate_ending:
        word = next((w for w in NEGATIVE_RATES if bare.endswith(w)), None)
        if word:
            return "negative", f"未写比较符号；“{word}”越低越好，按“不高于”理解"
    else:
        word = next((w for w in NEGATIVE_WORDS if w in bare), None)
        if word or bare.endswith("费"):
            shown = word or "费"
            return "negative", f"未写比较符号；指标名称含“{shown}”，属越小越好的指标（成本、费用、时长、事故等），按“不高于”理解"
        if unit in TIME_UNITS:
            word = next((w for w in TIME_WORDS if w in bare), None)
            if word:
                return "negative", f"未写比较符号；以{unit}计的“{word}”越短越好，按“不高于”理解"
        if "成本" in normalize(level2) and unit != "%":
            return "negative", "未写比较符号；成本指标按“不高于”理解"
    return "positive", "未写比较符号，按“不低于”理解（产出、覆盖、比率和效益类指标的年度指标值是下限）"


def _comparator(target: Quantity) -> Comparator | None:
    part = target.alternatives[0] if target.kind == "compound" and target.alternatives else target
    return part.comparator


def infer(target: Quantity, name: str, level2: str = "", stated: object = None,
          stated_column: str = "方向") -> tuple[Direction, str, str | None]:
    """(direction, reason, warning or None) for an indicator's target.

    `stated` is the form's 方向 / 指标性质 cell (or the officer's override), `stated_column` its header.
    """
    said = direction_word(stated)
    said_text = f"“{stated_column}”列写明“{normalize(stated)}”" if said else ""
    if target.kind == "deadline":
        if target.date is None and normalize(target.text) not in DEADLINE_WORDS:
            return "qualitative", f"年度指标值“{target.text}”为文字，按定性指标评价", None
        return "deadline", "年度指标值为时限：实际完成日期不晚于时限即达到", None
    if target.kind in ("qualitative", "progress"):
        return "qualitative", "年度指标值为文字，按定性指标评价", None
    if target.kind == "range":
        return "equality", "年度指标值为区间：实际值在区间内即达到", None
    comparator = _comparator(target) if target.kind != "unreadable" else None
    unit = target.unit if target.kind != "unreadable" else ""
    if comparator in ("=", ">=", ">") and unit == "%" and target.kind == "number" and is_date(_bare_name(name)) \
            and said in (None, "deadline"):
        return ("deadline", f"指标名称“{name}”是完成时限，年度指标值“{target.text}”是到期完成的比例：按期完成的比例"
                            "达到即达到", None)
    if comparator is not None:
        direction = COMPARATOR_DIRECTIONS[comparator]
        reason = f"年度指标值写有“{COMPARATOR_SIGNS[comparator]}”"
        warning = None
        if comparator == "=" and not said and target.kind == "number" and target.value:
            by_nature, why = nature(name, level2, unit, target.value)
            if by_nature == "negative":
                return "negative", reason + "；" + why.removeprefix("未写比较符号；") + "：成本类的目标值是上限", None
        if said and said != direction and said in ("positive", "negative", "equality"):
            reason += f"（{said_text}，与比较符号不一致，以比较符号为准）"
            warning = f"指标“{name}”的{said_text}，与年度指标值“{target.text}”的比较符号不一致，按比较符号评分"
        return direction, reason, warning
    if said:
        return said, said_text, None
    template = name_template(name)
    if template.comparator is not None:
        return (COMPARATOR_DIRECTIONS[template.comparator],
                f"年度指标值未写比较符号；指标名称中写有“{COMPARATOR_SIGNS[template.comparator]}”", None)
    if unit == "%" and target.kind == "number" and is_date(_bare_name(name)):
        return ("deadline", f"指标名称“{name}”是完成时限，年度指标值是到期完成的比例：按期完成的比例不低于"
                            f"{target.text}即达到", None)
    value = target.value if target.kind == "number" else None
    direction, reason = nature(name, level2, unit, value)
    if target.kind == "unreadable":
        reason = "年度指标值无法识别；按指标性质暂定：" + reason.removeprefix("未写比较符号；").removeprefix("未写比较符号，")
    return direction, reason, None
