"""The typed evaluation: what an officer's actuals say, with provenance on every value.

Every loader (`assistant.actuals`) produces an `Evaluation`; scoring, the figure ledger, drafting
and the UI read only this. Money amounts are floats in `Budget.money_unit` (万元 by default), as
the form prints them; `Budget.to_yuan()` converts for comparisons across units.

What could not be read is kept, never guessed: an indicator whose cell needs a person carries
`review` items (and is not scored while one of them blocks scoring); the evaluation's own `review`
holds a missing year, unit name or report type. Every inferred value says why (`direction_reason`,
`level1_reason`).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from .directions import Direction, infer
from .provenance import Provenance
from .quantities import MONEY_UNITS, Quantity
from .review import ReviewItem

__all__ = ["Provenance", "ReviewItem", "Indicator", "KeyTask", "Budget", "Evaluation", "ReportType", "Direction"]

ReportType = Literal["部门整体", "项目"]


class Indicator(BaseModel):
    level1: str                         # 一级指标: 产出指标 / 效益指标 / 满意度指标 / 成本指标
    level2: str = ""                    # 二级指标: 数量指标, 质量指标, 社会效益指标 …
    name: str                           # 三级指标
    target: Quantity                    # 年度指标值 (kind "unreadable" when it could not be read: see review)
    actual: Quantity | None = None      # 实际完成值 (None before the year is out, e.g. a 申报表)
    weight: float | None = None         # 分值
    stated_score: float | None = None   # 得分 as the form prints it: checked, never trusted
    stated_completion: Quantity | None = None   # 完成率 as printed: checked, never trusted
    reason: str | None = None           # 偏差原因
    task: str | None = None             # 关联任务 (a KeyTask name)
    sources: dict[str, Provenance] = Field(default_factory=dict)   # field name → where it came from
    direction: Direction | None = None  # how the target is read; inferred from it when not given
    direction_reason: str = ""          # why, in Chinese (`未写比较符号，按“不低于”理解…`)
    level1_reason: str = ""             # why the 一级指标 is what it is, when the form did not print it
    review: list[ReviewItem] = Field(default_factory=list)   # cells that need a person
    parent: str | None = None           # the parent row's name, when this row is one of its components

    @model_validator(mode="after")
    def _direction(self) -> "Indicator":
        if self.direction is None:
            self.direction, reason, _ = infer(self.target, self.name, self.level2)
            self.direction_reason = self.direction_reason or reason
        return self

    @property
    def needs_review(self) -> bool:
        return bool(self.review)

    @property
    def scorable(self) -> bool:
        """False while a review item that blocks scoring stands (an unreadable target, actual or weight)."""
        return not any(item.blocks_scoring for item in self.review)


class KeyTask(BaseModel):
    name: str
    content: str = ""
    funds: float | None = None          # in Budget.money_unit
    goal: str = ""
    sources: dict[str, Provenance] = Field(default_factory=dict)


class Budget(BaseModel):
    budgeted: float | None = None       # 预算安排
    adjusted: float | None = None       # 调整后预算
    spent: float | None = None          # 实际支出
    money_unit: str = "万元"             # 元 / 万元 / 亿元
    by_source: dict[str, float] = Field(default_factory=dict)   # 财政拨款: 1747.90 …
    by_item: dict[str, float] = Field(default_factory=dict)     # 场地租赁费: 54.50 …
    sources: dict[str, Provenance] = Field(default_factory=dict)  # "budgeted", "by_item.场地租赁费" …

    @property
    def effective_budget(self) -> float | None:
        """The budget execution is measured against: the adjusted budget when given."""
        return self.adjusted if self.adjusted is not None else self.budgeted

    def to_yuan(self, amount: float) -> float:
        return amount * MONEY_UNITS[self.money_unit]


class Evaluation(BaseModel):
    unit_name: str = ""                 # 单位名称 ("" when the form names none: see review)
    year: int | None = None             # 年度 (None when neither the form, its title nor its name gives one)
    report_type: ReportType = "部门整体"
    project: str | None = None          # 项目名称 (project reports)
    budget: Budget = Field(default_factory=Budget)
    functions: str = ""                 # 部门职能 / 项目概况
    overall_goal: str = ""              # 总体绩效目标
    policy_basis: list[str] = Field(default_factory=list)     # 政策依据
    tasks: list[KeyTask] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    stated_execution_rate: Quantity | None = None   # 预算执行率 as the form states it
    stated_total: float | None = None               # 自评得分 as stated
    stated_grade: str | None = None                 # 评价等级 as stated
    stated_budget_weight: float | None = None       # the budget row's own 分值 (standard 自评表)
    stated_budget_score: float | None = None        # the budget row's own 得分: checked, never trusted
    level_weights: dict[str, float] = Field(default_factory=dict)   # points printed in a 一级 cell: 产出指标(50分)
    review: list[ReviewItem] = Field(default_factory=list)          # the evaluation's own open questions
    source_file: str = ""
    sources: dict[str, Provenance] = Field(default_factory=dict)   # top-level fields' provenance
    warnings: list[str] = Field(default_factory=list)             # suspicious but legal data

    def year_label(self, suffix: str = "年度") -> str:
        """`2023年度` (or `2023年` with suffix `年`); `【待补充：年度】` when the year is unknown."""
        return f"{self.year}{suffix}" if self.year is not None else "【待补充：年度】"

    @property
    def title(self) -> str:
        subject = self.project if self.report_type == "项目" and self.project else self.unit_name
        return subject or "【待补充：单位名称】"

    @property
    def targets_only(self) -> bool:
        """Indicators without a single actual value: a 申报表 (targets declared before the year)."""
        return bool(self.indicators) and all(i.actual is None for i in self.indicators)

    def indicator(self, name: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.name == name:
                return indicator
        raise KeyError(name)
