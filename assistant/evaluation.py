"""The typed evaluation: what an officer's actuals say, with provenance on every value.

Every loader (`assistant.actuals`) produces an `Evaluation`; scoring, the figure ledger, drafting
and the UI read only this. Money amounts are floats in `Budget.money_unit` (万元 by default), as
the form prints them; `Budget.to_yuan()` converts for comparisons across units.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .quantities import MONEY_UNITS, Quantity

ReportType = Literal["部门整体", "项目"]


class Provenance(BaseModel):
    """Where a value came from: file, sheet, row (1-based, as the spreadsheet shows it) and column."""
    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None       # the header as printed (`实际完成值`) or a field name
    edit: str | None = None         # who changed the cell's value after the file was written, and from what
                                    # (`经办人更正，原值“约16场”`); None: the value is the file's own

    def describe(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        if self.edit:
            parts.append(self.edit)
        return "，".join(parts)


class Indicator(BaseModel):
    level1: str                         # 一级指标: 产出指标 / 效益指标 / 满意度指标 / 成本指标
    level2: str = ""                    # 二级指标: 数量指标, 质量指标, 社会效益指标 …
    name: str                           # 三级指标
    target: Quantity                    # 年度指标值
    actual: Quantity | None = None      # 实际完成值 (None before the year is out, e.g. a 申报表)
    weight: float | None = None         # 分值
    stated_score: float | None = None   # 得分 as the form prints it: checked, never trusted
    stated_completion: Quantity | None = None   # 完成率 as printed: checked, never trusted
    reason: str | None = None           # 偏差原因
    task: str | None = None             # 关联任务 (a KeyTask name)
    sources: dict[str, Provenance] = Field(default_factory=dict)   # field name → where it came from


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
    unit_name: str                      # 单位名称
    year: int                           # 年度
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
    source_file: str = ""
    sources: dict[str, Provenance] = Field(default_factory=dict)   # top-level fields' provenance
    warnings: list[str] = Field(default_factory=list)             # suspicious but legal data

    @property
    def title(self) -> str:
        subject = self.project if self.report_type == "项目" and self.project else self.unit_name
        return subject

    @property
    def targets_only(self) -> bool:
        """Indicators without a single actual value: a 申报表 (targets declared before the year)."""
        return bool(self.indicators) and all(i.actual is None for i in self.indicators)

    def indicator(self, name: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.name == name:
                return indicator
        raise KeyError(name)
