"""Scoring by the usual self-evaluation rules (see ../shared/domain.md), each rule a named setting.

`score(evaluation, rules)` returns a `ScoreCard`: per-indicator completion and score, the budget
execution rate and its score, the total and grade, the underperformers and over-achievers, and
consistency findings where the data states its own figures.

Each indicator is read in its own direction (`Indicator.direction`, with its reason): a bare
target is a floor unless the indicator's nature makes it a ceiling; completion is always
actual ÷ target (below 1 is good for a ceiling); a deadline is met when the actual date is not
later. An indicator under review (a cell nobody could read, or an actual nobody can judge) is not
scored: it has no completion and no score, and the card says how many points await confirmation
(`review_points`, `review_count`). A component row (`1、…` under `一、…`) is scored but not counted
again in the total; the parent's printed score is checked against its components'.
"""
from __future__ import annotations

import calendar
import math
import re
from typing import Literal

from pydantic import BaseModel, Field

from . import printing
from .evaluation import Budget, Evaluation, Indicator, Provenance
from .quantities import Quantity, normalize, qualitative_reached, unit_compatible
from .review import ReviewItem, review_item
from .text import quoted
from .vocabulary import LEVEL1_ORDER

Grade = Literal["优", "良", "中", "差"]


class ScoringRules(BaseModel):
    """The rules, with domain.md's defaults. Regions differ: every one is a setting."""
    # Share of the weight a qualitative indicator earns, by how far its target was reached.
    # Bands: 达成年度指标 80–100%, 部分达成并具有一定效果 50–80% (some regions 60–80%), 未达成 0–50%.
    qualitative_reached: float = 1.0
    qualitative_partial: float = 0.8
    qualitative_not_reached: float = 0.5
    # A deadline missed (done, but later than the date): the "部分达成" band by default.
    deadline_late: float = 0.8
    # Negative indicators over target: weight × (1 − (actual − target) / target), zero at twice it.
    negative_rule: Literal["linear_to_double", "zero"] = "linear_to_double"
    # First-level weights when the form gives none, scaled over the levels present to fill
    # 100 − budget_weight; within a level, equal weights.
    level1_weights: dict[str, float] = Field(default_factory=lambda: dict(zip(LEVEL1_ORDER, (50.0, 30.0, 10.0, 10.0))))
    budget_weight: float = 10.0        # 预算执行率 score = budget_weight × rate, capped
    # A completion above this is a finding: the target was set too low (seed 003's advice).
    overachievement_threshold: float = 1.30
    low_execution_threshold: float = 0.90
    grade_bands: dict[str, float] = Field(default_factory=lambda: {"优": 90.0, "良": 80.0, "中": 60.0})
    # A printed rate is compared at the precision it is printed at; scores within this tolerance.
    score_tolerance: float = 0.01


class Finding(BaseModel):
    kind: str          # stated_completion_mismatch, stated_score_mismatch, weights_sum, …
    message: str       # Chinese, for the officer
    subject: str = ""  # the indicator name or "预算" / "总分"
    stated: str | None = None
    computed: str | None = None


class IndicatorScore(BaseModel):
    index: int                          # position in evaluation.indicators
    level1: str
    level2: str
    name: str
    target: str
    actual: str | None
    direction: str
    completion: float | None            # fraction, uncapped (16/12 → 1.3333)
    weight: float
    score: float | None
    met: bool | None
    basis: str = ""                     # how it was scored, in words (the part of a compound used …)
    formula: str = ""                   # e.g. "16 ÷ 12 = 133%"
    gap: float | None = None            # shortfall in the target's base unit (positive = short)
    gap_relative: float | None = None   # gap / target
    unit: str = ""
    reason: str | None = None
    task: str | None = None
    direction_reason: str = ""          # why the target is read in this direction
    level1_reason: str = ""             # why the 一级指标 is what it is, when the form did not print it
    needs_review: list[ReviewItem] = Field(default_factory=list)   # what a person must settle first
    parent: str | None = None           # a component row: its parent's name (not counted again in the total)
    stated_score: float | None = None   # the form's own 得分 cell, when it prints one

    @property
    def counted(self) -> bool:
        """Does this row's weight and score count in the total (a component row's are its parent's)?"""
        return self.parent is None

    @property
    def pending(self) -> bool:
        """Not scored because it awaits a person (its points are 待确认)."""
        return self.score is None and bool(self.needs_review)


class BudgetScore(BaseModel):
    budgeted: float | None
    adjusted: float | None
    spent: float | None
    unit: str
    execution_rate: float | None
    score: float | None
    weight: float


class Underperformer(BaseModel):
    name: str
    target: str
    actual: str | None
    gap: float | None
    gap_relative: float | None
    unit: str
    completion: float | None
    reason: str | None
    task: str | None = None


class ScoreCard(BaseModel):
    evaluation: Evaluation
    rules: ScoringRules
    indicators: list[IndicatorScore]
    budget: BudgetScore
    total: float
    total_points: float                  # what the weights add up to (100 on a well-formed form)
    grade: Grade
    underperforming: list[Underperformer]
    overachieving: list[IndicatorScore]
    findings: list[Finding]
    review_points: float = 0.0          # points of the counted indicators not scored (awaiting confirmation)
    review_count: int = 0               # how many counted indicators await confirmation
    grade_provisional: bool = False     # the pending points could still change the grade

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.indicators if s.met)

    @property
    def review(self) -> list[ReviewItem]:
        """The evaluation's own open questions (a missing year …), then every indicator's."""
        return list(self.evaluation.review) + [item for s in self.indicators for item in s.needs_review]

    def pending_note(self) -> str:
        """`另有2项共15分待确认` (or '' when nothing awaits confirmation)."""
        if not self.review_count:
            return ""
        return f"另有{self.review_count}项共{printing.points(self.review_points).removesuffix('分')}分待确认"

    def to_json(self) -> dict:
        """The `jixiao score --json` shape (fixed names; more keys are additions)."""
        ev = self.evaluation
        return {
            "unit": ev.unit_name, "year": ev.year, "report_type": ev.report_type, "project": ev.project,
            "indicators": [
                {"level1": s.level1, "level2": s.level2, "name": s.name, "target": s.target,
                 "actual": s.actual, "direction": s.direction, "direction_reason": s.direction_reason,
                 "level1_reason": s.level1_reason,
                 "completion": _round(s.completion, 4), "weight": _round(s.weight, 4), "score": _round(s.score, 4),
                 "met": s.met, "basis": s.basis, "reason": s.reason,
                 "needs_review": [item.to_json() for item in s.needs_review],
                 "parent": s.parent, "counted": s.counted}
                for s in self.indicators
            ],
            "budget": {"budgeted": self.budget.budgeted, "adjusted": self.budget.adjusted,
                       "spent": self.budget.spent, "unit": self.budget.unit,
                       "execution_rate": _round(self.budget.execution_rate, 4),
                       "weight": _round(self.budget.weight, 4), "score": _round(self.budget.score, 4)},
            "total": _round(self.total, 2), "total_points": _round(self.total_points, 2), "grade": self.grade,
            "grade_provisional": self.grade_provisional,
            "review_points": _round(self.review_points, 2), "review_count": self.review_count,
            "pending": self.pending_note(),
            "review": [item.to_json() for item in self.evaluation.review],
            "underperforming": [
                {"name": u.name, "target": u.target, "actual": u.actual, "gap": _round(u.gap, 4),
                 "gap_relative": _round(u.gap_relative, 4), "unit": u.unit, "reason": u.reason}
                for u in self.underperforming
            ],
            "overachieving": [{"name": s.name, "target": s.target, "actual": s.actual,
                               "completion": _round(s.completion, 4)} for s in self.overachieving],
            "findings": [f.model_dump() for f in self.findings],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def grade_for(total: float, rules: ScoringRules | None = None) -> Grade:
    bands = (rules or ScoringRules()).grade_bands
    for grade in ("优", "良", "中"):
        if total >= bands[grade] - 1e-9:
            return grade  # type: ignore[return-value]
    return "差"


# --- one indicator ------------------------------------------------------------------------------

def _plain(value: float, quantity: Quantity) -> str:
    """A number as printed in a formula: in the quantity's own scale, without unit."""
    return quantity.printed(value).rstrip(quantity.unit or "\0").rstrip("万亿") if quantity.unit != "%" \
        else quantity.printed(value)


def quotient(numerator: float, denominator: float | None) -> float | None:
    """`numerator / denominator`, or None when it is no finite number: a zero or missing denominator, or a
    quotient past a float's range (spending of 1e300 against a budget of 1e-300) that no report can print."""
    if not denominator:
        return None
    value = numerator / denominator
    return value if math.isfinite(value) else None


def _completion_of(target: Quantity, actual: Quantity, direction: str, rules: ScoringRules) \
        -> tuple[float | None, bool | None, float | None, float]:
    """(completion, met, shortfall or overshoot, share of the weight earned) for one numeric target part.

    Completion is actual ÷ target whatever the direction (for a ceiling, below 1 is good)."""
    t, a = target.value, actual.value
    if t is None or a is None:
        return None, None, None, 0.0
    ratio = quotient(a, t)
    if target.kind == "range" and target.high is not None:
        if a < t:
            return ratio, False, t - a, min(1.0, ratio or 0.0)
        if a > target.high:
            share = max(0.0, 1 - (a - target.high) / target.high) if target.high else 0.0
            return share, False, a - target.high, share
        return 1.0, True, 0.0, 1.0
    if direction == "negative":
        met = a < t if target.comparator == "<" else a <= t + 1e-12 * max(1.0, abs(t))
        if met:
            return ratio, True, 0.0, 1.0
        share = 0.0 if rules.negative_rule == "zero" or not t else max(0.0, 1 - (a - t) / t)
        return ratio, False, a - t, share
    if direction == "positive":
        met = a > t if target.comparator == ">" else a >= t - 1e-12 * max(1.0, abs(t))
        return ratio, met, (0.0 if met else t - a), (1.0 if met else min(1.0, ratio or 0.0))
    # equality: met only at the target; completion is the ratio. A share of 100% is the most there is:
    # an actual printed above it has reached it.
    met = abs(a - t) <= 1e-9 * max(1.0, abs(t)) or (target.unit == "%" and t == 1.0 and a > t)
    return ratio, met, (t - a), (1.0 if met else min(1.0, ratio or 0.0))


def _actual_where(indicator: Indicator) -> Provenance | None:
    return indicator.sources.get("actual") or indicator.sources.get("target")


def _undecidable(indicator: Indicator, base: dict, reason: str, kind: str = "undecidable") -> dict:
    """`base` with one more review item: the actual cannot be judged (the indicator is not scored)."""
    actual = indicator.actual.text if indicator.actual is not None else None
    item = review_item(kind, "实际完成值", actual, reason, _actual_where(indicator))
    return {**base, "needs_review": base["needs_review"] + [item]}


def _date_bounds(date: tuple[int | None, int | None, int | None], year: int | None):
    """(earliest, latest) day a (year, month, day) may mean: `2023年12月` → 2023-12-01 … 2023-12-31."""
    y, m, d = date
    y = y if y is not None else year
    if y is None:
        return None
    first_month, last_month = (m, m) if m is not None else (1, 12)
    first_day = d if d is not None else 1
    last_day = d if d is not None else calendar.monthrange(y, last_month)[1]
    return (y, first_month, first_day), (y, last_month, last_day)


def _deadline(indicator: Indicator, base: dict, weight: float, rules: ScoringRules, year: int | None):
    """A deadline against an actual date; None when the actual is no date (the qualitative path decides)."""
    target, actual = indicator.target, indicator.actual
    if actual is not None and target.date is not None and actual.is_numeric:
        return IndicatorScore(**_undecidable(indicator, base, f"指标{quoted(indicator.name)}的年度指标值是时限"
                                                              f"“{target.text}”，实际完成值“{actual.text}”不是日期",
                                             kind="not_a_date"),
                              completion=None, score=None, met=None, basis="实际完成值不是日期，无法比较")
    if actual is None or actual.kind != "deadline" or target.date is None or actual.date is None:
        return None
    due, done = _date_bounds(target.date, year), _date_bounds(actual.date, year)
    if due is None or done is None:
        return IndicatorScore(**_undecidable(indicator, base, f"指标{quoted(indicator.name)}的时限或完成日期未写年份，"
                                                              "无法比较"),
                              completion=None, score=None, met=None, basis="时限缺少年份，无法比较")
    if done[1] <= due[1]:
        return IndicatorScore(**base, completion=None, score=weight, met=True, basis="按期完成：完成日期不晚于时限",
                              formula=f"完成于{actual.text}，时限{target.text}")
    if done[0] > due[1]:
        share = rules.deadline_late
        return IndicatorScore(**base, completion=None, score=weight * share, met=False,
                              basis="未按期完成：完成日期晚于时限",
                              formula=f"{weight:g} × {share:g} = {weight * share:g}分")
    return IndicatorScore(**_undecidable(indicator, base, f"指标{quoted(indicator.name)}的完成日期“{actual.text}”"
                                                          f"不够具体，无法判断是否在“{target.text}”之前"),
                          completion=None, score=None, met=None, basis="完成日期不够具体，无法判断是否按期")


# A target that is the all-eligible principle (`应助尽助`, `应保尽保`, `应收尽收`): an actual that is a
# plain count reports how many were covered, and with no deviation reason the principle held.
ALL_ELIGIBLE = re.compile(r"应(.{1,2})尽\1")


def _qualitative(indicator: Indicator, base: dict, weight: float, rules: ScoringRules) -> IndicatorScore:
    target, actual = indicator.target, indicator.actual
    reached = qualitative_reached(actual.text)
    partial = any(word in actual.text for word in ("部分", "基本", "初步", "一定"))
    if actual.text.strip() == target.text.strip():
        reached, partial = True, False
    if reached is None and actual.is_numeric and target.kind == "deadline":
        reached = True
    all_eligible = reached is None and actual.is_numeric and (actual.value or 0) > 0 and not indicator.reason \
        and ALL_ELIGIBLE.search(normalize(target.text))
    if all_eligible:
        reached = True
    if all_eligible:
        share, basis, met = rules.qualitative_reached, \
            f"定性指标：年度指标值为“{all_eligible.group(0)}”原则，实际完成{actual.text}且未说明偏差，按达成计", True
    elif reached and not partial:
        share, basis, met = rules.qualitative_reached, "定性指标：达成年度指标", True
    elif reached or partial:
        share, basis, met = rules.qualitative_partial, "定性指标：部分达成并具有一定效果", False
    elif reached is False:
        share, basis, met = rules.qualitative_not_reached, "定性指标：未达成", False
    else:
        return IndicatorScore(**_undecidable(indicator, base, f"指标{quoted(indicator.name)}的实际完成值"
                                                              f"“{actual.text}”无法判断是否达成“{target.text}”"),
                              completion=None, score=None, met=None, basis="定性指标：实际完成值无法判断是否达成")
    return IndicatorScore(**base, completion=1.0 if met else None, score=weight * share, met=met,
                          basis=basis, formula=f"{weight:g} × {share:g} = {weight * share:g}分")


# A cost target written as a sentence that spending stays within the budget (`控制在预算中`, `不超预算`,
# `成本控制在批复预算以内`): the budget block is the data that decides it.
WITHIN_BUDGET = re.compile(r"预算(?:范围)?(?:以内|之内|内|中)|(?:不超|不突破|未超|不得超)[过出]?(?:项目|年度|批复)?预算"
                           r"|控制在.{0,6}?预算")


def _within_budget(indicator: Indicator, base: dict, weight: float, rules: ScoringRules,
                   budget: Budget | None) -> IndicatorScore | None:
    """A within-budget cost target, judged by spending against the budget; None when it is not one, the
    budget block lacks either figure, or the actual itself says the target was missed (that path decides)."""
    target, actual = indicator.target, indicator.actual
    if budget is None or target.is_numeric or not WITHIN_BUDGET.search(normalize(target.text)):
        return None
    planned, spent = budget.effective_budget, budget.spent
    if planned is None or spent is None or qualitative_reached(actual.text) is False:
        return None
    unit = budget.money_unit
    planned_text, spent_text = printing.money(planned, unit), printing.money(spent, unit)
    _, met, gap, share = _completion_of(Quantity(text=planned_text, kind="number", value=planned, unit=unit),
                                        Quantity(text=spent_text, kind="number", value=spent, unit=unit),
                                        "negative", rules)
    verdict = "未超过" if met else "超过"
    return IndicatorScore(**{**base, "direction": "negative", "unit": unit,
                             "direction_reason": "年度指标值要求控制在预算内：按实际支出不超过预算判断"},
                          completion=None, score=weight * share, met=met, gap=gap,
                          basis=f"成本控制：实际支出{spent_text}，{verdict}预算{planned_text}",
                          formula=f"实际支出{spent_text}，预算{planned_text}")


def _bound(indicator: Indicator, part: Quantity, base: dict, weight: float) -> IndicatorScore | None:
    """An actual that only gives a bound (`≥80%` against `≥80%`): met when the bound guarantees the target."""
    actual, direction = indicator.actual, indicator.direction
    if actual.comparator not in (">=", ">", "<=", "<") or actual.value is None or part.value is None:
        return None
    floor = actual.comparator in (">=", ">")
    if (direction == "positive" and floor and actual.value >= part.value - 1e-12) or \
            (direction == "negative" and not floor and actual.value <= part.value + 1e-12):
        return IndicatorScore(**{**base, "unit": part.unit}, completion=None, score=weight, met=True,
                              basis=f"实际完成值只写了界限“{actual.text}”：按界限判断已达到，无确切值，不计算完成率",
                              formula=f"实际{actual.text}，目标{part.text}")
    return IndicatorScore(**_undecidable(indicator, base, f"指标{quoted(indicator.name)}的实际完成值只写了"
                                                          f"“{actual.text}”，不能说明是否达到“{part.text}”"),
                          completion=None, score=None, met=None, basis="实际完成值只写了界限，无法判断")


def score_indicator(index: int, indicator: Indicator, weight: float, rules: ScoringRules,
                    year: int | None = None, budget: Budget | None = None) -> IndicatorScore:
    target, actual = indicator.target, indicator.actual
    direction = indicator.direction or target.direction
    base = dict(index=index, level1=indicator.level1, level2=indicator.level2, name=indicator.name,
                target=target.text, actual=actual.text if actual else None, direction=direction,
                weight=weight, unit=target.unit, reason=indicator.reason, task=indicator.task,
                direction_reason=indicator.direction_reason, level1_reason=indicator.level1_reason,
                needs_review=list(indicator.review),
                parent=indicator.parent, stated_score=indicator.stated_score)
    if not indicator.scorable:
        first = next(item for item in indicator.review if item.blocks_scoring)
        # the basis names the cell and the kind of problem, never the unreadable value (no figure to repeat)
        return IndicatorScore(**base, completion=None, score=None, met=None, basis=f"待确认：{first.column}{first.title}")
    if actual is None:
        return IndicatorScore(**base, completion=None, score=None, met=None, basis="无实际完成值")
    if target.kind == "deadline":
        judged = _deadline(indicator, base, weight, rules, year)
        if judged is not None:
            return judged
    within_budget = _within_budget(indicator, base, weight, rules, budget)
    if within_budget is not None:
        return within_budget
    if not target.is_numeric or not actual.is_numeric:
        return _qualitative(indicator, base, weight, rules)

    if direction == "deadline":
        direction = "positive"          # a share done by the deadline the name states: at least the target
    parts = target.alternatives if target.kind == "compound" else (target,)
    candidates = [p for p in parts if unit_compatible(p.unit, actual.unit)] or list(parts)
    if actual.comparator in (">=", ">", "<=", "<"):
        bounded = _bound(indicator, candidates[0], base, weight)
        if bounded is not None:
            return bounded
    best = None
    for part in candidates:
        completion, met, gap, share = _completion_of(part, actual, direction, rules)
        key = (bool(met), share, completion if completion is not None else -1.0)
        if best is None or key > best[0]:
            best = (key, part, completion, met, gap, share)
    _, part, completion, met, gap, share = best
    basis = f"按“{part.text}”计" if target.kind == "compound" else ""
    if part.approximate or actual.approximate:
        basis = (basis + "；" if basis else "") + "按约数计算"
    if completion is None:
        if met is None:
            return IndicatorScore(**base, completion=None, score=None, met=None, basis="目标值为0，无法计算完成率")
        return IndicatorScore(**{**base, "unit": part.unit}, completion=None, score=weight * share, met=met,
                              basis=basis or "目标值为0：不计算完成率，按是否超过0判断", gap=gap,
                              formula=f"实际{actual.printed()}，目标{part.printed()}")
    # a range is not scored as actual ÷ low end (0.7 within 0.6-0.8 is 100%, not 0.7 ÷ 0.6)
    formula = f"{_plain(actual.value, actual)} ÷ {_plain(part.value, part)} = {printing.percent(completion)}" \
        if direction != "negative" and part.kind != "range" else \
        f"实际{actual.printed()}，目标{part.text if part.kind == 'range' else part.printed()}"
    gap_relative = quotient(gap, part.value) if gap is not None else None
    return IndicatorScore(**{**base, "unit": part.unit}, completion=completion, score=weight * share, met=met,
                          basis=basis, formula=formula, gap=gap, gap_relative=gap_relative)


# --- weights ------------------------------------------------------------------------------------

def indicator_weights(evaluation: Evaluation, rules: ScoringRules, budget_weight: float) -> tuple[list[float], list[Finding]]:
    """Each indicator's weight: the form's, else the level weights (the form's `产出指标(50分)` or the rules'
    defaults) shared equally within a level. A component row keeps its own printed weight (0 if none):
    its points are its parent's."""
    findings: list[Finding] = []
    indicators = evaluation.indicators
    counted = [i for i in indicators if i.parent is None]
    given = [i.weight for i in counted]
    if counted and all(w is not None for w in given):
        return [float(i.weight or 0.0) for i in indicators], findings
    points_for_indicators = 100.0 - budget_weight
    if any(w is not None for w in given):
        missing = [i for i in counted if i.weight is None]
        findings.append(Finding(kind="missing_weights", subject="分值",
                                message=f"{len(missing)}个指标未填分值，按剩余分值平均分配"))
        remaining = max(0.0, points_for_indicators - sum(w for w in given if w is not None))
        share = remaining / len(missing) if missing else 0.0
        return [float(i.weight) if i.weight is not None else (share if i.parent is None else 0.0)
                for i in indicators], findings
    levels = list(dict.fromkeys(i.level1 for i in counted))
    printed = {level: evaluation.level_weights[level] for level in levels if level in evaluation.level_weights}
    if printed and len(printed) == len(levels):
        defaults, scale = printed, 1.0
    else:
        defaults = {level: rules.level1_weights.get(level, 0.0) for level in levels}
        if sum(defaults.values()) <= 0:
            defaults = {level: 1.0 for level in levels}
        scale = points_for_indicators / sum(defaults.values()) if defaults else 1.0
    counts = {level: sum(1 for i in counted if i.level1 == level) for level in levels}
    return [defaults[i.level1] * scale / counts[i.level1] if i.parent is None else float(i.weight or 0.0)
            for i in indicators], findings


# --- the whole evaluation -------------------------------------------------------------------------

def score_budget(evaluation: Evaluation, weight: float) -> BudgetScore:
    budget = evaluation.budget
    base = budget.effective_budget
    rate = quotient(budget.spent, base) if budget.spent is not None else None
    return BudgetScore(budgeted=budget.budgeted, adjusted=budget.adjusted, spent=budget.spent,
                       unit=budget.money_unit, execution_rate=rate, weight=weight,
                       score=None if rate is None else weight * min(1.0, rate))


def _stated_rate_matches(stated: Quantity, computed: float) -> bool:
    """A printed rate holds when the computed one, rounded as printed, gives the same digits."""
    if stated.value is None:
        return False
    return printing.percent(computed, stated.decimals) == printing.percent(stated.value, stated.decimals)


def stated_completion_holds(stated: Quantity, completion: float | None, target: Quantity,
                            actual: Quantity | None) -> bool:
    """Does a printed completion rate hold? Two readings are accepted, as reports use both:
    actual ÷ target at the printed precision (16/12 → 133%), and, for a rate indicator whose
    target is itself a percentage, the achieved rate (满意度≥80%, actual 100%, printed 100%).
    A count capped at 100% (2014人次 against ≥1500, printed 100%) does not hold."""
    if completion is not None and _stated_rate_matches(stated, completion):
        return True
    rate_indicator = target.unit == "%" and actual is not None and actual.unit == "%" and actual.value is not None
    return rate_indicator and _stated_rate_matches(stated, actual.value)


def score(evaluation: Evaluation, rules: ScoringRules | None = None) -> ScoreCard:
    rules = rules or ScoringRules()
    has_budget = evaluation.budget.spent is not None and evaluation.budget.effective_budget
    counted = [i for i in evaluation.indicators if i.parent is None]
    given_weights = [i.weight for i in counted]
    budget_weight = rules.budget_weight if has_budget else 0.0
    if has_budget and evaluation.stated_budget_weight is not None:
        budget_weight = evaluation.stated_budget_weight          # the form's own 分值 for budget execution
    elif given_weights and all(w is not None for w in given_weights) and sum(given_weights) >= 100 - 1e-6:
        # the form spends its 100 points (or more: a weights_sum finding) on indicators: execution is not
        # scored apart, so weights summing to 110 are reported as 110, not 120
        budget_weight = 0.0
    weights, findings = indicator_weights(evaluation, rules, budget_weight)
    scores = [score_indicator(k, ind, w, rules, evaluation.year, evaluation.budget)
              for k, (ind, w) in enumerate(zip(evaluation.indicators, weights))]
    budget = score_budget(evaluation, budget_weight)

    total = sum(s.score or 0.0 for s in scores if s.counted) + (budget.score or 0.0)
    total_points = sum(w for w, s in zip(weights, scores) if s.counted) + budget_weight
    pending = [s for s in scores if s.counted and s.pending]
    review_points = sum(s.weight for s in pending)
    if abs(total_points - 100) > 1e-6 and evaluation.indicators:      # a budget-only file has no 100 points
        findings.append(Finding(kind="weights_sum", subject="分值",
                                message=f"各项分值合计{total_points:g}分，不等于100分",
                                stated=f"{total_points:g}", computed="100"))
    findings += _consistency_findings(evaluation, scores, budget, total, rules)
    findings += _structure_findings(evaluation, scores, weights, rules)

    underperforming = sorted(
        (s for s in scores if s.met is False),
        key=lambda s: -(s.gap_relative if s.gap_relative is not None else 1.0),
    )
    overachieving = [s for s in scores if s.completion is not None and s.completion > rules.overachievement_threshold
                     and s.direction == "positive"]
    for s in overachieving:
        findings.append(Finding(kind="target_too_low", subject=s.name,
                                message=f"{quoted(s.name)}完成率{printing.percent(s.completion)}，远超年度指标值，目标值设置可能偏低",
                                computed=printing.percent(s.completion)))
    grade = grade_for(total, rules)
    return ScoreCard(
        evaluation=evaluation, rules=rules, indicators=scores, budget=budget, total=total,
        total_points=total_points, grade=grade,
        underperforming=[Underperformer(name=s.name, target=s.target, actual=s.actual, gap=s.gap,
                                        gap_relative=s.gap_relative, unit=s.unit, completion=s.completion,
                                        reason=s.reason, task=s.task) for s in underperforming],
        overachieving=overachieving, findings=findings, review_points=review_points, review_count=len(pending),
        grade_provisional=bool(pending) and grade_for(total + review_points, rules) != grade,
    )


def _structure_findings(evaluation: Evaluation, scores: list[IndicatorScore], weights: list[float],
                        rules: ScoringRules) -> list[Finding]:
    """The form's own arithmetic: a level's printed points against its rows' weights, a parent row's
    printed score against its components', the budget row's printed score against its rule."""
    findings: list[Finding] = []
    indicators = evaluation.indicators
    for level, points in evaluation.level_weights.items():
        rows = [k for k, i in enumerate(indicators) if i.level1 == level and i.parent is None]
        if rows and all(indicators[k].weight is not None for k in rows):
            got = sum(weights[k] for k in rows)
            if abs(got - points) > rules.score_tolerance:
                findings.append(Finding(kind="level_weight_mismatch", subject=level, stated=f"{points:g}",
                                        computed=f"{got:g}",
                                        message=f"{level}印作{points:g}分，其下各指标分值合计{got:g}分"))
    components: dict[str, list] = {}
    for indicator in indicators:
        if indicator.parent is not None:
            components.setdefault(indicator.parent, []).append(indicator)
    for parent in indicators:
        parts = components.get(parent.name, [])
        if not parts or parent.stated_score is None or any(i.stated_score is None for i in parts):
            continue
        got = sum(i.stated_score for i in parts)
        if abs(got - parent.stated_score) > rules.score_tolerance:
            findings.append(Finding(kind="component_sum_mismatch", subject=parent.name,
                                    stated=f"{parent.stated_score:g}", computed=f"{got:g}",
                                    message=f"{quoted(parent.name)}填报得分{parent.stated_score:g}分，与其下各项得分之和"
                                            f"{got:g}分不符"))
    return findings


def _consistency_findings(evaluation: Evaluation, scores: list[IndicatorScore], budget: BudgetScore,
                          total: float, rules: ScoringRules) -> list[Finding]:
    findings: list[Finding] = []
    for indicator, s in zip(evaluation.indicators, scores):
        stated = indicator.stated_completion
        if stated is not None and s.completion is not None \
                and not stated_completion_holds(stated, s.completion, indicator.target, indicator.actual):
            findings.append(Finding(
                kind="stated_completion_mismatch", subject=s.name, stated=stated.text,
                computed=printing.percent(s.completion, stated.decimals),
                message=f"{quoted(s.name)}填报完成率{stated.text}，按实际{s.actual}÷目标{s.target}计算应为"
                        f"{printing.percent(s.completion, stated.decimals)}"))
        # a printed score is checked against the printed weight; against a default weight it says nothing
        if indicator.stated_score is not None and s.score is not None and indicator.weight is not None \
                and abs(indicator.stated_score - s.score) > rules.score_tolerance:
            findings.append(Finding(
                kind="stated_score_mismatch", subject=s.name, stated=f"{indicator.stated_score:g}",
                computed=f"{s.score:.2f}",
                message=f"{quoted(s.name)}填报得分{indicator.stated_score:g}分，按规则计算应为{s.score:.2f}分"))
        if s.met is False and not (s.reason or "").strip():
            findings.append(Finding(kind="missing_reason", subject=s.name,
                                    message=f"{quoted(s.name)}未完成年度指标值，但未填写偏差原因"))
        if s.met is None and s.actual is not None and indicator.scorable:
            findings.append(Finding(kind="no_evidence", subject=s.name,
                                    message=f"{quoted(s.name)}的实际完成值“{s.actual}”无法判断是否达成，缺少可衡量的佐证"))
        if indicator.actual is None:
            findings.append(Finding(kind="no_actual", subject=s.name, message=f"{quoted(s.name)}未填写实际完成值"))
    stated_rate = evaluation.stated_execution_rate
    if stated_rate is not None and budget.execution_rate is not None \
            and not _stated_rate_matches(stated_rate, budget.execution_rate):
        findings.append(Finding(
            kind="stated_execution_rate_mismatch", subject="预算执行率", stated=stated_rate.text,
            computed=printing.percent(budget.execution_rate, max(2, stated_rate.decimals)),
            message=f"填报预算执行率{stated_rate.text}，按实际支出÷预算计算应为"
                    f"{printing.percent(budget.execution_rate, max(2, stated_rate.decimals))}"))
    if evaluation.stated_budget_score is not None and budget.score is not None \
            and abs(evaluation.stated_budget_score - budget.score) > rules.score_tolerance:
        findings.append(Finding(
            kind="stated_budget_score_mismatch", subject="预算执行率", stated=f"{evaluation.stated_budget_score:g}",
            computed=f"{budget.score:.2f}",
            message=f"预算执行率填报得分{evaluation.stated_budget_score:g}分，按{budget.weight:g}分×执行率计算应为"
                    f"{budget.score:.2f}分"))
    if budget.execution_rate is not None and budget.execution_rate < rules.low_execution_threshold:
        findings.append(Finding(kind="low_execution", subject="预算执行率",
                                computed=printing.percent(budget.execution_rate, 2),
                                message=f"预算执行率{printing.percent(budget.execution_rate, 2)}，低于"
                                        f"{printing.percent(rules.low_execution_threshold)}"))
    if evaluation.stated_total is not None:
        top = [i for i in evaluation.indicators if i.parent is None]
        stated_sum = sum(i.stated_score for i in top if i.stated_score is not None)
        if all(i.stated_score is not None for i in top) and top \
                and budget.score is None and abs(stated_sum - evaluation.stated_total) > rules.score_tolerance:
            findings.append(Finding(kind="stated_total_sum_mismatch", subject="总分",
                                    stated=f"{evaluation.stated_total:g}", computed=f"{stated_sum:g}",
                                    message=f"填报总分{evaluation.stated_total:g}分，与各项填报得分之和{stated_sum:g}分不符"))
        if abs(evaluation.stated_total - total) > max(rules.score_tolerance, 0.005 * 100):
            findings.append(Finding(kind="stated_total_mismatch", subject="总分",
                                    stated=f"{evaluation.stated_total:g}", computed=f"{total:.2f}",
                                    message=f"填报自评得分{evaluation.stated_total:g}分，按规则计算为{total:.2f}分"))
    if evaluation.stated_grade and evaluation.stated_grade != grade_for(total, rules):
        findings.append(Finding(kind="stated_grade_mismatch", subject="评价等级", stated=evaluation.stated_grade,
                                computed=grade_for(total, rules),
                                message=f"填报评价等级为“{evaluation.stated_grade}”，按得分{total:.2f}分应为"
                                        f"“{grade_for(total, rules)}”"))
    return findings
