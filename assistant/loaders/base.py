"""What every input format shares: the field and column vocabulary, and validation into an `Evaluation`.

A format reader (YAML/JSON, XLSX, CSV + profile, 申报表) only finds cells and says where each came
from; it fills a `RawEvaluation` of `(raw value, Provenance)` pairs keyed by canonical field names.
`assemble()` then validates everything at once: it collects every `DataError` and raises them
together as `DataErrors` (nothing is partially loaded), and records suspicious but legal data as
warnings on the `Evaluation`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, DataErrors
from ..evaluation import Budget, Evaluation, Indicator, KeyTask, Provenance
from ..quantities import MONEY_UNITS, Quantity, QuantityError, parse_money, parse_quantity, unit_compatible
from ..text import quoted
from ..vocabulary import LEVEL1_NAMES, LEVEL2_NAMES

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
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "target"),
    "actual": ("实际完成值", "实际值", "全年实际完成值", "实际完成情况", "完成值", "actual"),
    "weight": ("分值", "权重", "指标分值", "weight"),
    "score": ("得分", "自评得分", "指标得分", "score", "stated_score"),
    "stated_completion": ("完成率", "指标完成率", "stated_completion", "completion"),
    "reason": ("偏差原因", "偏差原因分析", "未完成原因", "偏差原因及改进措施", "偏差原因分析及改进措施", "reason"),
    "task": ("关联任务", "对应任务", "所属任务", "重点任务", "task"),
    "unit": ("单位", "计量单位", "指标单位", "unit"),
    "period_target": ("实施周期指标值", "period_target"),
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


def clean(text: object) -> str:
    """NFKC, no whitespace: the form in which headers and field labels are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if text is None else str(text)))


def split_header(header: object) -> tuple[str, str]:
    """`年度指标值（%）` → (`年度指标值`, `%`); `完成率(%)` → (`完成率`, `%`); the hint is any parenthesised text."""
    text = clean(header)
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


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
    errors: list[DataError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    budgeted_from_sources: bool = False                         # 申报表: budget = sum of 收入来源

    def error(self, message: str, where: Provenance, value: object = None) -> None:
        self.errors.append(DataError(message, where.file, where.sheet, where.row, where.column, value))


def _error(errors: list[DataError], message: str, where: Provenance, value: object = None) -> None:
    errors.append(DataError(message, where.file, where.sheet, where.row, where.column, value))


# --- validation -----------------------------------------------------------------------------------

def assemble(raw: RawEvaluation) -> Evaluation:
    """Validate every cell; return the Evaluation, or raise DataErrors listing every problem."""
    errors: list[DataError] = list(raw.errors)
    warnings: list[str] = list(raw.warnings)
    profile = raw.profile
    sources: dict[str, Provenance] = {}

    def prov(key: str) -> Provenance:
        return profile[key][1]

    def present(key: str) -> bool:
        return key in profile and not is_blank(profile[key][0])

    # money unit first: every amount is read in it
    money_unit = "万元"
    if present("money_unit"):
        value = clean(profile["money_unit"][0])
        if value in MONEY_UNITS:
            money_unit = value
            sources["money_unit"] = prov("money_unit")
        else:
            _error(errors, "金额单位应为元、万元或亿元", prov("money_unit"), profile["money_unit"][0])

    unit_name = ""
    if present("unit_name"):
        unit_name = text_of(profile["unit_name"][0])
        sources["unit_name"] = prov("unit_name")
    else:
        where = profile["unit_name"][1] if "unit_name" in profile else Provenance(file=raw.file, column="单位名称")
        _error(errors, "缺少单位名称", where)

    year = 0
    if present("year"):
        parsed = parse_year(profile["year"][0])
        if parsed is None:
            _error(errors, "年度应为四位年份（如2023）", prov("year"), profile["year"][0])
        else:
            year = parsed
            sources["year"] = prov("year")
    else:
        where = profile["year"][1] if "year" in profile else Provenance(file=raw.file, column="年度")
        _error(errors, "缺少年度", where)

    project = text_of(profile["project"][0]) if present("project") else None
    if project:
        sources["project"] = prov("project")
    report_type = "项目" if project else "部门整体"
    if present("report_type"):
        value = clean(profile["report_type"][0])
        if "部门整体" in value or value in ("部门", "整体"):
            report_type = "部门整体"
        elif "项目" in value:
            report_type = "项目"
        else:
            _error(errors, "报告类型应为“部门整体”或“项目”", prov("report_type"), profile["report_type"][0])
        sources["report_type"] = prov("report_type")
    if report_type == "项目" and not project:
        warnings.append("报告类型为“项目”，但未填写项目名称")

    budget = _budget(raw, money_unit, errors, warnings)
    if "money_unit" in sources:
        budget.sources["money_unit"] = sources.pop("money_unit")

    stated_rate = None
    if present("stated_execution_rate"):
        stated_rate = _rate(profile["stated_execution_rate"], errors, "预算执行率")
        sources["stated_execution_rate"] = prov("stated_execution_rate")
    stated_total = None
    if present("stated_total"):
        stated_total = _float(profile["stated_total"], errors, "自评得分")
        sources["stated_total"] = prov("stated_total")
    stated_grade = None
    if present("stated_grade"):
        value = clean(profile["stated_grade"][0])
        if value.endswith(("秀", "好", "等", "级")) and len(value) == 2:
            value = value[0]
        if value in GRADES:
            stated_grade = value
            sources["stated_grade"] = prov("stated_grade")
        else:
            _error(errors, "评价等级应为优、良、中、差之一", prov("stated_grade"), profile["stated_grade"][0])

    texts = {}
    for key in ("functions", "overall_goal"):
        texts[key] = ""
        if present(key):
            value = profile[key][0]
            texts[key] = "\n".join(text_of(v) for v in value) if isinstance(value, list) else text_of(value)
            sources[key] = prov(key)
    policy_basis = []
    for k, (value, where) in enumerate(raw.policy_basis):
        if not is_blank(value):
            policy_basis.append(text_of(value))
            sources[f"policy_basis.{len(policy_basis)}"] = where

    tasks = _tasks(raw, money_unit, errors)
    indicators = _indicators(raw, errors, warnings)

    task_names = {t.name for t in tasks}
    if task_names:
        for indicator in indicators:
            if indicator.task and indicator.task not in task_names:
                warnings.append(f"指标{quoted(indicator.name)}的关联任务{quoted(indicator.task)}不在重点任务中"
                                f"（{indicator.sources['task'].describe()}）")

    if errors:
        raise DataErrors(errors)
    return Evaluation(
        unit_name=unit_name, year=year, report_type=report_type, project=project, budget=budget,
        functions=texts["functions"], overall_goal=texts["overall_goal"], policy_basis=policy_basis,
        tasks=tasks, indicators=indicators, stated_execution_rate=stated_rate, stated_total=stated_total,
        stated_grade=stated_grade, source_file=raw.source_file, sources=sources, warnings=warnings,
    )


def parse_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        year = int(value) if float(value).is_integer() else None
    else:
        match = re.fullmatch(r"(\d{4})(?:年度?|年)?", clean(value))
        year = int(match.group(1)) if match else None
    return year if year is not None and 1990 <= year <= 2100 else None


def with_unit_hint(value: object, hint: str) -> object:
    """A bare number under a header like `预算金额（万元）` or `完成率（%）` gets the header's unit."""
    if is_blank(value) or hint not in (*MONEY_UNITS, "%"):
        return value
    text = text_of(value)
    if re.fullmatch(r"[\d.,，]+", clean(text)):
        return text + hint
    return value


def _money(cell: Cell, money_unit: str, errors: list[DataError], what: str) -> float | None:
    value, where = cell
    text = text_of(value)
    try:
        return parse_money(text, money_unit)
    except QuantityError:
        _error(errors, f"{what}应为金额数字（如2122.43或4753.66万元）", where, value)
        return None


def _float(cell: Cell, errors: list[DataError], what: str) -> float | None:
    value, where = cell
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = clean(value).removesuffix("分")
    try:
        return float(text)
    except ValueError:
        _error(errors, f"{what}应为数字", where, value)
        return None


def _rate(cell: Cell, errors: list[DataError], what: str) -> Quantity | None:
    """A printed rate: `99.66%`, or a bare number read as a percent (`133` → 133%)."""
    value, where = cell
    try:
        quantity = parse_quantity(text_of(value), default_unit="%")
    except QuantityError:
        quantity = None
    if quantity is None or quantity.kind != "number" or quantity.unit != "%":
        _error(errors, f"{what}应为百分比（如99.66%）", where, value)
        return None
    return quantity


def _budget(raw: RawEvaluation, money_unit: str, errors: list[DataError], warnings: list[str]) -> Budget:
    profile = raw.profile
    budget = Budget(money_unit=money_unit)
    for key, attr, what in (("budget", "budgeted", "预算安排"), ("adjusted_budget", "adjusted", "调整后预算"),
                            ("spent", "spent", "实际支出")):
        if key in profile and not is_blank(profile[key][0]):
            setattr(budget, attr, _money(profile[key], money_unit, errors, what))
            budget.sources[attr] = profile[key][1]
    for name, breakdown, label in (("by_source", raw.by_source, "资金来源"), ("by_item", raw.by_item, "资金用途")):
        target = getattr(budget, name)
        for item, cell in breakdown:
            if is_blank(item):
                _error(errors, f"{label}缺少名称", cell[1], cell[0])
                continue
            amount = _money(cell, money_unit, errors, f"{label}{quoted(item)}的金额")
            if amount is not None:
                target[text_of(item)] = amount
                budget.sources[f"{name}.{text_of(item)}"] = cell[1]
    if raw.budgeted_from_sources and budget.budgeted is None and budget.by_source:
        budget.budgeted = round(sum(budget.by_source.values()), 6)
        first = raw.by_source[0][1][1]
        budget.sources["budgeted"] = first.model_copy(update={"row": None, "column": "收入来源合计"})
    base = budget.effective_budget
    for name, label in (("by_source", "资金来源"), ("by_item", "资金用途")):
        parts = getattr(budget, name)
        if parts and base is not None and abs(sum(parts.values()) - base) > 0.005:
            warnings.append(f"{label}合计{sum(parts.values()):.2f}{money_unit}，与预算{base:.2f}{money_unit}不一致")
    if budget.spent is not None and base is not None and budget.spent > base + 1e-9:
        warnings.append(f"实际支出{budget.spent:.2f}{money_unit}超过预算{base:.2f}{money_unit}")
    if budget.spent is not None and base is None:
        warnings.append("填写了实际支出但未填写预算安排，无法计算预算执行率")
    return budget


def _tasks(raw: RawEvaluation, money_unit: str, errors: list[DataError]) -> list[KeyTask]:
    tasks = []
    for row in raw.tasks:
        if all(is_blank(cell[0]) for cell in row.values()):
            continue
        if "name" not in row or is_blank(row["name"][0]):
            where = next(iter(row.values()))[1]
            _error(errors, "重点任务缺少名称", where.model_copy(update={"column": "名称"}))
            continue
        funds = None
        if "funds" in row and not is_blank(row["funds"][0]):
            funds = _money(row["funds"], money_unit, errors, "重点任务资金")
        tasks.append(KeyTask(
            name=text_of(row["name"][0]), content=text_of(row.get("content", ("", None))[0]),
            funds=funds, goal=text_of(row.get("goal", ("", None))[0]),
            sources={k: cell[1] for k, cell in row.items() if not is_blank(cell[0])},
        ))
    return tasks


def _indicators(raw: RawEvaluation, errors: list[DataError], warnings: list[str]) -> list[Indicator]:
    indicators: list[Indicator] = []
    level1: Cell | None = None
    level2: Cell | None = None
    stated_completions = 0
    for row in raw.indicators:
        def filled(key: str) -> bool:
            return key in row and not is_blank(row[key][0])

        if filled("level1"):
            level1 = (normalize_level(row["level1"][0], level=1), row["level1"][1])
            level2 = None
        if filled("level2"):
            level2 = (normalize_level(row["level2"][0], level=2), row["level2"][1])
        if not any(filled(k) for k in ("name", "target", "actual")):
            continue                                    # a section row (`时效指标`) or an empty line
        first = next(iter(row.values()))[1]
        if not filled("name"):
            _error(errors, "缺少三级指标名称", row["name"][1] if "name" in row else
                   first.model_copy(update={"column": "三级指标"}))
            continue
        name = text_of(row["name"][0])
        if level1 is None:
            _error(errors, f"指标{quoted(name)}缺少一级指标", row["level1"][1] if "level1" in row else
                   first.model_copy(update={"column": "一级指标"}))
            continue
        sources = {"level1": level1[1], "name": row["name"][1]}
        if level2 is not None:
            sources["level2"] = level2[1]

        unit = ""
        if filled("unit"):
            unit = text_of(row["unit"][0])
            sources["unit"] = row["unit"][1]
        target_unit = unit or raw.column_units.get("target", "")
        actual_unit = unit or raw.column_units.get("actual", "")

        target = None
        target_key = "target" if filled("target") else ("period_target" if filled("period_target") else None)
        if target_key is None:
            where = row["target"][1] if "target" in row else first.model_copy(update={"column": "年度指标值"})
            _error(errors, f"指标{quoted(name)}缺少年度指标值", where)
        else:
            target = _quantity(row[target_key], target_unit, errors, f"指标{quoted(name)}的年度指标值")
            sources["target"] = row[target_key][1]

        actual = None
        if filled("actual"):
            actual = _quantity(row["actual"], actual_unit or _unit_of(target), errors, f"指标{quoted(name)}的实际完成值")
            if actual is not None and target is not None and not actual_unit:
                actual = _in_target_scale(name, target, actual, row["actual"][1], warnings)
            sources["actual"] = row["actual"][1]
            if actual is not None and target is not None:
                _check_actual(name, target, actual, row["actual"], errors, warnings)

        weight = _float(row["weight"], errors, f"指标{quoted(name)}的分值") if filled("weight") else None
        stated_score = _float(row["score"], errors, f"指标{quoted(name)}的得分") if filled("score") else None
        stated_completion = None
        if filled("stated_completion"):
            stated_completion = _rate(row["stated_completion"], errors, f"指标{quoted(name)}的完成率")
            stated_completions += 1
        for key, attr in (("weight", "weight"), ("score", "stated_score"), ("stated_completion", "stated_completion"),
                          ("reason", "reason"), ("task", "task")):
            if filled(key):
                sources[attr] = row[key][1]
        if target is None:
            continue
        indicators.append(Indicator(
            level1=level1[0], level2=level2[0] if level2 else "", name=name, target=target, actual=actual,
            weight=weight, stated_score=stated_score, stated_completion=stated_completion,
            reason=text_of(row["reason"][0]) if filled("reason") else None,
            task=text_of(row["task"][0]) if filled("task") else None, sources=sources,
        ))

    weights_given = sum(1 for i in indicators if i.weight is not None)
    if 0 < weights_given < len(indicators):
        missing = [i.name for i in indicators if i.weight is None]
        warnings.append(f"{len(missing)}个指标未填分值（{'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}），"
                        "评分时按剩余分值平均分配")
    if stated_completions:
        warnings.append(f"{stated_completions}个指标填有完成率：仅用于核对，完成率按实际完成值÷年度指标值重新计算")
    return indicators


def normalize_level(value: object, level: int) -> str:
    """`产出` → `产出指标`; other names as printed."""
    text = clean(value)
    names = LEVEL1_NAMES if level == 1 else LEVEL2_NAMES
    if text + "指标" in names:
        return text + "指标"
    return text


def _quantity(cell: Cell, default_unit: str, errors: list[DataError], what: str) -> Quantity | None:
    value, where = cell
    try:
        return parse_quantity(text_of(value), default_unit=default_unit)
    except QuantityError as error:
        _error(errors, f"{what}无法识别：{error}", where, value)
        return None


def _unit_of(target: Quantity | None) -> str:
    """The unit a bare-number actual is read in: the target's (`≥90%` → `%`, `≥100万元` → `万元`)."""
    if target is None or not target.is_numeric:
        return ""
    part = target.alternatives[0] if target.alternatives else target
    if part.unit == "元":
        return {1e4: "万元", 1e8: "亿元"}.get(part.magnitude, "元")
    return part.unit


def _in_target_scale(name: str, target: Quantity, actual: Quantity, where: Provenance,
                     warnings: list[str]) -> Quantity:
    """A bare `1.3` against `1.2万亩` means 1.3万亩: scale it, and say so."""
    part = target.alternatives[0] if target.alternatives else target
    bare = actual.kind == "number" and actual.magnitude == 1 and not re.search(r"[万亿%元]", actual.text)
    if bare and part.magnitude != 1 and part.unit not in ("元", "%") and actual.value is not None:
        scaled = actual.model_copy(update={"value": actual.value * part.magnitude, "magnitude": part.magnitude})
        warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”未写单位，按年度指标值的单位理解为"
                        f"{scaled.printed()}（{where.describe()}）")
        return scaled
    return actual


def _check_actual(name: str, target: Quantity, actual: Quantity, cell: Cell,
                  errors: list[DataError], warnings: list[str]) -> None:
    where = cell[1]
    if target.is_numeric and actual.is_numeric:
        units = [p.unit for p in (target.alternatives or (target,))]
        if not any(unit_compatible(u, actual.unit) for u in units):
            shown = "或".join(f"“{u}”" for u in units)
            _error(errors, f"指标{quoted(name)}的实际完成值单位“{actual.unit}”与年度指标值单位{shown}不一致",
                   where, cell[0])
            return
    if actual.text == target.text and (target.comparator or target.kind in ("qualitative", "deadline")):
        warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”与年度指标值文字相同，只重复了目标，"
                        f"请填写实际完成情况（{where.describe()}）")
    elif actual.kind in ("number", "compound") and actual.comparator in (">=", "<=", ">", "<"):
        warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”带比较符号，不是确切数值，按其数值计"
                        f"（{where.describe()}）")
    elif target.is_numeric and not actual.is_numeric:
        warnings.append(f"指标{quoted(name)}的年度指标值为数值，实际完成值“{actual.text}”不是数值，按定性指标评分"
                        f"（{where.describe()}）")
