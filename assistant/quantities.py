"""Quantities as officers write them: `≥12场`, `2.6亿元`, `十二场`, `≥60批次或200人次`, `得到提升`.

`parse_quantity(text)` turns one target or actual cell into a `Quantity` that keeps the original
text beside the parsed value. Values are stored in the base unit: magnitude words are applied
(`2.6亿元` → 260000000 元, `1.2万亩` → 12000 亩) and percentages are fractions (`98%` → 0.98).
`magnitude` and `decimals` remember how the text printed it, so a value can be printed back the
same way.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Literal

import cn2an
from pydantic import BaseModel, ConfigDict

from . import printing

Kind = Literal["number", "range", "compound", "qualitative", "deadline"]
Comparator = Literal[">=", "<=", ">", "<", "="]
Direction = Literal["positive", "negative", "equality", "qualitative"]


class QuantityError(ValueError):
    """A cell that is neither a usable number nor a qualitative value (e.g. `约16场`)."""


class Quantity(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    kind: Kind
    comparator: Comparator | None = None
    value: float | None = None        # base unit: 万/亿 applied, percent as a fraction
    high: float | None = None         # upper end of a range (`0.6-0.8`)
    unit: str = ""                    # base unit: 元, 人次, 场, %, 亩 … ("" when none is printed)
    magnitude: float = 1.0            # 1e4 for 万, 1e8 for 亿: how the text scaled the number
    decimals: int = 0                 # digits printed after the decimal point
    per: str | None = None            # `每亩300` → 亩, `5/10万` → 10万
    alternatives: tuple["Quantity", ...] = ()   # compound: either part suffices

    @property
    def direction(self) -> Direction:
        if self.kind in ("qualitative", "deadline"):
            return "qualitative"
        if self.kind == "compound":
            return self.alternatives[0].direction
        if self.comparator in (">=", ">"):
            return "positive"
        if self.comparator in ("<=", "<"):
            return "negative"
        return "equality"

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "range", "compound")

    def printed(self, value: float | None = None) -> str:
        """The number (default: this one's) as this quantity prints it, with its unit: `16场`, `98%`."""
        value = self.value if value is None else value
        if value is None:
            return self.text
        return printing.number(value, self.unit, self.magnitude, self.decimals)

    def __str__(self) -> str:
        return self.text


# --- vocabulary ---------------------------------------------------------------------------------

# Comparator words before the number, longest first (the regex alternation relies on that order).
PREFIX_COMPARATORS: dict[str, Comparator] = {
    "大于等于": ">=", "大于或等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=", "至少": ">=",
    "≥": ">=", ">=": ">=", "≧": ">=", "=>": ">=",
    "小于等于": "<=", "小于或等于": "<=", "不高于": "<=", "不超过": "<=", "不多于": "<=", "不大于": "<=",
    "最多": "<=", "≤": "<=", "<=": "<=", "≦": "<=", "=<": "<=",
    "大于": ">", "高于": ">", "超过": ">", "多于": ">", ">": ">",
    "小于": "<", "低于": "<", "少于": "<", "<": "<",
    "等于": "=", "==": "=", "═": "=", "=": "=",
}
# Comparator words after the number.
SUFFIX_COMPARATORS: dict[str, Comparator] = {
    "及以上": ">=", "以上": ">=", "或以上": ">=", "及以下": "<=", "以下": "<=", "或以下": "<=", "以内": "<=",
}
MAGNITUDES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7}
# Words that make a figure approximate: legal in prose, not in a data cell.
HEDGES = ("约", "大约", "左右", "近", "超", "余", "多", "上下", "估计", "预计", "大概")
# Measure words and units seen in indicator tables (base units; magnitudes are separate).
UNITS = (
    "人次", "批次", "场次", "万元", "亿元", "元", "户次", "件次", "架次", "车次", "艘次",
    "人", "名", "场", "次", "项", "个", "家", "条", "篇", "期", "批", "份", "本", "册", "套", "台",
    "辆", "所", "间", "处", "座", "种", "类", "项目", "天", "日", "小时", "分钟", "月", "年", "周",
    "亩", "公顷", "平方米", "平方公里", "公里", "千米", "米", "吨", "千克", "公斤", "立方米", "千瓦",
    "分", "课时", "学时", "门", "所", "支", "队", "单", "起", "宗", "笔", "张", "册",
)
# Units that name the same thing and may stand for each other (target 场次, actual 场).
UNIT_FAMILIES = (
    {"次", "场", "场次", "期"},
    {"人", "人次", "名"},
    {"个", "家", "项", "所", "处"},
    {"批", "批次"},
    {"天", "日"},
    {"公斤", "千克"},
    {"公里", "千米"},
)
CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
# Phrases that mean "reached" / "not reached" in a qualitative actual.
QUALITATIVE_POSITIVE = ("达成", "完成", "达到", "已", "是", "按期", "及时", "显著", "提升", "提高", "完善",
                        "改善", "正常", "良好", "优", "满意", "有效", "符合", "合格", "到位", "实现")
QUALITATIVE_NEGATIVE = ("未", "没有", "不够", "不足", "不到位", "不及时", "不达标", "不合格", "不满意",
                        "无法", "较差", "滞后", "延期", "逾期", "下降", "否")

_UNIT_ALTERNATION = "|".join(sorted(set(UNITS), key=len, reverse=True))
_PREFIX_ALTERNATION = "|".join(re.escape(w) for w in sorted(PREFIX_COMPARATORS, key=len, reverse=True))
_SUFFIX_ALTERNATION = "|".join(re.escape(w) for w in sorted(SUFFIX_COMPARATORS, key=len, reverse=True))

_NUMBER = r"(?P<num>-?\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_MAGNITUDE = r"(?P<mag>百万|千万|万|亿)?"
# A measure word not in UNITS (`4.5星`, `3株`): one or two CJK characters that are not a suffix comparator.
_OTHER_UNIT = r"(?!以|及|或|左右|余|多)[\u4e00-\u9fff]{1,2}"
_UNIT = rf"(?P<unit>%|‰|{_UNIT_ALTERNATION}|{_OTHER_UNIT})?"
_ONE_VALUE = re.compile(
    rf"^(?P<prefix>{_PREFIX_ALTERNATION})?(?P<label>[^\d零〇一二两三四五六七八九十百千]*?)"
    rf"{_NUMBER}{_MAGNITUDE}{_UNIT}(?P<per>/[\d.]*[万亿千]?[^\d]*)?(?P<suffix>{_SUFFIX_ALTERNATION})?$"
)
_PER_PREFIX = re.compile(rf"^每(?P<per>(?:百万|千万|万|亿|千|百)?(?:{_UNIT_ALTERNATION}))(?P<rest>.+)$")
_RANGE = re.compile(r"^(?P<low>[^-~～至到—]+?)\s*(?:-|~|～|至|到|—|－)\s*(?P<high>[^-~～至到—]+)$")
_DEADLINE = re.compile(r"^(?:(?P<year>\d{4})年度?)?(?:(?P<month>\d{1,2})月)?(?:(?P<day>\d{1,2})日)?(?:底|末)?(?:前|以前|之前|内|完成)$")
# A date as an actual (`2023年3月`, `2023年3月31日`): read as a deadline-kind value, not a number.
_DATE = re.compile(r"^\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末)?$")
# `或` that joins two alternatives, not the `或` of 或以上 / 大于或等于.
_ALTERNATIVE = re.compile(r"或(?!以上|以下|等于)")
_DEADLINE_WORDS = ("按期", "按时", "如期", "年底前", "年内", "年度内", "当年", "及时")


def normalize(text: str) -> str:
    """Full-width to ASCII, no spaces, no thousands separators (`1,747.90` → `1747.90`)."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", text)
    return text.replace("％", "%")


def unit_compatible(a: str, b: str) -> bool:
    """True when two base units may describe the same indicator (`场` and `场次`, or one missing)."""
    if not a or not b or a == b:
        return True
    return any(a in family and b in family for family in UNIT_FAMILIES)


def chinese_to_number(text: str) -> float:
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return float(text)
    try:
        return float(cn2an.cn2an(text.replace("〇", "零"), "smart"))
    except (ValueError, KeyError) as error:
        raise QuantityError(f"无法识别的中文数字“{text}”") from error


def _decimals(number_text: str) -> int:
    return len(number_text.split(".")[1]) if "." in number_text else 0


def _parse_single(text: str, original: str, comparator: Comparator | None = None) -> Quantity:
    per: str | None = None
    per_match = _PER_PREFIX.match(text)
    if per_match:
        per, text = per_match.group("per"), per_match.group("rest")
    match = _ONE_VALUE.match(text)
    if not match:
        raise QuantityError(f"无法解析的数值“{original}”")
    label = match.group("label") or ""
    if label and not re.fullmatch(r"[（(]?[^\d]{0,12}[)）]?", label):
        raise QuantityError(f"无法解析的数值“{original}”")
    if label and any(label.endswith(h) or label.startswith(h) for h in HEDGES):
        raise QuantityError(f"“{original}”是约数，请填写确切数值")
    prefix = match.group("prefix")
    suffix = match.group("suffix")
    comparator = PREFIX_COMPARATORS.get(prefix) if prefix else comparator
    if suffix:
        comparator = SUFFIX_COMPARATORS[suffix]
    number_text = match.group("num")
    value = chinese_to_number(number_text)
    magnitude = MAGNITUDES.get(match.group("mag") or "", 1.0)
    unit = match.group("unit") or ""
    decimals = _decimals(number_text)
    if unit == "万元":
        unit, magnitude = "元", magnitude * 1e4
    elif unit == "亿元":
        unit, magnitude = "元", magnitude * 1e8
    if unit == "%":
        value /= 100
    elif unit == "‰":
        value, unit = value / 1000, "%"
        decimals += 1                       # 30‰ prints back as 3.0%
    if match.group("per"):
        per = match.group("per").lstrip("/")
    scaled = float(Decimal(repr(value)) * Decimal(repr(magnitude)))   # 2.45亿 → exactly 245000000
    return Quantity(
        text=original, kind="number", comparator=comparator, value=scaled, unit=unit,
        magnitude=magnitude, decimals=decimals, per=per,
    )


def _has_hedge(text: str) -> bool:
    return bool(re.search(r"(约|大约|近|超|逾)\d|\d(?:[^\d]{0,3})?(左右|余|多|上下)", text))


def parse_quantity(text: object, default_unit: str = "") -> Quantity:
    """Parse one target or actual cell. Raises QuantityError for approximate or unreadable values.

    `default_unit` is used when the cell prints a number with no unit (a unit column elsewhere).
    """
    original = "" if text is None else str(text).strip()
    cleaned = normalize(original)
    if not cleaned:
        raise QuantityError("空值")
    if _has_hedge(cleaned):
        raise QuantityError(f"“{original}”是约数，请填写确切数值")

    if _ALTERNATIVE.search(cleaned) and re.search(r"\d", cleaned):
        parts = [p for p in _ALTERNATIVE.split(cleaned) if p]
        first = parse_quantity(parts[0], default_unit)
        alternatives = [first] + [
            _with_default_unit(_parse_single(p, p, first.comparator), default_unit) for p in parts[1:]
        ]
        return Quantity(
            text=original, kind="compound", comparator=first.comparator, value=first.value,
            unit=first.unit, magnitude=first.magnitude, decimals=first.decimals,
            alternatives=tuple(alternatives),
        )

    if _DEADLINE.match(cleaned) or _DATE.match(cleaned) or cleaned in _DEADLINE_WORDS:
        return Quantity(text=original, kind="deadline")

    # A rate per population: `5/10万`, `≤3/万人`.
    per_population = re.match(r"^(?P<head>.*?\d(?:\.\d+)?)/(?P<per>\d*(?:\.\d+)?[万亿千]?.*)$", cleaned)
    if per_population and not re.search(r"\d", per_population.group("per").lstrip("0123456789.万亿千")):
        single = _parse_single(per_population.group("head"), original)
        return single.model_copy(update={"per": per_population.group("per")})

    range_match = _RANGE.match(cleaned)
    if range_match and re.search(r"\d", range_match.group("low")) and re.search(r"\d", range_match.group("high")):
        high = _parse_single(range_match.group("high"), original)
        low_text = range_match.group("low")
        if not re.search(r"[^\d.]$", low_text) and high.unit:   # `60-80%`: the unit belongs to both
            low_text += {"%": "%"}.get(high.unit, high.unit if high.magnitude == 1 else "")
        low = _parse_single(low_text, original)
        if high.magnitude != 1 and low.magnitude == 1 and not re.search(r"[万亿]", low_text):
            low = low.model_copy(update={"value": (low.value or 0) * high.magnitude, "magnitude": high.magnitude})
        return Quantity(
            text=original, kind="range", comparator=None, value=low.value, high=high.value,
            unit=high.unit or low.unit, magnitude=high.magnitude, decimals=max(low.decimals, high.decimals),
        )

    if re.search(r"\d", cleaned) or re.search(rf"[{CHINESE_NUMERAL}]+(?:{_UNIT_ALTERNATION})$", cleaned):
        try:
            return _with_default_unit(_parse_single(cleaned, original), default_unit)
        except QuantityError:
            if re.search(r"\d", cleaned):
                raise
    return Quantity(text=original, kind="qualitative")


def _with_default_unit(quantity: Quantity, default_unit: str) -> Quantity:
    if quantity.unit or not default_unit:
        return quantity
    unit = "%" if default_unit in ("%", "％") else default_unit
    if unit == "%":
        return quantity.model_copy(update={"unit": "%", "value": (quantity.value or 0) / 100})
    if unit in ("万元", "亿元"):
        scale = 1e4 if unit == "万元" else 1e8
        return quantity.model_copy(update={"unit": "元", "value": (quantity.value or 0) * scale, "magnitude": scale})
    return quantity.model_copy(update={"unit": unit})


def parse_money(text: object, money_unit: str = "万元") -> float:
    """A money cell (`2122.43`, `4753.66万元`, `1,747.90`, `152.5万`) expressed in `money_unit`."""
    quantity = parse_quantity(text)
    if quantity.kind != "number" or quantity.value is None:
        raise QuantityError(f"“{text}”不是金额")
    if quantity.unit not in ("", "元"):
        raise QuantityError(f"“{text}”的单位“{quantity.unit}”不是金额单位")
    scale = MONEY_UNITS[money_unit]
    if quantity.unit == "元" or quantity.magnitude != 1:
        return quantity.value / scale
    return quantity.value          # a bare number is already in money_unit


MONEY_UNITS = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


def qualitative_reached(actual: str) -> bool | None:
    """Does a qualitative actual (`已完成`, `显著`, `未达到`) say the target was reached? None if unclear."""
    text = normalize(actual)
    if any(word in text for word in QUALITATIVE_NEGATIVE):
        return False
    if any(word in text for word in QUALITATIVE_POSITIVE):
        return True
    return None
