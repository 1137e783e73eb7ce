"""Indicator rows → `Indicator`s: what each cell means, and what needs a person.

One row at a time, in table order (a blank or merged 一级/二级 cell inherits from the row above).
A cell that cannot be read never refuses the file: the indicator is kept with the cell as printed,
and carries a `ReviewItem` (reason, column, value, provenance). Inferred values say why: a
missing 一级指标 from the 二级指标 or the name (`vocabulary.infer_level1`), the unit of a bare
target from a unit column, a header hint or the name (`公猪舍(≥**平方米)`), the direction from the
comparator, a 方向 column or the indicator's nature (`directions.infer`). Component rows (`1、…`
under a parent `一、…`) name their parent, so scoring counts each score once.
"""
from __future__ import annotations

import math
import re

from ..directions import direction_word, infer
from ..errors import DataError, shortened
from ..evaluation import Indicator, Provenance
from ..quantities import (
    PREFIX_COMPARATORS,
    ApproximateError,
    Quantity,
    QuantityError,
    clean_unit,
    name_template,
    normalize,
    parse_quantity,
    unit_compatible,
)
from ..review import ReviewItem, review_item
from ..text import quoted
from ..vocabulary import infer_level1, read_level
from .base import Cell, CellProblem, RawEvaluation, clean, is_blank, not_finite, text_of
from .sanitize import located

# Rates that cannot exceed 100% (a 290% satisfaction is an OCR or typing error, never a result).
CAPPED_RATES = ("满意度", "满意率", "合格率", "达标率", "覆盖率", "知晓率", "知晓度", "到位率", "及时率", "正确率",
                "准确率", "通过率", "参与率", "普及率", "发放率", "拨付率", "兑现率", "真实率", "办结率")
# A progress statement (`已完成100%`) is the value itself only for an indicator that measures progress.
PROGRESS_RATES = ("完成率", "完工率", "进度", "执行率", "完成比例")
UNNAMED = "（未填三级指标名称）"
# An execution-rate indicator whose target was left blank is held to the rate the scoring rules
# expect of every budget (all of it spent): `预算执行率`, target `—`, actual 100% is met.
EXECUTION_RATE_NAME = re.compile(r"(?:预算|资金|支出)?执行率$")
EXECUTION_RATE_TARGET = "100%"
SHOWN_CHARS = 60                                # of an unreadable cell, in its review reason
MAX_WEIGHT = 100                                # points of a whole form: no one indicator weighs more
DASH_LIKE = ("一", "一一", "ー", "—一")          # a dash OCR'd as the numeral 一 (a target of "one" would carry a unit)
_PARENT_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CHILD_ORDINAL = re.compile(r"^(?:\d+[、.．](?!\d)|[(（]\d+[)）])")


class _Row:
    """One indicator row being read: its cells, and the review items and warnings it raises."""

    def __init__(self, row: dict[str, Cell], raw: RawEvaluation, warnings: list[str]):
        self.row, self.raw, self.warnings = row, raw, warnings
        self.review: list[ReviewItem] = []
        self.sources: dict[str, Provenance] = {}

    def filled(self, key: str) -> bool:
        return key in self.row and not is_blank(self.row[key][0])

    def value(self, key: str) -> object:
        return self.row[key][0]

    def where(self, key: str) -> Provenance:
        if key in self.row:
            return self.row[key][1]
        first = next(iter(self.row.values()))[1]
        return first.model_copy(update={"column": COLUMN_NAMES.get(key, key)})

    def flag(self, kind: str, key: str, reason: str) -> None:
        value = self.value(key) if key in self.row else None
        self.review.append(review_item(kind, COLUMN_NAMES.get(key, key), text_of(value) if value is not None else None,
                                       reason, self.where(key)))


COLUMN_NAMES = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
                "period_target": "实施周期指标值", "actual": "实际完成值", "weight": "分值", "score": "得分",
                "stated_completion": "完成率", "unit": "单位", "direction": "方向", "nature": "指标性质"}


def read_rows(raw: RawEvaluation, warnings: list[str], level_weights: dict[str, tuple[float, Provenance]],
              errors: list[DataError]) -> list[Indicator]:
    """The indicators of `raw`'s rows; a weight out of range (`check_weight`) is added to `errors`."""
    indicators: list[Indicator] = []
    level1: tuple[str, Provenance] | None = None
    level2: tuple[str, Provenance] | None = None
    pending_points: tuple[float, Provenance] | None = None     # `(50分)` printed in a 一级 cell with no name
    stated_completions = 0
    for cells in raw.indicators:
        row = _Row(cells, raw, warnings)
        if row.filled("level1"):
            name, points = read_level(row.value("level1"), level=1)
            level1 = (name, row.where("level1")) if name else None
            level2 = None
            pending_points = (points, row.where("level1")) if points is not None else None
            if name and points is not None:
                level_weights[name] = (points, row.where("level1"))
                pending_points = None
        if row.filled("level2"):
            level2 = (read_level(row.value("level2"), level=2)[0], row.where("level2"))
        if not any(row.filled(k) for k in ("name", "target", "actual")):
            continue                                    # a section row (`时效指标`) or an empty line
        indicator = _indicator(row, level1, level2, warnings)
        if row.filled("weight"):
            errors.extend(check_weight(indicator, row.value("weight"), row.where("weight")))
        if pending_points is not None:          # `(50分)` alone: the points of the level this row turns out in
            level_weights.setdefault(indicator.level1, pending_points)
            pending_points = None
        if row.filled("stated_completion"):
            stated_completions += 1
        indicators.append(indicator)

    _mark_components(indicators)
    weights_given = sum(1 for i in indicators if i.weight is not None)
    if 0 < weights_given < len(indicators):
        missing = [i.name for i in indicators if i.weight is None and not _weight_unreadable(i)]
        if missing:
            warnings.append(f"{len(missing)}个指标未填分值（{'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}），"
                            "评分时按剩余分值平均分配")
    if stated_completions:
        warnings.append(f"{stated_completions}个指标填有完成率：仅用于核对，完成率按实际完成值÷年度指标值重新计算")
    return indicators


def _weight_unreadable(indicator: Indicator) -> bool:
    return any(item.kind == "unreadable_weight" for item in indicator.review)


def _indicator(row: _Row, level1: tuple[str, Provenance] | None, level2: tuple[str, Provenance] | None,
               warnings: list[str]) -> Indicator:
    sources = row.sources
    if row.filled("name"):
        name = text_of(row.value("name"))
        sources["name"] = row.where("name")
    else:
        name = UNNAMED
        row.flag("missing_name", "name", "缺少三级指标名称")
    if level2 is not None:
        sources["level2"] = level2[1]
    level1_name, level1_reason = _level1(row, name, level1, level2)

    unit = _unit(row)
    comparator, stated_key = _comparator_cell(row)
    target, name_unit = _target(row, name, unit, comparator)
    actual = _actual(row, name, target, unit or name_unit, warnings)
    _check_rates(row, name, target, actual)

    weight = _points(row, "weight", name, warnings)
    stated_score = _points(row, "score", name, warnings)
    stated_completion = None
    if row.filled("stated_completion"):
        stated_completion = _stated_rate(row, name)
    for key, attr in (("stated_completion", "stated_completion"), ("reason", "reason"), ("task", "task"),
                      ("direction", "direction"), ("nature", "nature")):
        if row.filled(key):
            sources[attr] = row.where(key)
    if row.filled("score"):
        sources["stated_score"] = row.where("score")
    if row.filled("weight"):
        sources["weight"] = row.where("weight")

    stated_direction = row.value(stated_key) if stated_key else None
    where = row.where(stated_key or "direction")
    direction, direction_reason, warning = infer(target, name, level2[0] if level2 else "", stated_direction,
                                                  text_of(where.column or "方向"))
    if warning:
        warnings.append(f"{warning}（{where.describe()}）")
    return Indicator(
        level1=level1_name, level2=level2[0] if level2 else "", name=name, target=target, actual=actual,
        weight=weight, stated_score=stated_score, stated_completion=stated_completion,
        reason=text_of(row.value("reason")) if row.filled("reason") else None,
        task=text_of(row.value("task")) if row.filled("task") else None, sources=sources,
        direction=direction, direction_reason=direction_reason, level1_reason=level1_reason, review=row.review,
    )


def _comparator_cell(row: _Row) -> tuple[str, str | None]:
    """From a form's 指标方向 / 指标性质 cells: the target's comparator when one of them prints it (`>=`, `大于等于`,
    `﹦`), and which of them states a direction word (`正向`, `反向`) for `directions.infer`."""
    comparator, stated = "", None
    for key in ("direction", "nature"):
        if not row.filled(key):
            continue
        text = normalize(row.value(key))
        if text in PREFIX_COMPARATORS and not comparator:
            comparator = text
        elif direction_word(text) is not None and stated is None:
            stated = key
    return comparator, stated


def _level1(row: _Row, name: str, level1: tuple[str, Provenance] | None,
            level2: tuple[str, Provenance] | None) -> tuple[str, str]:
    if level1 is not None:
        row.sources["level1"] = level1[1]
        return level1[0], ""
    inferred = infer_level1(level2[0] if level2 else "", name)
    where = row.where("level1")
    row.sources["level1"] = where
    if inferred is not None:
        return inferred
    row.flag("level_unknown", "level1", f"指标{quoted(name)}未填一级指标，二级指标和名称也无法判断，暂按产出指标计")
    return "产出指标", "一级指标未填且无法判断，暂按产出指标计（待确认）"


def _without_unit(name: str) -> str:
    """The name without the bracketed unit at its end: `预算执行率(%)` → `预算执行率`."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", clean(name))


def _unit(row: _Row) -> str:
    """The unit the row's 单位 column prints (`%(百分比)` → `%`), or ''."""
    if row.filled("unit"):
        row.sources["unit"] = row.where("unit")
        return clean_unit(row.value("unit"))
    return ""


def _parse(row: _Row, key: str, default_unit: str, what: str, name: str) -> Quantity:
    """One target/actual cell → a Quantity; an unreadable one is kept as printed, with its review item."""
    value = row.value(key)
    if isinstance(value, CellProblem):
        row.flag("unreadable", key, f"指标{quoted(name)}的{what}{value.reason}")
        return Quantity.unreadable(value.text)
    try:
        quantity = parse_quantity(text_of(value), default_unit=default_unit)
        if quantity.approximate:
            row.warnings.append(f"指标{quoted(name)}的{what}“{quantity.text}”是约数，按所写数值计算；"
                                    f"请尽量填写确切数值（{row.where(key).describe()}）")
        return quantity
    except ApproximateError:
        row.flag("approximate", key, f"指标{quoted(name)}的{what}“{text_of(value)}”是约数")
    except QuantityError:
        row.flag("unreadable", key, f"指标{quoted(name)}的{what}“{shortened(text_of(value), SHOWN_CHARS)}”无法识别")
    return Quantity.unreadable(text_of(value))


def _target(row: _Row, name: str, unit: str, comparator: str = "") -> tuple[Quantity, str]:
    """The target, and the unit taken from the indicator's name when the target printed none (else '').
    A comparator printed in its own cell (`指标性质: >=`, `指标值: 98`) is read with the value (`>=98`)."""
    key = "target" if row.filled("target") else ("period_target" if row.filled("period_target") else None)
    blank = key is None or clean(row.value(key)) in DASH_LIKE
    if blank and EXECUTION_RATE_NAME.search(_without_unit(name)):
        printed = "未填" if key is None else f"只有“{text_of(row.value(key))}”"
        where = row.where(key or "target")
        row.sources["target"] = where
        row.warnings.append(f"指标{quoted(name)}的年度指标值{printed}，按预算执行率的通常目标"
                                f"{EXECUTION_RATE_TARGET}计（{where.describe()}）")
        return parse_quantity(EXECUTION_RATE_TARGET), ""
    if key is None:
        row.flag("missing_target", "target", f"指标{quoted(name)}缺少年度指标值")
        return Quantity.unreadable(""), ""
    row.sources["target"] = row.where(key)
    if clean(row.value(key)) in DASH_LIKE:
        row.flag("missing_target", key, f"指标{quoted(name)}的年度指标值只有“{text_of(row.value(key))}”，"
                                        "多为破折号的误识，视为未填")
        return Quantity.unreadable(text_of(row.value(key))), ""
    default = unit or row.raw.column_units.get("target", "")
    if comparator and not re.match(r"^\D*[<>=≥≤≧≦]|^(?:大于|小于|等于|不低于|不高于|不少于|不超过)", clean(row.value(key))):
        value, where = row.row[key]
        row.row[key] = (f"{comparator}{text_of(value)}", where)
    target = _parse(row, key, default, "年度指标值", name)
    if target.kind == "number" and not target.unit and not default:
        template = name_template(name)
        if template.unit:
            target = parse_quantity(text_of(row.value(key)), default_unit=template.unit)
            row.warnings.append(f"指标{quoted(name)}的年度指标值“{target.text}”未写单位，按指标名称中的"
                                    f"“{template.unit}”理解（{row.where(key).describe()}）")
            return target, template.unit
    return target, ""


def _unit_of(target: Quantity) -> str:
    """The unit a bare-number actual is read in: the target's (`≥90%` → `%`, `≥100万元` → `万元`); a magnitude
    of another unit (`1.2万亩`) is applied by `_in_target_scale`, which says so."""
    if not target.is_numeric:
        return ""
    part = target.alternatives[0] if target.alternatives else target
    if part.unit == "元":
        return {1e4: "万元", 1e8: "亿元"}.get(part.magnitude, "元")
    return part.unit


def _actual(row: _Row, name: str, target: Quantity, unit: str, warnings: list[str]) -> Quantity | None:
    if not row.filled("actual"):
        return None
    row.sources["actual"] = row.where("actual")
    actual_unit = unit or row.raw.column_units.get("actual", "")
    actual = _parse(row, "actual", actual_unit or _unit_of(target), "实际完成值", name)
    where = row.where("actual")
    if actual.kind == "unreadable" or target.kind == "unreadable":
        return actual
    if not actual_unit:
        actual = _in_target_scale(name, target, actual, where, warnings)
    if actual.kind == "progress":
        if _without_unit(name).endswith(PROGRESS_RATES) and target.unit == "%":
            warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”是完成进度，该指标即衡量进度，按"
                            f"{actual.printed()}计（{where.describe()}）")
            return Quantity(text=actual.text, kind="number", value=actual.value, unit="%", decimals=actual.decimals)
        row.flag("progress_only", "actual", f"指标{quoted(name)}的实际完成值“{actual.text}”是完成进度，不是该指标的实际值")
        return actual
    if target.is_numeric and actual.is_numeric:
        units = [p.unit for p in (target.alternatives or (target,))]
        if not any(unit_compatible(u, actual.unit) for u in units):
            shown = "或".join(f"“{u}”" for u in units)
            row.flag("unit_mismatch", "actual", f"指标{quoted(name)}的实际完成值单位“{actual.unit}”与年度指标值单位"
                                                f"{shown}不一致")
            return actual
    if actual.text == target.text and (target.comparator or target.kind in ("qualitative", "deadline")):
        warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”与年度指标值文字相同，只重复了目标，"
                        f"请填写实际完成情况（{where.describe()}）")
    elif actual.kind in ("number", "compound") and actual.comparator in (">=", "<=", ">", "<"):
        warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”带比较符号，不是确切数值：只按它的界限"
                        f"判断是否达到，不计算完成率（{where.describe()}）")
    elif target.is_numeric and not actual.is_numeric:
        warnings.append(f"指标{quoted(name)}的年度指标值为数值，实际完成值“{actual.text}”不是数值，按定性指标评分"
                        f"（{where.describe()}）")
    return actual


def _in_target_scale(name: str, target: Quantity, actual: Quantity, where: Provenance,
                     warnings: list[str]) -> Quantity:
    """A bare `1.3` against `1.2万亩` means 1.3万亩: scale it, and say so."""
    if not target.is_numeric:
        return actual
    part = target.alternatives[0] if target.alternatives else target
    bare = actual.kind == "number" and actual.magnitude == 1 and not re.search(r"[万亿%元]", actual.text)
    if bare and part.magnitude != 1 and part.unit not in ("元", "%") and actual.value is not None \
            and actual.magnitude != part.magnitude:
        scaled = actual.model_copy(update={"value": actual.value * part.magnitude, "magnitude": part.magnitude})
        warnings.append(f"指标{quoted(name)}的实际完成值“{actual.text}”未写单位，按年度指标值的单位理解为"
                        f"{scaled.printed()}（{where.describe()}）")
        return scaled
    return actual


def _check_rates(row: _Row, name: str, target: Quantity, actual: Quantity | None) -> None:
    """A satisfaction or pass rate above 100% cannot be a reading: it goes to review, never into a score."""
    bare = _without_unit(name)
    if not (bare.endswith(CAPPED_RATES) or "满意度" in bare or "满意率" in bare):
        return
    for key, quantity, what in (("target", target, "年度指标值"), ("actual", actual, "实际完成值")):
        if quantity is not None and quantity.kind == "number" and quantity.unit == "%" \
                and (quantity.value or 0) > 1 + 1e-9:
            row.flag("impossible_rate", key if key in row.row else "target",
                     f"指标{quoted(name)}的{what}“{quantity.text}”超过100%，该比率不可能超过100%")


def _points(row: _Row, key: str, name: str, warnings: list[str]) -> float | None:
    """A weight or a printed score: `10`, `10分`, `10.00`, or `10%` on a form that prints weights as shares."""
    if not row.filled(key):
        return None
    value = row.value(key)
    if not_finite(value) and key == "weight":
        return math.inf                                 # refuses the file (`check_weight`)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not not_finite(value):
        return float(value)
    text = clean(value)
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(分|%)?", text)
    what = "分值" if key == "weight" else "得分"
    if match and not isinstance(value, CellProblem):
        if match.group(2) == "%":
            warnings.append(f"指标{quoted(name)}的{what}印作“{text_of(value)}”，按{match.group(1)}分读取"
                            f"（{row.where(key).describe()}）")
        return float(match.group(1))
    if key == "weight":
        row.flag("unreadable_weight", key, f"指标{quoted(name)}的分值“{text_of(value)}”不是数字")
    else:
        row.flag("unreadable_stated", key, f"指标{quoted(name)}的填报得分“{text_of(value)}”不是数字，未核对")
    return None


def check_weight(indicator: Indicator, value: object, where: Provenance) -> list[DataError]:
    """A weight must be a finite number of points from 0 to `MAX_WEIGHT`: a form of 100 points holds no more.
    Anything else is no weight at all, and scoring with it would print a total nobody can sign."""
    weight = indicator.weight
    if weight is None:
        return []
    name = quoted(indicator.name)
    value = f"{value:g}" if isinstance(value, float) else text_of(value)
    if not math.isfinite(weight):
        return [located(f"指标{name}的分值应为有限的数字（不能是NaN、无穷大或超出1e308的数）", where, value)]
    if weight < 0:
        return [located(f"指标{name}的分值不能为负数", where, value)]
    if weight > MAX_WEIGHT:
        return [located(f"指标{name}的分值超过{MAX_WEIGHT}分（满分为{MAX_WEIGHT}分）", where, value)]
    return []


def _stated_rate(row: _Row, name: str) -> Quantity | None:
    value = row.value("stated_completion")
    try:
        quantity = parse_quantity(text_of(value), default_unit="%")
    except QuantityError:
        quantity = None
    if quantity is None or quantity.kind != "number" or quantity.unit != "%":
        row.flag("unreadable_stated", "stated_completion", f"指标{quoted(name)}的填报完成率“{text_of(value)}”"
                                                           "不是百分比，未核对")
        return None
    return quantity


def _mark_components(indicators: list[Indicator]) -> None:
    """`1、水稻…` rows after a parent `一、示范区建立` are its components: they name it as their parent."""
    parent: Indicator | None = None
    for indicator in indicators:
        name = clean(indicator.name)
        if _PARENT_ORDINAL.match(name):
            parent = indicator
        elif parent is not None and _CHILD_ORDINAL.match(name) and indicator.level1 == parent.level1 \
                and indicator.level2 == parent.level2:
            indicator.parent = parent.name
        else:
            parent = None
