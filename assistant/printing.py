"""How every figure is printed: the ledger, the writers, the chat answers, the CLI and the UI alike.

One module owns the printed form of each kind of figure, so what a writer prints is exactly what
the figure ledger records and the checker verifies:

- a value in its base unit, scaled back the way the data printed it (`number`): 21224300 元 at 万
  → `2122.43万元`, 0.98 → `98%`;
- a rate, rounded half up as reports do (`percent`, `rate`): completion in whole percents
  (16/12 → `133%`), budget execution and shares with two decimals (2115.30/2122.43 → `99.66%`);
- money with two decimals in the form's money unit (`money`): `2115.30万元`;
- points with at most two decimals, trailing zeros dropped only when exact (`points`): `97分`,
  `9.2分`, `97.00分` for 97.0034;
- an indicator's target or actual as the data writes it (`quantity`); a gap or an excess in the
  target's scale at the finer of target's and actual's precision, a difference of two rates in
  百分点 (`gap`: `3场`, `0.15亿元`, `20个百分点`);
- a multiple (`multiple`: 2014 ÷ 1500 → `1.34倍`), a difference of rates in 百分点 (`points_gap`).

This module sits at the bottom of the package: it imports nothing of the package at run time.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:       # annotations only: quantities imports this module
    from .quantities import Quantity

COMPLETION_DECIMALS = 0        # 16/12 → 133%, as the seeds print completion
EXECUTION_DECIMALS = 2         # 2115.30/2122.43 → 99.66%
SHARE_DECIMALS = 2             # an item's share of the budget: 54.50/152.50 → 35.74%
MONEY_DECIMALS = 2             # 2115.30万元
POINTS_DECIMALS = 2            # 99.97分
MULTIPLE_DECIMALS = 2          # 2014 ÷ 1500 → 1.34倍
MAGNITUDE_WORDS = {1e4: "万", 1e8: "亿", 1e3: "千", 1e6: "百万", 1e7: "千万"}


def half_up(value: float, decimals: int) -> Decimal:
    """`value` rounded half up at `decimals`, from its decimal form at 12 significant digits, so that
    binary noise does not decide a tie (57.87499999999999, the sum 4 + 5 + 33.2917 + 15.5833, is 57.875).
    Any finite float prints, however large (1e308 has 309 digits: the precision grows to hold them)."""
    exact = Decimal(f"{value:.12g}")
    if not exact.is_finite():
        raise ValueError(f"not a finite number: {value}")
    with localcontext() as context:
        context.prec = max(context.prec, exact.adjusted() + decimals + 2)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: float, unit: str = "", magnitude: float = 1.0, decimals: int = 0) -> str:
    """A base-unit value the way officers print it: 0.98 % → `98%`, 21224300 元 at 万 → `2122.43万元`.
    A value that is no finite number (a quotient past a float's range) prints as `—`: no figure at all."""
    if not math.isfinite(value):
        return "—"
    if unit == "%":
        return f"{half_up(value * 100, decimals)}%" if math.isfinite(value * 100) else "—"
    return f"{half_up(value / magnitude, decimals)}{MAGNITUDE_WORDS.get(magnitude, '')}{unit}"


def percent(fraction: float | None, decimals: int = COMPLETION_DECIMALS) -> str:
    """`1.3333` → `133%`; `0.99664` at 2 decimals → `99.66%`. Rounds half up, as reports do."""
    if fraction is None or not math.isfinite(fraction) or not math.isfinite(fraction * 100):
        return "—"
    return f"{half_up(float(Decimal(repr(fraction)) * 100), decimals)}%"


def rate(fraction: float | None, decimals: int = COMPLETION_DECIMALS) -> str:
    """A completion (whole percents by default) or, with `EXECUTION_DECIMALS`, an execution rate."""
    return percent(fraction, decimals)


def money(amount: float | None, unit: str = "万元") -> str:
    """An amount already in `unit` (元 / 万元 / 亿元), with two decimals: `2115.30万元`."""
    if amount is None:
        return "—"
    return f"{amount:.{MONEY_DECIMALS}f}{unit}"


def points(value: float | None) -> str:
    """A score: `97分`, `99.97分`, `9.2分` when exact; `97.00分` when 97.0034 (two decimals, kept)."""
    if value is None:
        return "—"
    text = str(half_up(value, POINTS_DECIMALS))
    short = text.rstrip("0").rstrip(".")
    if abs(value - float(short)) <= 1e-9 * max(1.0, abs(value)):
        text = short
    return f"{text}分"


def indicator_score(score: float | None, stated: float | None = None) -> str:
    """The product's score of an indicator as a sentence states it: `得分4.84分`; where the form prints
    another score in its 得分 column, `按规则计算得分4.84分`, so that neither is read as the other."""
    if score is None:
        return "无法计分"
    if stated is not None and points(stated) != points(score):
        return f"按规则计算得分{points(score)}"
    return f"得分{points(score)}"


def quantity(q: Quantity | None, fallback_unit: str = "") -> str:
    """An actual or target value as the data prints it, with the target's unit when it has none."""
    if q is None:
        return ""
    if not q.is_numeric or q.value is None:
        return q.text.strip()
    printed = q.printed() if q.kind != "compound" else q.alternatives[0].printed()
    if not q.unit and fallback_unit and fallback_unit != "%":
        printed += fallback_unit
    written = q.text.strip()
    if q.kind == "number" and written.startswith(printed) \
            and re.fullmatch(r"[/／](?:\d+[万千百亿]?)?[^\d/／]{1,6}", written[len(printed):]):
        printed = written          # the data's per-unit tail (`5830元/户`, `0.2次/10万公顷`) is kept
    elif q.kind == "number" and re.fullmatch(r"\d+(?:\.\d+)?‰", written):
        printed = written          # a rate per mille stays as the data prints it (`0.038‰`, not `0.0038%`)
    return printed


def gap(amount: float | None, like: Quantity, other: Quantity | None = None) -> str:
    """A shortfall or overshoot in the target's own scale and unit, at the finer of the target's and the
    actual's (`other`) precision: `3场`, `0.15亿元` (2.45亿元 − 2.3亿元); between two rates, in 百分点
    (`20个百分点`, never `20%`: a relative change would be another figure)."""
    if amount is None:
        return ""
    decimals = max(like.decimals, other.decimals if other is not None else 0)
    if like.unit == "%":
        return points_gap(abs(amount), decimals)
    return number(abs(amount), like.unit, like.magnitude, decimals)


def points_gap(fraction: float, decimals: int = 0) -> str:
    """A difference of two rates, as a fraction, in 百分点: 0.2 → `20个百分点`; 0.0034 at 2 → `0.34个百分点`."""
    return f"{half_up(fraction * 100, decimals)}个百分点"


def multiple(ratio: float | None, decimals: int = MULTIPLE_DECIMALS) -> str:
    """How many times one value is another: 2014 ÷ 1500 → `1.34倍`."""
    if ratio is None:
        return "—"
    return f"{half_up(ratio, decimals)}倍"
