"""What needs a person: the closed vocabulary of review reasons, and the review item itself.

A cell jixiao cannot read, or a row it cannot judge, never refuses the file and is never guessed:
the indicator (or the evaluation, for a missing year or unit name) is kept and carries a
`ReviewItem` naming the cell, its value, where it came from and why, in Chinese. Each reason says
whether it stops automatic scoring: an unreadable target, actual or weight does (the indicator is
not scored, and the total says how many points await confirmation); an unreadable printed score
or completion rate does not (those cells are only ever checked, never used). The officer settles
an item by correcting the cell (`assistant.loaders.overrides`).
"""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from .errors import shortened
from .provenance import Provenance


@dataclass(frozen=True)
class ReviewReason:
    key: str
    title: str                  # short Chinese label (table views)
    blocks_scoring: bool        # the indicator is not scored while this item stands
    advice: str                 # what the officer should do


REASONS: dict[str, ReviewReason] = {r.key: r for r in (
    # an indicator's cells
    ReviewReason("unreadable", "无法识别", True, "请更正为数值（如16场、95%）或文字（如得到提升）"),
    ReviewReason("approximate", "约数", True, "请填写确切数值"),
    ReviewReason("missing_target", "缺少年度指标值", True, "请补填年度指标值"),
    ReviewReason("unit_mismatch", "单位不一致", True, "请核对实际完成值或年度指标值的单位"),
    ReviewReason("progress_only", "进度表述", True, "请填写实际完成的数量或比率，而不是完成进度"),
    ReviewReason("not_a_date", "不是日期", True, "时限类指标请填写实际完成日期（如2023年10月）"),
    ReviewReason("impossible_rate", "比率超过100%", True, "请核对该比率（满意度、合格率等不超过100%）"),
    ReviewReason("undecidable", "无法判断是否达成", True, "请补充可衡量的实际完成情况，或按实际情况更正"),
    ReviewReason("unreadable_weight", "分值无法识别", True, "请更正为数字"),
    ReviewReason("unreadable_stated", "填报数字无法识别", False, "请更正为数字（仅用于核对，不影响评分）"),
    ReviewReason("missing_name", "缺少三级指标名称", False, "请补填三级指标名称"),
    ReviewReason("level_unknown", "一级指标无法判断", False, "请补填一级指标（产出、效益、满意度或成本指标）"),
    # the evaluation itself
    ReviewReason("missing_year", "缺少年度", False, "请补填年度（如2023）"),
    ReviewReason("missing_unit_name", "缺少单位名称", False, "请补填单位名称"),
    ReviewReason("missing_report_type", "缺少报告类型", False, "请填写报告类型（部门整体或项目）"),
    ReviewReason("unreadable_profile", "基本信息无法识别", False, "请更正该字段"),
    ReviewReason("unreadable_money", "金额无法识别", False, "请更正为金额数字（如2122.43或4753.66万元）"),
    ReviewReason("no_indicators", "未找到绩效指标", False, "如有绩效指标表，请补入后重新载入"),
)}


class ReviewItem(BaseModel):
    """One cell (or field) that needs a person, with why. `column` is the field as the form names it."""
    model_config = ConfigDict(frozen=True)

    kind: str                       # a key of REASONS
    column: str                     # 年度指标值, 实际完成值, 分值, 年度 …
    value: str | None = None        # the cell as printed (None when empty)
    reason: str                     # the Chinese sentence an officer reads
    where: Provenance | None = None

    @property
    def blocks_scoring(self) -> bool:
        return REASONS[self.kind].blocks_scoring

    @property
    def title(self) -> str:
        return REASONS[self.kind].title

    def describe(self) -> str:
        """`年度指标值“M.8万元”无法识别……（d02.yaml，第7行，“绩效指标.年度指标值”列）。请更正……`"""
        where = f"（{self.where.describe()}）" if self.where else ""
        value = f"（值：“{shortened(self.value)}”）" if self.value and self.value not in self.reason else ""
        return f"{self.reason}{value}{where}。{REASONS[self.kind].advice}"

    def to_json(self) -> dict:
        return {"kind": self.kind, "column": self.column, "value": self.value, "reason": self.reason,
                "where": self.where.describe() if self.where else None, "blocks_scoring": self.blocks_scoring}


def review_item(kind: str, column: str, value: object, reason: str, where: Provenance | None) -> ReviewItem:
    if kind not in REASONS:
        raise KeyError(f"unknown review reason {kind!r}")
    shown = None if value is None or str(value).strip() == "" else str(value)
    return ReviewItem(kind=kind, column=column, value=shown, reason=reason, where=where)
