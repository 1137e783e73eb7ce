"""The unit a form leaves to the indicator's name: `服务外包在岸(万美元)` 23333.56, `公猪舍(≥**平方米)`
22.8, `工程资金金额` 43.2 (万元, the form's money unit), `成本控制率` 100 (%).

A writer prints such a bare cell with its unit (`23333.56万美元`, `43.2万元`, `100%`); the ledger keeps
the bare cell and adds the same value with the unit the name gives (`with_name_unit`). A cell that
prints its own unit is never changed.
"""
from __future__ import annotations

import re

from ..quantities import MONEY_UNITS, UNITS, Quantity
from ..text import simplified

MONEY_WORDS = ("金额", "资金", "经费", "费用", "成本", "总成本", "投资", "补助", "补贴", "预算", "支出", "收入", "价款",
               "造价", "资金量")
RATE_ENDINGS = ("率", "度", "比例", "占比")
_BRACKET = re.compile(r"[（(]\s*(?:[≥≤><=≧≦]?\s*\**\s*)?(?P<unit>[^（）()\s*]{1,4})\s*[)）]")
_UNITS = frozenset(UNITS) | {"美元", "港元", "欧元", "平方米", "立方米", "公顷", "亩", "套", "台", "头", "只", "组", "架"}


def name_unit(name: str, money_unit: str = "万元", brackets_only: bool = False) -> tuple[str, float] | None:
    """(base unit, magnitude) the indicator's name gives its bare cells, or None: a unit in brackets, or
    (unless `brackets_only`) a name that ends in a money word (the form's money unit) or a rate (%)."""
    text = simplified(re.sub(r"\s+", "", name or ""))
    for match in _BRACKET.finditer(text):
        unit = match.group("unit")
        if unit in ("%", "百分比", "％"):
            return "%", 1.0
        magnitude = 1.0
        if unit.startswith("万") and len(unit) > 1:
            magnitude, unit = 1e4, unit[1:]
        elif unit.startswith("亿") and len(unit) > 1:
            magnitude, unit = 1e8, unit[1:]
        if unit in MONEY_UNITS:
            return "元", magnitude * MONEY_UNITS[unit]
        if unit in _UNITS:
            return unit, magnitude
    if brackets_only:
        return None
    bare = re.sub(r"[（(][^（）()]*[)）]", "", text)
    if bare.endswith(RATE_ENDINGS):
        return "%", 1.0
    if bare.endswith(MONEY_WORDS) or bare.endswith("费"):
        return "元", MONEY_UNITS.get(money_unit, 1e4)
    return None


def with_name_unit(quantity: Quantity | None, name: str, money_unit: str = "万元") -> Quantity | None:
    """The quantity with the unit its indicator's name gives, when it prints none; else None."""
    if quantity is None or quantity.value is None or quantity.unit or not quantity.is_numeric \
            or quantity.kind == "compound":
        return None
    found = name_unit(name, money_unit)
    if found is None:
        return None
    unit, magnitude = found
    if unit == "%":
        update = {"unit": "%", "value": quantity.value / 100,
                  "high": quantity.high / 100 if quantity.high is not None else None}
    else:
        scale = magnitude / quantity.magnitude if quantity.magnitude != 1.0 else magnitude
        if quantity.magnitude != 1.0:          # `150万` already scaled: only the unit is missing
            scale, magnitude = 1.0, quantity.magnitude
        update = {"unit": unit, "magnitude": magnitude, "value": quantity.value * scale,
                  "high": quantity.high * scale if quantity.high is not None else None}
    return quantity.model_copy(update=update)


__all__ = ["name_unit", "with_name_unit", "MONEY_WORDS"]
