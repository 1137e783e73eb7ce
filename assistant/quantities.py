"""Quantities as officers write them: `≥12场`, `2.6亿元`, `十二场`, `≥60批次或200人次`, `得到提升`.

`parse_quantity(text)` turns one target or actual cell into a `Quantity` that keeps the original
text beside the parsed value. Values are stored in the base unit: magnitude words are applied
(`2.6亿元` → 260000000 元, `1.2万亩` → 12000 亩) and percentages are fractions (`98%` → 0.98).
`magnitude` and `decimals` remember how the text printed it, so a value can be printed back the
same way.

Beyond the plain forms, officers' real tables write comparators as words before or after the
number (`需控制在1‰以内`, `需达到80%以上`, `15%及其以下`, `至少2次`), lead-in phrases (`完成时间为
2022年12月30日`, `全年完成3场`), free units (`80TB`, `万美元`, `次/10万公顷`, `元/人*月`), and progress
statements where a value belongs (`已完成100%`: kind `progress`, never read as the indicator's own
value). A deadline keeps its date (`date`), so it can be compared with an actual date. What still
cannot be read raises `QuantityError` (`ApproximateError` for `约16场`): the loader turns it into a
review item, never an exception for the whole file.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import limits, printing

Kind = Literal["number", "range", "compound", "qualitative", "deadline", "progress", "unreadable"]
Comparator = Literal[">=", "<=", ">", "<", "="]
Direction = Literal["positive", "negative", "equality", "qualitative"]


class QuantityError(ValueError):
    """A cell that is neither a usable number nor a qualitative value (e.g. `M.8万元`)."""


class ApproximateError(QuantityError):
    """An approximate figure (`约16场`, `超40篇`): legal in prose, not in a data cell."""


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
    date: tuple[int | None, int | None, int | None] | None = None   # deadline/date: (year, month, day)
    approximate: bool = False         # `约12000平方米`: read at its printed value, and printed back with 约

    @classmethod
    def unreadable(cls, text: object) -> "Quantity":
        """A cell that could not be read, kept as printed (its indicator is under review)."""
        return cls(text="" if text is None else str(text).strip(), kind="unreadable")

    @property
    def direction(self) -> Direction:
        if self.kind in ("qualitative", "deadline", "progress", "unreadable"):
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
        own = value is None
        value = self.value if value is None else value
        if value is None:
            return self.text
        return ("约" if own and self.approximate else "") + printing.number(value, self.unit, self.magnitude,
                                                                          self.decimals)

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
    "及以上": ">=", "及其以上": ">=", "以上": ">=", "或以上": ">=",
    "及以下": "<=", "及其以下": "<=", "以下": "<=", "或以下": "<=", "以内": "<=",
}
# Lead-in phrases a cell may open with before its number or date (`需控制在6.5次/10万公顷`, `完成时间为
# 2022年12月30日`, `全年完成3场`), longest first; some carry a comparator. Not comparators of prose.
LEAD_INS: dict[str, Comparator | None] = {
    "需控制在": "<=", "应控制在": "<=", "控制在": "<=",
    "需达到": None, "应达到": None, "达到": None, "需": None,
    "完成时间为": None, "完成时间": None, "完成时限为": None, "时间为": None,
    "全年完成": None, "全年累计": None, "全年": None, "累计完成": None, "累计": None, "当年": None, "本年": None,
    "已完成": None, "完成": None, "实现": None, "共计": None, "合计": None, "共": None,
}
MAGNITUDES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7}
# Words that make a figure approximate. A symmetric one (`约12000平方米`, `16场左右`) is read at its printed
# value, flagged `approximate`; a one-sided one (`超40篇`, `近400人次`, `100余家`) is no value at all.
HEDGES = ("约", "大约", "左右", "近", "超", "余", "多", "上下", "估计", "预计", "大概")
SYMMETRIC_HEDGES = ("大约", "大概", "约")
SYMMETRIC_HEDGES_AFTER = ("左右", "上下")
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
                        "无法", "较差", "滞后", "延期", "逾期", "下降", "否",
                        # still under way: the target is not reached yet (`建设中` against `1个`)
                        "建设中", "进行中", "实施中", "推进中", "办理中", "筹备中", "施工中", "招标中", "在建")

# Units a cell may print that the figure checker reads differently: `个` before a time unit is a
# measure word (`10个工作日` is 10 工作日, `3个月` 3 月).
CELL_UNITS = ("个工作日", "工作日", "个月", "个小时", "个季度", "季度")
# A suffix only a cell uses as a comparator: `3个月内`, `10个工作日内`.
CELL_SUFFIXES: dict[str, Comparator] = {"内": "<="}
_UNIT_ALTERNATION = "|".join(sorted(set(UNITS) | set(CELL_UNITS), key=len, reverse=True))
_PREFIX_ALTERNATION = "|".join(re.escape(w) for w in sorted(PREFIX_COMPARATORS, key=len, reverse=True))
_SUFFIX_WORDS = {**SUFFIX_COMPARATORS, **CELL_SUFFIXES}
_SUFFIX_ALTERNATION = "|".join(re.escape(w) for w in sorted(_SUFFIX_WORDS, key=len, reverse=True))

_NUMBER = r"(?P<num>-?\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_MAGNITUDE = r"(?P<mag>百万|千万|万|亿)?"
# A measure word not in UNITS (`4.5星`, `3株`): one or two CJK characters that are not a suffix comparator.
_OTHER_UNIT = r"(?!以|及|或|左右|余|多)[\u4e00-\u9fff]{1,2}"
# A unit in Latin letters (`80TB`, `11kw`, `5GB`).
_LATIN_UNIT = r"[A-Za-z]{1,5}"
_UNIT = rf"(?P<unit>%|‰|{_UNIT_ALTERNATION}|{_OTHER_UNIT}|{_LATIN_UNIT})?"
_ONE_VALUE = re.compile(
    rf"^(?P<prefix>{_PREFIX_ALTERNATION})?(?P<label>[^\d零〇一二两三四五六七八九十百千]*?)"
    rf"{_NUMBER}{_MAGNITUDE}{_UNIT}(?P<per>/[\d.]*[万亿千]?[^\d]*)?(?P<suffix>{_SUFFIX_ALTERNATION})?$"
)
_PER_PREFIX = re.compile(rf"^每(?P<per>(?:百万|千万|万|亿|千|百)?(?:{_UNIT_ALTERNATION}))(?P<rest>.+)$")
_AVERAGE_PREFIX = re.compile(r"^(?P<per>人|户|亩|次|件|台|套)均(?P<rest>\d.*)$")      # `人均300元`: per 人
_RANGE = re.compile(r"^(?P<low>[^-~～至到—]+?)\s*(?:-|~|～|至|到|—|－)\s*(?P<high>[^-~～至到—]+)$")
_DEADLINE = re.compile(r"^(?:(?P<year>\d{4})年度?)?(?:(?P<month>\d{1,2})月)?(?:(?P<day>\d{1,2})[日号])?"
                       r"(?:(?:底|末)?(?:前|以前|之前|内)?(?:完成)?)$")
# `2023.12.31前`, `2023-12-31之前`: a dotted date is a date only with its 前 (`2023.12` alone is a number).
_DOTTED_DEADLINE = re.compile(r"^(?P<year>\d{4})(?P<sep>[.\-/])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?"
                              r"(?:前|以前|之前)$")
# A date as an actual (`2023年3月`, `2023年3月31日`): read as a deadline-kind value, not a number.
_DATE = re.compile(r"^(?P<year>\d{4})年(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?)?(?:底|末)?$")
_ISO_DATE = re.compile(r"^(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})$")
# A progress statement (`已完成100%`, `完成进度100%`): the share of the plan done, not a value of the indicator.
_PROGRESS = re.compile(r"^(?:已经?|全部)?完成(?:了|进度|进度为)?(?P<num>\d+(?:\.\d+)?)%$|^(?:完成)?进度(?:为)?(?P<num2>\d+(?:\.\d+)?)%$")
# `或` that joins two alternatives, not the `或` of 或以上 / 大于或等于.
_ALTERNATIVE = re.compile(r"或(?!以上|以下|等于)")
_DEADLINE_WORDS = ("按期", "按时", "如期", "按期完成", "按时完成", "如期完成", "年底前", "年内", "年度内", "当年",
                   "及时")
_YEAR_END_WORDS = ("年底前", "年内", "年度内", "当年")


def normalize(text: str) -> str:
    """Full-width to ASCII, no spaces, no thousands separators (`1,747.90` → `1747.90`), no `（含）`."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\(含(?:本数)?\)", "", text)            # `≥98%（含）`: the bound itself included, as ≥ says
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
        import cn2an  # heavy: cn2an (~120 ms) loads only when a Chinese numeral is read
        return float(cn2an.cn2an(text.replace("〇", "零"), "smart"))
    except (ValueError, KeyError) as error:
        raise QuantityError(f"无法识别的中文数字“{text}”") from error


def _decimals(number_text: str) -> int:
    return len(number_text.split(".")[1]) if "." in number_text else 0


def _parse_single(text: str, original: str, comparator: Comparator | None = None) -> Quantity:
    per: str | None = None
    per_match = _PER_PREFIX.match(text) or _AVERAGE_PREFIX.match(text)
    if per_match:
        per, text = per_match.group("per"), per_match.group("rest")
    match = _ONE_VALUE.match(text)
    if not match:
        raise QuantityError(f"无法解析的数值“{original}”")
    label = match.group("label") or ""
    if label and any(label.endswith(h) or label.startswith(h) for h in HEDGES):
        raise ApproximateError(f"“{original}”是约数，请填写确切数值")
    if label:           # words before the number that are no comparator or lead-in (`M.8万元`, `人次≥1500`)
        raise QuantityError(f"无法解析的数值“{original}”")
    prefix = match.group("prefix")
    suffix = match.group("suffix")
    comparator = PREFIX_COMPARATORS.get(prefix) if prefix else comparator
    if suffix:
        comparator = _SUFFIX_WORDS[suffix]
    number_text = match.group("num")
    value = chinese_to_number(number_text)
    magnitude = MAGNITUDES.get(match.group("mag") or "", 1.0)
    unit = match.group("unit") or ""
    if unit in CELL_UNITS:
        unit = unit.removeprefix("个")
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


def _symmetric(text: str) -> str | None:
    """`约12000平方米` / `16场左右` → the figure without its hedge; None for any other (or a one-sided) hedge."""
    for word in SYMMETRIC_HEDGES:
        if text.startswith(word) and not _has_hedge(text[len(word):]):
            return text[len(word):]
    for word in SYMMETRIC_HEDGES_AFTER:
        if text.endswith(word) and not _has_hedge(text[: -len(word)]):
            return text[: -len(word)]
    return None


# A cell that ends in a Chinese numeral and a unit (`十二场`): one numeral before the unit says as much as a
# run of them, and keeps the search linear (a run of N numerals and no unit would be tried N² times).
_ENDS_IN_CHINESE_COUNT = re.compile(rf"[{CHINESE_NUMERAL}](?:{_UNIT_ALTERNATION})$")
# Latin letters and signs only, no digit and no Chinese (`nan`, `inf`, `abc`, `N/A`): neither a figure nor a statement.
_LETTERS_ONLY = re.compile(r"[A-Za-z][A-Za-z./\-+_ ]*")
# Digits only (with a sign and a decimal point): read by `float` in linear time, whatever their length.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_PREFIX_AT_START = re.compile(rf"^(?:{_PREFIX_ALTERNATION})")
_LEAD_IN_WORDS = sorted(LEAD_INS, key=len, reverse=True)


def _strip_lead_in(text: str) -> tuple[str, Comparator | None]:
    """`需控制在6.5次` → (`6.5次`, `<=`); `至少全年完成2次` → (`至少2次`, None). Only before a number or date."""
    head_match = _PREFIX_AT_START.match(text)
    head = head_match.group(0) if head_match else ""
    rest = text[len(head):]
    for word in _LEAD_IN_WORDS:
        if rest.startswith(word):
            after = rest[len(word):]
            if re.match(rf"(?:{_PREFIX_ALTERNATION})?(?:\d|[{CHINESE_NUMERAL}]+(?:{_UNIT_ALTERNATION}))", after):
                return head + after, LEAD_INS[word]
    return text, None


def _date_of(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of a deadline or date cell; None for `按期`, `及时`."""
    if text in _YEAR_END_WORDS:
        return None, 12, 31
    for pattern in (_DEADLINE, _DATE, _ISO_DATE, _DOTTED_DEADLINE):
        match = pattern.match(text)
        if match and pattern is _DEADLINE and not match.group("year") and not re.search(r"(底|末|前|内|完成)$", text):
            continue                        # `3月` without a year or a 前/底 is three months, not March
        if match:
            parts = tuple(int(match.group(k)) if match.group(k) else None for k in ("year", "month", "day"))
            if not _real_date(*parts):
                raise QuantityError(f"“{text}”不是有效的日期")
            return parts if any(p is not None for p in parts) else None
    return None


def _real_date(year: int | None, month: int | None, day: int | None) -> bool:
    """Does a calendar hold this (partial) date? `2023年13月45日` is no date; `2月30日` is none in any year."""
    if month is not None and not 1 <= month <= 12:
        return False
    if day is None:
        return True
    last = calendar.monthrange(year or 2000, month)[1] if month is not None else 31
    return 1 <= day <= last


def is_date(text: str) -> bool:
    """Does a cell state a date or a deadline (`2023年10月`, `2023年12月前`, `按期`)?"""
    cleaned = normalize(text)
    try:
        return bool(_date_of(cleaned)) or cleaned in _DEADLINE_WORDS
    except QuantityError:
        return False


def parse_quantity(text: object, default_unit: str = "") -> Quantity:
    """Parse one target or actual cell. Raises QuantityError for approximate or unreadable values.

    `default_unit` is used when the cell prints a number with no unit (a unit column elsewhere).
    """
    original = "" if text is None else str(text).strip()
    cap = limits.DATA_FILES.quantity_chars
    if len(original) > cap and not _PLAIN_NUMBER.fullmatch(original):
        raise QuantityError(f"内容过长（{len(original)}字，超过数值单元格的{cap}字上限），无法识别为数值")
    cleaned = normalize(original)
    if not cleaned:
        raise QuantityError("空值")
    if _LETTERS_ONLY.fullmatch(cleaned):
        raise QuantityError(f"“{original}”既不是数值，也不是文字表述")
    if _has_hedge(cleaned):
        inner = _symmetric(cleaned)
        if inner is None:
            raise ApproximateError(f"“{original}”是约数，请填写确切数值")
        quantity = parse_quantity(inner, default_unit)
        if not quantity.is_numeric:
            raise ApproximateError(f"“{original}”是约数，请填写确切数值")
        return quantity.model_copy(update={"text": original, "approximate": True})
    progress = _PROGRESS.match(cleaned)
    if progress:
        number_text = progress.group("num") or progress.group("num2")
        return Quantity(text=original, kind="progress", value=float(number_text) / 100, unit="%",
                        decimals=_decimals(number_text))
    cleaned, lead = _strip_lead_in(cleaned)

    if _ALTERNATIVE.search(cleaned) and re.search(r"\d", cleaned):
        parts = [p for p in _ALTERNATIVE.split(cleaned) if p]
        first = parse_quantity(parts[0], default_unit)
        if lead and first.comparator is None:
            first = first.model_copy(update={"comparator": lead})
        alternatives = [first] + [
            _with_default_unit(_parse_single(p, p, first.comparator), default_unit) for p in parts[1:]
        ]
        return Quantity(
            text=original, kind="compound", comparator=first.comparator, value=first.value,
            unit=first.unit, magnitude=first.magnitude, decimals=first.decimals,
            alternatives=tuple(alternatives),
        )

    date = _date_of(cleaned)
    if date is not None or cleaned in _DEADLINE_WORDS:
        return Quantity(text=original, kind="deadline", date=date)

    # A rate per population: `5/10万`, `≤3/万人`.
    per_population = re.match(r"^(?P<head>.*?\d(?:\.\d+)?)/(?P<per>\d*(?:\.\d+)?[万亿千]?.*)$", cleaned)
    if per_population and not re.search(r"\d", per_population.group("per").lstrip("0123456789.万亿千")):
        single = _parse_single(per_population.group("head"), original, lead)
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

    if re.search(r"\d", cleaned) or _ENDS_IN_CHINESE_COUNT.search(cleaned):
        try:
            return _with_default_unit(_parse_single(cleaned, original, lead), default_unit)
        except QuantityError:
            if re.search(r"\d", cleaned):
                raise
    return Quantity(text=original, kind="qualitative")


# A unit column's words for a percent, and a gloss after the unit (`%(百分比)`): what is left is the unit.
UNIT_WORDS = {"百分比": "%", "百分率": "%", "百分数": "%", "千分比": "‰", "千分率": "‰"}


def clean_unit(unit: object) -> str:
    """A unit as a unit column prints it → the unit: `%(百分比)` → `%`, `百分比` → `%`, ` 人次 ` → `人次`."""
    text = normalize("" if unit is None else str(unit))
    glossed = re.fullmatch(r"(?P<unit>[^()]+?)\((?P<gloss>[^()]*)\)", text)
    if glossed:
        text = glossed.group("unit")
    return UNIT_WORDS.get(text, text)


def _with_default_unit(quantity: Quantity, default_unit: str) -> Quantity:
    """A bare number read in a unit printed elsewhere (a unit column, a header hint, the indicator's name):
    `95` in `%` → 95%, `152.5` in `万元` → 1525000 元, `20000` in `万美元` → 200000000 美元."""
    unit = clean_unit(default_unit)
    if quantity.unit or not unit:
        return quantity
    try:
        scale = _parse_single("1" + unit, "1" + unit)
    except QuantityError:
        return quantity.model_copy(update={"unit": unit})
    if scale.per and not quantity.per:
        quantity = quantity.model_copy(update={"per": scale.per})
    value = None if quantity.value is None else float(Decimal(repr(quantity.value)) * Decimal(repr(scale.value)))
    high = None if quantity.high is None else float(Decimal(repr(quantity.high)) * Decimal(repr(scale.value)))
    return quantity.model_copy(update={
        "unit": scale.unit, "value": value, "high": high, "magnitude": scale.magnitude * quantity.magnitude,
        "decimals": quantity.decimals + scale.decimals + (1 if unit == "‰" else 0)})


def parse_money(text: object, money_unit: str = "万元") -> float:
    """A money cell (`2122.43`, `4753.66万元`, `1,747.90`, `152.5万`) expressed in `money_unit`."""
    quantity = parse_quantity(text)
    if quantity.kind != "number" or quantity.value is None or quantity.approximate:
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


# --- what an indicator's name says about its target ------------------------------------------------

# Units a name may carry in brackets without a comparator (`服务外包在岸(万美元)`, `租车次数(次)`):
# the table's units, money, and units in Latin letters; anything else in brackets (`(水稻)`) is no unit.
CURRENCIES = ("美元", "港元", "港币", "欧元", "日元", "英镑", "澳门元")
# Measure words common in indicator names besides UNITS (which the figure checker also reads).
NAME_UNITS = ("户", "头", "只", "羽", "组", "粒", "株", "棵", "倍", "架", "艘", "部", "块", "栋", "层", "床", "盏", "吨公里")
_NAME_BRACKETS = re.compile(r"\(([^()]*)\)")
_NAME_PLACEHOLDER = re.compile(rf"(?P<cmp>{_PREFIX_ALTERNATION})\*+(?P<unit>[^()\d]*)$")   # `…数≥**人`


class NameTemplate(BaseModel):
    """A comparator and unit an indicator's name carries: `公猪舍(≥**平方米)` → (`>=`, `平方米`)."""
    comparator: Comparator | None = None
    unit: str = ""


def _name_unit(text: str, lenient: bool) -> str:
    if not text or re.search(r"\d", text):
        return ""
    try:
        scale = _parse_single("1" + text, "1" + text)
    except QuantityError:
        return ""
    if not scale.unit:
        return ""
    known = scale.unit in UNITS or scale.unit in NAME_UNITS or scale.unit in ("%", "元") or scale.unit in CURRENCIES \
        or re.fullmatch(r"[A-Za-z]+", scale.unit)
    return text if (known or lenient) else ""


def name_template(name: object) -> NameTemplate:
    """The comparator and unit printed in an indicator's name, for a target cell that has neither.

    Forms leave template text in the name: `(≥**平方米)`, `(≥台)`, `受益人口数≥**人`, or just the unit,
    `(万美元)`, `(次)`. A comparator in brackets makes whatever follows it the unit; a bracket with a
    unit only counts when it is a known unit.
    """
    text = normalize("" if name is None else str(name))
    candidates = [(m, True) for m in reversed(_NAME_BRACKETS.findall(text))]
    placeholder = _NAME_PLACEHOLDER.search(text)
    if placeholder:
        candidates.insert(0, (placeholder.group(0), True))
    for content, _ in candidates:
        match = re.fullmatch(rf"(?P<cmp>{_PREFIX_ALTERNATION})?\**(?P<unit>.*)", content)
        comparator = PREFIX_COMPARATORS.get(match.group("cmp")) if match.group("cmp") else None
        unit = _name_unit(match.group("unit"), lenient=comparator is not None)
        if comparator is not None or unit:
            return NameTemplate(comparator=comparator, unit=unit)
    return NameTemplate()
