"""The one validation step: a reader's `RawEvaluation` → an `Evaluation`, keeping what it can.

A file is refused (`DataErrors`) only when it is not what it claims to be (the reader's own
`errors`), when a cell passes a limit (`sanitize`), when a budget, spending, 资金 amount or weight is
out of range (not finite, negative, a weight over 100 points: every such cell named at once), or
when it holds neither indicator rows nor budget figures. Every other problem stays on
what it concerns, as a `ReviewItem`: on the indicator (`rows.read_rows`), or on the evaluation
itself (a missing or unreadable year, unit name, report type, money figure or printed figure).
The year, when the form gives none, is read from a title line, the project name, the file name
or the indicator names, and says where it came from. Suspicious but legal data is a warning.
"""
from __future__ import annotations

import math
import re

from ..errors import DataError, DataErrors
from ..evaluation import Budget, Evaluation, KeyTask, Provenance
from ..quantities import MONEY_UNITS, Quantity, QuantityError, parse_money, parse_quantity
from ..review import ReviewItem, review_item
from ..text import quoted
from .base import Cell, CellProblem, RawEvaluation, clean, is_blank, not_finite, text_of
from .rows import read_rows
from .sanitize import located, sanitize

GRADES = ("优", "良", "中", "差")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


class _Profile:
    """The top-level fields being read, and the review items and warnings they raise."""

    def __init__(self, raw: RawEvaluation):
        self.raw = raw
        self.review: list[ReviewItem] = []
        self.warnings: list[str] = list(raw.warnings)
        self.sources: dict[str, Provenance] = {}
        self.errors: list[DataError] = []           # values out of range: the file is refused

    def present(self, key: str) -> bool:
        return key in self.raw.profile and not is_blank(self.raw.profile[key][0])

    def cell(self, key: str) -> Cell:
        return self.raw.profile[key]

    def where(self, key: str, label: str) -> Provenance:
        return self.raw.profile[key][1] if key in self.raw.profile else Provenance(file=self.raw.file, column=label)

    def flag(self, kind: str, key: str, label: str, reason: str) -> None:
        value = self.raw.profile[key][0] if key in self.raw.profile else None
        self.review.append(review_item(kind, label, text_of(value) if value is not None else None, reason,
                                       self.where(key, label)))


def assemble(raw: RawEvaluation) -> Evaluation:
    """Read every cell; return the Evaluation, or raise DataErrors when the file cannot be an evaluation."""
    if raw.errors:
        raise DataErrors(list(raw.errors))
    refused = sanitize(raw)
    if refused:
        raise DataErrors(refused)
    p = _Profile(raw)

    money_unit = "万元"
    money_ok = True
    if p.present("money_unit"):
        value = clean(p.cell("money_unit")[0])
        if value in MONEY_UNITS:
            money_unit = value
        else:
            money_ok = False
            p.flag("unreadable_profile", "money_unit", "金额单位", f"金额单位“{text_of(p.cell('money_unit')[0])}”"
                   "应为元、万元或亿元，金额暂不读取")

    unit_name = ""
    if p.present("unit_name"):
        unit_name = text_of(p.cell("unit_name")[0])
        p.sources["unit_name"] = p.cell("unit_name")[1]
    else:
        p.flag("missing_unit_name", "unit_name", "单位名称", "缺少单位名称")

    project = text_of(p.cell("project")[0]) if p.present("project") else None
    if project:
        p.sources["project"] = p.cell("project")[1]
    year = _year(p, project)
    report_type = _report_type(p, project)

    budget = _budget(p, money_unit, money_ok)
    stated_rate = _execution_rate(p) if p.present("stated_execution_rate") else None
    stated_total = _number(p, "stated_total", "自评得分")
    stated_budget_weight = _number(p, "stated_budget_weight", "预算执行率分值")
    stated_budget_score = _number(p, "stated_budget_score", "预算执行率得分")
    stated_grade = _grade(p)

    texts = {}
    for key in ("functions", "overall_goal"):
        texts[key] = ""
        if p.present(key):
            value = p.cell(key)[0]
            texts[key] = "\n".join(text_of(v) for v in value) if isinstance(value, list) else text_of(value)
            p.sources[key] = p.cell(key)[1]
    policy_basis = []
    for value, where in raw.policy_basis:
        if not is_blank(value):
            policy_basis.append(text_of(value))
            p.sources[f"policy_basis.{len(policy_basis)}"] = where

    tasks = _tasks(p, money_unit)
    level_weights: dict[str, tuple[float, Provenance]] = {}
    indicators = read_rows(raw, p.warnings, level_weights, p.errors)
    if p.errors:
        raise DataErrors(p.errors)
    for level, (_, where) in level_weights.items():
        p.sources[f"level_weights.{level}"] = where

    task_names = {t.name for t in tasks}
    if task_names:
        for indicator in indicators:
            if indicator.task and indicator.task not in task_names:
                p.warnings.append(f"指标{quoted(indicator.name)}的关联任务{quoted(indicator.task)}不在重点任务中"
                                  f"（{indicator.sources['task'].describe()}）")
    for reason, value, where in raw.problems:
        p.review.append(review_item("unreadable_profile", where.column or "", text_of(value), reason, where))

    has_budget = any(v is not None for v in (budget.budgeted, budget.adjusted, budget.spent)) \
        or bool(budget.by_source or budget.by_item)
    if not indicators and not has_budget:
        found = "；".join(raw.warnings[:3])
        raise DataErrors([DataError("文件中既没有绩效指标，也没有预算数字，不是可评价的绩效数据"
                                    + (f"（{found}）" if found else ""), raw.file)])
    if not indicators:
        p.review.append(review_item("no_indicators", "绩效指标", None, "未找到绩效指标行，只评价预算执行情况",
                                    Provenance(file=raw.file, column="绩效指标")))

    return Evaluation(
        unit_name=unit_name, year=year, report_type=report_type, project=project, budget=budget,
        functions=texts["functions"], overall_goal=texts["overall_goal"], policy_basis=policy_basis,
        tasks=tasks, indicators=indicators, stated_execution_rate=stated_rate, stated_total=stated_total,
        stated_grade=stated_grade, stated_budget_weight=stated_budget_weight, stated_budget_score=stated_budget_score,
        level_weights={level: points for level, (points, _) in level_weights.items()},
        source_file=raw.source_file, sources=p.sources, warnings=p.warnings, review=p.review,
    )


def parse_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        year = int(value) if math.isfinite(value) and float(value).is_integer() else None
    else:
        match = re.fullmatch(r"(\d{4})(?:年度?|年)?", clean(value))
        year = int(match.group(1)) if match else None
    return year if year is not None and 1990 <= year <= 2100 else None


def _year(p: _Profile, project: str | None) -> int | None:
    if p.present("year"):
        parsed = parse_year(p.cell("year")[0])
        if parsed is not None:
            p.sources["year"] = p.cell("year")[1]
            return parsed
        p.flag("unreadable_profile", "year", "年度", f"年度“{text_of(p.cell('year')[0])}”不是四位年份（如2023）")
    found = _year_from_elsewhere(p, project)
    if found is not None:
        year, where, shown = found
        p.sources["year"] = where
        if where.column != "标题":          # a form's title is where it prints its year: no note needed
            p.warnings.append(f"未填年度，取自{shown}：{year}年")
        return year
    if not p.present("year"):
        p.flag("missing_year", "year", "年度", "缺少年度：表头、标题、项目名称和文件名均未载明年度"
               "（命令行可用 --year 2023 指定）")
    return None


def _year_from_elsewhere(p: _Profile, project: str | None) -> tuple[int, Provenance, str] | None:
    raw = p.raw
    for value, where in raw.titles:
        match = _YEAR.search(clean(value))
        if match and parse_year(match.group(1)):
            return int(match.group(1)), where, f"标题“{text_of(value)}”"
    if project:
        match = _YEAR.search(clean(project))
        if match and parse_year(match.group(1)):
            return int(match.group(1)), p.cell("project")[1], f"项目名称“{project}”"
    stem = re.sub(r"\.[^.]+$", "", raw.file)
    match = _YEAR_IN_NAME.search(stem)
    if match and parse_year(match.group(1)):
        return int(match.group(1)), Provenance(file=raw.file, column="文件名"), f"文件名“{raw.file}”"
    years: dict[int, Provenance] = {}
    for row in raw.indicators:
        if "name" in row and not is_blank(row["name"][0]):
            for match in _YEAR.finditer(clean(row["name"][0])):
                years.setdefault(int(match.group(1)), row["name"][1])
    if len(years) == 1:
        (year, where), = years.items()
        return year, where, "指标名称"
    return None


def _report_type(p: _Profile, project: str | None) -> str:
    guessed = "项目" if project else "部门整体"
    if p.present("report_type"):
        value = clean(p.cell("report_type")[0])
        p.sources["report_type"] = p.cell("report_type")[1]
        if "部门整体" in value or value in ("部门", "整体") or "部门" in value:
            return "部门整体"
        if "项目" in value:
            return "项目"
        p.flag("unreadable_profile", "report_type", "报告类型", f"报告类型“{text_of(p.cell('report_type')[0])}”"
               f"应为“部门整体”或“项目”，暂按“{guessed}”（{'填有' if project else '未填'}项目名称）")
        return guessed
    p.flag("missing_report_type", "report_type", "报告类型",
           f"缺少报告类型，暂按“{guessed}”（{'填有' if project else '未填'}项目名称）")
    return guessed


def _number(p: _Profile, key: str, label: str) -> float | None:
    if not p.present(key):
        return None
    value, where = p.cell(key)
    p.sources[key] = where
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = clean(value).removesuffix("分")
    try:
        return float(text)
    except ValueError:
        p.sources.pop(key)
        p.flag("unreadable_stated", key, label, f"{label}“{text_of(value)}”不是数字，未核对")
        return None


def _grade(p: _Profile) -> str | None:
    if not p.present("stated_grade"):
        return None
    value = clean(p.cell("stated_grade")[0])
    if value.endswith(("秀", "好", "等", "级")) and len(value) == 2:
        value = value[0]
    if value in GRADES:
        p.sources["stated_grade"] = p.cell("stated_grade")[1]
        return value
    p.flag("unreadable_stated", "stated_grade", "评价等级",
           f"评价等级“{text_of(p.cell('stated_grade')[0])}”应为优、良、中、差之一，未核对")
    return None


def _execution_rate(p: _Profile) -> Quantity | None:
    """The form's 执行率: `99.66%`; a bare number as a percent (`20` → 20%), or as a fraction when at most
    1.5 (`0.958` → 95.8%, `1` → 100%), as forms print it both ways."""
    value, where = p.cell("stated_execution_rate")
    text = text_of(value)
    quantity = None
    bare = re.fullmatch(r"\d+(?:\.\d+)?", clean(text))
    if bare and float(clean(text)) <= 1.5:
        digits = clean(text).split(".")[1] if "." in clean(text) else ""
        quantity = Quantity(text=text, kind="number", value=float(clean(text)), unit="%",
                            decimals=max(0, len(digits) - 2))
        p.warnings.append(f"预算执行率印作“{text}”（小数），按{quantity.printed()}读取（{where.describe()}）")
    else:
        try:
            quantity = parse_quantity(text, default_unit="%")
        except QuantityError:
            quantity = None
    if quantity is None or quantity.kind != "number" or quantity.unit != "%":
        p.flag("unreadable_stated", "stated_execution_rate", "预算执行率", f"预算执行率“{text}”不是百分比，未核对")
        return None
    p.sources["stated_execution_rate"] = where
    return quantity


def _money(p: _Profile, cell: Cell, money_unit: str, what: str) -> float | None:
    """A money cell in `money_unit`; None (with a review item) when it reads as no amount. An amount that is
    not finite (`.nan`, `inf`, a number past 1e308) or negative refuses the file: no budget can be either."""
    value, where = cell
    if isinstance(value, CellProblem):
        p.review.append(review_item("unreadable_money", what, value.text, f"{what}{value.reason}", where))
        return None
    if not_finite(value):
        p.errors.append(located(f"{what}应为有限的金额数字（不能是NaN、无穷大或超出1e308的数）", where, text_of(value)))
        return None
    try:
        amount = parse_money(text_of(value), money_unit)
    except QuantityError:
        p.review.append(review_item("unreadable_money", what, text_of(value), f"{what}“{text_of(value)}”不是金额数字",
                                    where))
        return None
    if not math.isfinite(amount):
        p.errors.append(located(f"{what}超出可计算的范围（不能超出1e308）", where, text_of(value)))
        return None
    if amount < 0:
        p.errors.append(located(f"{what}不能为负数", where, text_of(value)))
        return None
    return amount


def _budget(p: _Profile, money_unit: str, money_ok: bool) -> Budget:
    raw = p.raw
    profile = raw.profile
    budget = Budget(money_unit=money_unit)
    if "money_unit" in profile and money_ok and not is_blank(profile["money_unit"][0]):
        budget.sources["money_unit"] = profile["money_unit"][1]
    if not money_ok:
        return budget
    for key, attr, what in (("budget", "budgeted", "预算安排"), ("adjusted_budget", "adjusted", "调整后预算"),
                            ("spent", "spent", "实际支出")):
        if key in profile and not is_blank(profile[key][0]):
            amount = _money(p, profile[key], money_unit, what)
            if amount is not None:
                setattr(budget, attr, amount)
                budget.sources[attr] = profile[key][1]
    for name, breakdown, label in (("by_source", raw.by_source, "资金来源"), ("by_item", raw.by_item, "资金用途")):
        target = getattr(budget, name)
        for item, cell in breakdown:
            if is_blank(item):
                p.review.append(review_item("unreadable_profile", label, text_of(cell[0]), f"{label}缺少名称", cell[1]))
                continue
            amount = _money(p, cell, money_unit, f"{label}{quoted(item)}的金额")
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
            p.warnings.append(f"{label}合计{sum(parts.values()):.2f}{money_unit}，与预算{base:.2f}{money_unit}不一致")
    if budget.spent is not None and base is not None and budget.spent > base + 1e-9:
        p.warnings.append(f"实际支出{budget.spent:.2f}{money_unit}超过预算{base:.2f}{money_unit}")
    if budget.spent is not None and base is None:
        p.warnings.append("填写了实际支出但未填写预算安排，无法计算预算执行率")
    return budget


def _tasks(p: _Profile, money_unit: str) -> list[KeyTask]:
    tasks = []
    for row in p.raw.tasks:
        if all(is_blank(cell[0]) for cell in row.values()):
            continue
        if "name" not in row or is_blank(row["name"][0]):
            where = next(iter(row.values()))[1]
            shown = "；".join(text_of(c[0]) for c in row.values() if not is_blank(c[0]))
            p.review.append(review_item("unreadable_profile", "名称", shown, "重点任务缺少名称，未读入",
                                        where.model_copy(update={"column": "名称"})))
            continue
        funds = None
        if "funds" in row and not is_blank(row["funds"][0]):
            funds = _money(p, row["funds"], money_unit, "重点任务资金")
        tasks.append(KeyTask(
            name=text_of(row["name"][0]), content=text_of(row.get("content", ("", None))[0]),
            funds=funds, goal=text_of(row.get("goal", ("", None))[0]),
            sources={k: cell[1] for k, cell in row.items() if not is_blank(cell[0]) and not (k == "funds" and funds is None)},
        ))
    return tasks
