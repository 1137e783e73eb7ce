"""What every input format shares: the field and column vocabulary, and the cells a reader found.

A format reader (YAML/JSON, XLSX, CSV + profile, 申报表, the standard 自评表) only finds cells and
says where each came from; it fills a `RawEvaluation` of `(raw value, Provenance)` pairs keyed by
canonical field names. `validate.assemble()` then decides, once, what every cell means. A reader
that finds a cell it cannot even read (an Excel formula never calculated) passes a `CellProblem`
as the value, which becomes a review item on that cell; only a file that is not what it claims to
be is refused (`RawEvaluation.errors`).
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, wraps
from pathlib import Path

from .. import limits
from ..documents import decoded_bytes
from ..errors import DataError, DataErrors
from ..evaluation import Provenance
from ..quantities import MONEY_UNITS, QuantityError, parse_quantity
from ..vocabulary import plain_label

Cell = tuple[object, Provenance]      # a raw value and where it was read


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need besides the file."""
    profile: str | Path | None = None     # a CSV table's YAML profile (default: the .yaml beside it)
    year: int | None = None               # a 申报表 that prints no year

# --- vocabulary ---------------------------------------------------------------------------------

# Indicator table columns: canonical field → headers as printed (Chinese first, English aliases).
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标", "level1"),
    "level2": ("二级指标", "level2"),
    "name": ("三级指标", "三级指标名称", "指标名称", "绩效指标名称", "name", "indicator"),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年初目标值", "target"),
    "actual": ("实际完成值", "实际值", "全年实际完成值", "全年实际值", "全年完成值", "实际完成情况", "完成值", "actual"),
    "weight": ("分值", "权重", "指标分值", "weight"),
    "score": ("得分", "自评得分", "指标得分", "score", "stated_score"),
    "stated_completion": ("完成率", "指标完成率", "stated_completion", "completion"),
    "reason": ("偏差原因", "偏差原因分析", "未完成原因", "偏差原因及改进措施", "偏差原因分析及改进措施",
               "未完成原因和改进措施", "未完成原因及改进措施", "未完成原因分析", "未完成原因及拟采取的改进措施",
               "产生差异的原因及改进措施", "reason"),
    "task": ("关联任务", "对应任务", "所属任务", "重点任务", "task"),
    "unit": ("单位", "计量单位", "指标单位", "度量单位", "unit"),
    "period_target": ("实施周期指标值", "period_target"),
    # a form's 指标方向 / 指标性质 cells hold a direction (正向, 反向) or the target's comparator (≥, 大于等于, ﹦)
    "direction": ("方向", "指标方向", "direction"),
    "nature": ("指标性质", "指标属性", "符号", "nature"),
}

# Profile fields (`基本信息` rows, YAML/JSON top-level keys).
PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "unit_name": ("单位名称", "部门名称", "单位", "unit_name", "unit"),
    "year": ("年度", "评价年度", "year"),
    "report_type": ("报告类型", "评价类型", "report_type"),
    "project": ("项目名称", "project"),
    "budget": ("预算安排", "年初预算", "预算数", "预算金额", "budget", "budgeted"),
    "adjusted_budget": ("调整后预算", "全年预算数", "adjusted_budget", "adjusted"),
    "spent": ("实际支出", "全年实际支出", "执行数", "spent"),
    "money_unit": ("金额单位", "money_unit"),
    "stated_execution_rate": ("预算执行率", "年度执行率", "stated_execution_rate", "execution_rate"),
    "stated_total": ("自评得分", "总得分", "总分", "stated_total", "total"),
    "stated_grade": ("评价等级", "自评等级", "自评结果", "stated_grade", "grade"),
    "stated_budget_weight": ("预算执行率分值", "预算执行分值", "stated_budget_weight"),
    "stated_budget_score": ("预算执行率得分", "预算执行得分", "stated_budget_score"),
    "title": ("标题", "表名", "title"),
    "functions": ("部门职能", "项目概况", "functions"),
    "overall_goal": ("总体绩效目标", "绩效目标", "overall_goal"),
    "policy_basis": ("政策依据", "policy_basis"),
    "tasks": ("重点任务", "年度重点工作任务", "tasks"),
    "by_source": ("资金来源", "by_source"),
    "by_item": ("资金用途", "资金分配", "资金明细", "by_item"),
    "indicators": ("绩效指标", "indicators"),
}

TASK_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "任务名称", "重点任务", "name"),
    "content": ("主要内容", "主要实施内容", "实施内容", "content"),
    "funds": ("资金", "拟投入的资金", "拟投入资金", "投入资金", "资金安排", "funds"),
    "goal": ("目标", "期望达到的目标", "预期目标", "goal"),
}

BLANK_MARKS = ("", "—", "-", "－", "/", "／", "——", "--")
GRADES = ("优", "良", "中", "差")
_UNIT_HINTS = ("%", "‰", "万元", "亿元", "元")


_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})      # format characters (bidi, zero-width, BOM) and controls


def invisible(text: str) -> list[str]:
    """The characters of `text` never printed as they are (bidi controls, zero-width characters, a BOM,
    control characters), except tab and newline."""
    if text.isprintable():
        return []
    return [ch for ch in text if ch not in "\t\n" and unicodedata.category(ch) in _INVISIBLE_CATEGORIES]


def visible(text: str) -> str:
    """`text` without its invisible characters (`invisible`)."""
    hidden = set(invisible(text))
    return "".join(ch for ch in text if ch not in hidden) if hidden else text


def clean(text: object) -> str:
    """NFKC, no whitespace, no invisible characters: the form in which headers and field labels are compared."""
    return re.sub(r"\s+", "", visible(unicodedata.normalize("NFKC", "" if text is None else str(text))))


def split_header(header: object) -> tuple[str, str]:
    """`年度指标值（%）` → (`年度指标值`, `%`); `完成率(%)` → (`完成率`, `%`); the hint is any parenthesised text.
    Traditional characters and converter pinyin read as simplified (`年度指標值` is `年度指标值`)."""
    if isinstance(header, str) and not header.isprintable():    # a broken surrogate cannot be converted: escaped
        header = header.encode("utf-8", "backslashreplace").decode("utf-8")
    text = visible(plain_label(header))
    hint = ""
    match = re.search(r"[(\[]([^()\[\]]*)[)\]]$", text)
    if match:
        hint, text = match.group(1), text[: match.start()]
    return text.lower() if text.isascii() else text, hint


def _lookup(vocabulary: dict[str, tuple[str, ...]], label: object) -> tuple[str | None, str]:
    name, hint = split_header(label)
    for canonical, aliases in vocabulary.items():
        if name in aliases:
            return canonical, hint
    return None, hint


def indicator_column(header: object) -> tuple[str | None, str]:
    """Canonical indicator field of a printed header, and its parenthesised hint (a unit or '')."""
    return _lookup(INDICATOR_COLUMNS, header)


def profile_field_hint(label: object) -> tuple[str | None, str]:
    return _lookup(PROFILE_FIELDS, label)


def task_field(label: object) -> tuple[str | None, str]:
    return _lookup(TASK_FIELDS, label)


def unit_hint(hint: str) -> str:
    """A header hint that names a unit (`%`, `万元`, `人次`) → that unit, else ''."""
    if not hint:
        return ""
    if hint in _UNIT_HINTS:
        return hint
    try:
        quantity = parse_quantity("1" + hint)
    except QuantityError:
        return ""
    return hint if quantity.kind == "number" and quantity.unit and quantity.value == 1 else ""


def is_blank(value: object) -> bool:
    return value is None or clean(value) in BLANK_MARKS


def not_finite(value: object) -> bool:
    """A cell that reads as a number but no finite one: a float NaN or infinity, an integer past a
    float's range, or text that Python reads so (`nan`, `-inf`, `Infinity`, `1e999`, 400 nines)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, int):
        return value.bit_length() > 1023
    if isinstance(value, str):
        try:
            return not math.isfinite(float(clean(value).removesuffix("分")))
        except ValueError:
            return False
    return False


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value) and "e" in repr(value):
        return format(Decimal(repr(value)), "f")         # 1e-05 is 0.00001: a form never prints exponents
    return str(value).strip()


def with_unit_hint(value: object, hint: str) -> object:
    """A bare number under a header like `预算金额（万元）` or `完成率（%）` gets the header's unit."""
    if is_blank(value) or hint not in (*MONEY_UNITS, "%"):
        return value
    text = text_of(value)
    if re.fullmatch(r"[\d.,，]+", clean(text)):
        return text + hint
    return value


def read_text(path: Path) -> str:
    """A data file's text, UTF-8 (with or without BOM) or GB18030 as documented (`documents.decoded_bytes`
    decides, naming the first line that reads as neither); a file over the data-file size limit is refused."""
    size, cap = path.stat().st_size, limits.DATA_FILES.file_bytes
    if size > cap:
        raise DataErrors([DataError(f"文件超过大小上限（{cap // 1024 ** 2}MB，此文件{size / 1024 ** 2:.1f}MB）",
                                    path.name)])
    return decoded_bytes(path.read_bytes(), path.name, controls=False)   # a NUL is refused naming its cell


def parsed_once(parse):
    """Memoise a parse of a file by its path and content, so that recognising a file and reading it
    parse it once. The result is shared: readers only read it. Errors are not cached."""
    @lru_cache(maxsize=16)
    def by_content(path: str, digest: str, *args):
        return parse(Path(path), *args)

    @wraps(parse)
    def parse_file(path: Path, *args):
        digest = hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()
        return by_content(str(Path(path).resolve()), digest, *args)
    return parse_file


# --- what a reader produces ---------------------------------------------------------------------

@dataclass
class RawEvaluation:
    """Cells found by a format reader, before validation. Keys are canonical field names."""
    file: str                                                   # file name shown in provenance
    source_file: str                                            # the path as given
    profile: dict[str, Cell] = field(default_factory=dict)
    policy_basis: list[Cell] = field(default_factory=list)
    tasks: list[dict[str, Cell]] = field(default_factory=list)
    by_source: list[tuple[str, Cell]] = field(default_factory=list)
    by_item: list[tuple[str, Cell]] = field(default_factory=list)
    indicators: list[dict[str, Cell]] = field(default_factory=list)
    column_units: dict[str, str] = field(default_factory=dict)  # field → unit from its header hint
    errors: list[DataError] = field(default_factory=list)      # the file is not what it claims: refused
    warnings: list[str] = field(default_factory=list)
    problems: list[tuple[str, object, Provenance]] = field(default_factory=list)   # (reason, value, where)
    titles: list[Cell] = field(default_factory=list)            # title lines (the year may be read there)
    budgeted_from_sources: bool = False                         # 申报表: budget = sum of 收入来源

    def problem(self, reason: str, where: Provenance, value: object = None) -> None:
        """Something outside the indicator rows a person should look at (a bad 资金明细 category …)."""
        self.problems.append((reason, value, where))


@dataclass(frozen=True)
class CellProblem:
    """A cell the reader could not read at all (an Excel formula never calculated): `reason` says why."""
    text: str
    reason: str

    def __str__(self) -> str:
        return self.text


