"""Find every figure mention in Chinese text.

A mention is a number as the text prints it, with what makes it a value: comparator (`≥12场`),
hedge (`超40篇`), magnitude (`2.6亿元`), unit or measure word (`人次`, `场`, `%`), or a Chinese
numeral with a measure word (`三项`, `十二场`, `百分之九十五`). Years and dates (`2023年`,
`2022年12月`) and document numbers (`穗南开管会纪〔2022〕9号`) are mentions of their own kinds.
What is not a figure is decided by `exclusions.EXCLUSIONS` only.

Values follow `assistant.quantities`: base unit, 万/亿 applied, percent as a fraction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..quantities import PREFIX_COMPARATORS, SUFFIX_COMPARATORS, UNITS, chinese_to_number
from .exclusions import find_exclusions
from .text import to_plain
from .words import cut

MentionKind = Literal["number", "year", "date", "docno", "grade", "out-of-scope"]

MAGNITUDE_WORDS = {"万": 1e4, "亿": 1e8, "千万": 1e7, "百万": 1e6}
MONEY_UNITS = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
# Measure words a Chinese numeral must be followed by to be read as a figure (`三项`, `十二场`).
# Time words (年, 月, 日, 天) are left out on purpose: `一年来`, `三月` are not counts.
CHINESE_MEASURE_WORDS = tuple(u for u in UNITS if u not in ("年", "月", "日", "周", "小时", "分钟", "天", "项目")) + ("倍",)
# Extra units of prose: multiples (`1.34倍`) and durations (`提前2个月`, never `2个` + 月).
EXTRA_UNITS = ("倍", "个月", "个工作日", "个小时", "件", "美元", "港元", "欧元", "组", "架", "头", "只", "株", "棵", "尾", "匹",
               "栋", "幢", "根", "块", "张", "部", "轮", "把", "艘", "枚", "盏", "户", "站", "TB", "GB", "MB", "kW", "kWh")
# Hedges: words that make a figure approximate. Each is read as a word (签约 holds no 约).
HEDGES_BEFORE = ("大约", "将近", "接近", "约", "近", "逾", "超", "不足", "不到")
HEDGES_AFTER = ("余", "多", "左右", "上下")
# Grades as reports state them (`评价等级为“优”`, `自评结果为良`, `评为优秀`): value 4 优 … 1 差.
GRADE_VALUES = {"优秀": 4.0, "优": 4.0, "良好": 3.0, "良": 3.0, "中等": 2.0, "中": 2.0, "较差": 1.0, "差": 1.0}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: MentionKind
    value: float | None = None      # base unit (元, fraction for %, the year for a year)
    unit: str = ""                  # base unit: 元, %, 场, 人次 … ("" when none printed)
    number: float | None = None     # the number as printed, before magnitude and percent
    decimals: int = 0
    magnitude: float = 1.0
    comparator: str | None = None
    hedged: bool = False
    chinese: bool = False           # written with Chinese numerals
    year: int | None = None         # years, dates, document numbers
    month: int | None = None
    day: int | None = None
    docno: str | None = None        # normalized document number `财预〔2020〕10号`
    docno_org: str | None = None
    serial: int | None = None       # the number of a document number
    reason: str | None = None       # why out of scope
    hedge: str | None = None        # the hedge word (约, 近, 余 …) when hedged
    per: str | None = None          # a rate's base (`0.2次/10万公顷` → 10万公顷)
    grade: str | None = None        # grades: 优 / 良 / 中 / 差

    @property
    def scale(self) -> float:
        """What one printed unit is worth in the base unit (0.01 for %, 0.001 for ‰, 1e4 for 万元)."""
        return 0.01 * self.magnitude if self.unit == "%" else self.magnitude


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CMP = _alternation(PREFIX_COMPARATORS)
_SUFFIX = _alternation(SUFFIX_COMPARATORS)
_UNIT = _alternation(["%", "‰", "万元", "亿元", "个百分点", "百分点", *UNITS, *EXTRA_UNITS])
_CN_UNIT = _alternation(CHINESE_MEASURE_WORDS)
_NUM = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
# A Chinese numeral starts where a run of numerals starts, and is at most CN_NUMERAL_CHARS long
# (`一千二百三十四万五千六百七十八` is 15): matching is linear, where an unbounded run tried at every
# position of a long run of numerals without a unit took quadratic time (56,000 numerals: minutes).
CN_NUMERAL_CHARS = 20
_CN_NUM = (f"(?<![零〇一二两三四五六七八九十百千万亿])[零〇一二两三四五六七八九十]"
           f"[零〇一二两三四五六七八九十百千万亿]{{0,{CN_NUMERAL_CHARS - 1}}}")
_CN_DIGITS = f"[零〇一二两三四五六七八九十百千]{{1,{CN_NUMERAL_CHARS}}}"

_DOCNO = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12})\s?[〔\[(【]\s?(?P<year>(?:19|20)\d{2})\s?[〕\])】]\s?第?(?P<num>\d{1,4})\s?号")
_DOCNO_LEAD = re.compile(r"^.*?(?:根据|按照|依据|依照|参照|印发|转发|执行|落实|的|及|和|与|见|由)")
_YEAR_RANGE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?=\s?[-—–~至到]\s?(?:19|20)\d{2}\s?年)")
_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s{0,2}年(?:\s{0,2}度)?"
    r"(?:\s{0,2}(?P<month>1[0-2]|0?[1-9])\s{0,2}月(?:\s{0,2}(?P<day>3[01]|[12]\d|0?[1-9])\s{0,2}[日号])?)?")
_MONTH_DAY = re.compile(r"(?<![\d.])(?P<month>1[0-2]|0?[1-9])\s{0,2}月(?:\s{0,2}(?P<day>3[01]|[12]\d|0?[1-9])\s{0,2}[日号])?")
_NUMBER = re.compile(
    rf"(?:(?P<cmp>{_CMP})[ \t]{{0,2}})?(?:(?P<hedge>{_alternation(HEDGES_BEFORE)})[ \t]{{0,2}})?(?P<num>{_NUM})"
    rf"(?:\s{{0,4}}(?P<mag>千万|百万|万|亿))?(?:\s{{0,4}}(?P<unit>{_UNIT}))?"
    rf"(?P<per>/\s{{0,2}}(?:\d+(?:\.\d+)?)?\s{{0,2}}(?:(?:千万|百万|万|亿)\s{{0,2}}(?:{_UNIT})?|(?:{_UNIT}))"
    rf"(?:\s{{0,2}}[*·×]\s{{0,2}}(?:{_UNIT}))*)?"
    rf"(?P<suffix>{_SUFFIX})?(?P<hedge2>(?:{_alternation(HEDGES_AFTER)})(?![\d零〇一二两三四五六七八九十]))?")
_CHINESE = re.compile(
    rf"(?:(?P<cmp>{_CMP}))?(?P<hedge>{_alternation(HEDGES_BEFORE)})?(?P<num>{_CN_NUM})(?P<unit>{_CN_UNIT}|万元|亿元|元)"
    rf"(?P<suffix>{_SUFFIX})?(?P<hedge2>(?:{_alternation(HEDGES_AFTER)})(?![\d零〇一二两三四五六七八九十]))?")
_CHINESE_PERCENT = re.compile(rf"百分之(?P<num>{_CN_DIGITS}(?:点[零〇一二三四五六七八九]{{1,{CN_NUMERAL_CHARS}}})?)")
_GRADE = re.compile(r"(?:等级|等次|档次|结果|评为|评定为|评价为|定为|定级为)\s*(?:为|是|：|:)?\s*[“\"「『]?"
                    r"(?P<grade>优秀|良好|中等|较差|优|良|中|差)(?=[”\"」』\s，。；、,.;)）]|$|级|等|档)")


# a quoted grade a sentence gives something (`管理机制健全性为“优”`): a qualitative indicator's value
_GRADE_QUOTED = re.compile(r"(?:为|是)\s*[“\"「『](?P<grade>优秀|良好|中等|较差|优|良|中|差)[”\"」』]")


class _Claims:
    """Which characters already belong to a mention or an exclusion."""

    def __init__(self, size: int):
        self.mask = bytearray(size)

    def overlaps(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) != -1

    def append(self, span: tuple[int, int]) -> None:
        start, end = span
        self.mask[start:end] = b"\x01" * (end - start)

    def first_claimed(self, start: int, end: int) -> int:
        k = self.mask.find(1, start, end)
        return end if k == -1 else k


def _overlaps(claims: "_Claims", start: int, end: int) -> bool:
    return claims.overlaps(start, end)


def normalize_docno(org: str, year: int, serial: int) -> str:
    return f"{org}〔{year}〕{serial}号"


def _units(unit: str, mag: str | None) -> tuple[str, float]:
    magnitude = MAGNITUDE_WORDS.get(mag or "", 1.0)
    if unit == "个百分点":
        unit = "百分点"
    if unit in MONEY_UNITS:
        return "元", magnitude * MONEY_UNITS[unit]
    return unit, magnitude


def _number_mention(text: str, match: re.Match, chinese: bool = False) -> Mention:
    raw = match.group("num")
    if chinese:
        number = chinese_to_number(raw)
        decimals = 0
    else:
        number = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
    unit_text = match.group("unit") or ""
    unit, magnitude = _units(unit_text, None if chinese else match.group("mag"))
    comparator = PREFIX_COMPARATORS.get(match.group("cmp") or "")
    if match.group("suffix"):
        comparator = SUFFIX_COMPARATORS[match.group("suffix")]
    if unit == "%":
        value = number / 100
    elif unit == "‰":
        value, unit, magnitude = number / 1000, "%", 0.1     # printed in ‰: one printed unit is 0.1%
    else:
        value = number * magnitude
    start, end = match.span()
    hedge = match.group("hedge") or match.group("hedge2")
    per = None
    if not chinese and match.group("per"):
        per = re.sub(r"\s+", "", match.group("per"))[1:]
    return Mention(start=start, end=end, text=text[start:end], kind="number", value=value, unit=unit,
                   number=number, decimals=decimals, magnitude=magnitude, comparator=comparator,
                   hedged=bool(hedge), chinese=chinese, hedge=hedge, per=per)


def extract(text: str) -> list[Mention]:
    """Every figure mention in `text`, in order, with spans into `text`."""
    return list(_extract(text))


def _exclusions_and_docnos(text: str, plain: str, taken: "_Claims", mentions: list[Mention]) -> None:
    """The first two claims on the text: the exclusion list's spans, then document numbers."""
    for start, end, exclusion in find_exclusions(plain):
        taken.append((start, end))
        if exclusion.status == "out-of-scope":
            mentions.append(Mention(start=start, end=end, text=text[start:end], kind="out-of-scope",
                                    reason=exclusion.why))

    for match in _DOCNO.finditer(plain):
        org = _DOCNO_LEAD.sub("", match.group("org")) or match.group("org")
        start = match.end("org") - len(org)
        end = match.end()
        if _overlaps(taken, start, end):
            continue
        year, serial = int(match.group("year")), int(match.group("num"))
        taken.append((start, end))
        mentions.append(Mention(start=start, end=end, text=text[start:end], kind="docno",
                                docno=normalize_docno(org, year, serial), docno_org=org, year=year,
                                serial=serial, value=float(serial)))


def docnos(text: str) -> list[Mention]:
    """The document-number mentions of `text` only, as `extract` finds them (exclusions first), without
    reading its other figures: what the corpus needs of each file."""
    plain = to_plain(text)
    mentions: list[Mention] = []
    _exclusions_and_docnos(text, plain, _Claims(len(plain)), mentions)
    return [m for m in mentions if m.kind == "docno"]


def _extract(text: str) -> tuple[Mention, ...]:
    plain = to_plain(text)
    mentions: list[Mention] = []
    taken = _Claims(len(plain))
    _exclusions_and_docnos(text, plain, taken, mentions)

    for pattern in (_YEAR_RANGE, _DATE):
        for match in pattern.finditer(plain):
            start, end = match.span()
            if _overlaps(taken, start, end):
                continue
            taken.append((start, end))
            year = int(match.group("year"))
            month = match.groupdict().get("month")
            day = match.groupdict().get("day")
            mentions.append(Mention(start=start, end=end, text=text[start:end],
                                    kind="date" if month else "year", value=float(year), unit="年",
                                    number=float(year), year=year, month=int(month) if month else None,
                                    day=int(day) if day else None))

    for match in _MONTH_DAY.finditer(plain):
        start, end = match.span()
        if _overlaps(taken, start, end):
            continue
        taken.append((start, end))
        mentions.append(Mention(start=start, end=end, text=text[start:end], kind="date",
                                month=int(match.group("month")),
                                day=int(match.group("day")) if match.group("day") else None))

    for match in _CHINESE_PERCENT.finditer(plain):
        start, end = match.span()
        if _overlaps(taken, start, end):
            continue
        raw = match.group("num")
        whole, _, frac = raw.partition("点")
        try:
            number = chinese_to_number(whole) + (float("0." + "".join(str(int(chinese_to_number(c))) for c in frac))
                                                if frac else 0.0)
        except ValueError:
            continue            # 百分之 and numerals that make no number (`百分之一二三四`)
        taken.append((start, end))
        mentions.append(Mention(start=start, end=end, text=text[start:end], kind="number", value=number / 100,
                                unit="%", number=number, decimals=len(frac), chinese=True))

    for match in _NUMBER.finditer(plain):
        start, end = match.span()
        num_start, num_end = match.span("num")
        if _overlaps(taken, num_start, num_end):
            continue
        # A comparator or unit swallowed from an excluded span is given back.
        if _overlaps(taken, start, num_start):
            start = num_start
        mention = _number_mention(text, match)
        end = _trim_end(taken, num_end, end)
        if end != match.end():
            mention = _number_mention(text, _ReMatch(match, end))
        if start != match.start():
            mention = Mention(**{**mention.__dict__, "start": start, "text": text[start:mention.end],
                                 "comparator": None})
        if match.group("hedge") and not _starts_word(plain, match.start("hedge"), num_start):
            # 签约20家: the 约 belongs to 签约, the figure is 20家, not hedged
            mention = Mention(**{**mention.__dict__, "start": num_start if not match.group("cmp") else mention.start,
                                 "text": text[num_start:mention.end] if not match.group("cmp") else mention.text,
                                 "hedged": bool(match.group("hedge2")), "hedge": match.group("hedge2")})
        taken.append((mention.start, mention.end))
        mentions.append(mention)

    for match in _CHINESE.finditer(plain):
        start, end = match.span()
        if _overlaps(taken, start, end):
            continue
        if not _ends_word(plain, start, end):
            continue            # 每一分钱: the 一分 is inside the word 一分钱
        try:
            mention = _number_mention(text, match, chinese=True)
        except ValueError:
            continue
        taken.append((start, end))
        mentions.append(mention)

    for match in [*_GRADE.finditer(plain), *_GRADE_QUOTED.finditer(plain)]:
        start, end = match.span("grade")
        if _overlaps(taken, start, end):
            continue
        grade = match.group("grade")
        taken.append((start, end))
        mentions.append(Mention(start=start, end=end, text=text[start:end], kind="grade", value=GRADE_VALUES[grade],
                                grade=grade[:1] if grade not in ("较差",) else "差"))

    return tuple(sorted(mentions, key=lambda m: m.start))


def _starts_word(plain: str, start: int, end: int) -> bool:
    """Does a word start at `start` and run no further than `end` (the hedge 约 in 约20, not in 签约20)?"""
    window_start = max(0, start - 3)
    offset = window_start
    for word in cut(plain[window_start:end]):
        if offset == start:
            return True
        if offset > start:
            return False
        offset += len(word)
    return False


def _ends_word(plain: str, start: int, end: int) -> bool:
    """Does a word end at `end` (三项指标: yes; 每一分钱: no)?"""
    window_start = max(0, start - 2)
    offset = window_start
    for word in cut(plain[window_start:min(len(plain), end + 3)]):
        offset += len(word)
        if offset == end:
            return True
        if offset > end:
            return False
    return True


def _trim_end(taken: _Claims, num_end: int, end: int) -> int:
    """Don't let a unit or suffix reach into an excluded span."""
    return taken.first_claimed(num_end, end)


class _ReMatch:
    """A regex match cut short at `end`: the groups past it are dropped."""

    def __init__(self, match: re.Match, end: int):
        self._match, self._end = match, end

    def group(self, name: str):
        start, end = self._match.span(name)
        if start < 0 or end > self._end:
            return None
        return self._match.group(name)

    def span(self, name: str | None = None):
        if name is None:
            return self._match.start(), self._end
        return self._match.span(name)


@lru_cache(maxsize=4096)
def extract_cached(text: str) -> tuple[Mention, ...]:
    return _extract(text)
