"""Answers about the money: the balance (结余), spending by item (资金用途), by source (资金来源) and
by key task, one named item, the largest or smallest, and their sums.

Amounts print through `assistant.printing` in the form's money unit, each line naming its item,
so the checker ties every amount to it (`“场地租赁费”：54.50万元，占预算35.74%`).
"""
from __future__ import annotations

import re

from .. import printing
from ..evaluation import Evaluation
from ..scoring import ScoreCard
from ..text import quoted
from .context import Reply, Subject

GROUPS = (("item", "资金用途"), ("source", "资金来源"), ("task", "重点任务资金"))


def amounts(evaluation: Evaluation, kind: str) -> dict[str, float]:
    budget = evaluation.budget
    if kind == "item":
        return dict(budget.by_item)
    if kind == "source":
        return dict(budget.by_source)
    return {t.name: t.funds for t in evaluation.tasks if t.funds is not None}


def balance_text(evaluation: Evaluation, card: ScoreCard) -> Reply:
    budget, b = evaluation.budget, card.budget
    base = budget.effective_budget
    if base is None or budget.spent is None:
        return Reply("数据中缺少预算安排或实际支出的金额，无法计算结余。", subject=Subject("budget", "预算"))
    unit = budget.money_unit
    left = base - budget.spent
    word = "预算" if budget.adjusted is None else "调整后预算"
    if left < -0.005:
        text = (f"实际支出{printing.money(budget.spent, unit)}，超出{word}{printing.money(base, unit)}，没有结余。"
                f"预算执行率为{printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS)}。")
    else:
        text = (f"结余{printing.money(left, unit)}（{word}{printing.money(base, unit)}减实际支出"
                f"{printing.money(budget.spent, unit)}）。\n"
                f"预算执行率为{printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS)}。")
    return Reply(text, subject=Subject("budget", "预算"))


def spending_text(evaluation: Evaluation, card: ScoreCard, question: str, subject: Subject | None = None,
                  count: int | None = None, low: bool = False) -> Reply:
    """Spending by item, source or task, as the question asks: a named one, the largest, or all."""
    unit = evaluation.budget.money_unit
    if subject is not None and subject.kind in ("item", "source", "task"):
        return _one(evaluation, subject, unit)
    kind = _group_asked(question, evaluation)
    if kind is None:
        return Reply("数据中没有资金用途、资金来源或重点任务资金的明细。可在数据中补充“资金用途”“资金来源”，"
                     "或重点任务的资金。")
    label = dict(GROUPS)[kind]
    listed = amounts(evaluation, kind)
    names = list(listed)
    extreme = re.search(r"最多|最大|最高|最少|最小|最低", question)
    if extreme or count:
        ordered = sorted(names, key=lambda n: listed[n] if low or re.search("最少|最小|最低", question) else -listed[n])
        names = ordered[:count or 1]
    lines = []
    if not extreme and not count:
        lines.append(f"{label}明细（合计{printing.money(sum(listed.values()), unit)}）：")
    elif len(names) == 1:
        lines.append(f"{label}中金额{'最少' if re.search('最少|最小|最低', question) or low else '最多'}的是{quoted(names[0])}：")
    else:
        lines.append(f"{label}中金额最多的{len(names)}项：")
    for k, name in enumerate(names, 1):
        lines.append(f"{k}. {quoted(name)}：{printing.money(listed[name], unit)}{_share(evaluation, kind, listed[name])}。")
    base = evaluation.budget.effective_budget
    if not extreme and not count and base is not None and abs(sum(listed.values()) - base) > 0.005:
        lines.append(f"注意：{label}合计与预算{printing.money(base, unit)}不一致，请核对。")
    subjects = [Subject(kind, n, n) for n in names]
    return Reply("\n".join(lines), subject=subjects[0] if len(subjects) == 1 else None, listed=subjects)


def _share(evaluation: Evaluation, kind: str, amount: float) -> str:
    base = evaluation.budget.effective_budget
    if kind == "task" or not base:
        return ""
    return f"，占预算{printing.rate(amount / base, printing.SHARE_DECIMALS)}"


def _one(evaluation: Evaluation, subject: Subject, unit: str) -> Reply:
    listed = amounts(evaluation, subject.kind)
    amount = listed.get(str(subject.key))
    if amount is None:
        return Reply(f"数据中没有{quoted(subject.name)}的金额。", subject=subject)
    label = dict(GROUPS)[subject.kind]
    return Reply(f"{quoted(subject.name)}（{label}）：{printing.money(amount, unit)}"
                 f"{_share(evaluation, subject.kind, amount)}。", subject=subject)


def _group_asked(question: str, evaluation: Evaluation) -> str | None:
    """Which breakdown the question asks for, falling back to the one the data has."""
    present = [kind for kind, _ in GROUPS if amounts(evaluation, kind)]
    if not present:
        return None
    wanted = None
    if re.search(r"来源|来原|哪来|从哪|中央|地方|省级|市级|县级|配套|拨款|自筹|上级", question):
        wanted = "source"
    elif re.search(r"任务", question):
        wanted = "task"
    elif re.search(r"用途|用在|花在|花哪|去哪|明细|哪些方面|支出|费|项", question):
        wanted = "item"
    if wanted in present:
        return wanted
    return present[0]
