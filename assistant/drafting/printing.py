"""How drafts print figures: the same forms the ledger records (`16场`, `133%`, `2122.43万元`).

Every number a template sentence prints goes through one of these functions, so the figure
checker finds each one in the ledger: indicator values as `Quantity.printed`, rates with
`format_percent` (whole percents for completion, two decimals for execution), money with two
decimals in the form's money unit, scores with at most two decimals.
"""
from __future__ import annotations

from ..quantities import Quantity, format_percent

COMPLETION_DECIMALS = 0        # 16/12 → 133%, as the seeds print completion
EXECUTION_DECIMALS = 2         # 2115.30/2122.43 → 99.66%


def money(amount: float | None, unit: str = "万元") -> str:
    if amount is None:
        return "—"
    return f"{amount:.2f}{unit}"


def rate(fraction: float | None, decimals: int = COMPLETION_DECIMALS) -> str:
    return format_percent(fraction, decimals)


def points(value: float | None) -> str:
    """A score: `97分`, `99.97分`, `9.2分` when exact; `97.00分` when 97.0034 (two decimals, kept)."""
    if value is None:
        return "—"
    text = f"{value:.2f}"
    short = text.rstrip("0").rstrip(".")
    if abs(value - float(short)) <= 1e-9 * max(1.0, abs(value)):
        text = short
    return f"{text}分"


def quantity(q: Quantity | None, fallback_unit: str = "") -> str:
    """An actual or target value as the data prints it, with the target's unit when it has none."""
    if q is None:
        return ""
    if not q.is_numeric or q.value is None:
        return q.text.strip()
    printed = q.printed() if q.kind != "compound" else q.alternatives[0].printed()
    if not q.unit and fallback_unit and fallback_unit != "%":
        printed += fallback_unit
    return printed


def gap(amount: float | None, like: Quantity) -> str:
    """A shortfall or overshoot in the target's own scale and unit (`3场`, `5%`)."""
    if amount is None:
        return ""
    return like.printed(abs(amount))
